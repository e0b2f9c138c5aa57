package render

import (
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"briefing/generator/markup"
	"briefing/generator/site"

	"github.com/yuin/goldmark/util"
)

// The built-in pages are written by the Go functions below, not by
// executing the built-in templates: html/template spends most of a build in
// reflection (looking up fields and methods by name for every value of
// every page). Each function gives, byte for byte, what the template of the
// same name gives (TestNativeMatchesTemplates holds them to it), escaping
// every value as html/template does in the same place. A site's own
// template for a kind, or its own base.html, is executed instead.

// writer appends one page to b.
//
// It is a goldmark util.BufWriter that buffers nothing of its own, so that
// Markdown renders straight into the page.
type writer struct {
	b  []byte
	m  *site.Model
	ix *index
	// The dates written in each form, and their text.
	days, isoDays dateCache
	h             Head // the page's, filled anew for each
	// spill, when not nil, takes the file in pieces (see cut and
	// Output.Stream); spillErr is its first error.
	spill    func([]byte) error
	spillErr error
}

// spillAt is how much a file written in pieces holds before it spills.
// A variable for tests.
var spillAt = 64 << 10

// spillPoint is where the file w writes may be cut: between the entries
// of a long list.
func (w *writer) spillPoint() { w.b = w.cut(w.b) }

// cut hands b, what the file holds since it was last cut, to w.spill
// once it is spillAt bytes or more, and returns what the file goes on
// in: b itself, or b emptied.
func (w *writer) cut(b []byte) []byte {
	if w.spill == nil || len(b) < spillAt {
		return b
	}
	if w.spillErr == nil {
		w.spillErr = w.spill(b)
	}
	return b[:0] // after an error too: the rest is not kept
}

func (w *writer) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *writer) WriteString(s string) (int, error) {
	w.b = append(w.b, s...)
	return len(s), nil
}

func (w *writer) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

func (w *writer) WriteRune(r rune) (int, error) {
	n := len(w.b)
	w.b = utf8.AppendRune(w.b, r)
	return len(w.b) - n, nil
}

func (w *writer) Available() int { return cap(w.b) - len(w.b) }
func (w *writer) Buffered() int  { return 0 }
func (w *writer) Flush() error   { return nil }

var _ util.BufWriter = (*writer)(nil)

// markdown writes what render gives inside open and close, or nothing
// when it gives nothing, as {{with .HTML}}open{{.}}close{{end}} does.
func (w *writer) markdown(open, close string, render func(io.Writer)) {
	mark := len(w.b)
	w.raw(open)
	body := len(w.b)
	render(w)
	if len(w.b) == body {
		w.b = w.b[:mark]
		return
	}
	w.raw(close)
}

// count is the number of the site's claims of a status.
func (w *writer) count(status string) int { return len(w.ix.byStatus[status]) }

func (w *writer) raw(s string) { w.b = append(w.b, s...) }

func (w *writer) html(h template.HTML) { w.b = append(w.b, h...) }

func (w *writer) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// text escapes s for HTML text or a quoted attribute value, as
// html/template's htmlEscaper and attrEscaper do for a string.
func (w *writer) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		// A table of bools, not the strings' lengths: a fifth less time
		// on a page's text, where nearly every byte is left as it is.
		if !htmlSpecial[s[i]] {
			continue
		}
		w.b = append(w.b, s[last:i]...)
		w.b = append(w.b, htmlEscapes[s[i]]...)
		last = i + 1
	}
	w.b = append(w.b, s[last:]...)
}

// htmlSpecial tells the bytes htmlEscapes replaces.
var htmlSpecial = func() (special [256]bool) {
	for c, repl := range htmlEscapes {
		special[c] = repl != ""
	}
	return special
}()

// htmlEscapes is html/template's htmlReplacementTable by byte: every byte
// it replaces is ASCII.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// url writes s as the whole value of an href attribute: html/template's
// urlFilter (only http, https, mailto or no scheme), urlNormalizer and
// attrEscaper.
func (w *writer) url(s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		s = "#ZgotmplZ"
	}
	w.urlPart(s)
}

