package build_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"briefing/generator/build"
	"briefing/generator/corpus"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the diagnostics and files sections of the fixtures")

// builtin is the repository's own templates/ and static/.
var builtin = os.DirFS("../..")

// writeSite writes the site files of an archive (content/, templates/,
// static/) into a new folder.
func writeSite(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range ar.Files {
		top, _, _ := strings.Cut(f.Name, "/")
		if top != "content" && top != "templates" && top != "static" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tree lists every file below dir with its bytes.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestSites runs testdata/sites/*.txtar. Each archive is a site plus what
// its build must give:
//
//	args             flags, one line: --base-url URL, --drafts, --strict
//	diagnostics      the exact diagnostics printed (golden; -update rewrites)
//	files            every output file but static assets (golden; -update rewrites)
//	contains/PATH    each non-blank line must occur in output file PATH
//	lacks/PATH       no non-blank line may occur in output file PATH
//	absent           output paths that must not exist
//	broken           the links of the pages that lead nowhere, when some do
func TestSites(t *testing.T) {
	files, _ := filepath.Glob("testdata/sites/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string][]byte{}
			for _, f := range ar.Files {
				sections[f.Name] = f.Data
			}
			opts := build.Options{Src: writeSite(t, ar), Builtin: builtin}
			for _, arg := range strings.Fields(string(sections["args"])) {
				switch {
				case arg == "--drafts":
					opts.Drafts = true
				case arg == "--strict":
					opts.Strict = true
				case strings.HasPrefix(arg, "--base-url="):
					opts.BaseURL = strings.TrimPrefix(arg, "--base-url=")
				default:
					t.Fatalf("unknown arg %q", arg)
				}
			}
			out := filepath.Join(t.TempDir(), "public")
			res := build.ToDir(opts, out)
			var diags bytes.Buffer
			res.Diags.Print(&diags, false)
			got := tree(t, out)
			var list bytes.Buffer
			for _, k := range sortedKeys(got) {
				// The search index's files are named by their content,
				// so every word of a fixture would change the list; the
				// render package's tests hold them.
				if !strings.HasPrefix(k, "css/") && !strings.HasPrefix(k, "search/t/") && !strings.HasPrefix(k, "search/f/") {
					list.WriteString(k + "\n")
				}
			}
			if *update {
				var kept []txtar.File
				for _, f := range ar.Files {
					if f.Name != "diagnostics" && f.Name != "files" {
						kept = append(kept, f)
					}
				}
				ar.Files = append(kept, txtar.File{Name: "diagnostics", Data: diags.Bytes()}, txtar.File{Name: "files", Data: list.Bytes()})
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want, ok := sections["diagnostics"]; ok && !*update && !bytes.Equal(want, diags.Bytes()) {
				t.Errorf("diagnostics:\n--- got ---\n%s--- want ---\n%s", diags.Bytes(), want)
			}
			if want, ok := sections["files"]; ok && !*update && !bytes.Equal(want, list.Bytes()) {
				t.Errorf("files:\n--- got ---\n%s--- want ---\n%s", list.Bytes(), want)
			}
			for name, data := range sections {
				p, want := strings.CutPrefix(name, "contains/")
				if !want {
					var ok bool
					if p, ok = strings.CutPrefix(name, "lacks/"); !ok {
						continue
					}
				}
				page, exists := got[p]
				if !exists {
					t.Errorf("%s was not written", p)
					continue
				}
				for line := range strings.SplitSeq(string(data), "\n") {
					line = strings.TrimSpace(line)
					if line == "" || bytes.Contains(page, []byte(line)) == want {
						continue
					}
					if want {
						t.Errorf("%s lacks %s", p, line)
					} else {
						t.Errorf("%s holds %s", p, line)
					}
				}
			}
			for p := range strings.SplitSeq(string(sections["absent"]), "\n") {
				if p = strings.TrimSpace(p); p != "" {
					if _, exists := got[p]; exists {
						t.Errorf("%s should not be written", p)
					}
				}
			}
			if !res.Failed() {
				base, _ := build.BasePath(opts.BaseURL)
				if want, ok := sections["broken"]; ok {
					// A fixture of broken links lists what the pages then
					// hold that leads nowhere.
					if broken := strings.Join(brokenLinks(got, base), "\n") + "\n"; broken != string(want) {
						t.Errorf("broken links:\n--- got ---\n%s--- want ---\n%s", broken, want)
					}
				} else {
					checkLinks(t, got, base)
				}
			}
		})
	}
}

// checkLinks asserts that every internal link and asset of every page
// resolves to an output file, and every #fragment to an id on that page
// (see brokenLinks).
func checkLinks(t *testing.T, files map[string][]byte, base string) {
	t.Helper()
	for _, b := range brokenLinks(files, base) {
		t.Error(b)
	}
}

// TestSample builds the repository's own site twice with --strict: no
// diagnostics, every link resolves, and the two outputs are byte-identical.
// The second build has no temporary folder to render bodies into while
// parsing (site.Bodies), so it parses them again where shown.
func TestSample(t *testing.T) {
	var outs []map[string][]byte
	for i := range 2 {
		out := filepath.Join(t.TempDir(), "public")
		if i == 1 {
			t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
		}
		res := build.ToDir(build.Options{Src: "../..", Builtin: builtin, Strict: true}, out)
		if len(res.Diags) > 0 {
			t.Fatalf("sample site has diagnostics: %v", res.Diags)
		}
		outs = append(outs, tree(t, out))
	}
	checkLinks(t, outs[0], "/")
	if len(outs[0]) < 40 {
		t.Fatalf("sample site built only %d files", len(outs[0]))
	}
	for name, data := range outs[0] {
		if !bytes.Equal(data, outs[1][name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	if len(outs[0]) != len(outs[1]) {
		t.Errorf("builds wrote %d and %d files", len(outs[0]), len(outs[1]))
	}
}

// TestSampleBaseURL builds the sample under a sub path: every internal link
// must carry it and resolve.
func TestSampleBaseURL(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res := build.ToDir(build.Options{Src: "../..", Builtin: builtin, BaseURL: "https://example.org/sub/path/"}, out)
	if res.Failed() {
		t.Fatal(res.Diags)
	}
	checkLinks(t, tree(t, out), "/sub/path/")
}

// TestFailedBuildKeepsOutput: a build with an error leaves the previous
// output exactly as it was, and leaves no temporary folder behind.
func TestFailedBuildKeepsOutput(t *testing.T) {
	ar := txtar.Parse([]byte(`-- content/actors/a.md --
---
name: A
kind: person
---
-- content/sources/s.md --
---
title: S
reliability: C
---
-- content/briefings/b.md --
---
title: B
date: 2026-11-24
---
:claim[words]{by=a src=s}
`))
	src := writeSite(t, ar)
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	if res := build.ToDir(build.Options{Src: src, Builtin: builtin}, out); res.Failed() {
		t.Fatal(res.Diags)
	}
	before := tree(t, out)
	if err := os.WriteFile(filepath.Join(src, "content/briefings/b.md"), []byte("---\ntitle: B\n---\n:claim[words]{by=nobody src=s}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := build.ToDir(build.Options{Src: src, Builtin: builtin}, out)
	if !res.Failed() {
		t.Fatal("build with an unknown actor succeeded")
	}
	after := tree(t, out)
	if len(before) != len(after) {
		t.Fatalf("output had %d files, now %d", len(before), len(after))
	}
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("%s changed", name)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestOutputCannotReplaceSite: an output folder that holds the site, or
// sits in its sources, is refused before anything is written.
func TestOutputCannotReplaceSite(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte("-- content/actors/a.md --\n---\nname: A\nkind: person\n---\n")))
	for _, out := range []string{src, filepath.Dir(src), filepath.Join(src, "content"), filepath.Join(src, "static", "out")} {
		res := build.ToDir(build.Options{Src: src, Builtin: builtin}, out)
		if !res.Failed() || !strings.Contains(res.Diags[0].Message, "refusing") {
			t.Errorf("--out %s: %v", out, res.Diags)
		}
	}
	if _, err := os.Stat(filepath.Join(src, "content", "actors", "a.md")); err != nil {
		t.Fatal(err)
	}
	if res := build.ToDir(build.Options{Src: src, Builtin: builtin}, filepath.Join(src, "public")); res.Failed() {
		t.Error(res.Diags)
	}
}

// TestCheckRendersPagesOnly: check (Sample) renders one page of each kind
// to try the templates on, and none of the files the build writes by Go
// alone, whose cost grows with the site (graph.json, the search index).
func TestCheckRendersPagesOnly(t *testing.T) {
	var got []string
	var mu sync.Mutex
	res := build.Site(build.Options{Src: "../..", Builtin: builtin, Sample: true, Pages: func(p string, _ []byte) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, p)
		return nil
	}})
	if res.Failed() {
		t.Fatal(res.Diags)
	}
	briefings := 0
	for _, p := range got {
		switch {
		case p == "graph.json", p == "feed.xml", p == "sitemap.xml", strings.HasPrefix(p, "search/") && p != "search/index.html":
			t.Errorf("check rendered %s", p)
		case strings.HasPrefix(p, "briefings/") && p != "briefings/index.html":
			briefings++
		}
	}
	if briefings != 1 {
		t.Errorf("check rendered %d briefing pages, want 1 (of %v)", briefings, got)
	}
}

// TestChangedDuringBuild: a briefing saved again while its build renders
// the pages shows the body the build checked, which was rendered while it
// was parsed; a page that needs the body parsed again (a briefing without
// a summary, whose description is its first paragraph) fails the build,
// naming the file, rather than show words other than the ones checked.
func TestChangedDuringBuild(t *testing.T) {
	for _, summary := range []bool{true, false} {
		dir := t.TempDir()
		if err := corpus.Write(dir, 30, 1); err != nil {
			t.Fatal(err)
		}
		var changed string
		_ = filepath.WalkDir(filepath.Join(dir, "content", "briefings"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				changed = p // the last in path order, rendered among the last
			}
			return nil
		})
		src, err := os.ReadFile(changed)
		if err != nil {
			t.Fatal(err)
		}
		if !summary {
			src = regexp.MustCompile(`(?m)^summary:.*\n`).ReplaceAll(src, nil)
			write(t, changed, string(src))
		}
		words := bytes.Fields(src[bytes.LastIndex(src, []byte("---\n"))+4:])[0]
		var once sync.Once
		var page []byte
		rel, _ := filepath.Rel(dir, changed)
		id := strings.TrimSuffix(filepath.Base(rel), ".md")
		res := build.Site(build.Options{Src: dir, Builtin: builtin, Pages: func(p string, data []byte) error {
			once.Do(func() { write(t, changed, "---\ntitle: Rewritten\ndate: 2026-01-01\n---\nNew words.\n") })
			if p == "briefings/"+id+"/index.html" {
				page = data
			}
			return nil
		}})
		var printed bytes.Buffer
		res.Diags.Print(&printed, false)
		if summary {
			if res.Failed() || !bytes.Contains(page, words) || bytes.Contains(page, []byte("New words")) {
				t.Fatalf("the page of the briefing changed is not the one checked (%q):\n%s\n%s", words, printed.Bytes(), page)
			}
			continue
		}
		if !res.Failed() || !strings.Contains(printed.String(), filepath.ToSlash(rel)+": error: it changed while the site was built from it") {
			t.Fatalf("the build went on:\n%s", printed.Bytes())
		}
		if testing.Verbose() {
			t.Logf("%s", printed.Bytes())
		}
	}
}
