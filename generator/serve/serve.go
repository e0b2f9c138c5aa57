// Package serve is `briefing serve`: a preview server that rebuilds on every
// change and reloads the browser.
//
// A Server keeps every file of the site in memory and the parsed page of
// every content file. A change re-reads and re-parses only the files it
// names. When only the prose of pages changed (same front matter, ids,
// attributes and links), the parses are patched into the current model;
// any other change to content is applied to it in place by
// site.Model.Update, which resolves again only the pages that named what
// changed. Either is done only when no request is rendering from the
// model; otherwise, and when templates changed or most of the site did,
// the whole site is resolved again, on all cores, and a new snapshot
// swapped in. Pages of a snapshot are rendered on first request and kept,
// so an edit costs one parse, a patch or an update, and the pages a
// browser asks for, never a full render; what is served is byte for byte
// what `build` writes for the same files.
//
// A rebuild with errors keeps the last good snapshot: its pages go on being
// served, each with an overlay listing every diagnostic, until a rebuild
// succeeds. An update with errors is undone, so the model is the last good
// one again, and the pages changed since wait to be applied with the next
// edit. Open tabs are told over Server-Sent Events to reload, or to swap
// their stylesheets when only CSS changed; the script that listens is added
// to served HTML only, never to build output.
//
// Only the server's own host names are answered (see allowHosts), GET and
// HEAD only. No lock is held while writing to a client, and every write has
// a deadline, so a client that stops reading holds up nothing else. Nor is
// the server's lock held while a page renders: a render that never ends (a
// template that loops, a lexer that does) stalls its own request only.
package serve

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"briefing/generator/diag"
	"briefing/generator/render"
	"briefing/generator/site"
)

// Options of a Server.
type Options struct {
	Src     string // site folder
	Drafts  bool
	Builtin fs.FS // built-in templates/ and static/
	// Addr is the address served, host:port; it decides which Host
	// headers are answered (see allowHosts). Empty answers loopback only.
	Addr string

	// beforeRender, when set, is called where a page renders, for a
	// request or a rebuild: tests make a render that never ends there.
	beforeRender func(out string)
	// sampleWait, when not zero, replaces sampleWait for tests.
	sampleWait time.Duration
}

// sampleWait is how long a rebuild waits for the pages it renders to try
// changed templates (see rebuild) before it fails. Rendering one page
// takes milliseconds; a template that loops would never end, and the
// rebuild would wait for it with every later edit behind it.
const sampleWait = 5 * time.Second

// Server serves a site from memory and rebuilds it on Changed.
type Server struct {
	opts Options
	// code keeps highlighted code blocks from build to build, so that a
	// rebuild highlights only the blocks an edit changed.
	code  *site.CodeCache
	hosts hosts
	// writeTimeout bounds each write to a client: one that stops reading
	// ends its own request, and holds up nothing else, since no lock is
	// held while writing.
	writeTimeout time.Duration

	// Owned by the rebuild goroutine (Changed is not called concurrently).
	content   map[string]*site.Page
	templates map[string][]byte
	static    map[string][]byte
	loadDiags map[string]diag.List // by the path each diagnostic is about
	// pending are the content files changed since the current snapshot's
	// model was made: what an update of that model has to apply.
	pending map[string]bool
	// stuck is the templates a page did not render with within
	// sampleWait (see rebuild), and what was said of them: until the
	// templates change, no build takes them, and no page is rendered
	// with them again, which would leave one more render running.
	stuck *stuckRender
	// templatesGen and staticGen count the changes to templates/ and
	// static/; a snapshot holds the counts it was made at. An update or
	// a patch of content keeps the snapshot's renderer and static files,
	// so it applies only while they are those of the files now: after a
	// template that failed, or a static file saved while the site had an
	// error, only a rebuild brings them in.
	templatesGen, staticGen int

	// mu guards current and diags. It is only ever held briefly, never
	// while a page renders (see snapshot.gate).
	mu      sync.RWMutex
	current *snapshot // last good; nil until the first good build
	diags   diag.List // of the newest build; errors mean it failed

	events    *broker
	done      chan struct{}
	closeOnce sync.Once
}

