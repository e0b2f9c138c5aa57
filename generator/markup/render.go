package markup

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Renderer renders the annotation nodes as HTML. Claims are marked inline
// with their status; speaker, sources, grade and caveats sit in a card that
// CSS shows on hover and on keyboard focus, so no script is needed; on a
// touch screen the site's cards.js opens it with a tap on the mark.
type Renderer struct {
	Resolver Resolver // may be nil
	// Defer, when set, is called where the HTML of a wikilink, a claim's
	// opening or closing, or a caveat's opening would be written, for it
	// is what the resolved site decides; the rest of a body (a claim's
	// words, a caveat's paragraphs) is written as usual. WriteDeferred
	// writes those parts once the site is resolved, so a body rendered
	// before resolving, holes and all, reads as one rendered after.
	Defer func(w util.BufWriter, n ast.Node, entering bool)
	// Feed writes for a feed reader, which shows a body without the
	// site's stylesheet: a claim's status and grade follow its words in
	// brackets, and its card, relation marks and caveat notes, which
	// only the stylesheet keeps out of the text, are left out.
	Feed bool
}

// fromSite writes the part of n's HTML that the resolved site decides,
// or, with Defer set, leaves a hole for it.
func (r Renderer) fromSite(w util.BufWriter, n ast.Node, entering bool) {
	if r.Defer != nil {
		r.Defer(w, n, entering)
		return
	}
	r.WriteDeferred(w, n, entering)
}

// WriteDeferred writes the part of n's HTML that the Renderer's Defer was
// called for, as r's Resolver resolves it.
func (r Renderer) WriteDeferred(w util.BufWriter, n ast.Node, entering bool) {
	switch n := n.(type) {
	case *Wikilink:
		r.writeWikilink(w, n)
	case *Claim:
		r.writeClaim(w, n, entering)
	case *Caveat:
		r.writeCaveatOpen(w, n)
	case *InlineCaveat:
		r.writeInlineCaveatOpen(w, n)
	}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r Renderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWikilink, r.renderWikilink)
	reg.Register(KindClaim, r.renderClaim)
	reg.Register(KindCaveat, r.renderCaveat)
	reg.Register(KindInlineCaveat, r.renderInlineCaveat)
	reg.Register(kindLiteral, renderLiteral)
	reg.Register(KindQualified, renderQualified)
	reg.Register(KindTableWrap, renderTableWrap)
}