// urlPart writes s as a later part of an href value, before any query:
// urlNormalizer and attrEscaper.
func (w *writer) urlPart(s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~',
			c == '!', c == '#', c == '$', c == '*', c == ',', c == '/', c == ':', c == ';', c == '=', c == '?', c == '@', c == '[', c == ']':
			w.b = append(w.b, c)
		case c == '&':
			w.b = append(w.b, "&amp;"...)
		case c == '+':
			w.b = append(w.b, "&#43;"...)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			w.b = append(w.b, c)
		default:
			w.b = append(w.b, '%', hex[c>>4], hex[c&15])
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// link writes the site path p with the base path, as the url function.
func (w *writer) link(p string) { w.url(sitePath(w.m, p)) }

func (w *writer) date(t time.Time) {
	if !t.IsZero() {
		w.b = w.days.append(w.b, t, dateLayout)
	}
}

func (w *writer) isodate(t time.Time) {
	if !t.IsZero() {
		w.b = w.isoDays.append(w.b, t, time.DateOnly)
	}
}

// dateCache is the text of the dates a writer has written in one layout,
// by day. A site's pages show a few hundred dates, each on many pages and
// many times on some: formatting each anew, or remembering only the last
// (lists are in order of date), was a hundredth of a build's CPU.
type dateCache [256]struct {
	t    time.Time
	text string
}

// text is t in layout, which must be the one the cache has always been
// given.
func (c *dateCache) text(t time.Time, layout string) string {
	e := &c[uint64(t.Unix()/86400)%uint64(len(c))]
	if e.text == "" || e.t != t {
		e.t, e.text = t, t.Format(layout)
	}
	return e.text
}

// append appends t in layout (see text).
func (c *dateCache) append(b []byte, t time.Time, layout string) []byte {
	return append(b, c.text(t, layout)...)
}

// time writes t as a <time> element, or "undated" for the zero time,
// which has no machine-readable form.
func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.raw("undated")
		return
	}
	w.raw(`<time datetime="`)
	w.isodate(t)
	w.raw(`">`)
	w.date(t)
	w.raw(`</time>`)
}

// a writes <a href="u">text</a>.
func (w *writer) a(u, text string) {
	w.raw(`<a href="`)
	w.url(u)
	w.raw(`">`)
	w.text(text)
	w.raw(`</a>`)
}

// claimA writes a link to a claim by its words, marked with their language
// and direction, as the "claim-a" template does: a claim quoted in another
// script keeps its own on every page that links it.
func (w *writer) claimA(c *site.Claim) {
	w.raw(`<a href="`)
	w.url(c.URL)
	w.raw(`"`)
	w.langDir(c)
	w.raw(`>`)
	w.text(c.Short())
	w.raw(`</a>`)
}

func (w *writer) status(s string) {
	w.raw(`<span class="badge status-`)
	w.text(s)
	w.raw(`">`)
	w.text(s)
	w.raw(`</span>`)
}

func (w *writer) grade(g site.Grade) {
	if h, ok := gradeHTML[g]; ok {
		w.raw(h)
		return
	}
	w.writeGrade(g)
}

// gradeHTML is the abbr of every grade of site.Grades, written once: every
// claim in every list of claims shows one, and its title is long.
var gradeHTML = func() map[site.Grade]string {
	out := map[site.Grade]string{}
	for _, g := range site.Grades() {
		var w writer
		w.writeGrade(g)
		out[g] = string(w.b)
	}
	return out
}()

func (w *writer) writeGrade(g site.Grade) {
	if s := g.String(); s != "" {
		w.raw(`<abbr class="grade" title="`)
		w.text(g.Title())
		w.raw(`">`)
		w.text(s)
		w.raw(`</abbr>`)
	}
}

func (w *writer) actorLinks(as []*site.Actor) {
	for i, a := range as {
		if i > 0 {
			w.raw(", ")
		}
		w.a(a.URL, a.Name)
	}
}

func (w *writer) claimItem(c *site.Claim) {
	w.claimItemHead(c)
	w.raw("\n</li>")
}

// claimItemHead writes the "claim-item-head" definition of base.html: the
// start of a claim's entry in any list of claims, up to its </li>.
func (w *writer) claimItemHead(c *site.Claim) {
	w.raw("\n<li class=\"claim-item\" data-status=\"")
	w.text(c.Status)
	w.raw("\">\n")
	w.status(c.Status)
	w.raw(" ")
	w.grade(c.Grade)
	w.raw("\n<a class=\"claim-words\" href=\"")
	w.url(c.URL)
	w.raw(`"`)
	w.fullText(c.Short(), c.Text())
	w.langDir(c)
	w.raw(`>`)
	w.text(c.Short())
	w.raw("</a>\n<span class=\"meta\">")
	w.actorLinks(c.By)
	if !c.Date.IsZero() {
		w.raw(" · <time datetime=\"")
		w.isodate(c.Date)
		w.raw("\">")
		w.date(c.Date)
		w.raw("</time>")
	}
	w.raw("</span>")
}

func (w *writer) claimList(cs []*site.Claim) { orderedList(w, "claim-list", cs, w.claimItem) }

// orderedList writes the "claim-list" and "briefing-list" definitions.
func orderedList[T any](w *writer, class string, items []T, item func(T)) {
	if len(items) == 0 {
		w.raw(`<p class="empty">None.</p>`)
		return
	}
	w.raw("\n<ol class=\"")
	w.raw(class)
	w.raw("\">")
	for _, x := range items {
		item(x)
	}
	w.raw("\n</ol>")
}

