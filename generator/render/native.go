package render

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"briefing/generator/markup"
	"briefing/generator/site"
)

// The built-in pages are written by the Go functions below, not by
// executing the built-in templates: html/template spends most of a build in
// reflection (looking up fields and methods by name for every value of
// every page). Each function gives, byte for byte, what the template of the
// same name gives (TestNativeMatchesTemplates holds them to it), escaping
// every value as html/template does in the same place. A site's own
// template for a kind, or its own base.html, is executed instead.

// writer appends one page to b.
type writer struct {
	b    []byte
	m    *site.Model
	kind string
}

func (w *writer) raw(s string) { w.b = append(w.b, s...) }

func (w *writer) html(h template.HTML) { w.b = append(w.b, h...) }

func (w *writer) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// text escapes s for HTML text or a quoted attribute value, as
// html/template's htmlEscaper and attrEscaper do for a string.
func (w *writer) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		w.b = append(w.b, s[last:i]...)
		w.b = append(w.b, repl...)
		last = i + 1
	}
	w.b = append(w.b, s[last:]...)
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
func (w *writer) link(p string) { w.url(w.m.BasePath + strings.TrimPrefix(p, "/")) }

func (w *writer) date(t time.Time) {
	if !t.IsZero() {
		w.b = t.AppendFormat(w.b, "2 January 2006")
	}
}

func (w *writer) isodate(t time.Time) {
	if !t.IsZero() {
		w.b = t.AppendFormat(w.b, time.DateOnly)
	}
}

// a writes <a href="u">text</a>.
func (w *writer) a(u, text string) {
	w.raw(`<a href="`)
	w.url(u)
	w.raw(`">`)
	w.text(text)
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
	w.raw("\n<li class=\"claim-item\" data-status=\"")
	w.text(c.Status)
	w.raw("\">\n")
	w.status(c.Status)
	w.raw(" ")
	w.grade(c.Grade)
	w.raw("\n<a class=\"claim-words\" href=\"")
	w.url(c.URL)
	w.raw(`">`)
	w.text(c.Short())
	w.raw("</a>\n<span class=\"meta\">")
	w.actorLinks(c.By)
	if !c.Date.IsZero() {
		w.raw(" · <time>")
		w.date(c.Date)
		w.raw("</time>")
	}
	w.raw("</span>\n</li>")
}

func (w *writer) claimList(cs []*site.Claim) {
	if len(cs) == 0 {
		w.raw(`<p class="empty">None.</p>`)
		return
	}
	w.raw("\n<ol class=\"claim-list\">")
	for _, c := range cs {
		w.claimItem(c)
	}
	w.raw("\n</ol>")
}

func (w *writer) briefingItem(b *site.Briefing) {
	w.raw("\n<li class=\"briefing-item\">\n<a class=\"title\" href=\"")
	w.url(b.URL)
	w.raw(`">`)
	w.text(b.Title)
	w.raw("</a>\n<span class=\"meta\"><time datetime=\"")
	w.isodate(b.Date)
	w.raw(`">`)
	w.date(b.Date)
	w.raw("</time>")
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
	if len(bs) == 0 {
		w.raw(`<p class="empty">None.</p>`)
		return
	}
	w.raw("\n<ol class=\"briefing-list\">")
	for _, b := range bs {
		w.briefingItem(b)
	}
	w.raw("\n</ol>")
}

func (w *writer) caveatItem(cv *site.Caveat) {
	w.raw("\n<li class=\"caveat-item\" id=\"caveat-")
	w.text(cv.ID)
	w.raw("\">\n<div class=\"caveat-body\">")
	w.html(cv.HTML())
	w.raw("</div>\n<p class=\"meta\">")
	if len(cv.By) > 0 {
		w.raw("By ")
		w.actorLinks(cv.By)
		w.raw(" · ")
	}
	w.raw("on ")
	for i, c := range cv.On {
		if i > 0 {
			w.raw("; ")
		}
		w.a(c.URL, c.Short())
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
	w.raw("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	if d.Kind == "home" {
		w.text(m.Title)
	} else {
		w.text(d.Title)
		w.raw(" · ")
		w.text(m.Title)
	}
	w.raw("</title>")
	if m.Description != "" {
		w.raw("\n<meta name=\"description\" content=\"")
		w.text(m.Description)
		w.raw(`">`)
	}
	w.raw("\n<link rel=\"stylesheet\" href=\"")
	w.link("css/style.css")
	w.raw("\">\n<link rel=\"stylesheet\" href=\"")
	w.link("css/syntax.css")
	w.raw("\">\n</head>\n<body class=\"page-")
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
	w.raw("</ul>\n</nav>\n</div>\n</header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n")
	main()
	w.raw("\n</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>")
	w.text(m.Title)
	if m.Description != "" {
		w.raw(" — ")
		w.text(m.Description)
	}
	w.raw("</p>\n<p class=\"legend\">Grades use the Admiralty code: a source's reliability from <abbr title=\"completely reliable\">A</abbr> to <abbr title=\"reliability cannot be judged\">F</abbr>, the information's credibility from <abbr title=\"confirmed by other sources\">1</abbr> to <abbr title=\"truth cannot be judged\">6</abbr>.</p>\n</div>\n</footer>\n</body>\n</html>\n")
}

// natives are the Go writers of the built-in pages, by kind.
var natives = map[string]func(w *writer, d *Data){
	"claim": claimPage,
}

func claimPage(w *writer, d *Data) {
	c := d.Claim
	w.raw("\n<article class=\"claim-page\">\n<header class=\"article-head\">\n<p class=\"kicker\">Claim · ")
	w.status(c.Status)
	w.raw(" ")
	w.grade(c.Grade)
	w.raw("</p>\n<h1><q>")
	w.html(c.Words())
	w.raw("</q></h1>\n</header>\n<dl class=\"facts\">\n<dt>Said by</dt><dd>")
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
		w.text(likelihoodText[c.Likelihood])
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
	any := false
	for _, r := range related {
		any = any || len(r.cs) > 0
	}
	if any {
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
	w.raw("\n</section>\n<section aria-labelledby=\"h-appears\">\n<h2 id=\"h-appears\">Appears in</h2>\n")
	w.briefingList(c.AppearsIn)
	w.raw("\n</section>\n</article>\n")
}

var _ = markup.Statuses