// renderLiteral writes a too-deep block caveat as the text it was written
// as, line by line.
func renderLiteral(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<p>")
	for c := node.FirstChild(); c != nil; c = c.NextSibling() {
		if c != node.FirstChild() {
			_, _ = w.WriteString("\n")
		}
		_, _ = w.Write(util.EscapeHTML(c.(*ast.Text).Segment.Value(src)))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

func (r Renderer) link(n *Wikilink) *Link {
	if r.Resolver == nil {
		return nil
	}
	return r.Resolver.WikilinkLink(n)
}

func (r Renderer) claimView(n *Claim) *ClaimView {
	if r.Resolver != nil {
		if v := r.Resolver.ClaimView(n); v != nil {
			return v
		}
	}
	return &ClaimView{Status: n.Status, Lang: n.Lang, Dir: Direction(n.Lang), Likelihood: n.Likelihood, Confidence: n.Confidence}
}

func (r Renderer) caveatView(n *CaveatAttrs) *CaveatView {
	if r.Resolver == nil {
		return nil
	}
	return r.Resolver.CaveatView(n)
}

// esc writes s escaped as util.EscapeHTML escapes it, without copying it
// first: it is called for every link and claim of every page.
func esc(w util.BufWriter, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if e := util.EscapeHTMLByte(s[i]); e != nil {
			_, _ = w.WriteString(s[start:i])
			_, _ = w.Write(e)
			start = i + 1
		}
	}
	_, _ = w.WriteString(s[start:])
}

func writeLink(w util.BufWriter, l Link, text string) {
	// A claim's own words keep their language and direction, as they do
	// where the claim is written; a label the writer gave is theirs.
	words := l.Kind == "claim" && (text == "" || text == l.Text)
	if text == "" {
		text = l.Text
	}
	_, _ = w.WriteString(`<a class="ref ref-`)
	_, _ = w.WriteString(l.Kind)
	_, _ = w.WriteString(`" href="`)
	esc(w, l.Href)
	if l.Title != "" {
		_, _ = w.WriteString(`" title="`)
		esc(w, l.Title)
	}
	if words {
		if l.Lang != "" {
			_, _ = w.WriteString(`" lang="`)
			esc(w, l.Lang)
		}
		_, _ = w.WriteString(`" dir="`)
		_, _ = w.WriteString(Direction(l.Lang))
	}
	_, _ = w.WriteString(`">`)
	esc(w, text)
	_, _ = w.WriteString(`</a>`)
}

// writeStatus writes a claim's status as a badge, after a link to it.
func writeStatus(w util.BufWriter, status string) {
	if status == "" {
		return
	}
	_, _ = w.WriteString(` <span class="badge ref-status status-`)
	_, _ = w.WriteString(status)
	_, _ = w.WriteString(`">`)
	esc(w, status)
	_, _ = w.WriteString(`</span>`)
}

func writeLinks(w util.BufWriter, links []Link) {
	for i, l := range links {
		if i > 0 {
			_, _ = w.WriteString(", ")
		}
		writeLink(w, l, "")
	}
}

func (r Renderer) renderWikilink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	r.fromSite(w, node, true)
	return ast.WalkSkipChildren, nil
}

func (r Renderer) writeWikilink(w util.BufWriter, n *Wikilink) {
	if l := r.link(n); n.InLink {
		esc(w, n.Display(l))
	} else if l == nil {
		_, _ = w.WriteString(`<span class="ref ref-broken">`)
		esc(w, n.Display(nil))
		_, _ = w.WriteString(`</span>`)
	} else {
		writeLink(w, *l, n.Display(l))
		writeStatus(w, l.Status)
	}
}

func (r Renderer) renderClaim(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	r.fromSite(w, node, entering)
	return ast.WalkContinue, nil
}