func (w *writer) briefingItem(b *site.Briefing) {
	w.raw("\n<li class=\"briefing-item\">\n<a class=\"title\" href=\"")
	w.url(b.URL)
	w.raw(`">`)
	w.text(b.Title)
	w.raw("</a>\n<span class=\"meta\">")
	w.time(b.Date)
	if b.Dateline != "" {
		w.raw(" · ")
		w.text(b.Dateline)
	}
	if b.Draft {
		w.raw(` · <span class="badge draft">draft</span>`)
	}
	w.raw("</span>")
	if b.Summary != "" {
		w.raw("\n<span class=\"summary\">")
		w.text(b.Summary)
		w.raw("</span>")
	}
	w.raw("\n</li>")
}

func (w *writer) briefingList(bs []*site.Briefing) {
	orderedList(w, "briefing-list", bs, w.briefingItem)
}

func (w *writer) caveatItem(cv *site.Caveat) {
	w.raw("\n<li class=\"caveat-item\">\n<div class=\"caveat-body\">")
	w.html(cv.HTML())
	w.raw("</div>\n<p class=\"meta\">")
	if len(cv.By) > 0 {
		w.raw("By ")
		w.actorLinks(cv.By)
		w.raw(" · ")
	}
	w.raw("on ")
	for i, c := range cv.Listed() {
		if i > 0 {
			w.raw("; ")
		}
		w.raw(`<a href="`)
		w.url(c.URL)
		w.raw(`"`)
		w.fullText(c.Short(), c.Text())
		w.langDir(c)
		w.raw(`>`)
		w.text(c.Short())
		w.raw(`</a>`)
	}
	if n := cv.Unlisted(); n > 0 {
		w.raw(` and <a href="`)
		w.url(cv.URL)
		w.raw(`">`)
		w.int(n)
		w.raw(` more</a>`)
	}
	if b := cv.Briefing; b != nil {
		w.raw(" · in ")
		w.a(b.URL, b.Title)
	}
	w.raw(` · <a href="`)
	w.url(cv.URL)
	w.raw("\">permalink</a></p>\n</li>")
}

func (w *writer) caveatList(cvs []*site.Caveat) {
	w.raw(`<ul class="caveat-list">`)
	for _, cv := range cvs {
		w.caveatItem(cv)
	}
	w.raw(`</ul>`)
}

func (w *writer) pager(p Pager) {
	if p.Total <= 1 {
		return
	}
	w.raw("\n<nav class=\"pager\" aria-label=\"Pages\">")
	if p.Prev != "" {
		w.raw(`<a rel="prev" href="`)
		w.url(p.Prev)
		w.raw(`">← Previous</a> `)
	}
	w.raw("<span>Page ")
	w.int(p.Number)
	w.raw(" of ")
	w.int(p.Total)
	w.raw("</span>")
	if p.Next != "" {
		w.raw(` <a rel="next" href="`)
		w.url(p.Next)
		w.raw(`">Next →</a>`)
	}
	w.raw("</nav>")
}

var sections = []struct{ path, name, index, page string }{
	{"briefings/", "Briefings", "briefings", "briefing"},
	{"claims/", "Claims", "claims", "claim"},
	{"actors/", "Actors", "actors", "actor"},
	{"sources/", "Sources", "sources", "source"},
	{"caveats/", "Caveats", "caveats", "caveat"},
	{"tags/", "Tags", "tags", "tag"},
}

// layout writes base.html around main.
func (w *writer) layout(d *Data, main func()) {
	m := w.m
	w.raw("<!doctype html>\n<html lang=\"")
	w.text(m.Language)
	if dir := m.Dir(); dir != "" {
		w.raw("\" dir=\"")
		w.raw(dir)
	}
	w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
	fillHead(&w.h, d, w.ix, &w.isoDays)
	w.head(&w.h)
	w.raw("\n<link rel=\"stylesheet\" href=\"")
	w.link("css/style.css")
	w.raw("\">\n<link rel=\"stylesheet\" href=\"")
	w.link("css/syntax.css")
	w.raw("\">\n<script src=\"")
	w.link("js/cards.js")
	w.raw("\" defer></script>\n</head>\n<body class=\"page-")
	w.text(d.Kind)
	w.raw("\">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n<div class=\"wrap\">\n<a class=\"brand\" href=\"")
	w.link("")
	w.raw(`">`)
	w.text(m.Title)
	w.raw("</a>\n<nav aria-label=\"Sections\">\n<ul>\n")
	for _, s := range sections {
		w.raw(`<li><a href="`)
		w.link(s.path)
		w.raw(`"`)
		if d.Kind == s.index || d.Kind == s.page {
			w.raw(` aria-current="page"`)
		}
		w.raw(`>`)
		w.raw(s.name)
		w.raw("</a></li>\n")
	}
	w.raw("</ul>\n</nav>\n<form class=\"site-search\" role=\"search\" action=\"")
	w.link("search/")
	w.raw("\">\n<label><span class=\"visually-hidden\">Search the site</span><input type=\"search\" name=\"q\" placeholder=\"Search\" autocomplete=\"off\" dir=\"auto\"></label>\n</form>\n</div>\n</header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n")
	main()
	w.raw("\n</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>")
	w.text(m.Title)
	if m.Description != "" {
		w.raw(" — ")
		w.text(m.Description)
	}
	w.raw("</p>\n<p class=\"legend\">Grades use the Admiralty code: a source's reliability from <abbr title=\"completely reliable\">A</abbr> to <abbr title=\"reliability cannot be judged\">F</abbr>, the information's credibility from <abbr title=\"confirmed by other sources\">1</abbr> to <abbr title=\"truth cannot be judged\">6</abbr>. <a href=\"")
	w.link("method/")
	w.raw("\">How to read this site</a></p>\n</div>\n</footer>\n</body>\n</html>\n")
}