// snapshot is one good build. A new one is made for every rebuild; its
// model is shared with the previous snapshot only after a patch or a
// change to static files alone.
type snapshot struct {
	model *site.Model
	// gate is the model's, shared by every snapshot of it. Requests hold it
	// for reading while they render from the model; a patch, which writes
	// to the model, only tries to take it, and resolves a new model when a
	// render is under way, so that a render that never ends holds up no
	// rebuild, and no request behind that rebuild.
	gate     *sync.RWMutex
	renderer *render.Renderer
	static   map[string][]byte
	pages    sync.Map // output path → rendered []byte
	// templatesGen and staticGen are the Server's when the renderer and
	// the static files were made.
	templatesGen, staticGen int
}

// withModel is a snapshot of m rendered by r, with cur's gate, static
// files and the counts they were made at: a patch or an update of the
// content alone.
func (cur *snapshot) withModel(m *site.Model, r *render.Renderer) *snapshot {
	return &snapshot{model: m, gate: cur.gate, renderer: r, static: cur.static, templatesGen: cur.templatesGen, staticGen: cur.staticGen}
}

// upToDate reports whether snap's renderer and static files are made from
// the templates and static files s holds now.
func (s *Server) upToDate(snap *snapshot) bool {
	return snap.templatesGen == s.templatesGen && snap.staticGen == s.staticGen
}

// Result is what one rebuild did.
type Result struct {
	Diags      diag.List
	Failed     bool
	CSSOnly    bool // only stylesheets changed: tabs swap them without reloading
	Patched    bool // prose-only edits patched into the current model
	Updated    bool // edits applied to the current model in place (see site.Model.Update)
	StaticOnly bool // only static/ changed: model and renderer kept
	// Unchanged: every path of the change came and went before it was
	// read (an editor's or sed's temp file); nothing was done.
	Unchanged bool
	// NoSite: the build failed and no build has succeeded, so there is
	// no last good site to serve, only the errors.
	NoSite bool
	// Paths are the paths of the change that were read: not those that
	// came and went, which the report would name as changes.
	Paths   []string
	Elapsed time.Duration
	// Counts: the first build's pages, by kind, as build counts them
	// (render.Counts); nil for a change, or when nothing built.
	Counts map[string]int
}

// New loads and builds the site once.
func New(opts Options) (*Server, *Result, error) {
	fsys, err := site.OpenFS(opts.Src)
	if err != nil {
		return nil, nil, err
	}
	_ = fsys.Close()
	s := &Server{opts: opts, code: site.NewCodeCache(4 << 20), hosts: allowHosts(opts.Addr), writeTimeout: 30 * time.Second,
		content: map[string]*site.Page{}, templates: map[string][]byte{}, static: map[string][]byte{},
		loadDiags: map[string]diag.List{}, pending: map[string]bool{}, events: newBroker(), done: make(chan struct{})}
	res := s.Changed(site.Folders())
	if cur := s.current; cur != nil {
		res.Counts = cur.renderer.Counts(cur.model)
	}
	return s, res, nil
}

// Close stops event streams; it may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

