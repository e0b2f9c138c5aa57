// Package render turns a resolved site.Model into the files of the published
// site: one folder with an index.html per page (clean URLs), the 404 page,
// the code-highlighting stylesheet and the static files.
//
// Templates are html/template files. The built-in set comes from the
// binary; a site's templates/ file of the same name replaces the built-in
// one. base.html holds the layout and the shared definitions; every other
// template defines "main" for one kind of page and receives a Data. The
// function `cached "name" value` renders a definition of base.html once per
// value and reuses it, for what many pages repeat (list items, the header).
// Pages are rendered on all cores and handed to an Emit function as they
// are done, so a build can write them to disk and a server can keep them in
// memory; Lookup and Page render one page, for a server that renders on
// request.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"briefing/generator/diag"
	"briefing/generator/markup"
	"briefing/generator/site"

	"github.com/yuin/goldmark/ast"
)

// Emit receives one output file: a slash path relative to the output folder
// and its bytes. It is called from several goroutines at once.
type Emit func(path string, data []byte) error

// Kinds of page, each rendered by the template of the same name + ".html".
var Kinds = []string{"home", "briefings", "briefing", "actors", "actor", "claims", "claim",
	"sources", "source", "caveats", "caveat", "tags", "tag", "search", "404", "method"}

// Data is what every template receives.
type Data struct {
	Site     *site.Model
	Kind     string // one of Kinds
	Title    string
	Path     string // the page's path below the base, e.g. actors/peskov/
	URL      string // the page's path with the base
	Briefing *site.Briefing
	Actor    *site.Actor
	Claim    *site.Claim
	Source   *site.Source
	Caveat   *site.Caveat
	Tag      *site.Tag
	Timeline []Event // actor pages: this page's share of the timeline

	// A page of a paginated list: its entries, and where it stands.
	Briefings []*site.Briefing // briefings index, tag pages
	Claims    []*site.Claim    // claims index (of Status, when set), source pages
	Caveats   []*site.Caveat   // caveats index
	Sources   []*site.Source   // sources index
	Status    string           // the claims index narrowed to one status
	Pager     Pager

	// File names which file of a file kind this is, where Actor or Tag
	// do not: a shard of the search index.
	File string

	doc    ast.Node // the briefing's body, parsed for this page (see BriefingDoc)
	docSrc []byte
}

// BriefingDoc is the parsed body of the briefing the page shows and its
// source, read once for its table of contents, its text and its
// description (see site.Model.Doc).
func (d *Data) BriefingDoc() (ast.Node, []byte) {
	if d.doc == nil {
		d.doc, d.docSrc = d.Site.Doc(d.Briefing.Page)
	}
	return d.doc, d.docSrc
}

// A fileKind is a kind of generated file that is not a page in the
// layout: feeds, the sitemap, robots.txt, the graph, the search index.
// Lookup, Paths and Page treat its files as they treat pages, so that a
// build writes them and a server answers for them by the same code.
type fileKind struct {
	kind string
	// paths lists the kind's output paths in m; with each > 0, at most
	// that many per entity, as Paths.
	paths func(m *site.Model, ix *index, each int) []string
	// match is the Data of the kind's file at out, or nil.
	match func(m *site.Model, ix *index, out string) *Data
	// write appends the file d to w.b.
	write func(w *writer, d *Data) error
	// spills, when not nil, tells the files d whose write cuts them in
	// pieces (see writer.cut) when they are streamed (Output.Stream).
	spills func(d *Data) bool
}

// streamed is the kind of d when it is written in pieces, else nil.
func streamed(d *Data) *fileKind {
	if d == nil {
		return nil
	}
	if fk := fileKindOf(d.Kind); fk != nil && fk.spills != nil && fk.spills(d) {
		return fk
	}
	return nil
}

// fileKindOf is the file kind named kind, or nil for a page kind.
func fileKindOf(kind string) *fileKind {
	for i := range fileKinds {
		if fileKinds[i].kind == kind {
			return &fileKinds[i]
		}
	}
	return nil
}

// Renderer holds a site's parsed templates, bound to one Model.
type Renderer struct {
	tmpl map[string]*template.Template
	// fragments caches what the "cached" template function rendered, keyed
	// by template name and value: a claim's list item is rendered once, not
	// once for every list it is in.
	fragments sync.Map
	base      *template.Template
	ix        *index
	// native holds the Go writers of the kinds whose built-in template
	// the site does not replace (see native.go).
	native map[string]func(*writer, *Data)
	// writers are pages' buffers, reused from page to page, and datas
	// what Pages says of them (see Pages).
	writers, datas sync.Pool
}

