// Package build runs the whole pipeline once: load → parse → resolve →
// render → write. The CLI's build and check and the server's rebuilds all
// go through Site; only where the pages go differs.
package build

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"briefing/generator/diag"
	"briefing/generator/render"
	"briefing/generator/site"

	"golang.org/x/net/idna"
)

// Options of one build.
type Options struct {
	Src     string // site folder
	BaseURL string // e.g. https://host/sub/path/; empty for the domain root
	Drafts  bool
	Strict  bool
	Builtin fs.FS // built-in templates/ and static/ folders
	Pages   render.Emit
	// Stream, when not nil, takes the few files written in pieces
	// instead of Pages (see render.Output).
	Stream func(path string, write func(io.Writer) error) error
	// Sample renders one page of each kind instead of all of them, and
	// none of the files that are not pages: enough to find template
	// errors, for a check that writes nothing.
	Sample bool
	// Expect, when not nil, is told how many files are about to be
	// emitted, once they are known and before the first.
	Expect func(n int)
	// TempDir, when set, is a folder on whose file system a temporary
	// file of the build's own (the rendered bodies, see site.Bodies) is
	// made, without a name; else the system's folder for them.
	TempDir string
	// Force lets ToDir write into a non-empty folder without a manifest.
	Force bool
	// CacheDir, when set, keeps highlighted code from one build to the
	// next (see site.CodeCache.UseDir); a folder that cannot be used is
	// no error, the build only highlights everything.
	CacheDir string
	// Release, when not nil, replaces debug.FreeOSMemory where a full
	// build collects after the shed and hands what that frees back to
	// the system: the live heap is then at its smallest until the end of
	// the build. The command line paces its collector from there (see
	// cli.releaseHeap).
	Release func()
}

// Result is what one build produced.
type Result struct {
	Model   *site.Model
	Diags   diag.List
	Counts  map[string]int // pages per kind
	Files   int            // files emitted, pages and static
	Elapsed time.Duration
}

// Failed reports whether the build has an error (after --strict, if asked).
func (r *Result) Failed() bool {
	errs, _ := r.Diags.Count()
	return errs > 0
}

// BasePath is the path part of a base URL, with a slash at both ends.
func BasePath(baseURL string) (string, error) {
	if baseURL == "" {
		return "/", nil
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", fmt.Errorf("invalid --base-url %q: %v", baseURL, err)
	}
	// Every internal link starts with the path, so it must be the plain
	// path of a web address: no other scheme, no query, no "..".
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("invalid --base-url %q: give an absolute http:// or https:// URL, such as https://example.org/briefings/", baseURL)
	}
	if _, err := origin(u); err != nil {
		return "", fmt.Errorf("invalid --base-url %q: %v", baseURL, err)
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return "", fmt.Errorf("invalid --base-url %q: the path may not hold . or .. segments", baseURL)
		}
	}
	p := "/" + strings.Trim(u.EscapedPath(), "/") + "/"
	if p == "//" {
		p = "/"
	}
	return p, nil
}