// Changed re-reads the files or folders at the given site-relative paths
// (anything there now replaces what was there; nothing there removes it),
// rebuilds, and tells open tabs. It must not be called concurrently.
func (s *Server) Changed(paths []string) *Result {
	start := time.Now()
	// Opened anew for every change: a top folder that appeared, or a link
	// that now points elsewhere, is read as it is now.
	fsys, err := site.OpenFS(s.opts.Src)
	if err != nil {
		res := &Result{Diags: diag.List{{Path: s.opts.Src, Severity: diag.Error, Message: err.Error()}}, Failed: true}
		s.mu.Lock()
		s.diags = res.Diags
		res.NoSite = s.current == nil
		s.mu.Unlock()
		s.events.send("reload")
		return res
	}
	defer fsys.Close()
	before := map[string]*site.Page{}
	var changed []string // cleaned, and only what the site is made of
	for _, p := range paths {
		p = path.Clean(p)
		if !inFolder(p, "content") && !inFolder(p, "templates") && !inFolder(p, "static") {
			continue
		}
		// A folder that had a problem of its own (a link, unreadable) may
		// no longer have it, and what lies below it was never read: read
		// the whole of it again.
		for q := range s.loadDiags {
			if q != p && inFolder(p, q) {
				p = q
			}
		}
		if s.cameAndWent(fsys, p) {
			continue
		}
		changed = append(changed, p)
		if inFolder(p, "templates") || inFolder("templates", p) {
			s.templatesGen++
		}
		if inFolder(p, "static") || inFolder("static", p) {
			s.staticGen++
		}
		if pg, ok := s.content[p]; ok {
			before[p] = pg
		}
		for q := range s.content {
			if inFolder(q, p) {
				s.pending[q] = true
			}
		}
		s.forget(p)
		files, diags, err := site.LoadPath(fsys, p)
		if err != nil {
			diags = append(diags, diag.Diagnostic{Path: p, Severity: diag.Error, Message: err.Error()})
		}
		if p == "content" && len(diags) == 0 {
			// As build and check refuse to start without it: a site with
			// no content is a folder moved away, or a checkout under way,
			// not a site to empty. (A link that leads nowhere has said
			// so already.)
			if st, err := fs.Stat(fsys, "content"); err != nil || !st.IsDir() {
				diags = append(diags, diag.Diagnostic{Path: "content", Severity: diag.Error,
					Message: "there is no content/ folder, so there is no site to build",
					Hint:    "put content/ back; the last good site is served until then"})
			}
		}
		// Kept under each diagnostic's own path, not the path read: a
		// later change to that file alone, its removal, forgets it.
		for _, d := range diags {
			s.loadDiags[d.Path] = append(s.loadDiags[d.Path], d)
		}
		s.addAll(files)
	}
	if len(changed) == 0 {
		s.mu.RLock()
		defer s.mu.RUnlock()
		errs, _ := s.diags.Count()
		return &Result{Unchanged: true, Diags: s.diags, Failed: errs > 0}
	}
	if s.stuck != nil && !maps.EqualFunc(s.stuck.templates, s.templates, bytes.Equal) {
		s.stuck = nil
	}
	var res *Result
	if s.stuck == nil { // else only a rebuild, which says why
		res = s.restyle(changed)
		if res == nil {
			res = s.patch(changed, before)
		}
		if res == nil {
			res = s.update(changed)
		}
	}
	if res == nil {
		// Templates are tried on a page of each kind when they changed,
		// now or in a change whose build failed.
		s.mu.RLock()
		cur := s.current
		s.mu.RUnlock()
		res = s.rebuild(cur == nil || cur.templatesGen != s.templatesGen)
	}
	res.CSSOnly = len(changed) > 0 && !res.Failed && !slices.ContainsFunc(changed, func(p string) bool {
		return !inFolder(p, "static") || !strings.HasSuffix(p, ".css")
	})
	res.Paths = changed
	res.Elapsed = time.Since(start)
	if res.CSSOnly {
		s.events.send("css")
	} else {
		s.events.send("reload")
	}
	return res
}

// restyle is the fast path for changes to static/ alone: pages do not
// depend on static files, so the current model and renderer stay and only
// the files served as they are change. It returns nil when it does not
// apply.
func (s *Server) restyle(paths []string) *Result {
	if len(paths) == 0 || slices.ContainsFunc(paths, func(p string) bool { return !inFolder(p, "static") }) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// A file that could not be read as it is (a link added to static/)
	// is an error only a rebuild reports.
	if !s.good() || len(s.loadDiags) > 0 {
		return nil
	}
	static, err := render.StaticFiles(s.opts.Builtin, s.static)
	// A static file where a page goes is an error only a rebuild reports.
	if err != nil || len(render.Collisions(s.current.model, static, s.static)) > 0 {
		return nil
	}
	cur := s.current
	s.current = &snapshot{model: cur.model, gate: cur.gate, renderer: cur.renderer, static: static,
		templatesGen: cur.templatesGen, staticGen: s.staticGen}
	return &Result{Diags: s.diags, StaticOnly: true}
}