func (r Renderer) writeClaim(w util.BufWriter, n *Claim, entering bool) {
	v := r.claimView(n)
	if entering {
		_, _ = w.WriteString(`<span class="claim claim-`)
		_, _ = w.WriteString(v.Status)
		_, _ = w.WriteString(`"`)
		if v.Anchor != "" {
			_, _ = w.WriteString(` id="`)
			esc(w, v.Anchor)
			_, _ = w.WriteString(`"`)
		}
		_, _ = w.WriteString(`><span class="claim-text"`)
		if v.Lang != "" {
			_, _ = w.WriteString(` lang="`)
			esc(w, v.Lang)
			_, _ = w.WriteString(`"`)
		}
		if v.Dir != "" {
			_, _ = w.WriteString(` dir="`)
			_, _ = w.WriteString(v.Dir)
			_, _ = w.WriteString(`"`)
		}
		_, _ = w.WriteString(`>`)
		return
	}
	_, _ = w.WriteString(`</span>`)
	if r.Feed {
		_, _ = w.WriteString(` <a class="claim-mark" href="`)
		esc(w, v.Href)
		_, _ = w.WriteString(`">[`)
		esc(w, v.Status)
		if v.Grade != "" {
			_, _ = w.WriteString(" ")
			esc(w, v.Grade)
		}
		_, _ = w.WriteString(`]</a></span>`)
		return
	}
	// The marker is the focus target: a link to the claim's own page whose
	// focus (or the claim's hover) opens the card.
	_, _ = w.WriteString(`<a class="claim-mark" href="`)
	esc(w, v.Href)
	_, _ = w.WriteString(`"`)
	if v.Anchor != "" {
		_, _ = w.WriteString(` aria-describedby="`)
		esc(w, v.Anchor)
		_, _ = w.WriteString("-card")
		_, _ = w.WriteString(`"`)
	}
	_, _ = w.WriteString(`><span class="status">`)
	esc(w, v.Status)
	_, _ = w.WriteString(`</span>`)
	if v.Grade != "" {
		_, _ = w.WriteString(` <abbr class="grade" title="`)
		esc(w, v.GradeTitle)
		_, _ = w.WriteString(`">`)
		esc(w, v.Grade)
		_, _ = w.WriteString(`</abbr>`)
	}
	_, _ = w.WriteString(`</a>`)
	writeRelationMarks(w, v)
	writeNotes(w, v.Notes)
	_, _ = w.WriteString(`<span class="claim-card"`)
	if v.Anchor != "" {
		_, _ = w.WriteString(` id="`)
		esc(w, v.Anchor)
		_, _ = w.WriteString("-card")
		_, _ = w.WriteString(`"`)
	}
	_, _ = w.WriteString(`>`)
	if v.Newer != nil {
		_, _ = w.WriteString(`<span class="card-row card-update"><span class="card-key">`)
		writeUpdated(w, "Updated", v.Newer)
		_, _ = w.WriteString(`:</span> `)
		writeLink(w, v.Newer.Link, "")
		writeStatus(w, v.Newer.Status)
		_, _ = w.WriteString(`</span>`)
	}
	if len(v.By) > 0 {
		_, _ = w.WriteString(`<span class="card-row"><span class="card-key">Said by</span> `)
		writeLinks(w, v.By)
		_, _ = w.WriteString(`</span>`)
	}
	_, _ = w.WriteString(`<span class="card-row"><span class="card-key">Sources</span> `)
	if len(v.Sources) == 0 {
		_, _ = w.WriteString(`none given`)
	}
	for i, s := range v.Sources {
		if i > 0 {
			_, _ = w.WriteString(", ")
		}
		writeLink(w, s, "")
		if s.Title != "" {
			_, _ = w.WriteString(` <span class="grade">`)
			esc(w, s.Title)
			_, _ = w.WriteString(`</span>`)
		}
	}
	_, _ = w.WriteString(`</span>`)
	// The analyst's judgement, where a reader of the briefing weighs the
	// claim, not only on its page.
	if v.Likelihood != "" || v.Confidence != "" {
		_, _ = w.WriteString(`<span class="card-row"><span class="card-key">Assessed</span> `)
		if v.Likelihood != "" {
			esc(w, LikelihoodWords[v.Likelihood])
		}
		if v.Confidence != "" {
			if v.Likelihood != "" {
				_, _ = w.WriteString(", ")
			}
			esc(w, v.Confidence)
			_, _ = w.WriteString(" confidence")
		}
		_, _ = w.WriteString(`</span>`)
	}
	for _, rel := range v.Relations {
		if rel.Kind == "updated-by" && v.Newer != nil && len(rel.Claims) == 1 {
			continue // the update line above tells of it
		}
		_, _ = w.WriteString(`<span class="card-row card-rel"><span class="card-key">`)
		_, _ = w.WriteString(RelationLabel(rel.Kind))
		_, _ = w.WriteString(`</span> `)
		for i, l := range rel.Claims {
			if i > 0 {
				_, _ = w.WriteString("; ")
			}
			writeLink(w, l, "")
			writeStatus(w, l.Status)
		}
		_, _ = w.WriteString(`</span>`)
	}
	if len(v.Caveats) > 0 {
		_, _ = w.WriteString(`<span class="card-row"><span class="card-key">Caveats</span> `)
		writeLinks(w, v.Caveats)
		_, _ = w.WriteString(`</span>`)
	}
	_, _ = w.WriteString(`</span></span>`)
}

