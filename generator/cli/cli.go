// Package cli is the briefing command line: build, serve, check, new and
// version, with exit codes 0 (success), 1 (the content has errors) and 2
// (the command line is wrong).
package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"briefing/generator/build"
	"briefing/generator/markup"
	"briefing/generator/site"
)

// Version is the release this source is.
const Version = "0.1.0"

const usage = `briefing builds fact-annotated briefing sites: Markdown briefings whose
claims, actors, sources and caveats become pages linked both ways.

Usage:
  briefing COMMAND [flags]

Commands:
  init     start a new site in a folder: content/ with one briefing, actor and source
  build    build the site into public/ (or --out) for any static host
  serve    preview the site locally; rebuilds and reloads the browser on every save
  check    report every problem in the content; writes nothing
  new      add a briefing, actor or source file to the site
  ids      write derived claim and caveat ids into the files, so URLs survive edits
  version  print the version
  help     print this, or the flags of one command: briefing help COMMAND

Flags go before or after a command's words; 'briefing COMMAND --help' lists them.
`

// commands are the synopsis and description of each command's help.
var commands = map[string]struct{ synopsis, about string }{
	"init": {"briefing init DIR",
		"Start a new site in DIR (made if missing, refused if it already has content/):\n" +
			"content/_index.md and one briefing, actor and source, commented, that build with --strict."},
	"build": {"briefing build [--src DIR] [--out DIR] [--base-url URL] [--drafts] [--strict] [--force] [--cache-dir DIR]",
		"Build the site in --src into --out: one folder with an index.html per page, feeds,\n" +
			"sitemap, search index and graph.json, ready for any static host. Nothing is written\n" +
			"when the content has an error; the output is replaced only when the build succeeds."},
	"check": {"briefing check [--src DIR] [--strict] [--drafts]",
		"Report every problem in the site's content and templates, as build would, writing nothing."},
	"serve": {"briefing serve [--src DIR] [--addr 127.0.0.1:1313] [--drafts=false] [--open] [--poll DURATION]",
		"Preview the site: build it in memory, serve it on --addr (loopback by default), rebuild\n" +
			"what a saved change affects and reload open browser tabs; on an error, keep serving the\n" +
			"last good site with the problems shown over the page."},
	"new": {"briefing new briefing|actor|source NAME [--src DIR] [--kind KIND]",
		"Add content/briefings/DATE-NAME.md (a draft dated today), content/actors/NAME.md or\n" +
			"content/sources/NAME.md, with every field listed and explained. An actor's kind is\n" +
			"--kind, else guessed from its name (Dockworkers Union: organisation), else person."},
	"ids": {"briefing ids [--src DIR] [--check]",
		"Write the id of every claim and caveat that has none into its file (:claim[…]{#id …}), as it is\n" +
			"now. Ids left out are derived from the words, so editing the words would move the page to a\n" +
			"new URL; written, they stay. Run it before publishing, or --check it in CI."},
	"version": {"briefing version", "Print the version."},
}

// exit codes
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// hugeOnce advises the heap once a process: the advice lasts.
var (
	hugeOnce sync.Once
	heapHuge atomic.Bool // hugeHeap did it; see releaseHeap and tuneGC
)

// adviseHeap puts the heap a build of the site at src grows into in huge
// pages (see hugeHeap), once a process, before the site is read: a heap
// grows to about five times the bytes of content/ (60 MB for 13 MB at
// 1,000 generated briefings, 600 MB for 123 MB at 10,000), and the block
// is eight times them, so that the runtime's tables for a larger one
// (two megabytes for 2 GiB, touched when it is allocated) are not paid
// for by a small site.
func adviseHeap(src string) {
	hugeOnce.Do(func() {
		switch mode := heapPages(); {
		case mode == "madvise" && hugeHeap(available(), 8*contentBytes(filepath.Join(src, "content"))):
			heapHuge.Store(true)
			// Hands the block back (see hugeHeap), and tuneGC's pacing
			// reads heapHuge after this collection.
			debug.FreeOSMemory()
		case mode == "always":
			// In huge pages without asking: memory handed back comes
			// back in 4 KiB pages there too (with THP set to always, a
			// build of 1,000 took 0.92–0.98 s keeping it, 1.02–1.22 s
			// handing it back, at the same peak).
			heapHuge.Store(true)
		}
	})
}