// patch is the fast path for the commonest edit, prose: when every changed
// path is a page that was there before and is there now with the same
// references, and no request is rendering from the current model, that
// model is patched in place instead of resolved anew. It returns nil when
// it does not apply.
func (s *Server) patch(paths []string, before map[string]*site.Page) *Result {
	if len(paths) == 0 || len(before) != len(paths) {
		return nil
	}
	var old, new []*site.Page
	for _, p := range paths {
		n, ok := s.content[p]
		if !ok {
			return nil
		}
		old, new = append(old, before[p]), append(new, n)
	}
	s.mu.RLock()
	good, cur, diags := s.good(), s.current, s.diags
	s.mu.RUnlock()
	// A request rendering from the model, perhaps forever, keeps it as it
	// is: a new one is resolved instead.
	if !good || !s.upToDate(cur) || !cur.gate.TryLock() {
		return nil
	}
	m := cur.model
	// Prose holds links: where they lead is checked anew, and what the
	// old prose's links reported goes, also on pages that link to a
	// heading the edit renamed.
	stale := map[string]bool{}
	for _, d := range render.BrokenLinks(m, cur.static) {
		stale[d.String()] = true
	}
	added, ok := m.Patch(old, new)
	var links diag.List
	if ok {
		links = render.BrokenLinks(m, cur.static)
	}
	cur.gate.Unlock()
	if !ok {
		return nil
	}
	// The templates are those of the last good build, so they parse.
	r, _ := render.New(m, s.opts.Builtin, s.templates)
	res := &Result{Patched: true}
	for _, d := range diags {
		if _, changed := before[d.Path]; !changed && !stale[d.String()] {
			res.Diags = append(res.Diags, d)
		}
	}
	res.Diags = append(res.Diags, added...)
	res.Diags = append(res.Diags, links...)
	res.Diags.Sort()
	s.mu.Lock()
	s.current = cur.withModel(m, r)
	s.diags = res.Diags
	s.mu.Unlock()
	clear(s.pending)
	return res
}

// update is the fast path for every other change to content alone: the
// pages changed since the current model was made are withdrawn from it and
// applied anew, in place, when no request is rendering from it. When the
// result has errors, they are reported and the model changed back, so
// that the last good site goes on being served. It returns nil when it
// does not apply.
func (s *Server) update(paths []string) (res *Result) {
	if len(paths) == 0 || slices.ContainsFunc(paths, func(p string) bool { return !inFolder(p, "content") }) {
		return nil
	}
	s.mu.RLock()
	cur := s.current
	s.mu.RUnlock()
	// Most of the site changed (a folder moved in, a checkout): resolving
	// it anew is as quick.
	if cur == nil || !s.upToDate(cur) || len(s.pending) > len(s.content)/4+100 || !cur.gate.TryLock() {
		return nil
	}
	defer cur.gate.Unlock()
	m := cur.model
	changes := make(map[string]*site.Page, len(s.pending))
	for p := range s.pending {
		changes[p] = s.content[p]
	}
	diags, undo, ok := func() (diags diag.List, undo map[string]*site.Page, ok bool) {
		defer func() {
			// A model an update broke off is in no known state: it is
			// served no more, and the site is resolved anew.
			if p := recover(); p != nil {
				s.mu.Lock()
				s.current = nil
				s.mu.Unlock()
				ok = false
			}
		}()
		return m.Update(changes)
	}()
	if !ok {
		return nil
	}
	res = &Result{Updated: true}
	good := false
	defer func() {
		// A panic is a failed build, as in rebuild; the model is changed
		// back all the same.
		if p := recover(); p != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Path: "briefing", Severity: diag.Error, Message: fmt.Sprintf("internal error: %v", p)})
			good = false
		}
		res.Diags.Sort()
		errs, _ := res.Diags.Count()
		res.Failed = errs > 0
		if !good {
			if _, _, ok := m.Update(undo); !ok {
				panic("serve: an update that applied cannot be undone")
			}
		}
		s.mu.Lock()
		s.diags = res.Diags
		s.mu.Unlock()
	}()
	for _, d := range s.loadDiags {
		res.Diags = append(res.Diags, d...)
	}
	res.Diags = append(res.Diags, diags...)
	res.Diags = append(res.Diags, render.Collisions(m, cur.static, s.static)...)
	res.Diags = append(res.Diags, render.BrokenLinks(m, cur.static)...)
	if errs, _ := res.Diags.Count(); errs > 0 {
		return res
	}
	r, tdiags := render.New(m, s.opts.Builtin, s.templates)
	res.Diags = append(res.Diags, tdiags...)
	if len(tdiags) > 0 {
		return res
	}
	good = true
	s.mu.Lock()
	s.current = cur.withModel(m, r)
	s.mu.Unlock()
	clear(s.pending)
	return res
}

