package site

import (
	"briefing/generator/markup"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// prune drops the tree of the page's body but for what the model resolves:
// its claims, caveats and wikilinks are taken out of the tree, each whole
// with what it holds, so that nothing the model keeps reaches the rest.
func (pg *Page) prune() {
	if pg.Doc == nil {
		return
	}
	var out []ast.Node
	_ = ast.Walk(pg.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *markup.Claim, *markup.Caveat, *markup.InlineCaveat, *markup.Wikilink:
			out = append(out, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range out {
		n.Parent().RemoveChild(n.Parent(), n)
	}
	pg.Doc, pg.lean = nil, true
}

// Doc is the parsed body of pg: the tree kept since parsing, or, for a
// briefing parsed by ParseLean, the body parsed anew on each call, which
// the caller owns. Its claims and caveats stand for the ones the model
// resolved (see markup.Claim.Origin), its links lead where the first
// parse made them lead, and a page that renders it shows what the kept
// tree would have shown.
func (m *Model) Doc(pg *Page) ast.Node {
	if !pg.lean {
		return pg.Doc
	}
	doc := m.md.Parser().Parse(text.NewReader(pg.Body))
	claims, caveats := 0, 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		// The same body gives the same tree, so the nth claim of this
		// one is the nth the first parse collected.
		switch n := n.(type) {
		case *markup.Claim:
			if claims < len(pg.Claims) {
				n.Origin = pg.Claims[claims]
				n.ID, n.AutoID, n.IDPos = n.Origin.ID, n.Origin.AutoID, n.Origin.IDPos
			}
			claims++
		case *markup.Caveat, *markup.InlineCaveat:
			if caveats < len(pg.Caveats) {
				a, origin := markup.Attrs(n), markup.Attrs(pg.Caveats[caveats])
				a.ID, a.AutoID, a.IDPos, a.Origin = origin.ID, origin.AutoID, origin.IDPos, origin
			}
			caveats++
		}
		return ast.WalkContinue, nil
	})
	pg.rootLinks(doc)
	return doc
}
