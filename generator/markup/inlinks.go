package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// inLinks finds wikilinks and claims among a Markdown link's words
// ([see [[Orlov]] here](https://…)), where their own links would nest in
// the outer one: HTML has no link in a link, and a browser ends the outer
// link at the inner one. A wikilink there is written as its words, with a
// warning; a claim, whose mark and card hold links, is an error. So too
// in an image's description, an attribute's value, but for the warning.
type inLinks struct{}

// Transform implements parser.ASTTransformer.
func (inLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	// A link's words are followed by ( or, for a reference link, [.
	src := reader.Source()
	if !bytes.Contains(src, []byte("](")) && !bytes.Contains(src, []byte("][")) {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != ast.KindLink && n.Kind() != ast.KindImage {
			return ast.WalkContinue, nil
		}
		// An image's description is words only, where naming someone
		// is what a mention is for: no warning.
		image := n.Kind() == ast.KindImage
		where, what := "a link's words", "link"
		if image {
			where, what = "an image's description", "image"
		}
		_ = ast.Walk(n, func(in ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch in := in.(type) {
			case *Wikilink:
				in.InLink = true
				if !image {
					warn(pc, in.Pos(), "take the mention out of the link's words, or make it the link: [[target|words]]",
						"a mention [[…]] among a link's words cannot be a link of its own; it is shown as plain words")
				}
			case *Claim:
				report(pc, in.Pos(), "put the "+what+" inside the claim's words, or after the claim",
					"a claim cannot be among %s", where)
				return ast.WalkSkipChildren, nil
			case *InlineCaveat:
				// Its label is a link to the caveat's page.
				report(pc, in.Pos(), "put the "+what+" inside the caveat's words, or after the caveat",
					"a caveat cannot be among %s", where)
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
		return ast.WalkSkipChildren, nil
	})
}