// forget drops everything at or below p.
func (s *Server) forget(p string) {
	for q := range s.content {
		if inFolder(q, p) {
			delete(s.content, q)
		}
	}
	for q := range s.templates {
		if inFolder("templates/"+q, p) {
			delete(s.templates, q)
		}
	}
	for q := range s.static {
		if inFolder("static/"+q, p) {
			delete(s.static, q)
		}
	}
	for q := range s.loadDiags {
		if inFolder(q, p) {
			delete(s.loadDiags, q)
		}
	}
}

// addAll adds files, parsing the Markdown among them on all cores (the
// first build of a large site is mostly parsing) within the site-wide
// parse budget of a build. A briefing's tree is not kept (ParseLean): its
// page parses the body again when asked for, a millisecond, where the
// trees of 10,000 briefings held 180 MB of the live heap (620 MB to 438,
// BenchmarkStart), and memory the heap grows into is what a start pays
// for most (first page 2.4–3.2 s to 2.2 s, 850 MB resident to 680).
func (s *Server) addAll(files []site.File) {
	var md []site.File
	for _, f := range files {
		switch top, rest, _ := strings.Cut(f.Path, "/"); top {
		case "content":
			if strings.HasSuffix(f.Path, ".md") {
				md = append(md, f)
			}
		case "templates":
			s.templates[rest] = f.Data
		case "static":
			s.static[rest] = f.Data
		}
	}
	for _, pg := range site.ParseLean(md, nil) {
		s.content[pg.Path] = pg
		s.pending[pg.Path] = true
	}
}

