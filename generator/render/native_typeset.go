package render

import "briefing/generator/site"

// caveatLinks writes a briefing's caveats as links to where they stand in
// its text: each caveat is shown once on the page, and this list only
// points at them.
func (w *writer) caveatLinks(cvs []*site.Caveat) {
	w.raw(`<ul class="caveat-links">`)
	for _, cv := range cvs {
		w.raw("\n<li><a href=\"#")
		w.urlPart(cv.Anchor())
		w.raw(`"`)
		w.fullText(cv.Short(), cv.Text())
		w.raw(`>`)
		w.text(cv.Short())
		w.raw("</a></li>")
	}
	w.raw("\n</ul>")
}

// fullText writes a title attribute with the whole of words that are
// shown cut short: the reader can have them without leaving the list.
func (w *writer) fullText(short, full string) {
	if short != full {
		w.raw(` title="`)
		w.text(full)
		w.raw(`"`)
	}
}