// origin is a base URL's scheme and host as the feeds, the sitemap and
// canonical links carry them: the host in lower case and, when it is not
// ASCII, in its xn-- form, the one name feed readers, crawlers and every
// HTTP client agree on for it.
func origin(u *url.URL) (string, error) {
	host := strings.ToLower(u.Host)
	// An ASCII host is taken as it is written (a build box's name may
	// hold an underscore, which IDNA refuses); an IPv6 literal is ASCII.
	if !isASCII(host) {
		name, err := idna.Lookup.ToASCII(u.Hostname())
		if err != nil {
			return "", fmt.Errorf("the host %q is not a domain name: %v", u.Hostname(), err)
		}
		host = name
		if port := u.Port(); port != "" {
			host += ":" + port
		}
	}
	return u.Scheme + "://" + host, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Site builds the site in opts.Src and hands every output file to
// opts.Pages. Nothing is emitted when parsing and resolving found an error.
func Site(opts Options) *Result {
	start := time.Now()
	res := &Result{Counts: map[string]int{}}
	defer func() { res.Elapsed = time.Since(start) }()
	fail := func(err error) *Result {
		res.Diags = append(res.Diags, diag.Diagnostic{Path: opts.Src, Severity: diag.Error, Message: err.Error()})
		return res
	}
	fsys, err := site.OpenFS(opts.Src)
	if err != nil {
		return fail(err)
	}
	reread := &siteFiles{src: opts.Src, fsys: fsys}
	defer reread.close()
	files, err := site.Load(fsys)
	if err != nil {
		return fail(err)
	}
	base, err := BasePath(opts.BaseURL)
	if err != nil {
		return fail(err)
	}
	// A code block repeated across briefings is highlighted once.
	baseURL := ""
	if u, _ := url.Parse(opts.BaseURL); opts.BaseURL != "" {
		o, _ := origin(u) // BasePath has checked it
		baseURL = o + base
	}
	code := site.NewCodeCache(4 << 20)
	if opts.CacheDir != "" && code.UseDir(opts.CacheDir) == nil {
		defer func() { _ = code.Commit(!res.Failed()) }()
	}
	// Every body is rendered while it is parsed, not parsed again for
	// its page, unless only a sample of the pages is rendered: a check
	// would highlight every code block for nothing. Without a temporary
	// file the bodies are parsed again.
	var bodies *site.Bodies
	if !opts.Sample {
		bodies, _ = site.NewBodiesIn(opts.TempDir, base, code, opts.Drafts)
		defer bodies.Close()
	}
	pages := site.ParseLean(files.Content, bodies)
	files.Content = nil // the pages hold what they need of it, until the shed
	if bodies != nil {
		// Every briefing's body is rendered; the few other pages that
		// show a block (an actor's, a source's) highlight it again.
		code.Forget()
	}
	m, diags := site.Resolve(pages, site.Options{Drafts: opts.Drafts, BasePath: base, BaseURL: baseURL, Code: code})
	res.Model = m
	res.Diags = append(files.Diags, diags...)
	static, err := render.StaticFiles(opts.Builtin, files.Static)
	if err != nil {
		return fail(err)
	}
	res.Diags = append(res.Diags, render.Collisions(m, static, files.Static)...)
	res.Diags = append(res.Diags, render.BrokenLinks(m, static)...)
	if opts.Strict {
		res.Diags = res.Diags.Strict()
	}
	if res.Failed() {
		res.Diags.Sort()
		return res
	}
	r, tdiags := render.New(m, opts.Builtin, files.Templates)
	res.Diags = append(res.Diags, tdiags...)
	if r != nil && len(tdiags) == 0 {
		var mu sync.Mutex
		count := func() {
			mu.Lock()
			res.Files++
			mu.Unlock()
		}
		emit := func(p string, data []byte) error {
			count()
			if opts.Pages == nil {
				return nil
			}
			return opts.Pages(p, data)
		}
		res.Counts = r.Counts(m)
		var all []string
		if opts.Sample {
			// Pages only: the other files (feeds, sitemap, graph, search
			// index) are written by Go, not by a site's templates, and
			// graph.json and the search index took half of check's
			// time at 10,000 briefings.
			all = render.PagePaths(m, 1)
		} else {
			// Every check that reports a position has run: what
			// rendering no longer needs of the briefings goes, before
			// the search index is made (see Renderer.Shed).
			//
			// The collector lets the heap grow to twice what it last
			// found live. A collection before the shed, when the
			// parse's garbage is gone but not the sources, leaves room
			// for what the shed makes: the one the collector started
			// itself in the shed let the heap reach 670 MB at 10,000
			// briefings, where it now reaches 510. One after, when
			// the sources are gone, keeps the files that are not pages
			// from growing it further, and hands back to the system
			// the memory it frees: the heap is then at its smallest
			// until the end (a third of its peak), and what the
			// collector kept of the peak for later was still resident
			// when the pages had made the heap grow again past the
			// parse's free spans (1,000 briefings: 95 MB at the end
			// against 88; 10,000: 684 MB against 646; for a fiftieth
			// more CPU, faulting back the pages the rest uses).
			runtime.GC()
			r.Shed(m, reread.read)
			if opts.Release != nil {
				opts.Release()
			} else {
				debug.FreeOSMemory()
			}
			all = r.Paths(m, 0)
		}
		// A site's own static file replaces the generated file that
		// OwnReplaces allows it to.
		paths := slices.DeleteFunc(all, func(p string) bool {
			_, own := files.Static[p]
			return own && render.OwnReplaces(p)
		})
		// The files that are not pages (graph.json, the search index,
		// the sitemap) are made first, and they are large; a collection
		// once they are written keeps the collector from letting the
		// heap grow, for the rest of the pages, to twice what it found
		// live while they were: that was the largest the heap grew.
		out := render.Output{Emit: emit}
		if opts.Stream != nil {
			out.Stream = func(p string, write func(io.Writer) error) error {
				count()
				return opts.Stream(p, write)
			}
		}
		if !opts.Sample {
			out.FilesDone = runtime.GC
		}
		if opts.Expect != nil {
			opts.Expect(len(paths) + len(static))
		}
		pdiags := r.Pages(m, paths, out)
		res.Diags = append(res.Diags, pdiags...)
		if err := render.Static(static, emit); err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Path: "static", Severity: diag.Error, Message: err.Error()})
		}
	}
	res.Diags.Sort()
	return res
}