// inFolder reports whether the site-relative path p is dir or below it.
func inFolder(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// cameAndWent reports whether the site-relative path p is not there now
// and the site never had anything at or below it: a temporary file that an
// editor or sed -i wrote and renamed within one burst of events.
func (s *Server) cameAndWent(fsys fs.FS, p string) bool {
	if _, err := fs.Lstat(fsys, p); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	for k := range s.content {
		if inFolder(k, p) {
			return false
		}
	}
	for dir, files := range map[string]map[string][]byte{"templates": s.templates, "static": s.static} {
		for k := range files {
			if inFolder(dir+"/"+k, p) {
				return false
			}
		}
	}
	for k := range s.loadDiags {
		if inFolder(k, p) {
			return false
		}
	}
	return true
}

// good reports whether the newest build succeeded, so that the current
// snapshot is the files' state and not only the last good one. s.mu must
// be held.
func (s *Server) good() bool {
	errs, _ := s.diags.Count()
	return errs == 0 && s.current != nil
}

// rebuild resolves the parsed pages and swaps in a new snapshot when the
// site has no error. With tryTemplates, one page of each kind is rendered
// first, so that a template that fails to execute fails the build.
func (s *Server) rebuild(tryTemplates bool) (res *Result) {
	res = &Result{}
	defer func() {
		// A panic anywhere in resolving or rendering is a failed build,
		// never a dead server.
		if p := recover(); p != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Path: "briefing", Severity: diag.Error, Message: fmt.Sprintf("internal error: %v", p)})
		}
		res.Diags.Sort()
		errs, _ := res.Diags.Count()
		res.Failed = errs > 0
		s.mu.Lock()
		s.diags = res.Diags
		res.NoSite = res.Failed && s.current == nil
		s.mu.Unlock()
	}()
	paths := make([]string, 0, len(s.content))
	for p := range s.content {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	pages := make([]*site.Page, len(paths))
	for i, p := range paths {
		pages[i] = s.content[p]
	}
	for _, d := range s.loadDiags {
		res.Diags = append(res.Diags, d...)
	}
	m, diags := site.Resolve(pages, site.Options{Drafts: s.opts.Drafts, BasePath: "/", Track: true, Code: s.code})
	res.Diags = append(res.Diags, diags...)
	static, err := render.StaticFiles(s.opts.Builtin, s.static)
	if err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Path: "static", Severity: diag.Error, Message: err.Error()})
		return res
	}
	res.Diags = append(res.Diags, render.Collisions(m, static, s.static)...)
	res.Diags = append(res.Diags, render.BrokenLinks(m, static)...)
	if errs, _ := res.Diags.Count(); errs > 0 {
		return res
	}
	r, tdiags := render.New(m, s.opts.Builtin, s.templates)
	res.Diags = append(res.Diags, tdiags...)
	if len(tdiags) > 0 {
		return res
	}
	if s.stuck != nil {
		res.Diags = append(res.Diags, s.stuck.d)
		return res
	}
	snap := &snapshot{model: m, gate: new(sync.RWMutex), renderer: r, static: static, templatesGen: s.templatesGen, staticGen: s.staticGen}
	// When templates changed, render one page of each kind now: a template
	// that fails while executing fails the build, as it would fail
	// `build`, instead of surfacing later on some request. With the same
	// templates, content that trips one shows as an overlay on that page.
	// The pages render on a goroutine of their own, waited for only so
	// long: a render cannot be stopped, but the server can go on without
	// it (and a template that loops as it writes stops at the page's
	// limit, see render.maxTemplatePage).
	if sample := samplePaths(m, tryTemplates || s.current == nil); len(sample) > 0 {
		var at atomic.Value // the path rendering
		tried := make(chan error, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					tried <- diagError{diag.Diagnostic{Path: "briefing", Severity: diag.Error, Message: fmt.Sprintf("internal error: %v", p)}}
				}
			}()
			for _, out := range sample {
				at.Store(out)
				if s.opts.beforeRender != nil {
					s.opts.beforeRender(out)
				}
				if _, err := snap.page(out); err != nil {
					tried <- err
					return
				}
			}
			tried <- nil
		}()
		wait := sampleWait
		if s.opts.sampleWait > 0 {
			wait = s.opts.sampleWait
		}
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case err := <-tried:
			if err != nil {
				res.Diags = append(res.Diags, err.(diagError).d)
				return res
			}
		case <-timer.C:
			out, _ := at.Load().(string)
			d := diag.Diagnostic{Path: "templates", Severity: diag.Error,
				Message: fmt.Sprintf("/%s took over %s to render, and is left rendering", strings.TrimSuffix(out, "index.html"), wait),
				Hint:    "a template may loop: a range over a huge number, or a template that calls itself"}
			s.stuck = &stuckRender{templates: maps.Clone(s.templates), d: d}
			res.Diags = append(res.Diags, d)
			return res
		}
	}
	s.mu.Lock()
	s.current = snap
	s.mu.Unlock()
	clear(s.pending)
	return res
}

// samplePaths is one output path of each kind of page m has, but for the
// indexes that list the whole site, which on a large site cost more than an
// edit should; a template error there shows when the page is asked for.
// Files that are not pages come from no template, and the largest of them
// (graph.json, the sitemap) cost a pass over the whole site: they are made
// when asked for.
func samplePaths(m *site.Model, try bool) []string {
	if !try {
		return nil
	}
	var out []string
	for _, p := range render.PagePaths(m, 1) {
		if strings.Count(p, "/") != 1 || p == "tags/index.html" { // not a list of everything
			out = append(out, p)
		}
	}
	return out
}

// stuckRender is a set of templates a page did not render with in time,
// and the diagnostic that said so.
type stuckRender struct {
	templates map[string][]byte
	d         diag.Diagnostic
}

type diagError struct{ d diag.Diagnostic }

func (e diagError) Error() string { return e.d.String() }

// render is page for a request: with the model's gate held for reading,
// since a patch may be about to write to the model.
func (s *Server) render(snap *snapshot, out string) ([]byte, error) {
	if b, ok := snap.pages.Load(out); ok {
		return b.([]byte), nil
	}
	snap.gate.RLock()
	defer snap.gate.RUnlock()
	// An update changes the model in place, under the gate, and replaces
	// the snapshot (a renderer indexes the model when made): a request
	// that waited for it renders from the snapshot of the model as it is.
	s.mu.RLock()
	if cur := s.current; cur != nil && cur.gate == snap.gate {
		snap = cur
	}
	s.mu.RUnlock()
	if s.opts.beforeRender != nil {
		s.opts.beforeRender(out)
	}
	return snap.page(out)
}

