package render

import "briefing/generator/site"

// The parts of a briefing's page for reading it, as templates/briefing.html
// writes them.

// toc writes a briefing's table of contents, when it has one.
func (w *writer) toc(entries []*site.TOCEntry) {
	if len(entries) == 0 {
		return
	}
	w.raw("<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">Contents</h2>\n<ol>")
	for _, e := range entries {
		w.raw("\n<li>")
		w.a(e.Href, e.Text)
		if len(e.Sub) > 0 {
			w.raw("<ol>")
			for _, s := range e.Sub {
				w.raw("<li>")
				w.a(s.Href, s.Text)
				w.raw("</li>")
			}
			w.raw("</ol>")
		}
		w.raw("</li>")
	}
	w.raw("\n</ol>\n</nav>\n")
}

// endnotes writes the sources a briefing cites, numbered, with their
// publisher and address: on paper, the briefing's end notes.
func (w *writer) endnotes(sources []*site.Source) {
	w.raw(`<ol class="source-list endnotes">`)
	for _, s := range sources {
		w.raw(`<li>`)
		w.a(s.URL, s.Title)
		w.raw(" ")
		w.grade(s.DefaultGrade())
		if s.PublisherName != "" {
			w.raw(` · <span class="publisher">`)
			w.text(s.PublisherName)
			w.raw(`</span>`)
		}
		switch {
		case s.Web():
			w.raw(` · <a class="source-url" href="`)
			w.url(s.SourceURL)
			w.raw(`">`)
			w.text(s.SourceURL)
			w.raw(`</a>`)
		case s.SourceURL != "":
			w.raw(` · `)
			w.text(s.SourceURL)
		}
		w.raw(`</li>`)
	}
	w.raw(`</ol>`)
}

// briefingNav writes the links to the briefings dated before and after
// b, as the briefings index orders them.
func (w *writer) briefingNav(b *site.Briefing) {
	older, newer := b.Older(), b.Newer()
	if older == nil && newer == nil {
		return
	}
	w.raw(`<nav class="briefing-nav" aria-label="Previous and next briefings">`)
	if older != nil {
		w.raw("\n<a rel=\"prev\" href=\"")
		w.url(older.URL)
		w.raw(`"><span class="nav-dir">← Previous briefing</span> <span class="nav-title">`)
		w.text(older.Title)
		w.raw(`</span></a>`)
	}
	if newer != nil {
		w.raw("\n<a rel=\"next\" href=\"")
		w.url(newer.URL)
		w.raw(`"><span class="nav-dir">Next briefing →</span> <span class="nav-title">`)
		w.text(newer.Title)
		w.raw(`</span></a>`)
	}
	w.raw("\n</nav>\n")
}
