package markup

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Qualified is a top-level block holding claims together with the block
// caveats that qualify them: the block first, then the caveats. A caveat is
// written wherever its author put it in the Markdown, often after a list of
// claims; it is read beside the paragraph of the claim it is on, so the
// qualifying transformer moves it there. Wide screens show the caveats in
// the margin beside the block, narrow ones right after it.
type Qualified struct{ ast.BaseBlock }

// KindQualified is the kind of Qualified.
var KindQualified = ast.NewNodeKind("Qualified")

// Kind implements ast.Node.
func (*Qualified) Kind() ast.NodeKind { return KindQualified }

// Dump implements ast.Node.
func (n *Qualified) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// qualifying is an AST transformer that moves each top-level block caveat
// to the top-level block holding the first claim it is on, by the claim's
// written id. A caveat on no claim of this document, on a claim in a
// heading (headings stay top-level for the table of contents) or on a claim
// inside a caveat stays where it was written.
type qualifying struct{}

// Transform implements parser.ASTTransformer.
func (qualifying) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var caveats []*Caveat
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if c, ok := n.(*Caveat); ok && len(c.On) > 0 {
			caveats = append(caveats, c)
		}
	}
	if len(caveats) == 0 {
		return
	}
	// The top-level block of each explicitly identified claim, first one
	// written wins as it does for duplicate ids elsewhere.
	blocks := map[string]ast.Node{}
	for top := doc.FirstChild(); top != nil; top = top.NextSibling() {
		if top.Kind() == ast.KindHeading || top.Kind() == KindCaveat {
			continue
		}
		_ = ast.Walk(top, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *Claim:
				if n.ID != "" && !n.AutoID {
					if _, seen := blocks[n.ID]; !seen {
						blocks[n.ID] = top
					}
				}
			case *Caveat:
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	for _, c := range caveats {
		var top ast.Node
		for _, on := range c.On {
			if top = blocks[on.Name]; top != nil {
				break
			}
		}
		if top == nil {
			continue
		}
		q, ok := top.Parent().(*Qualified)
		if !ok {
			q = &Qualified{}
			doc.ReplaceChild(doc, top, q)
			q.AppendChild(q, top)
		}
		doc.RemoveChild(doc, c)
		q.AppendChild(q, c)
	}
}

// renderQualified writes the block and, in a box of their own, its caveats.
func renderQualified(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<div class=\"qualified\">\n")
	} else {
		_, _ = w.WriteString("</div>\n</div>\n")
	}
	return ast.WalkContinue, nil
}