// head writes the metadata of base.html's <head>.
func (w *writer) head(h *Head) {
	w.raw("\n<title>")
	w.text(h.Title)
	w.raw("</title>\n<meta name=\"description\" content=\"")
	w.text(h.Description)
	w.raw(`">`)
	if h.URL != "" {
		w.raw("\n<link rel=\"canonical\" href=\"")
		w.url(h.URL)
		w.raw(`">`)
	}
	if h.NoIndex {
		w.raw("\n<meta name=\"robots\" content=\"noindex\">")
	}
	w.raw("\n<meta property=\"og:type\" content=\"")
	w.text(h.Type)
	w.raw("\">\n<meta property=\"og:title\" content=\"")
	w.text(h.Name)
	w.raw("\">\n<meta property=\"og:description\" content=\"")
	w.text(h.Description)
	w.raw(`">`)
	if h.URL != "" {
		w.raw("\n<meta property=\"og:url\" content=\"")
		w.text(h.URL)
		w.raw(`">`)
	}
	w.raw("\n<meta property=\"og:site_name\" content=\"")
	w.text(w.m.Title)
	w.raw(`">`)
	if h.Published != "" {
		w.raw("\n<meta property=\"article:published_time\" content=\"")
		w.text(h.Published)
		w.raw(`">`)
	}
	// X falls back to og:title and og:description: only the card's kind
	// is its own.
	w.raw("\n<meta name=\"twitter:card\" content=\"summary\">")
	for _, f := range h.Feeds {
		w.raw("\n<link rel=\"alternate\" type=\"application/atom+xml\" href=\"")
		w.url(f.Href)
		w.raw("\" title=\"")
		w.text(f.Title)
		w.raw(`">`)
	}
	if h.claim != nil {
		// JSON that escapes <, > and &: see claimReview.
		w.raw("\n<script type=\"application/ld+json\">")
		w.b = appendClaimReview(w.b, h.claim, h.m, &w.isoDays)
		w.raw("</script>")
	}
}

// natives are the Go writers of the built-in pages, by kind.
var natives = map[string]func(w *writer, d *Data){
	"home": homePage, "404": notFoundPage,
	"briefings": briefingsPage, "briefing": briefingPage,
	"actors": actorsPage, "actor": actorPage,
	"claims": claimsPage, "claim": claimPage,
	"sources": sourcesPage, "source": sourcePage,
	"caveats": caveatsPage, "caveat": caveatPage,
	"tags": tagsPage, "tag": tagPage,
	"method": methodPage,
}