type fragmentKey struct {
	name string
	v    any
}

// cached renders the named template for v once per Renderer.
func (r *Renderer) cached(name string, v any) (template.HTML, error) {
	key := fragmentKey{name, v}
	if h, ok := r.fragments.Load(key); ok {
		return h.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := r.base.ExecuteTemplate(&buf, name, v); err != nil {
		return "", err
	}
	h := template.HTML(buf.String())
	r.fragments.Store(key, h)
	return h, nil
}

// tmplLine reads the template, line and column, when there are, out of
// the errors of text/template ("template: home.html:2:18: …"),
// html/template ("html/template:home.html:2:18: …") and the renderer's
// own ("template: home.html: …").
var tmplLine = regexp.MustCompile(`(?s)^(?:html/)?template: ?([^:]+?)(?::(\d+))?(?::(\d+))?: (.*)$`)

// TemplateDiag turns an html/template error into a diagnostic on the
// template file it names, and a content file that could not be read
// again into one on that file.
func TemplateDiag(err error, fallback string) diag.Diagnostic {
	if se, ok := errors.AsType[*site.SourceError](err); ok {
		return diag.Diagnostic{Path: se.Path, Severity: diag.Error, Message: se.Err.Error()}
	}
	d := diag.Diagnostic{Path: "templates/" + fallback, Severity: diag.Error, Message: err.Error()}
	if m := tmplLine.FindStringSubmatch(err.Error()); m != nil {
		d.Path = "templates/" + m[1]
		d.Line, _ = strconv.Atoi(m[2])
		d.Col, _ = strconv.Atoi(m[3])
		d.Message = m[4]
	}
	return d
}

// New parses the templates: the built-in ones (builtin holds the folders
// templates/ and static/) overlaid by the site's own, keyed by path below
// templates/. Every broken template is reported.
func New(m *site.Model, builtin fs.FS, own map[string][]byte) (*Renderer, diag.List) {
	src, builtinSrc := map[string][]byte{}, map[string][]byte{}
	entries, _ := fs.ReadDir(builtin, "templates")
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".html") {
			src[e.Name()], _ = fs.ReadFile(builtin, "templates/"+e.Name())
			builtinSrc[e.Name()] = src[e.Name()]
		}
	}
	for name, data := range own {
		src[name] = data
	}
	var diags diag.List
	r := &Renderer{tmpl: map[string]*template.Template{}, ix: newIndex(m), native: map[string]func(*writer, *Data){}}
	r.datas.New = func() any { return new(Data) }
	// A site's file with the built-in bytes (as the sample site, the
	// repository itself, has) replaces nothing.
	replaced := func(name string) bool {
		data, ok := own[name]
		return ok && !bytes.Equal(data, builtinSrc[name])
	}
	if !replaced("base.html") {
		for kind, fn := range natives {
			if !replaced(kind + ".html") {
				r.native[kind] = fn
			}
		}
	}
	fm := funcs(m)
	fm["cached"] = r.cached
	fm["head"] = func(d *Data) *Head { return head(d, r.ix) }
	// count "status" is the site's claims of that status; count "status"
	// claims counts among the claims given.
	fm["count"] = func(status string, cs ...[]*site.Claim) int {
		if len(cs) == 0 {
			return len(r.ix.byStatus[status])
		}
		return len(withStatus(status, slices.Concat(cs...)))
	}
	base, err := template.New("base.html").Funcs(fm).Parse(string(src["base.html"]))
	if err != nil {
		return nil, append(diags, TemplateDiag(err, "base.html"))
	}
	// Fragments run in a set of their own, cloned before any page template
	// is added, so that they see only base.html's definitions.
	r.base, _ = base.Clone()
	for _, kind := range Kinds {
		name := kind + ".html"
		text, ok := src[name]
		if !ok {
			diags = append(diags, diag.Diagnostic{Path: "templates/" + name, Severity: diag.Error, Message: "template is missing"})
			continue
		}
		t, _ := base.Clone()
		if _, err := t.New(name).Parse(string(text)); err != nil {
			diags = append(diags, TemplateDiag(err, name))
			continue
		}
		r.tmpl[kind] = t
	}
	return r, diags
}

// sitePath is the site path p with the base path: the url function.
func sitePath(m *site.Model, p string) string { return m.BasePath + strings.TrimPrefix(p, "/") }

