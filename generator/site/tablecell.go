package site

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// alignCells writes each aligned table cell's alignment into its style
// attribute, after any style the cell has, once, when the body is parsed:
// goldmark's table renderer is told to leave alignment alone
// (TableCellAlignNone, which leaves it to a transformer), and renders the
// attribute as it renders any other. Left to the renderer (its
// TableCellAlignStyle) the alignment was added to the attribute in the
// tree as the cell was rendered, so that every rendering of a kept tree
// after the first (serve renders a briefing's page, its feed entry and
// its search text from one tree) said "text-align:left" once more, and
// two renderings at once wrote the attribute together. FuzzLean found it.
type alignCells struct{}

// Transform implements parser.ASTTransformer.
func (alignCells) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch {
		case !entering:
		case n.Kind() == east.KindTableCell:
			alignCell(n.(*east.TableCell))
			return ast.WalkSkipChildren, nil
		case n.Type() == ast.TypeInline || n.Kind() == ast.KindParagraph:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// alignCell adds c's alignment to its style as goldmark's renderer would.
func alignCell(c *east.TableCell) {
	if c.Alignment == east.AlignNone {
		return
	}
	var style []byte
	switch v, _ := c.AttributeString("style"); v := v.(type) {
	case []byte:
		style = append(append(style, v...), ';')
	case string:
		style = append(append(style, v...), ';')
	}
	c.SetAttributeString("style", append(style, "text-align:"+c.Alignment.String()...))
}