func claimPage(w *writer, d *Data) {
	c := d.Claim
	w.raw("\n<article class=\"claim-page\">\n<header class=\"article-head\">\n<p class=\"kicker\">Claim · ")
	w.status(c.Status)
	w.raw(" ")
	w.grade(c.Grade)
	w.raw("</p>\n<h1><q")
	w.langDir(c)
	w.raw(">")
	w.markdown("", "", c.WriteWords)
	w.raw("</q></h1>")
	w.updateBanner(c)
	w.raw("\n</header>\n<dl class=\"facts\">\n<dt>Said by</dt><dd>")
	w.actorLinks(c.By)
	w.raw("</dd>\n")
	if len(c.About) > 0 {
		w.raw("<dt>About</dt><dd>")
		w.actorLinks(c.About)
		w.raw("</dd>")
	}
	w.raw("\n")
	if !c.Date.IsZero() {
		w.raw("<dt>Date</dt><dd>")
		w.date(c.Date)
		w.raw("</dd>")
	}
	w.raw("\n<dt>Status</dt><dd>")
	w.text(c.Status)
	w.raw("</dd>\n<dt>Grade</dt><dd>")
	if c.Grade.String() != "" {
		w.grade(c.Grade)
		w.raw(" — ")
		w.text(c.Grade.Title())
	} else {
		w.raw("not graded")
	}
	w.raw("</dd>\n")
	if c.Likelihood != "" {
		w.raw("<dt>Likelihood</dt><dd>")
		w.text(markup.LikelihoodWords[c.Likelihood])
		w.raw("</dd>")
	}
	w.raw("\n")
	if c.Confidence != "" {
		w.raw("<dt>Analytic confidence</dt><dd>")
		w.text(c.Confidence)
		w.raw("</dd>")
	}
	w.raw("\n</dl>\n<section aria-labelledby=\"h-sources\">\n<h2 id=\"h-sources\">Sources</h2>\n")
	if len(c.Sources) > 0 {
		w.raw(`<ul class="source-list">`)
		for _, s := range c.Sources {
			g := c.SourceGrade(s)
			w.raw("\n<li>")
			w.a(s.URL, s.Title)
			w.raw(" ")
			w.grade(g)
			w.raw(` <span class="meta">`)
			w.text(g.Title())
			if s.PublisherName != "" {
				w.raw(" · ")
				w.text(s.PublisherName)
			}
			if !s.Date.IsZero() {
				w.raw(" · ")
				w.date(s.Date)
			}
			w.raw("</span></li>")
		}
		w.raw("\n</ul>")
	} else {
		w.raw(`<p class="empty">No source given.</p>`)
	}
	w.raw("\n</section>\n<section aria-labelledby=\"h-caveats\">\n<h2 id=\"h-caveats\">Analyst caveats</h2>\n")
	if len(c.Caveats) > 0 {
		w.caveatList(c.Caveats)
	} else {
		w.raw(`<p class="empty">None.</p>`)
	}
	w.raw("\n</section>\n<section aria-labelledby=\"h-related\">\n<h2 id=\"h-related\">Related claims</h2>\n")
	related := []struct {
		title string
		cs    []*site.Claim
	}{
		{"Contradicts", c.Contradicts}, {"Contradicted by", c.ContradictedBy},
		{"Supports", c.Supports}, {"Supported by", c.SupportedBy},
		{"Updates", c.Updates}, {"Updated by", c.UpdatedBy},
	}
	some := false
	for _, r := range related {
		some = some || len(r.cs) > 0
	}
	if some {
		w.raw("\n")
		writeNeighbourhood(w, c)
		w.raw("\n")
		for i, r := range related {
			if i > 0 {
				w.raw("\n")
			}
			if len(r.cs) > 0 {
				w.raw("<h3>")
				w.raw(r.title)
				w.raw("</h3>")
				w.claimList(r.cs)
			}
		}
		w.raw("\n")
	} else {
		w.raw(`<p class="empty">None.</p>`)
	}
	w.raw("\n</section>\n")
	w.claimHistory(c)
	w.raw("<section aria-labelledby=\"h-appears\">\n<h2 id=\"h-appears\">Appears in</h2>\n")
	w.briefingList(c.AppearsIn)
	w.raw("\n</section>\n</article>\n")
}

func homePage(w *writer, d *Data) {
	m := w.m
	w.raw("\n<section class=\"intro\" aria-labelledby=\"site-title\">\n<h1 id=\"site-title\">")
	w.text(m.Title)
	w.raw("</h1>\n")
	w.markdown(`<div class="prose">`, `</div>`, m.WriteIntro)
	w.raw("\n</section>\n<div class=\"columns\">\n<section aria-labelledby=\"h-newest\" class=\"wide\">\n<h2 id=\"h-newest\">Newest briefings</h2>\n")
	w.briefingList(m.Briefings[:min(10, len(m.Briefings))])
	w.raw("\n<p><a href=\"")
	w.link("briefings/")
	w.raw("\">All briefings →</a></p>\n</section>\n<section aria-labelledby=\"h-disputed\">\n<h2 id=\"h-disputed\">Latest disputed claims</h2>\n")
	disputed := w.ix.byStatus["disputed"]
	w.claimList(disputed[:min(8, len(disputed))])
	w.raw("\n<p><a href=\"")
	w.link("claims/disputed/")
	w.raw("\">All disputed claims →</a></p>\n</section>\n<section aria-labelledby=\"h-actors\">\n<h2 id=\"h-actors\">Most-cited actors</h2>\n")
	if top := mostCited(m.Actors); len(top) > 0 {
		top = top[:min(8, len(top))]
		w.raw(`<ol class="actor-list">`)
		for _, a := range top {
			w.raw("\n<li>")
			w.a(a.URL, a.Name)
			w.raw(` <span class="meta">`)
			w.text(a.Role)
			if a.Role != "" {
				w.raw(" · ")
			}
			w.int(len(a.ClaimsBy))
			w.raw(" said · ")
			w.int(len(a.ClaimsAbout))
			w.raw(" about · ")
			w.text(plural(len(a.Mentioned), "briefing", "briefings"))
			w.raw("</span></li>")
		}
		w.raw("\n</ol>")
	} else {
		w.raw(`<p class="empty">None.</p>`)
	}
	w.raw("\n</section>\n</div>\n")
}