// contentBytes is the size of the regular files below dir, up to 1 GiB.
func contentBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n += info.Size()
		}
		if n >= 1<<30 {
			return filepath.SkipAll
		}
		return nil
	})
	return n
}

// Main runs the command line args and returns the exit code.
func Main(args []string, builtin fs.FS, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	// See memoryLimit and tuneGC. GOMEMLIMIT and GOGC in the environment
	// still win.
	if os.Getenv("GOMEMLIMIT") == "" {
		if limit := memoryLimit(); limit > 0 {
			debug.SetMemoryLimit(limit)
		}
	}
	if os.Getenv("GOGC") == "" {
		tuneGC()
	}
	switch cmd {
	case "build":
		return cmdBuild(rest, builtin, stdout, stderr, false)
	case "check":
		return cmdBuild(rest, builtin, stdout, stderr, true)
	case "serve":
		return cmdServe(rest, builtin, stdout, stderr)
	case "new":
		return cmdNew(rest, stdout, stderr)
	case "init":
		return cmdInit(rest, stdout, stderr)
	case "ids":
		return cmdIDs(rest, stdout, stderr)
	case "version", "--version":
		if _, code := parse(flag.NewFlagSet("version", flag.ContinueOnError), rest, stdout, stderr, "version", 0); code >= 0 {
			return code
		}
		fmt.Fprintln(stdout, "briefing", version())
		return exitOK
	case "help", "-h", "--help":
		if len(rest) == 1 {
			if _, ok := commands[rest[0]]; ok {
				return Main([]string{rest[0], "--help"}, builtin, stdout, stderr)
			}
			fmt.Fprintf(stderr, "briefing: no help for %q: there is no such command\n\n%s", rest[0], usage)
			return exitUsage
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	meant := ""
	if cmd == "server" { // Hugo's
		meant = "serve"
	} else if names := slices.Sorted(maps.Keys(commands)); !strings.HasPrefix(cmd, "-") {
		meant = markup.Nearest(cmd, names)
	}
	if meant != "" {
		fmt.Fprintf(stderr, "briefing: unknown command %q; did you mean %q?\n\n%s", cmd, meant, usage)
		return exitUsage
	}
	fmt.Fprintf(stderr, "briefing: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// hugoFlags are Hugo's names of flags that briefing spells otherwise.
var hugoFlags = map[string]string{
	"D": "drafts", "buildDrafts": "drafts", "d": "out", "destination": "out",
	"s": "src", "source": "src", "b": "base-url", "baseURL": "base-url", "baseUrl": "base-url",
	"port": "addr", "p": "addr", "bind": "addr",
}

// flagMeant is the flag of fset that name (given as -name or --name, not
// defined) most likely means: Hugo's name for it, its words in lower case
// with dashes (baseURL, base_url), or its nearest spelling; "" if none.
func flagMeant(fset *flag.FlagSet, name string) string {
	name = strings.TrimPrefix(name, "-")
	if m, ok := hugoFlags[name]; ok && fset.Lookup(m) != nil {
		return m
	}
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) && i > 0 && !unicode.IsUpper(rune(name[i-1])) {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	kebab := strings.ReplaceAll(b.String(), "_", "-")
	if fset.Lookup(kebab) != nil {
		return kebab
	}
	var names []string
	fset.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return markup.Nearest(kebab, names)
}

func version() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

// colour reports whether w is a terminal that wants colour.
func colour(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// parse parses flags, which may come before, between or after the command's
// words, and expects exactly want words. It returns the words, and a
// non-negative exit code when the command should stop: help asked for
// (printed to stdout, exit 0) or a wrong command line (the problem and the
// synopsis to stderr, exit 2).
func parse(fset *flag.FlagSet, args []string, stdout, stderr io.Writer, name string, want int) ([]string, int) {
	// The flag package would print its own usage, with single dashes, to
	// one writer; help and errors are told apart here instead.
	fset.SetOutput(io.Discard)
	fset.Usage = func() {}
	wrong := func(format string, a ...any) ([]string, int) {
		fmt.Fprintf(stderr, "briefing %s: %s\nUsage: %s\nRun 'briefing help %s' for more.\n", name,
			fmt.Sprintf(format, a...), commands[name].synopsis, name)
		return nil, exitUsage
	}
	var words []string
	for {
		if err := fset.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				help(stdout, fset, name)
				return nil, exitOK
			}
			msg := singleDash.ReplaceAllString(err.Error(), "$1--$2")
			if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
				if m := flagMeant(fset, name); m != "" {
					msg += "; did you mean --" + m + "?"
				}
			}
			return wrong("%s", msg)
		}
		if fset.NArg() == 0 {
			break
		}
		words, args = append(words, fset.Arg(0)), fset.Args()[1:]
	}
	if len(words) > want {
		return wrong("unexpected argument %q", words[want])
	}
	if len(words) < want {
		return wrong("missing %s", strings.Fields(commands[name].synopsis)[2+len(words)])
	}
	return words, -1
}

// singleDash finds the flag names in the flag package's messages, which
// spell them -name; the help and the SPEC spell them --name.
var singleDash = regexp.MustCompile(`(^|[\s:])-([a-z])`)

// help prints a command's synopsis, description and flags, spelt --name.
func help(w io.Writer, fset *flag.FlagSet, name string) {
	c := commands[name]
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", c.synopsis, c.about)
	first := true
	fset.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprint(w, "\nFlags:\n")
			first = false
		}
		arg, usage := flag.UnquoteUsage(f)
		head := "--" + f.Name
		if arg != "" {
			head += " " + arg
		}
		fmt.Fprintf(w, "  %-22s %s", head, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0s" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// siteFolder checks that src is a folder holding a site: a wrong --src is
// a wrong command line (exit 2); a folder without content/ is told how to
// start one (exit 1).
func siteFolder(src string, stderr io.Writer) int {
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "briefing: --src %q is not a folder\n", src)
		return exitUsage
	}
	if st, err := os.Stat(filepath.Join(src, "content")); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "briefing: %s has no content/ folder, so there is no site here; "+
			"start one with: briefing init %s\n", src, src)
		return exitContent
	}
	return -1
}

