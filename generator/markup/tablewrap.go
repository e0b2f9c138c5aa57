package markup

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// TableWrap holds a table in a box that scrolls sideways, so that a table
// wider than a phone's screen scrolls inside the text instead of widening
// the page.
type TableWrap struct{ ast.BaseBlock }

// KindTableWrap is the kind of TableWrap.
var KindTableWrap = ast.NewNodeKind("TableWrap")

// Kind implements ast.Node.
func (*TableWrap) Kind() ast.NodeKind { return KindTableWrap }

// Dump implements ast.Node.
func (n *TableWrap) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// wrappingTables is an AST transformer that puts each GFM table in a
// TableWrap.
type wrappingTables struct{}

// Transform implements parser.ASTTransformer.
func (wrappingTables) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var tables []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == east.KindTable {
			tables = append(tables, n)
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeInline || n.Kind() == ast.KindParagraph {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tables {
		p := t.Parent()
		w := &TableWrap{}
		p.ReplaceChild(p, t, w)
		w.AppendChild(w, t)
	}
}

// renderTableWrap writes the scrolling box. It can take the keyboard's
// focus, so that a table without links can be scrolled from the keyboard.
func renderTableWrap(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<div class=\"table-wrap\" tabindex=\"0\">\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}