// siteFiles reads the site's files for a model after Shed: through the
// build's own handle while the build runs, and by opening the folder
// again for each file once it is over (a test, say, reading the model
// of a build that has returned).
type siteFiles struct {
	src  string
	mu   sync.RWMutex
	fsys *site.FS // nil once closed
}

func (f *siteFiles) read(p string) ([]byte, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.fsys != nil {
		return fs.ReadFile(f.fsys, p)
	}
	fsys, err := site.OpenFS(f.src)
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	return fs.ReadFile(fsys, p)
}

func (f *siteFiles) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	_ = f.fsys.Close()
	f.fsys = nil
}

// safeOut refuses an output folder that a build could not update without
// harming the site: the site folder itself or a folder holding it, and its
// content/, templates/ or static/ folders, a folder inside them or holding
// them. Symlinks are resolved on both sides, also in the parents of an
// output that does not exist yet. It returns the output folder resolved,
// which is where the build then writes, so the check and the writes agree.
func safeOut(src, out string) (string, error) {
	s, err1 := resolve(src)
	o, err2 := resolve(out)
	if err := errors.Join(err1, err2); err != nil {
		return "", err
	}
	if within(s, o) {
		return "", fmt.Errorf("refusing to write into %s: it is the site folder or holds it", out)
	}
	for _, dir := range []string{"content", "templates", "static"} {
		d, err := resolve(filepath.Join(s, dir))
		if err != nil {
			return "", err
		}
		if within(o, d) || within(d, o) {
			return "", fmt.Errorf("refusing to write into %s: it is, holds or lies inside the site's %s/ folder", out, dir)
		}
	}
	return o, nil
}

