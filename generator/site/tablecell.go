package site

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// tableCells renders a table cell as goldmark's table renderer does with
// alignment by style (HTML, not XHTML), without what that renderer does
// besides: it adds the alignment to the cell's own style attribute, in
// the tree, so that every rendering of a kept tree after the first (serve
// renders a briefing's page, its feed entry and its search text from one
// tree) said "text-align:left" once more, and two renderings at once
// wrote the attribute together. FuzzLean found it.
type tableCells struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (tableCells) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTableCell, renderTableCell)
}

func renderTableCell(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	tag, filter := "td", extension.TableTdCellAttributeFilter
	if n.Parent().Kind() == east.KindTableHeader {
		tag, filter = "th", extension.TableThCellAttributeFilter
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag)
	var align []byte
	if n.Alignment != east.AlignNone {
		align = []byte("text-align:" + n.Alignment.String())
	}
	// The attributes as html.RenderAttributes writes them, the cell's
	// style with its alignment after it, or the alignment as a style
	// after them all where the cell has none.
	styled := false
	for _, a := range n.Attributes() {
		if !filter.Contains(a.Name) && !bytes.HasPrefix(a.Name, []byte("data-")) {
			continue
		}
		var value []byte
		switch v := a.Value.(type) {
		case []byte:
			value = v
		case string:
			value = []byte(v)
		}
		if align != nil && string(a.Name) == "style" {
			value = append(append(append([]byte(nil), value...), ';'), align...)
			styled = true
		}
		_, _ = w.WriteString(" ")
		_, _ = w.Write(a.Name)
		_, _ = w.WriteString(`="`)
		_, _ = w.Write(util.EscapeHTML(value))
		_ = w.WriteByte('"')
	}
	if align != nil && !styled {
		_, _ = w.WriteString(` style="`)
		_, _ = w.Write(align)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}