func notFoundPage(w *writer, d *Data) {
	w.raw("\n<h1>Page not found</h1>\n<p>Nothing is published at this address. It may have been renamed when a briefing was revised.</p>\n<p><a href=\"")
	w.link("")
	w.raw("\">Go to the front page</a>, or browse <a href=\"")
	w.link("briefings/")
	w.raw("\">briefings</a>, <a href=\"")
	w.link("claims/")
	w.raw("\">claims</a> and <a href=\"")
	w.link("actors/")
	w.raw("\">actors</a>.</p>\n")
}

func briefingsPage(w *writer, d *Data) {
	w.raw("\n<h1>Briefings</h1>\n")
	w.briefingList(d.Briefings)
	w.pager(d.Pager)
	w.raw("\n")
}

func briefingPage(w *writer, d *Data) {
	b := d.Briefing
	w.raw("\n<article class=\"briefing\">\n<header class=\"article-head\">\n<p class=\"kicker\">")
	if b.Dateline != "" {
		w.raw(`<span class="dateline">`)
		w.text(b.Dateline)
		w.raw(`</span> · `)
	}
	w.time(b.Date)
	if b.Draft {
		w.raw(` · <span class="badge draft">draft</span>`)
	}
	w.raw("</p>\n<h1>")
	w.text(b.Title)
	w.raw("</h1>\n")
	if b.Summary != "" {
		w.raw(`<p class="summary">`)
		w.text(b.Summary)
		w.raw(`</p>`)
	}
	w.raw("\n")
	if len(b.TagList) > 0 {
		w.raw(`<ul class="tags" aria-label="Tags">`)
		for _, t := range b.TagList {
			w.raw(`<li>`)
			w.a(t.URL, t.Name)
			w.raw(`</li>`)
		}
		w.raw(`</ul>`)
	}
	w.raw("\n</header>\n")
	// A body rendered while it was parsed is not parsed again for its
	// headings and text; any other is parsed once for both.
	toc, body := b.TOC, b.WriteHTML
	if !b.Rendered() {
		doc, src := d.BriefingDoc()
		toc = func() []*site.TOCEntry { return b.TOCIn(doc, src) }
		body = func(out io.Writer) { b.WriteDoc(out, doc, src) }
	}
	w.toc(toc())
	w.raw("<div class=\"prose\">\n")
	w.markdown("", "", body)
	w.raw("\n</div>\n<footer class=\"article-facts\">\n<section aria-labelledby=\"h-claims\">\n<h2 id=\"h-claims\">Claims in this briefing</h2>\n")
	w.relatedClaimList(b.Claims)
	w.raw("\n</section>\n")
	if len(b.Cited) > 0 {
		w.raw("<section aria-labelledby=\"h-cited\">\n<h2 id=\"h-cited\">Claims from other briefings</h2>\n")
		w.relatedClaimList(b.Cited)
		w.raw("\n</section>")
	}
	w.raw("\n")
	if len(b.Caveats) > 0 {
		w.raw("<section aria-labelledby=\"h-caveats\">\n<h2 id=\"h-caveats\">Analyst caveats</h2>\n")
		w.caveatLinks(b.Caveats)
		w.raw("\n</section>")
	}
	w.raw("\n<section aria-labelledby=\"h-actors\">\n<h2 id=\"h-actors\">Actors</h2>\n")
	if len(b.Actors) > 0 {
		w.raw("<p>")
		w.actorLinks(b.Actors)
		w.raw("</p>")
	} else {
		w.raw(`<p class="empty">None.</p>`)
	}
	w.raw("\n</section>\n<section aria-labelledby=\"h-sources\">\n<h2 id=\"h-sources\">Sources</h2>\n")
	if len(b.Sources) > 0 {
		w.endnotes(b.Sources)
	} else {
		w.raw(`<p class="empty">None.</p>`)
	}
	w.raw("\n</section>\n</footer>\n</article>\n")
	w.briefingNav(b)
}