// formatDate formats t with layout, and the zero time as nothing: the date
// and isodate functions.
func formatDate(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

// dateLayout is how pages show a date.
const dateLayout = "2 January 2006"

func funcs(m *site.Model) template.FuncMap {
	return template.FuncMap{
		"url":        func(p string) string { return sitePath(m, p) },
		"site":       func() *site.Model { return m },
		"date":       func(t time.Time) string { return formatDate(t, dateLayout) },
		"isodate":    func(t time.Time) string { return formatDate(t, time.DateOnly) },
		"likelihood": func(s string) string { return markup.LikelihoodWords[s] },
		"plural":     plural,
		"first": func(n int, v any) any {
			switch v := v.(type) {
			case []*site.Briefing:
				return v[:min(n, len(v))]
			case []*site.Claim:
				return v[:min(n, len(v))]
			case []*site.Actor:
				return v[:min(n, len(v))]
			}
			return v
		},
		"statuses":    func() []string { return markup.Statuses },
		"grade":       func(c *site.Claim, s *site.Source) site.Grade { return c.SourceGrade(s) },
		"sourceGrade": (*site.Source).DefaultGrade,
		"withStatus":  withStatus,
		"mostCited":   mostCited,
		"actorKinds":  actorKinds,
		// neighbourhood is the SVG of a claim's related claims.
		"neighbourhood": neighbourhood,
		"terms":         terms,
	}
}

func mostCited(as []*site.Actor) []*site.Actor {
	out := slices.Clone(as)
	slices.SortStableFunc(out, func(a, b *site.Actor) int { return b.Cited - a.Cited })
	return out
}

// KindGroup is the actors of one kind, for the actors index.
type KindGroup struct {
	Kind   string
	Title  string
	Actors []*site.Actor
}

func actorKinds(as []*site.Actor) []KindGroup {
	titles := map[string]string{"person": "People", "organisation": "Organisations", "state": "States", "group": "Groups", "": "Others"}
	var out []KindGroup
	for _, kind := range append(slices.Clone(site.ActorKinds), "") {
		g := KindGroup{Kind: kind, Title: titles[kind]}
		if kind == "" {
			g.Kind = "other"
		}
		for _, a := range as {
			if a.ActorKind == kind {
				g.Actors = append(g.Actors, a)
			}
		}
		if len(g.Actors) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// PerPage is the most entries a page of a paginated list shows.
const PerPage = 100

// pageCount is how many pages a list of n entries takes: at least one, so
// that an empty list still has its page.
func pageCount(n int) int { return max(1, (n+PerPage-1)/PerPage) }

// Pager places one page of a paginated list among its siblings. Prev and
// Next are URLs with the base path, empty at either end.
type Pager struct {
	Number, Total int
	Prev, Next    string
}

// pageURL is the path of page n of the list at dir (a path below the base
// ending in "/"): the first page is the list's own.
func pageURL(dir string, n int) string {
	if n <= 1 {
		return dir
	}
	return dir + "page/" + strconv.Itoa(n) + "/"
}

// index holds what several pages derive from the whole site, computed once
// per model rather than once per page.
type index struct {
	byStatus map[string][]*site.Claim
	// timelines are made on the first page of an actor that needs one and
	// shared by the actor's later pages.
	timelines map[*site.Actor]*lazyTimeline
	search    lazySearch // see search.go
	// body is the terms of each briefing's body, when Shed gathered them.
	body []bodyTerms
	// sitemap is the sitemap's entries, made once for all its files.
	sitemap lazySitemap
	// filter is claims/filter.json (see claimsfilter.go).
	filter lazyFilter
	// pages is every page's path, once Paths has listed them, for the
	// sitemap: listed again, they were a tenth of what the files that are
	// not pages allocated.
	pages []string
}

type lazyTimeline struct {
	once sync.Once
	ev   []Event
}

func newIndex(m *site.Model) *index {
	ix := &index{timelines: make(map[*site.Actor]*lazyTimeline, len(m.Actors))}
	// A claim's status is one of markup's few strings (or none), found by
	// a comparison that meets the same string; hashing it read memory of
	// its own for each claim, 14 ms at 10,000 briefings on every edit in
	// serve. The claims are read in runs on all cores, and the runs'
	// lists joined in order.
	runs := make([][]statusClaims, (len(m.Claims)+statusRun-1)/statusRun)
	site.InChunks(len(m.Claims), statusRun, func(i, lo, hi int) {
		for _, c := range m.Claims[lo:hi] {
			runs[i] = addByStatus(runs[i], c.Status, c)
		}
	})
	var lists []statusClaims
	for _, r := range runs {
		for _, l := range r {
			lists = addByStatus(lists, l.status, l.claims...)
		}
	}
	ix.byStatus = make(map[string][]*site.Claim, len(lists))
	for _, l := range lists {
		ix.byStatus[l.status] = l.claims
	}
	for _, a := range m.Actors {
		ix.timelines[a] = &lazyTimeline{}
	}
	return ix
}

// statusRun is the number of claims newIndex reads on one core at a time
// (a variable for tests).
var statusRun = 4096

// statusClaims are the claims of a status.
type statusClaims struct {
	status string
	claims []*site.Claim
}

// addByStatus appends cs to the list of status in lists.
func addByStatus(lists []statusClaims, status string, cs ...*site.Claim) []statusClaims {
	k := 0
	for k < len(lists) && lists[k].status != status {
		k++
	}
	if k == len(lists) {
		lists = append(lists, statusClaims{status: status})
	}
	lists[k].claims = append(lists[k].claims, cs...)
	return lists
}

// timeline is a's timeline, from ix when there is one.
func (ix *index) timeline(a *site.Actor) []Event {
	if ix == nil || ix.timelines[a] == nil {
		return timeline(a)
	}
	l := ix.timelines[a]
	l.once.Do(func() { l.ev = timeline(a) })
	return l.ev
}

// lists are the paginated lists of m: for each, the folder of its first
// page and its length. Detail pages with a paginated list (an actor's
// timeline, a source's claims, a tag's briefings) come after the indexes.
func lists(m *site.Model, ix *index, each int) []list {
	out := []list{{"briefings/", len(m.Briefings)}, {"claims/", len(m.Claims)}, {"caveats/", len(m.Caveats)},
		{"sources/", len(m.Sources)}}
	for _, s := range markup.Statuses {
		out = append(out, list{"claims/" + s + "/", len(ix.byStatus[s])})
	}
	add := func(n int, section string, id func(i int) (string, int)) {
		if each > 0 {
			n = min(n, each)
		}
		for i := range n {
			slug, length := id(i)
			out = append(out, list{section + "/" + slug + "/", length})
		}
	}
	add(len(m.Actors), "actors", func(i int) (string, int) {
		a := m.Actors[i]
		return a.ID, len(ix.timeline(a))
	})
	add(len(m.Sources), "sources", func(i int) (string, int) { return m.Sources[i].ID, len(m.Sources[i].Claims) })
	add(len(m.Tags), "tags", func(i int) (string, int) { return m.Tags[i].Slug, len(m.Tags[i].Briefings) })
	return out
}

type list struct {
	dir string
	n   int
}

// Paths lists the output path of every page of m, in a stable order. With
// each > 0, it lists at most that many pages of every kind of entity.
func Paths(m *site.Model, each int) []string {
	return paths(m, newIndex(m), each)
}

// Paths is Paths with the renderer's index, so that what listing the
// paths derives from the whole site (the search index, whose shards are
// named by their content; the sitemap's entries) is made once for the
// listing and the rendering both. A build lists its paths here.
func (r *Renderer) Paths(m *site.Model, each int) []string {
	return paths(m, r.ix, each)
}

func paths(m *site.Model, ix *index, each int) []string {
	if each == 0 {
		// The search index's files are named for their contents, so
		// listing them makes the index: a pass over the whole site
		// that needs nothing listed here first, made beside the pages'
		// paths and the sitemap, which take one core each. At 1,000
		// briefings this listing took 26 ms, half of it with a core
		// idle.
		go ix.searchIndex(m)
	}
	out := pagePaths(m, ix, each)
	if each == 0 {
		ix.pages = slices.Clone(out) // not out's array, which callers may change
	}
	for _, fk := range fileKinds {
		out = append(out, fk.paths(m, ix, each)...)
	}
	return out
}

// PagePaths is Paths without the files that are not pages (feeds, the
// sitemap, the graph, the search index), some of which cost a pass over
// the whole site to list.
func PagePaths(m *site.Model, each int) []string {
	return pagePaths(m, newIndex(m), each)
}

// pagePaths is paths without the files that are not pages.
func pagePaths(m *site.Model, ix *index, each int) []string {
	out := []string{"index.html", "404.html", "briefings/index.html", "actors/index.html", "claims/index.html",
		"sources/index.html", "caveats/index.html", "tags/index.html", "search/index.html", "method/index.html"}
	for _, s := range markup.Statuses {
		out = append(out, "claims/"+s+"/index.html")
	}
	add := func(n int, section string, id func(i int) string) {
		if each > 0 {
			n = min(n, each)
		}
		for i := range n {
			out = append(out, section+"/"+id(i)+"/index.html")
		}
	}
	add(len(m.Briefings), "briefings", func(i int) string { return m.Briefings[i].ID })
	add(len(m.Actors), "actors", func(i int) string { return m.Actors[i].ID })
	add(len(m.Claims), "claims", func(i int) string { return m.Claims[i].ID })
	add(len(m.Sources), "sources", func(i int) string { return m.Sources[i].ID })
	add(len(m.Caveats), "caveats", func(i int) string { return m.Caveats[i].ID })
	add(len(m.Tags), "tags", func(i int) string { return m.Tags[i].Slug })
	for _, l := range lists(m, ix, each) {
		total := pageCount(l.n)
		if each > 0 {
			total = min(total, 2)
		}
		for n := 2; n <= total; n++ {
			out = append(out, pageURL(l.dir, n)+"index.html")
		}
	}
	return out
}

var indexes = map[string]string{"": "home", "briefings": "Briefings", "actors": "Actors", "claims": "Claims",
	"sources": "Sources", "caveats": "Analyst caveats", "tags": "Tags", "search": "Search",
	"method": "How to read this site"}

// Lookup returns what the page at an output path shows, or nil when m has
// no such page. It is the one place that maps paths to pages, for a build
// that renders every path and a server that renders the one asked for.
func Lookup(m *site.Model, out string) *Data {
	return lookup(m, nil, out)
}

// lookup is Lookup with the site's index when the caller has one; without
// it, the one list a page needs is derived on the spot.
func lookup(m *site.Model, ix *index, out string) *Data { return lookupIn(m, ix, out, nil) }

// lookupIn is lookup, with the Data of a page at a folder made in into
// when it is not nil.
func lookupIn(m *site.Model, ix *index, out string, into *Data) *Data {
	if out == "404.html" {
		return &Data{Site: m, Kind: "404", Title: "Page not found", Path: "404/", URL: m.BasePath + "404/"}
	}
	if !strings.HasSuffix(out, ".html") {
		for _, fk := range fileKinds {
			if d := fk.match(m, ix, out); d != nil {
				d.Kind = fk.kind
				return d
			}
		}
		return nil
	}
	dir, ok := strings.CutSuffix(out, "index.html")
	if !ok || (dir != "" && !strings.HasSuffix(dir, "/")) {
		return nil
	}
	// A later page of a list: the list's own page, narrowed below.
	number := 1
	list := dir
	if head, n, ok := cutPage(dir); ok {
		number, list = n, head
	}
	d := into
	if d == nil {
		d = new(Data)
	}
	*d = Data{Site: m, Path: dir, URL: m.BasePath + dir}
	section, id, _ := strings.Cut(strings.TrimSuffix(list, "/"), "/")
	if strings.Contains(id, "/") {
		return nil
	}
	// span is where this page's entries lie in a list of n, once the page
	// is known to be one of the list's: only then can they be counted.
	span := func(n int) (lo, hi int, ok bool) {
		total := pageCount(n)
		if number > total {
			return 0, 0, false
		}
		d.Pager = Pager{Number: number, Total: total}
		if number > 1 {
			d.Pager.Prev = m.BasePath + escapePath(pageURL(list, number-1)) // a tag's folder may hold # or ?
			d.Title += ", page " + strconv.Itoa(number)
		}
		if number < total {
			d.Pager.Next = m.BasePath + escapePath(pageURL(list, number+1))
		}
		return (number - 1) * PerPage, min(number*PerPage, n), true
	}
	if id == "" || section == "claims" && slices.Contains(markup.Statuses, id) {
		title, ok := indexes[section]
		if !ok || section == "" && number > 1 {
			return nil
		}
		d.Kind, d.Title = section, title
		switch section {
		case "":
			d.Kind, d.Title = "home", m.Title
			return d
		case "briefings":
			lo, hi, ok := span(len(m.Briefings))
			d.Briefings = m.Briefings[lo:hi]
			return page(d, ok)
		case "caveats":
			lo, hi, ok := span(len(m.Caveats))
			d.Caveats = m.Caveats[lo:hi]
			return page(d, ok)
		case "sources":
			lo, hi, ok := span(len(m.Sources))
			d.Sources = m.Sources[lo:hi]
			return page(d, ok)
		case "claims":
			all := m.Claims
			if id != "" {
				d.Status, d.Title = id, capitalize(id)+" claims"
				if ix != nil {
					all = ix.byStatus[id]
				} else {
					all = withStatus(id, m.Claims)
				}
			}
			lo, hi, ok := span(len(all))
			d.Claims = all[lo:hi]
			return page(d, ok)
		}
		return page(d, number == 1)
	}
	switch section {
	case "briefings":
		d.Briefing = m.Briefing(id)
		if d.Briefing == nil || number > 1 {
			return nil
		}
		d.Kind, d.Title = "briefing", d.Briefing.Title
	case "actors":
		d.Actor = m.Actor(id)
		if d.Actor == nil {
			return nil
		}
		d.Kind, d.Title = "actor", d.Actor.Name
		all := ix.timeline(d.Actor)
		lo, hi, ok := span(len(all))
		d.Timeline = all[lo:hi]
		return page(d, ok)
	case "claims":
		d.Claim = m.Claim(id)
		if d.Claim == nil || number > 1 {
			return nil
		}
		d.Kind, d.Title = "claim", d.Claim.Short()
	case "sources":
		d.Source = m.Source(id)
		if d.Source == nil {
			return nil
		}
		d.Kind, d.Title = "source", d.Source.Title
		lo, hi, ok := span(len(d.Source.Claims))
		d.Claims = d.Source.Claims[lo:hi]
		return page(d, ok)
	case "caveats":
		d.Caveat = m.Caveat(id)
		if d.Caveat == nil || number > 1 {
			return nil
		}
		d.Kind, d.Title = "caveat", "Caveat: "+d.Caveat.Short()
	case "tags":
		d.Tag = m.Tag(id)
		if d.Tag == nil {
			return nil
		}
		d.Kind, d.Title = "tag", "Tagged "+d.Tag.Name
		lo, hi, ok := span(len(d.Tag.Briefings))
		d.Briefings = d.Tag.Briefings[lo:hi]
		return page(d, ok)
	default:
		return nil
	}
	return d
}

// cutPage splits "<list>page/<n>/" into the list and n, for n ≥ 2 written
// without leading zeros: one URL per page.
func cutPage(dir string) (string, int, bool) {
	rest := strings.TrimSuffix(dir, "/")
	i := strings.LastIndex(rest, "/")
	if i < 0 {
		return "", 0, false
	}
	num := rest[i+1:]
	head, ok := strings.CutSuffix(rest[:i+1], "page/")
	if !ok {
		return "", 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 2 || strconv.Itoa(n) != num {
		return "", 0, false
	}
	return head, n, true
}

func page(d *Data, ok bool) *Data {
	if !ok {
		return nil
	}
	return d
}

func withStatus(status string, cs []*site.Claim) []*site.Claim {
	var out []*site.Claim
	for _, c := range cs {
		if c.Status == status {
			out = append(out, c)
		}
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Page renders the page at an output path; ok is false when there is none.
func (r *Renderer) Page(m *site.Model, out string) (page []byte, ok bool, err error) {
	d := lookup(m, r.ix, out)
	if d == nil {
		return nil, false, nil
	}
	w := &writer{}
	if err := r.execute(w, d); err != nil {
		return nil, true, err
	}
	return w.b, true, nil
}

// maxPooled is the largest page buffer Pages reuses.
const maxPooled = 1 << 20

// Output is where Pages hands what it renders.
type Output struct {
	Emit Emit
	// Stream, when not nil, takes the few large files that are written
	// in pieces, never whole (graph.json, the site's feed, the sitemap),
	// as Out.EmitFrom does.
	Stream func(path string, write func(io.Writer) error) error
	// FilesDone, when not nil, is called once every file that is not a
	// page has been emitted and dropped (they come first: see
	// renderOrder), while the pages go on.
	FilesDone func()
}

// Pages renders the pages at paths (see Paths) on all cores and hands each
// to out.
func (r *Renderer) Pages(m *site.Model, paths []string, out Output) diag.List {
	var mu sync.Mutex
	var diags diag.List
	seen := map[string]bool{}
	order, files := renderOrder(paths)
	var left atomic.Int64
	left.Store(int64(files))
	if files == 0 && out.FilesDone != nil {
		out.FilesDone()
	}
	site.Parallel(len(paths), func(j int) {
		i := order[j]
		into := r.datas.Get().(*Data)
		d := lookupIn(m, r.ix, paths[i], into)
		// A page a Go writer wrote leaves nothing holding its Data, which
		// serves the next (each was a ninth of what rendering the pages
		// allocated); a template may have kept it, as the key of a
		// cached fragment.
		defer func() {
			if d == nil || d != into || r.native[d.Kind] != nil {
				*into = Data{}
				r.datas.Put(into)
			}
		}()
		var err error
		if fk := streamed(d); out.Stream != nil && fk != nil {
			err = out.Stream(paths[i], func(w io.Writer) error { return r.stream(fk, w, d) })
		} else {
			err = r.emit(d, paths[i], out.Emit)
		}
		if j < files && left.Add(-1) == 0 && out.FilesDone != nil {
			out.FilesDone()
		}
		if err != nil {
			d := TemplateDiag(err, d.Kind+".html")
			mu.Lock()
			if !seen[d.String()] {
				seen[d.String()] = true
				diags = append(diags, d)
			}
			mu.Unlock()
		}
	})
	return diags
}

// emit renders the page d, at path p, into a pooled buffer and hands it
// to emit.
func (r *Renderer) emit(d *Data, p string, emit Emit) error {
	w, _ := r.writers.Get().(*writer)
	if w == nil {
		w = &writer{}
	}
	w.b = w.b[:0]
	err := r.execute(w, d)
	if err == nil {
		// emit keeps no reference to the page, so its memory serves
		// the next,
		err = emit(p, w.b)
	}
	// but for the few files far larger than a page, which the pool would
	// keep to the end.
	if cap(w.b) <= maxPooled {
		r.writers.Put(w)
	}
	return err
}

// renderOrder is the order Pages renders paths in, as indexes into it,
// and how many of them are files that are not pages: those come first. A
// few of them are large and made whole by one worker (graph.json, the
// sitemap, the site's feed), or wait for what the whole site makes once
// (the search index); started first, they run beside the pages on the
// other cores instead of after them, on one core while the others wait.
// The order of the emitted files is no part of the output.
func renderOrder(paths []string) ([]int, int) {
	order := make([]int, 0, len(paths))
	for i, p := range paths {
		if !strings.HasSuffix(p, ".html") {
			order = append(order, i)
		}
	}
	files := len(order)
	for i, p := range paths {
		if strings.HasSuffix(p, ".html") {
			order = append(order, i)
		}
	}
	return order, files
}

// Counts is the number of pages of each kind m has; files that are not
// pages (feeds, the sitemap) are not counted.
func (r *Renderer) Counts(m *site.Model) map[string]int {
	c := map[string]int{"briefing": len(m.Briefings), "actor": len(m.Actors), "claim": len(m.Claims),
		"source": len(m.Sources), "caveat": len(m.Caveats), "tag": len(m.Tags)}
	for _, kind := range []string{"home", "404", "briefings", "actors", "claims", "sources", "caveats", "tags", "search", "method"} {
		c[kind] = 1
	}
	// The claims index by status, and the later pages of every list.
	c["list"] = len(markup.Statuses)
	for _, l := range lists(m, r.ix, 0) {
		c["list"] += pageCount(l.n) - 1
	}
	return c
}

// CountsLine says what Counts counted: "13533 pages (1000 briefings, 52
// actors, …)", the words of build's summary and serve's first line.
func CountsLine(c map[string]int) string {
	total := 0
	for _, n := range c {
		total += n
	}
	var parts []string
	for _, k := range []string{"briefing", "actor", "claim", "source", "caveat", "tag"} {
		parts = append(parts, diag.Plural(c[k], k))
	}
	return diag.Plural(total, "page") + " (" + strings.Join(parts, ", ") + ")"
}

// recovered turns a panic of rendering d into its error: a template can
// panic through a function; that is reported, never a crash.
func recovered(d *Data, err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("template: %s.html: %v", d.Kind, p)
		if se, ok := p.(*site.SourceError); ok {
			*err = se
		}
	}
}

// stream writes the file d, of kind fk, to out in pieces.
func (r *Renderer) stream(fk *fileKind, out io.Writer, d *Data) (err error) {
	defer recovered(d, &err)
	w := &writer{b: make([]byte, 0, spillAt+spillAt/2), m: d.Site, ix: r.ix, spill: func(b []byte) error {
		_, err := out.Write(b)
		return err
	}}
	if err := fk.write(w, d); err != nil {
		return err
	}
	if w.spillErr != nil {
		return w.spillErr
	}
	_, err = out.Write(w.b)
	return err
}

// execute appends the page d to w.b.
func (r *Renderer) execute(w *writer, d *Data) (err error) {
	defer recovered(d, &err)
	w.m, w.ix = d.Site, r.ix
	if fk := fileKindOf(d.Kind); fk != nil {
		return fk.write(w, d)
	}
	if fn := r.native[d.Kind]; fn != nil {
		w.layout(d, func() { fn(w, d) })
		return nil
	}
	t := r.tmpl[d.Kind]
	if t == nil {
		return fmt.Errorf("template: %s.html: template is missing", d.Kind)
	}
	buf := &templateOut{Buffer: bytes.NewBuffer(w.b), kind: d.Kind}
	err = t.ExecuteTemplate(buf, "base.html", d)
	w.b = buf.Bytes()
	return err
}

// maxTemplatePage is the most a site's template may write for one page.
// A variable for tests.
var maxTemplatePage = 64 << 20

// templateOut is the buffer a site's template writes a page into, which
// refuses to grow past maxTemplatePage: a template that loops as it
// writes (a range over a huge number) stops there with an error, instead
// of filling the memory (serve would have run it to the end).
type templateOut struct {
	*bytes.Buffer
	kind string
}

func (o *templateOut) Write(p []byte) (int, error) {
	if o.Len()+len(p) > maxTemplatePage {
		return 0, fmt.Errorf("template: %s.html: the page passed %d MB; does a range or template call never end?", o.kind, maxTemplatePage>>20)
	}
	return o.Buffer.Write(p)
}

// WriteString is Write for html/template, which writes strings.
func (o *templateOut) WriteString(s string) (int, error) {
	if o.Len()+len(s) > maxTemplatePage {
		return o.Write([]byte(s))
	}
	return o.Buffer.WriteString(s)
}

// StaticFiles is the built-in static/ files (builtin holds the folders
// templates/ and static/) overlaid by the site's own, keyed by path below
// static/. The built-in css/syntax.css is chroma's stylesheet of the code
// styles (see TestSyntaxCSSFile).
func StaticFiles(builtin fs.FS, own map[string][]byte) (map[string][]byte, error) {
	files := map[string][]byte{}
	static, err := fs.Sub(builtin, "static")
	if err != nil {
		return nil, err
	}
	err = fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(static, p)
		files[p] = data
		return err
	})
	for p, data := range own {
		files[path.Clean(p)] = data
	}
	return files, err
}

// under is the first of sorted paths below folder dir, or "".
func under(sorted []string, dir string) string {
	if i, _ := slices.BinarySearch(sorted, dir+"/"); i < len(sorted) && strings.HasPrefix(sorted[i], dir+"/") {
		return sorted[i]
	}
	return ""
}

// Static emits static files (see StaticFiles) in path order.
func Static(files map[string][]byte, emit Emit) error {
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := emit(name, files[name]); err != nil {
			return err
		}
	}
	return nil
}

// Collisions reports the site's own static files that would be written
// where a page goes, or where a page needs a folder (or the other way
// round), or where another static file needs a folder, and those bearing
// the names the build keeps for itself: one of two such files would
// silently replace the other, and which one would depend on the order of
// writing.
// static is every static file (StaticFiles), own the site's own among them.
func Collisions(m *site.Model, static, own map[string][]byte) diag.List {
	sorted := slices.Sorted(maps.Keys(static))
	out := m.ReservedIDs(markup.Statuses)
	report := func(p, format string, args ...any) {
		out = append(out, diag.Diagnostic{Path: "static/" + p, Severity: diag.Error,
			Message: fmt.Sprintf(format, args...), Hint: "rename or move it"})
	}
	var sortedPages []string
	pages := func() []string {
		if sortedPages == nil {
			sortedPages = Paths(m, 0)
			slices.Sort(sortedPages)
		}
		return sortedPages
	}
	for _, p := range slices.Sorted(maps.Keys(own)) {
		p = path.Clean(p)
		if OwnReplaces(p) {
			continue
		}
		clash := ""
		if Lookup(m, p) != nil {
			clash = p
		} else if Lookup(m, p+"/index.html") != nil {
			clash = p + "/index.html"
		}
		for dir := path.Dir(p); clash == "" && dir != "."; dir = path.Dir(dir) {
			if Lookup(m, dir) != nil {
				clash = dir
			}
		}
		if clash != "" {
			report(p, "static file would be written where the generated page %s goes", clash)
		} else if below := under(pages(), p); below != "" {
			// A later page of a list needs <list>/page/ as a folder.
			report(p, "static file would be written where the folder of the generated page %s goes", below)
		}
		if q := under(sorted, p); q != "" {
			report(p, "static file would be written where the folder of %s goes", q)
		}
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			if _, isFile := static[dir]; isFile {
				report(p, "static file needs a folder where the file %s goes", dir)
			}
		}
		if top, reserved := reserved(p); reserved {
			report(p, "the build keeps the name %s in the output for itself", top)
		}
	}
	return out
}