func cmdBuild(args []string, builtin fs.FS, stdout, stderr io.Writer, checkOnly bool) int {
	name := "build"
	if checkOnly {
		name = "check"
	}
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	src := fset.String("src", ".", "the site's `DIR`, holding content/, templates/ and static/")
	out := new(string)
	baseURL := new(string)
	force := new(bool)
	cacheDir := new(string)
	if !checkOnly {
		cacheDir = fset.String("cache-dir", "", "keep highlighted code between builds in `DIR` (default: a folder for the site in the user's cache folder; --cache-dir= keeps none)")
		out = fset.String("out", "", "output `DIR` (default SRC/public)")
		baseURL = fset.String("base-url", "", "the `URL` the site is published at, e.g. https://host/sub/path/: internal links carry its path, feeds, the sitemap and canonical links the whole URL")
		force = fset.Bool("force", false, "write into a non-empty output folder that a build did not make (its other files are kept)")
	}
	drafts := fset.Bool("drafts", false, "include draft briefings")
	strict := fset.Bool("strict", false, "treat warnings as errors")
	if _, code := parse(fset, args, stdout, stderr, name, 0); code >= 0 {
		return code
	}
	if _, err := build.BasePath(*baseURL); err != nil {
		fmt.Fprintln(stderr, "briefing:", err)
		return exitUsage
	}
	if code := siteFolder(*src, stderr); code >= 0 {
		return code
	}
	adviseHeap(*src)
	opts := build.Options{Src: *src, BaseURL: *baseURL, Drafts: *drafts, Strict: *strict, Builtin: builtin, Force: *force}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// See Main. The pacing lasts until the build ends.
		undo := func() {}
		opts.Release = func() { undo = releaseHeap() }
		defer func() { undo() }()
	}
	if !checkOnly {
		opts.CacheDir = *cacheDir
		if !flagSet(fset, "cache-dir") {
			opts.CacheDir = defaultCacheDir(*src)
		}
	}
	var res *build.Result
	if checkOnly {
		opts.Sample = true
		res = build.Site(opts)
	} else {
		if *out == "" {
			*out = filepath.Join(*src, "public")
		}
		res = build.ToDir(opts, *out)
	}
	res.Diags.Print(stderr, colour(stderr))
	fmt.Fprintln(stdout, res.Summary(name))
	if res.Failed() {
		return exitContent
	}
	return exitOK
}