func actorsPage(w *writer, d *Data) {
	w.raw("\n<h1>Actors</h1>\n")
	for _, g := range actorKinds(w.m.Actors) {
		w.raw("\n<section aria-labelledby=\"kind-")
		w.text(g.Kind)
		w.raw("\">\n<h2 id=\"kind-")
		w.text(g.Kind)
		w.raw(`">`)
		w.text(g.Title)
		w.raw("</h2>\n<ul class=\"actor-list\">")
		for _, a := range g.Actors {
			w.raw("\n<li>")
			w.a(a.URL, a.Name)
			if a.Role != "" {
				w.raw(` <span class="meta">`)
				w.text(a.Role)
				w.raw(`</span>`)
			}
			w.raw("</li>")
		}
		w.raw("\n</ul>\n</section>\n")
	}
	w.raw("\n")
}

func actorPage(w *writer, d *Data) {
	a := d.Actor
	w.raw("\n<article class=\"actor-page\">\n<header class=\"article-head\">\n<p class=\"kicker\">")
	if a.ActorKind != "" {
		w.text(a.ActorKind)
	} else {
		w.raw("actor")
	}
	w.raw("</p>\n<h1>")
	w.text(a.Name)
	w.raw("</h1>\n")
	if a.Role != "" {
		w.raw(`<p class="summary">`)
		w.text(a.Role)
		w.raw(`</p>`)
	}
	w.raw("\n</header>\n<dl class=\"facts\">\n")
	if f := a.Affiliate; f != nil {
		w.raw("<dt>Affiliation</dt><dd>")
		w.a(f.URL, f.Name)
		w.raw("</dd>")
	}
	w.raw("\n")
	if len(a.Aliases) > 0 {
		w.raw("<dt>Also known as</dt><dd>")
		for i, s := range a.Aliases {
			if i > 0 {
				w.raw(", ")
			}
			w.text(s)
		}
		w.raw("</dd>")
	}
	w.raw("\n")
	if len(a.Members) > 0 {
		w.raw("<dt>Affiliated</dt><dd>")
		w.actorLinks(a.Members)
		w.raw("</dd>")
	}
	w.raw("\n")
	if len(a.Published) > 0 {
		w.raw("<dt>Publishes</dt><dd>")
		for i, s := range a.Published {
			if i > 0 {
				w.raw(", ")
			}
			w.a(s.URL, s.Title)
		}
		w.raw("</dd>")
	}
	w.raw("\n<dt>Record</dt><dd>")
	w.text(plural(len(a.ClaimsBy), "claim", "claims"))
	w.raw(" made · ")
	w.text(plural(len(a.ClaimsAbout), "claim", "claims"))
	w.raw(" about them · ")
	w.text(plural(len(a.Mentioned), "briefing", "briefings"))
	w.raw("</dd>\n</dl>\n")
	w.markdown(`<div class="prose">`, `</div>`, a.WriteHTML)
	w.raw("\n</article>\n<section aria-labelledby=\"h-timeline\">\n<h2 id=\"h-timeline\">Timeline</h2>\n<p class=\"meta\">Each briefing that mentions ")
	w.text(a.Name)
	w.raw(", newest first, with the claims they made or are the subject of there.</p>\n")
	w.timeline(d.Timeline)
	w.pager(d.Pager)
	w.raw("\n</section>\n")
}

func claimsPage(w *writer, d *Data) {
	w.raw("\n<h1>")
	w.text(d.Title)
	w.raw("</h1>\n<nav class=\"filter\" aria-label=\"Claims by status\">\n<ul>\n<li><a href=\"")
	w.link("claims/")
	w.raw(`"`)
	if d.Status == "" {
		w.raw(` aria-current="page"`)
	}
	w.raw(">all (")
	w.int(len(w.m.Claims))
	w.raw(")</a></li>")
	for _, s := range markup.Statuses {
		w.raw("\n<li><a data-status=\"")
		w.text(s)
		w.raw(`" href="`)
		w.link("claims/")
		w.urlPart(s)
		w.raw(`/"`)
		if s == d.Status {
			w.raw(` aria-current="page"`)
		}
		w.raw(">")
		w.text(s)
		w.raw(" (")
		w.int(w.count(s))
		w.raw(")</a></li>")
	}
	w.raw("\n</ul>\n</nav>\n")
	w.claimsFilter(d)
}

func sourcesPage(w *writer, d *Data) {
	w.raw("\n<h1>Sources</h1>\n<p class=\"table-hint\" aria-hidden=\"true\">Scroll the table sideways for more →</p>\n<div class=\"table-wrap\">\n<table class=\"sources\">\n<thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Publisher</th><th scope=\"col\">Date</th><th scope=\"col\">Grade</th><th scope=\"col\">Claims</th></tr></thead>\n<tbody>")
	for _, s := range d.Sources {
		w.raw("\n<tr><td>")
		w.a(s.URL, s.Title)
		w.raw("</td><td>")
		if p := s.PublisherActor; p != nil {
			w.a(p.URL, p.Name)
		} else {
			w.text(s.PublisherName)
		}
		w.raw("</td><td>")
		w.date(s.Date)
		w.raw("</td><td>")
		w.grade(s.DefaultGrade())
		w.raw("</td><td>")
		w.int(len(s.Claims))
		w.raw("</td></tr>")
	}
	w.raw("\n</tbody>\n</table>\n</div>")
	w.pager(d.Pager)
	w.raw("\n")
}