// page renders an output path once; nil, nil when there is no such page.
func (snap *snapshot) page(out string) ([]byte, error) {
	if b, ok := snap.pages.Load(out); ok {
		return b.([]byte), nil
	}
	b, ok, err := snap.renderer.Page(snap.model, out)
	if err != nil {
		return nil, diagError{render.TemplateDiag(err, "")}
	}
	if !ok {
		return nil, nil
	}
	snap.pages.Store(out, b)
	return b, nil
}

const eventsPath = "/__briefing/events"

// ServeHTTP serves the current snapshot from memory, to requests for this
// server's own host names only (see allowHosts), GET and HEAD only.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.allow(r.Host) {
		// A page elsewhere that rebinds its own name to this address would
		// otherwise read the preview, drafts included.
		http.Error(w, "forbidden: unknown host "+r.Host+"; use 127.0.0.1 or localhost", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == eventsPath {
		s.events.serve(w, r, s.done, s.writeTimeout)
		return
	}
	resp := s.respond(r.URL.Path)
	rc := http.NewResponseController(w)
	// Not supported by a ResponseRecorder, which needs no deadline.
	_ = rc.SetWriteDeadline(time.Now().Add(s.writeTimeout))
	w.Header().Set("Cache-Control", "no-store")
	if resp.redirect != "" {
		// The query goes along (a search's ?q=), and the path is escaped
		// as a URL's, not written as the file's name.
		to := &url.URL{Path: resp.redirect, RawQuery: r.URL.RawQuery}
		http.Redirect(w, r, to.String(), http.StatusMovedPermanently)
		return
	}
	w.Header().Set("Content-Type", resp.ctype)
	if resp.status != http.StatusOK {
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.body)
		return
	}
	// As a static host answers: ranges (a video in static/ that Safari
	// seeks in), HEAD with the length. Written a piece at a time, each
	// with its own deadline, so that only a client that stops reading is
	// dropped, not a slow one still reading a large page.
	http.ServeContent(progressWriter{w, rc, s.writeTimeout}, r, "", time.Time{}, bytes.NewReader(resp.body))
}

// progressWriter writes a response in pieces of at most progressPiece
// bytes, each given timeout from when it starts.
type progressWriter struct {
	http.ResponseWriter // only its own methods: io.Copy writes through Write
	rc                  *http.ResponseController
	timeout             time.Duration
}

const progressPiece = 64 << 10

func (p progressWriter) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		piece := b[:min(len(b), progressPiece)]
		_ = p.rc.SetWriteDeadline(time.Now().Add(p.timeout))
		m, err := p.ResponseWriter.Write(piece)
		n += m
		if err != nil {
			return n, err
		}
		b = b[m:]
	}
	return n, nil
}

// response is what a request gets, made before a byte is written.
type response struct {
	status   int
	ctype    string
	body     []byte
	redirect string // a path to redirect to, instead
}

