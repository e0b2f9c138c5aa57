// Package build runs the whole pipeline once: load → parse → resolve →
// render → write. The CLI's build and check and the server's rebuilds all
// go through Site; only where the pages go differs.
package build

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"briefing/generator/diag"
	"briefing/generator/render"
	"briefing/generator/site"
)

// Options of one build.
type Options struct {
	Src     string // site folder
	BaseURL string // e.g. https://host/sub/path/; empty for the domain root
	Drafts  bool
	Strict  bool
	Builtin fs.FS // built-in templates/ and static/ folders
	Pages   render.Emit
	// Sample renders one page of each kind instead of all of them: enough
	// to find template errors, for a check that writes nothing.
	Sample bool
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
	p := "/" + strings.Trim(u.Path, "/") + "/"
	if p == "//" {
		p = "/"
	}
	return p, nil
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
	defer fsys.Close()
	files, err := site.Load(fsys)
	if err != nil {
		return fail(err)
	}
	pages := site.Parse(files.Content)
	base, err := BasePath(opts.BaseURL)
	if err != nil {
		return fail(err)
	}
	m, diags := site.Resolve(pages, site.Options{Drafts: opts.Drafts, BasePath: base})
	res.Model = m
	res.Diags = append(files.Diags, diags...)
	res.Diags = append(res.Diags, render.Collisions(m, files.Static)...)
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
		emit := func(p string, data []byte) error {
			mu.Lock()
			res.Files++
			mu.Unlock()
			if opts.Pages == nil {
				return nil
			}
			return opts.Pages(p, data)
		}
		each := 0
		if opts.Sample {
			each = 1
		}
		res.Counts = render.Counts(m)
		pdiags := r.Pages(m, render.Paths(m, each), emit)
		res.Diags = append(res.Diags, pdiags...)
		if err := render.Static(opts.Builtin, files.Static, emit); err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Path: "static", Severity: diag.Error, Message: err.Error()})
		}
	}
	res.Diags.Sort()
	return res
}

// safeOut refuses an output folder whose replacement would destroy the site:
// the site folder itself, a folder holding it, or one of its source folders.
func safeOut(src, out string) error {
	s, err1 := filepath.Abs(src)
	o, err2 := filepath.Abs(out)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	sep := string(filepath.Separator)
	if s == o || strings.HasPrefix(s+sep, o+sep) {
		return fmt.Errorf("refusing to write into %s: it holds the site, and a build replaces its output folder whole", out)
	}
	for _, dir := range []string{"content", "templates", "static"} {
		d := filepath.Join(s, dir)
		if o == d || strings.HasPrefix(o, d+sep) {
			return fmt.Errorf("refusing to write into %s: it is inside the site's %s/ folder", out, dir)
		}
	}
	return nil
}

// ToDir builds into out, replacing it only when the build succeeds.
func ToDir(opts Options, out string) *Result {
	if err := safeOut(opts.Src, out); err != nil {
		return &Result{Diags: diag.List{{Path: out, Severity: diag.Error, Message: err.Error()}}}
	}
	dir, err := render.NewDir(out)
	if err != nil {
		return &Result{Diags: diag.List{{Path: out, Severity: diag.Error, Message: err.Error()}}}
	}
	opts.Pages = dir.Emit
	res := Site(opts)
	if res.Failed() {
		dir.Abort()
		return res
	}
	if err := dir.Commit(); err != nil {
		dir.Abort()
		res.Diags = append(res.Diags, diag.Diagnostic{Path: out, Severity: diag.Error, Message: err.Error()})
	}
	return res
}

// Summary is the one line printed after a build.
func (r *Result) Summary(verb string) string {
	kinds := []struct{ key, name string }{
		{"briefing", "briefings"}, {"actor", "actors"}, {"claim", "claims"}, {"source", "sources"},
		{"caveat", "caveats"}, {"tag", "tags"},
	}
	var parts []string
	total := 0
	for _, n := range r.Counts {
		total += n
	}
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", r.Counts[k.key], k.name))
	}
	errs, warns := r.Diags.Count()
	drafts := 0
	if r.Model != nil {
		drafts = r.Model.Drafts
	}
	s := fmt.Sprintf("%s %d pages (%s)", verb, total, strings.Join(parts, ", "))
	if r.Failed() {
		s = fmt.Sprintf("%s failed", verb)
	}
	s += fmt.Sprintf(" · %s · %s", plural(errs, "error"), plural(warns, "warning"))
	if drafts > 0 {
		s += fmt.Sprintf(" · %s skipped", plural(drafts, "draft"))
	}
	return s + fmt.Sprintf(" · %s", r.Elapsed.Round(time.Millisecond))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