func sourcePage(w *writer, d *Data) {
	s := d.Source
	w.raw("\n<article class=\"source-page\">\n<header class=\"article-head\">\n<p class=\"kicker\">Source ")
	w.grade(s.DefaultGrade())
	w.raw("</p>\n<h1>")
	w.text(s.Title)
	w.raw("</h1>\n</header>\n<dl class=\"facts\">\n")
	if s.PublisherName != "" {
		w.raw("<dt>Publisher</dt><dd>")
		if p := s.PublisherActor; p != nil {
			w.a(p.URL, p.Name)
		} else {
			w.text(s.PublisherName)
		}
		w.raw("</dd>")
	}
	w.raw("\n")
	if !s.Date.IsZero() {
		w.raw("<dt>Date</dt><dd>")
		w.date(s.Date)
		w.raw("</dd>")
	}
	w.raw("\n")
	if s.SourceURL != "" {
		// An address that is not the web's is shown, not linked: it
		// would lead into the site, or be blocked (a warning says so).
		w.raw(`<dt>Original</dt><dd>`)
		if s.Web() {
			w.raw(`<a href="`)
			w.url(s.SourceURL)
			w.raw(`" rel="external noopener">`)
			w.text(s.SourceURL)
			w.raw("</a>")
		} else {
			w.text(s.SourceURL)
		}
		w.raw("</dd>")
	}
	w.raw("\n<dt>Reliability</dt><dd>")
	orNot(w, s.ReliabilityText)
	w.raw("</dd>\n<dt>Default credibility</dt><dd>")
	orNot(w, s.CredibilityText)
	w.raw("</dd>\n</dl>\n")
	w.markdown(`<div class="prose">`, `</div>`, s.WriteHTML)
	w.raw("\n<section aria-labelledby=\"h-claims\">\n<h2 id=\"h-claims\">Claims it backs</h2>\n")
	w.claimList(d.Claims)
	w.pager(d.Pager)
	w.raw("\n</section>\n</article>\n")
}

func orNot(w *writer, s string) {
	if s == "" {
		w.raw("not graded")
		return
	}
	w.text(s)
}

func caveatsPage(w *writer, d *Data) {
	w.raw("\n<h1>Analyst caveats</h1>\n")
	if len(d.Caveats) > 0 {
		w.caveatList(d.Caveats)
	} else {
		w.raw(`<p class="empty">None.</p>`)
	}
	w.pager(d.Pager)
	w.raw("\n")
}

func caveatPage(w *writer, d *Data) {
	cv := d.Caveat
	w.raw("\n<article class=\"caveat-page\">\n<header class=\"article-head\">\n<p class=\"kicker\">Analyst caveat")
	if len(cv.By) > 0 {
		w.raw(" by ")
		w.actorLinks(cv.By)
	}
	if !cv.Date.IsZero() {
		w.raw(" · ")
		w.date(cv.Date)
	}
	w.raw("</p>\n<h1>")
	w.text(d.Title)
	w.raw("</h1>\n</header>\n<div class=\"prose caveat-body\">")
	w.html(cv.HTML())
	w.raw("</div>\n<section aria-labelledby=\"h-on\">\n<h2 id=\"h-on\">Qualifies</h2>\n")
	w.claimList(cv.On)
	w.raw("\n</section>\n")
	if b := cv.Briefing; b != nil {
		w.raw("<p>Written in ")
		w.a(b.URL, b.Title)
		w.raw(".</p>")
	}
	w.raw("\n</article>\n")
}

func tagsPage(w *writer, d *Data) {
	w.raw("\n<h1>Tags</h1>\n")
	if len(w.m.Tags) > 0 {
		w.raw(`<ul class="tag-cloud">`)
		for _, t := range w.m.Tags {
			w.raw("<li>")
			w.a(t.URL, t.Name)
			w.raw(` <span class="meta">`)
			w.int(len(t.Briefings))
			w.raw("</span></li>")
		}
		w.raw("</ul>")
	} else {
		w.raw(`<p class="empty">None.</p>`)
	}
	w.raw("\n")
}

func tagPage(w *writer, d *Data) {
	w.raw("\n<h1>Briefings tagged <q>")
	w.text(d.Tag.Name)
	w.raw("</q></h1>\n")
	w.briefingList(d.Briefings)
	w.pager(d.Pager)
	w.raw("\n<p><a href=\"")
	w.link("tags/")
	w.raw("\">All tags</a></p>\n")
}
