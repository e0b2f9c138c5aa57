package site

import (
	"fmt"
	"io"

	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// The Write methods render Markdown to w each time they are called and keep
// nothing, unlike the HTML methods, which keep what they rendered for the
// model's life: a build shows each body on one page only, and keeping ten
// thousand rendered briefings would double its memory. A w that is a
// goldmark util.BufWriter is written to directly (see Markdown).

// WriteHTML renders the briefing's body, from what was rendered while
// it was parsed when it was (see Bodies).
func (b *Briefing) WriteHTML(w io.Writer) {
	if r := b.m.rendered(b.Page); r != nil && b.m.writeRendered(w, r) {
		return
	}
	b.m.writeDoc(w, b.Page)
}

// FeedBodies returns what writes a briefing's body for a feed reader (see
// markup.Renderer.Feed), for the bodies of one feed, one at a time.
func (m *Model) FeedBodies() func(w io.Writer, b *Briefing) {
	// One resolver for the holes of a body rendered while parsed and for
	// a body rendered now: the bodies are written one after the other.
	res := markup.Renderer{Resolver: &claimViews{Model: m}, Feed: true}
	var md goldmark.Markdown // for a body not rendered while parsed: made once
	return func(w io.Writer, b *Briefing) {
		if r := m.rendered(b.Page); r != nil && m.writeRenderedAs(w, r, res) {
			return
		}
		if md == nil {
			md = newMarkdown(m.RawHTML, m, m.opts.Code, m.BasePath, res.WriteDeferred)
		}
		doc, src := m.Doc(b.Page)
		_ = md.Renderer().Render(w, src, doc)
	}
}

// AppendBodyText appends to dst the text of the briefing's body as
// AppendPlainText reads it, wikilinks as they resolved, without parsing
// the body again (see ParseLean).
func (b *Briefing) AppendBodyText(dst []byte) []byte {
	if b.plain != nil {
		return b.plain.AppendPlain(dst, b.markdown, b.m.WikilinkLink, b.m.rawAsText())
	}
	return b.m.appendText(dst, b.Page)
}

// WriteDoc renders the briefing's body, parsed as doc from src (see
// Model.Doc).
func (b *Briefing) WriteDoc(w io.Writer, doc ast.Node, src []byte) { b.m.render(w, doc, src) }

// AppendBodyText appends the plain text of the actor's profile to dst.
func (a *Actor) AppendBodyText(dst []byte) []byte { return a.m.appendText(dst, a.Page) }

// AppendBodyText appends the plain text of the source's description to
// dst.
func (s *Source) AppendBodyText(dst []byte) []byte { return s.m.appendText(dst, s.Page) }

// appendText appends the plain text of pg's body to dst.
func (m *Model) appendText(dst []byte, pg *Page) []byte {
	doc, src := m.Doc(pg)
	return markup.AppendPlainText(dst, doc, src, m.WikilinkLink, m.rawAsText())
}

// WriteHTML renders the actor's profile text.
func (a *Actor) WriteHTML(w io.Writer) { a.m.writeDoc(w, a.Page) }

// WriteHTML renders the source's description.
func (s *Source) WriteHTML(w io.Writer) { s.m.writeDoc(w, s.Page) }

// WriteWords renders the claim's wording; the HTML kept by Words, once
// the model is shed.
func (c *Claim) WriteWords(w io.Writer) {
	if c.Page.shed {
		_, _ = io.WriteString(w, string(c.Words()))
		return
	}
	c.m.writeChildren(w, c.Node, c.Page.markdown)
}

// WriteIntro renders the body of content/_index.md.
func (m *Model) WriteIntro(w io.Writer) {
	if m.Intro != nil {
		m.writeDoc(w, m.Intro)
	}
}

func (m *Model) writeDoc(w io.Writer, pg *Page) {
	doc, src := m.Doc(pg)
	m.render(w, doc, src)
}

// render writes doc, parsed from src, as HTML.
func (m *Model) render(w io.Writer, doc ast.Node, src []byte) {
	_ = m.md.Renderer().Render(w, src, doc)
}

// writeChildren renders what n holds, a claim's words or a caveat's text,
// for a page other than its own (the claim's, a list of caveats).
func (m *Model) writeChildren(w io.Writer, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		_ = m.away.Renderer().Render(w, src, c)
	}
}

// awayMarkdown is markdown for words shown away from their page: a
// footnote's mark is its number, not a link to a note that is on the
// briefing's page only, with the id of the note's way back, which two
// caveats shown on one page could both have.
func awayMarkdown(rawHTML bool, res markup.Resolver, code *CodeCache, base string) goldmark.Markdown {
	md := markdown(rawHTML, res, code, base)
	md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(footnoteMark{}, 50)))
	return md
}

// footnoteMark renders a footnote's reference as its number alone.
type footnoteMark struct{}

func (footnoteMark) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(extast.KindFootnoteLink, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = fmt.Fprintf(w, `<sup class="footnote-ref">%d</sup>`, n.(*extast.FootnoteLink).Index)
		}
		return ast.WalkSkipChildren, nil
	})
}
