package site

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// The Write methods render Markdown to w each time they are called and keep
// nothing, unlike the HTML methods, which keep what they rendered for the
// model's life: a build shows each body on one page only, and keeping ten
// thousand rendered briefings would double its memory. w is the caller's,
// so that one buffered writer serves every page a worker renders.

// WriteHTML renders the briefing's body.
func (b *Briefing) WriteHTML(w util.BufWriter) { b.m.writeDoc(w, b.Page) }

// WriteHTML renders the actor's profile text.
func (a *Actor) WriteHTML(w util.BufWriter) { a.m.writeDoc(w, a.Page) }

// WriteHTML renders the source's description.
func (s *Source) WriteHTML(w util.BufWriter) { s.m.writeDoc(w, s.Page) }

// WriteWords renders the claim's wording.
func (c *Claim) WriteWords(w util.BufWriter) { c.m.writeChildren(w, c.Node, c.Page.Body) }

// WriteIntro renders the body of content/_index.md.
func (m *Model) WriteIntro(w util.BufWriter) {
	if m.Intro != nil {
		m.writeDoc(w, m.Intro)
	}
}

func (m *Model) writeDoc(w util.BufWriter, pg *Page) {
	_ = m.md.Renderer().Render(w, pg.Body, pg.Doc)
}

func (m *Model) writeChildren(w util.BufWriter, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		_ = m.md.Renderer().Render(w, src, c)
	}
}