// writeUpdated writes the words and the date of an update: "Updated
// <time>23 Nov</time>".
func writeUpdated(w util.BufWriter, words string, d *Dated) {
	_, _ = w.WriteString(words)
	if d.Date != "" {
		_, _ = w.WriteString(` <time datetime="`)
		esc(w, d.ISODate)
		_, _ = w.WriteString(`">`)
		esc(w, d.Date)
		_, _ = w.WriteString(`</time>`)
	}
}

func (v *ClaimView) has(kind string) bool {
	for _, r := range v.Relations {
		if r.Kind == kind {
			return true
		}
	}
	return false
}

// writeRelationMarks marks a claim that is contradicted, updated or
// supported, or does so to another, beside its status: an icon and a word,
// so that no reader depends on colour or on opening the card to see it.
// An update's mark links to the newer claim (or, on the update, to the
// claim it updates).
func writeRelationMarks(w util.BufWriter, v *ClaimView) {
	if len(v.Relations) == 0 {
		return
	}
	_, _ = w.WriteString(`<span class="claim-rels">`)
	mark := func(class, icon, words string) {
		_, _ = w.WriteString(` <span class="rel `)
		_, _ = w.WriteString(class)
		_, _ = w.WriteString(`"><span class="rel-icon" aria-hidden="true">`)
		_, _ = w.WriteString(icon)
		_, _ = w.WriteString(`</span> `)
		_, _ = w.WriteString(words)
		_, _ = w.WriteString(`</span>`)
	}
	switch {
	case v.has("contradicted-by"):
		mark("rel-contradicted", "⇄", "contradicted")
	case v.has("contradicts"):
		mark("rel-contradicts", "⇄", "contradicts")
	}
	update := func(class, words string, d *Dated) {
		if d.Date == "" {
			words = strings.TrimSuffix(words, " of")
		}
		_, _ = w.WriteString(` <a class="rel ` + class + `" href="`)
		esc(w, d.Href)
		_, _ = w.WriteString(`" title="`)
		esc(w, d.Text)
		_, _ = w.WriteString(`"><span class="rel-icon" aria-hidden="true">↻</span> `)
		writeUpdated(w, words, d)
		_, _ = w.WriteString(`</a>`)
	}
	switch {
	case v.Newer != nil:
		update("rel-updated", "updated", v.Newer)
	case v.Older != nil:
		update("rel-updates", "update of", v.Older)
	}
	switch {
	case v.has("supported-by"):
		mark("rel-supported", "⊕", "supported")
	case v.has("supports"):
		mark("rel-supports", "⊕", "supports")
	}
	_, _ = w.WriteString(`</span>`)
}

func caveatHead(w util.BufWriter, v *CaveatView) {
	_, _ = w.WriteString(`<span class="caveat-label">Analyst caveat`)
	if v != nil && len(v.By) > 0 {
		_, _ = w.WriteString(` by `)
		writeLinks(w, v.By)
	}
	if v != nil && len(v.On) > 0 {
		_, _ = w.WriteString(` on `)
		writeLinks(w, v.On)
	}
	_, _ = w.WriteString(`</span> `)
}

func anchorAttr(w util.BufWriter, v *CaveatView) {
	if v != nil && v.Anchor != "" {
		_, _ = w.WriteString(` id="`)
		esc(w, v.Anchor)
		_, _ = w.WriteString(`"`)
	}
}

func (r Renderer) renderCaveat(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</aside>\n")
		return ast.WalkContinue, nil
	}
	// Where the caveat stands is the tree's, not the site's.
	qualifiedCaveats(w, node.(*Caveat))
	r.fromSite(w, node, true)
	return ast.WalkContinue, nil
}