// resolve is p absolute with every symlink resolved. Of a path that does
// not exist, the longest part that does is resolved and the rest appended.
func resolve(p string) (string, error) {
	// Relative to the working folder as the kernel sees it: filepath.Abs
	// would join with $PWD and clean "..", so that with a linked working
	// folder "../site" named another folder than the one the build reads.
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err == nil {
			wd, err = filepath.EvalSymlinks(wd)
		}
		if err != nil {
			return "", err
		}
		p = wd + string(filepath.Separator) + p // not Join: it would clean ".." before links are followed
	}
	rest := ""
	for {
		r, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(r, rest), nil
		}
		// A link to nothing would pass for a folder that does not exist
		// yet, and fail later as "file exists" when made.
		if errors.Is(err, fs.ErrNotExist) {
			if to, lerr := os.Readlink(p); lerr == nil {
				return "", fmt.Errorf("%s is a symbolic link to %s, which does not exist: make that folder, or remove the link", p, to)
			}
		}
		if _, serr := os.Stat(p); errors.Is(serr, syscall.ELOOP) {
			return "", fmt.Errorf("%s: symbolic links in a circle, or too many in a row", p)
		}
		// The last part does not exist yet: resolve the rest, cutting by
		// hand, since filepath.Dir would clean ".." before links.
		p = strings.TrimRight(p, string(filepath.Separator))
		cut := strings.LastIndexByte(p, filepath.Separator)
		if !errors.Is(err, fs.ErrNotExist) || cut <= 0 {
			return "", err
		}
		if base := p[cut+1:]; base == ".." {
			return "", fmt.Errorf("%s: .. after a folder that does not exist", p)
		} else if base != "." {
			rest = filepath.Join(base, rest)
		}
		p = p[:cut]
	}
}

// within reports whether a is b or lies inside it; both are clean and absolute.
func within(a, b string) bool {
	return a == b || strings.HasPrefix(a, strings.TrimSuffix(b, string(filepath.Separator))+string(filepath.Separator))
}

// ToDir builds into the folder out, updating it in place (see
// render.OpenOut): every page is rendered and staged before any file a
// reader sees changes, so a failed build leaves out as it was.
// opts.Force lets it write into a non-empty folder that has no manifest.
func ToDir(opts Options, out string) *Result {
	fail := func(err error) *Result {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Op == "write" {
			return &Result{Diags: diag.List{{Path: pe.Path, Severity: diag.Error, Message: "cannot write: " + pe.Err.Error()}}}
		}
		if errors.As(err, &pe) && pe.Op == "remove" {
			return &Result{Diags: diag.List{{Path: pe.Path, Severity: diag.Error, Message: "cannot remove this file of the last build: " + pe.Err.Error(),
				Hint: "the new site is in place; the next build tries again"}}}
		}
		return &Result{Diags: diag.List{{Path: out, Severity: diag.Error, Message: err.Error()}}}
	}
	start := time.Now()
	dir, err := safeOut(opts.Src, out)
	if err != nil {
		return fail(err)
	}
	o, err := render.OpenOut(dir, out, opts.Force)
	if err != nil {
		return fail(err)
	}
	opts.Pages, opts.Stream, opts.Expect, opts.TempDir = o.Emit, o.EmitFrom, o.Expect, dir
	res := Site(opts)
	if res.Failed() {
		o.Abort()
		return res
	}
	if err := o.Commit(); err != nil {
		res.Diags = append(res.Diags, fail(err).Diags...)
	}
	res.Elapsed = time.Since(start) // the summary's time includes the writing
	return res
}

// Summary is the one line printed after a build or check (command is
// "build" or "check").
func (r *Result) Summary(command string) string {
	errs, warns := r.Diags.Count()
	drafts := 0
	if r.Model != nil {
		drafts = r.Model.Drafts
	}
	done := map[string]string{"build": "built", "check": "checked"}[command]
	s := done + " " + render.CountsLine(r.Counts)
	if r.Failed() {
		s = command + " failed"
	}
	s += fmt.Sprintf(" · %s · %s", diag.Plural(errs, "error"), diag.Plural(warns, "warning"))
	if drafts > 0 {
		s += fmt.Sprintf(" · %s skipped", diag.Plural(drafts, "draft"))
	}
	return s + fmt.Sprintf(" · %s", r.Elapsed.Round(time.Millisecond))
}