// flagSet reports whether the command line set the flag name.
func flagSet(fset *flag.FlagSet, name string) bool {
	set := false
	fset.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// defaultCacheDir is the folder a build of the site in src keeps its
// cache in: one per site, below the user's cache folder ($XDG_CACHE_HOME
// or ~/.cache on Linux), named by the site folder's absolute path; "" when
// the system has no cache folder.
func defaultCacheDir(src string) string {
	base, err := os.UserCacheDir()
	abs, err2 := filepath.Abs(src)
	if err != nil || err2 != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, "briefing", hex.EncodeToString(sum[:8]))
}

// maxNewSlug is the longest slug new makes of a name: a file name every
// system takes (a long title's made one too long to create), and an
// address one can read.
const maxNewSlug = 80

// cutSlug is slug cut after its last whole word within n bytes (a slug
// is ASCII), or at n when its first word is longer.
func cutSlug(slug string, n int) string {
	if len(slug) <= n {
		return slug
	}
	if i := strings.LastIndexByte(slug[:n+1], '-'); i > 0 {
		return slug[:i]
	}
	return slug[:n]
}

var datePrefix = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`)

func cmdNew(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("new", flag.ContinueOnError)
	src := fset.String("src", ".", "the site's `DIR`, holding content/")
	actorKind := fset.String("kind", "", "an actor's `KIND`: "+strings.Join(site.ActorKinds, ", ")+" (default: guessed from the name)")
	words, code := parse(fset, args, stdout, stderr, "new", 2)
	if code >= 0 {
		return code
	}
	if *actorKind != "" && (words[0] != "actor" || !slices.Contains(site.ActorKinds, *actorKind)) {
		fmt.Fprintf(stderr, "briefing: --kind is an actor's kind: %s\n", strings.Join(site.ActorKinds, ", "))
		return exitUsage
	}
	// A mistyped --src would otherwise become a new tree of folders, and
	// a folder without content/ half a site that init then refuses.
	if code := siteFolder(*src, stderr); code >= 0 {
		return code
	}
	kind, name := words[0], words[1]
	slug := markup.Slugify(name)
	if slug == "" {
		fmt.Fprintf(stderr, "briefing: %q has no letters or digits to make a file name of\n", name)
		return exitUsage
	}
	// A date the name starts with stays whole.
	date := datePrefix.FindString(slug)
	slug = date + cutSlug(slug[len(date):], maxNewSlug)
	title := name
	if markup.IsSlug(name) {
		title = strings.ReplaceAll(datePrefix.ReplaceAllString(name, ""), "-", " ")
		title = strings.ToUpper(title[:1]) + title[1:]
	}
	today := time.Now().Format(time.DateOnly)
	var folder, body string
	switch kind {
	case "briefing":
		folder = "briefings"
		if !datePrefix.MatchString(slug) {
			slug = today + "-" + slug
		}
		body = fmt.Sprintf("---\ntitle: %q\ndate: %s\ndateline: \nsummary: \ntags: []\ndraft: true\n"+
			"# Mark claims as :claim[their words]{by=actor-id src=source-id}, mention\n"+
			"# actors as [[actor-id]], and add caveats as :::caveat{on=claim-id} … :::.\n"+
			"# Before publishing, run briefing ids: it writes each claim's id into this\n"+
			"# file, so that editing the words later does not change the claim's URL.\n"+
			"# Remove draft: true to publish.\n---\n\nWrite the briefing here.\n", title, today)
	case "actor":
		folder = "actors"
		guessed := *actorKind == ""
		if guessed {
			*actorKind = guessKind(title)
		}
		comment := "# person | organisation | state | group"
		if guessed {
			comment += " (guessed from the name)"
		}
		body = fmt.Sprintf("---\nname: %q\n%s\nkind: %s\nrole: \n"+
			"# affiliation: another actor's id\n# Other names a mention [[...]] may use:\naliases: []\n---\n\n"+
			"Who they are, in a few sentences.\n", title, comment, *actorKind)
	case "source":
		folder = "sources"
		body = fmt.Sprintf("---\ntitle: %q\n# An actor's id, or free text:\npublisher: \ndate: %s\nurl: \n"+
			"# Admiralty code, to be judged: F and 6 say it has not been yet.\n"+
			"# Reliability: A completely reliable, B usually reliable, C fairly reliable,\n"+
			"# D not usually reliable, E unreliable, F cannot be judged.\nreliability: F\n"+
			"# Default credibility of what it says (a claim may set its own): 1 confirmed,\n"+
			"# 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.\ncredibility: 6\n"+
			"---\n\nWhat the source is and how it was obtained.\n", title, today)
	default:
		fmt.Fprintf(stderr, "briefing: cannot make a new %q; choose briefing, actor or source\n", kind)
		return exitUsage
	}
	dir := filepath.Join(*src, "content", folder)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "briefing:", err)
		return exitContent
	}
	file := filepath.Join(dir, slug+".md")
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(stderr, "briefing: %s exists; not overwriting it\n", file)
		} else {
			fmt.Fprintln(stderr, "briefing:", err)
		}
		return exitContent
	}
	defer f.Close()
	if _, err := io.WriteString(f, body); err != nil {
		fmt.Fprintln(stderr, "briefing:", err)
		return exitContent
	}
	fmt.Fprintln(stdout, "created", file)
	return exitOK
}

// kindWords are words of a name that say what kind of actor it names,
// lower-cased; a name with none of them, or an acronym, is a person's.
var kindWords = map[string]string{
	"republic": "state", "kingdom": "state", "emirate": "state", "emirates": "state",
	"sultanate": "state", "principality": "state", "federation": "state", "confederation": "state",
	"front": "group", "movement": "group", "militia": "group", "brigade": "group", "brigades": "group",
	"rebels": "group", "insurgents": "group", "faction": "group", "coalition": "group", "alliance": "group",
	"union": "organisation", "ministry": "organisation", "agency": "organisation", "council": "organisation",
	"committee": "organisation", "party": "organisation", "company": "organisation", "corporation": "organisation",
	"association": "organisation", "office": "organisation", "bank": "organisation", "fund": "organisation",
	"commission": "organisation", "court": "organisation", "parliament": "organisation", "assembly": "organisation",
	"institute": "organisation", "university": "organisation", "news": "organisation", "times": "organisation",
	"press": "organisation", "wire": "organisation", "radio": "organisation", "television": "organisation",
	"tv": "organisation", "service": "organisation", "department": "organisation", "authority": "organisation",
	"organisation": "organisation", "organization": "organisation", "network": "organisation",
	"foundation": "organisation", "mission": "organisation", "army": "organisation", "navy": "organisation",
	"forces": "organisation", "police": "organisation", "government": "organisation", "cabinet": "organisation",
	"embassy": "organisation", "secretariat": "organisation", "directorate": "organisation", "board": "organisation",
	"inc": "organisation", "ltd": "organisation", "llc": "organisation", "group": "organisation",
	"agence": "organisation", "ministère": "organisation", "министерство": "organisation", "агентство": "organisation",
	"وزارة": "organisation", "وكالة": "organisation",
}

// guessKind is the kind of actor a name most likely names: the kind of
// its first telling word (Dockworkers Union, Republic of Valdoria), an
// organisation for an acronym (NATO, UNHCR), else a person.
func guessKind(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		if kind, ok := kindWords[strings.ToLower(w)]; ok {
			return kind
		}
	}
	if len(words) == 1 {
		// An acronym: NATO, НАТО, counted in letters, not bytes.
		w := words[0]
		if n := utf8.RuneCountInString(w); n >= 2 && n <= 6 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			return "organisation"
		}
	}
	return "person"
}