// qualifiedCaveats opens the group of caveats moved beside what they
// qualify, before the first of them.
func qualifiedCaveats(w util.BufWriter, n *Caveat) {
	if _, ok := n.Parent().(*Qualified); ok && n.PreviousSibling().Kind() != KindCaveat {
		_, _ = w.WriteString("<div class=\"qualified-caveats\">\n")
	}
}

func (r Renderer) writeCaveatOpen(w util.BufWriter, n *Caveat) {
	v := r.caveatView(&n.CaveatAttrs)
	_, _ = w.WriteString(`<aside class="caveat"`)
	anchorAttr(w, v)
	_, _ = w.WriteString(` role="note">`)
	caveatHead(w, v)
	_, _ = w.WriteString("\n")
}

func (r Renderer) renderInlineCaveat(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString(`</span></span>`)
		return ast.WalkContinue, nil
	}
	r.fromSite(w, node, true)
	return ast.WalkContinue, nil
}

func (r Renderer) writeInlineCaveatOpen(w util.BufWriter, n *InlineCaveat) {
	v := r.caveatView(&n.CaveatAttrs)
	// Inside a sentence the label stays one word; who wrote it and what it
	// qualifies are on its title and its own page.
	_, _ = w.WriteString(`<span class="caveat caveat-inline"`)
	anchorAttr(w, v)
	_, _ = w.WriteString(` role="note">`)
	title := "Analyst caveat"
	href := ""
	if v != nil {
		href = v.Href
		if len(v.By) > 0 {
			title += " by " + linkTexts(v.By)
		}
		if len(v.On) > 0 {
			title += " on: " + linkTexts(v.On)
		}
	}
	if href != "" {
		_, _ = w.WriteString(`<a class="caveat-label" href="`)
		esc(w, href)
		_, _ = w.WriteString(`" title="`)
		esc(w, title)
		_, _ = w.WriteString(`">caveat</a> `)
	} else {
		_, _ = w.WriteString(`<span class="caveat-label">caveat</span> `)
	}
	_, _ = w.WriteString(`<span class="caveat-text">`)
}

func linkTexts(links []Link) string {
	s := ""
	for i, l := range links {
		if i > 0 {
			s += "; "
		}
		s += l.Text
	}
	return s
}

// isComment reports whether inline raw HTML is a comment, <!-- … -->.
func isComment(n *ast.RawHTML, src []byte) bool {
	return n.Segments.Len() > 0 && bytes.HasPrefix(src[n.Segments.At(0).Start:], []byte("<!--"))
}

// EscapeRawHTML renders raw HTML in Markdown as visible, escaped text; a site
// that has not opted in to raw HTML gets this instead of goldmark's omission.
// An HTML comment is the author's note to themselves or to an editor
// ("<!-- source is X, not for publication -->"): it is left out, not shown.
type EscapeRawHTML struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (EscapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.RawHTML)
			if isComment(n, src) {
				return ast.WalkSkipChildren, nil
			}
			for i := range n.Segments.Len() {
				s := n.Segments.At(i)
				_, _ = w.Write(util.EscapeHTML(s.Value(src)))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.HTMLBlock)
			if n.HTMLBlockType == ast.HTMLBlockType2 {
				// The comment goes; words after it on its line stay. One
				// never closed is shown whole, not the rest of the file
				// hidden (the parse warns of both).
				if rest, closed := CommentRest(n, src); closed {
					if rest = bytes.TrimSpace(rest); len(rest) > 0 {
						_, _ = w.WriteString("<p>")
						_, _ = w.Write(util.EscapeHTML(rest))
						_, _ = w.WriteString("</p>\n")
					}
					return ast.WalkSkipChildren, nil
				}
			}
			_, _ = w.WriteString("<p>")
			for i := range n.Lines().Len() {
				s := n.Lines().At(i)
				_, _ = w.Write(util.EscapeHTML(s.Value(src)))
			}
			if n.HasClosure() {
				_, _ = w.Write(util.EscapeHTML(n.ClosureLine.Value(src)))
			}
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