// respond makes the response to a request for the URL path p.
func (s *Server) respond(p string) response {
	// Counted before the site is read: an event sent in between is then
	// told to the page again, never missed (see broker.serve).
	since := s.events.sent()
	s.mu.RLock()
	snap, diags := s.current, s.diags
	s.mu.RUnlock()
	errs, _ := diags.Count()
	failed := errs > 0
	const htmlType = "text/html; charset=utf-8"
	if snap == nil {
		// No good build yet: there is nothing to show but the problems.
		return response{status: http.StatusInternalServerError, ctype: htmlType,
			body: decorate([]byte("<!doctype html><title>Build failed</title><body></body>"), diags, true, since)}
	}
	// The path is only ever a key into memory, cleaned of any ".." first,
	// so no request reaches a file outside the site.
	clean := strings.TrimPrefix(path.Clean("/"+p), "/")
	dirLike := strings.HasSuffix(p, "/") || clean == ""
	out := clean
	if dirLike {
		out = strings.TrimPrefix(clean+"/index.html", "/")
	}
	// A static file, also a folder's index.html asked for by the
	// folder's address, as a host serves static/about/index.html at
	// /about/; where a page goes too, it replaces the page (see
	// render.OwnReplaces).
	if b, ok := snap.static[out]; ok {
		ctype := mime.TypeByExtension(path.Ext(out))
		if ctype == "" {
			ctype = http.DetectContentType(b)
		}
		return response{status: http.StatusOK, ctype: ctype, body: b}
	}
	if !dirLike && !strings.HasSuffix(clean, ".html") {
		// A folder asked for without its slash, as static hosts do.
		if _, ok := snap.static[clean+"/index.html"]; ok {
			return response{redirect: "/" + clean + "/"}
		}
		if b, _ := s.render(snap, clean+"/index.html"); b != nil {
			return response{redirect: "/" + clean + "/"}
		}
	}
	status := http.StatusOK
	b, err := s.render(snap, out)
	if err != nil {
		diags = append(slices.Clone(diags), err.(diagError).d)
		failed = true
		b, status = []byte("<!doctype html><title>Template error</title><body></body>"), http.StatusInternalServerError
	} else if b == nil {
		status = http.StatusNotFound
		b, _ = s.render(snap, "404.html")
	}
	if status == http.StatusOK && !strings.HasSuffix(out, ".html") {
		// A generated file that is not a page: a feed, the sitemap, the
		// graph, a shard of the search index; served as built.
		ctype := mime.TypeByExtension(path.Ext(out))
		if ctype == "" {
			ctype = "text/plain; charset=utf-8"
		}
		return response{status: status, ctype: ctype, body: b}
	}
	return response{status: status, ctype: htmlType, body: decorate(b, diags, failed, since)}
}

// decorate adds the live-reload script, and the diagnostics overlay when
// the newest build failed, at the end of a served HTML page; browsers put
// trailing content into the body. since is how many events had been sent
// when the page was read from the site.
func decorate(page []byte, diags diag.List, failed bool, since int) []byte {
	var b bytes.Buffer
	script := liveScript(since)
	b.Grow(len(page) + len(script) + 512)
	b.Write(page)
	if failed {
		b.WriteString(overlay(diags))
	}
	b.WriteString(script)
	return b.Bytes()
}

func overlay(diags diag.List) string {
	var b strings.Builder
	b.WriteString(`<div id="briefing-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;` +
		`background:#1b1b1f;color:#f4f4f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:16px 20px;border-top:4px solid #e5484d;box-shadow:0 -8px 24px rgba(0,0,0,.4)">`)
	errs, warns := diags.Count()
	fmt.Fprintf(&b, `<p style="margin:0 0 8px;font-weight:700;color:#ff8f8f">The last change did not build (%s, %s). Showing the last good site.</p><ol style="margin:0;padding-left:20px">`,
		diag.Plural(errs, "error"), diag.Plural(warns, "warning"))
	for _, d := range diags.ErrorsFirst() {
		colour := "#ffb224"
		if d.Severity == diag.Error {
			colour = "#ff8f8f"
		}
		fmt.Fprintf(&b, `<li><span style="color:#a1a1aa">%s</span>: <span style="color:%s">%s</span>: %s`,
			html.EscapeString(d.Where()), colour, d.Severity, html.EscapeString(d.Message))
		if d.Hint != "" {
			fmt.Fprintf(&b, `<br><span style="color:#a1a1aa">hint: %s</span>`, html.EscapeString(d.Hint))
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ol></div>")
	return b.String()
}

// liveScriptStart is how every served page's live script begins.
const liveScriptStart = `<script>/* briefing serve */`

// liveScript listens for rebuilds since the page's since-th event. It
// keeps the scroll position across a reload, and on a CSS-only change
// re-fetches the stylesheets in place.
func liveScript(since int) string {
	return liveScriptStart + `(function(){` +
		`var k="briefing-scroll:"+location.pathname,y=sessionStorage.getItem(k);` +
		`if(y!==null){sessionStorage.removeItem(k);addEventListener("load",function(){scrollTo(0,+y)});}` +
		`var es=new EventSource("` + eventsPath + `?since=` + strconv.Itoa(since) + `");` +
		`es.addEventListener("reload",function(){sessionStorage.setItem(k,String(scrollY));location.reload();});` +
		`es.addEventListener("css",function(){document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){` +
		`var u=new URL(l.href);u.searchParams.set("v",Date.now());l.href=u.toString();});});` +
		`})();</script>`
}
