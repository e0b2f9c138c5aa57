package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// htmlBlocks warns of a claim, caveat or mention inside an HTML block
// (<div>:claim[…]{…}</div>), where Markdown is not read: it would be shown
// as written, or with raw HTML shown, hidden in the HTML, and no claim
// made, without a word.
type htmlBlocks struct{}

// Transform implements parser.ASTTransformer.
func (htmlBlocks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("<")) {
		return
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		walkHTMLBlocks(n, src, pc)
	}
}

func walkHTMLBlocks(n ast.Node, src []byte, pc parser.Context) {
	b, ok := n.(*ast.HTMLBlock)
	if !ok {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if c.Type() == ast.TypeBlock {
				walkHTMLBlocks(c, src, pc)
			}
		}
		return
	}
	if b.HTMLBlockType == ast.HTMLBlockType2 {
		return // a comment: the author's own, never shown
	}
	lines := b.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := src[seg.Start:seg.Stop]
		for _, mark := range [][]byte{[]byte(":claim["), []byte(":caveat["), []byte(":::caveat"), []byte("[[")} {
			if at := bytes.Index(line, mark); at >= 0 {
				warn(pc, seg.Start+at, "leave a blank line after the HTML's opening line and before its closing one: Markdown between them is read",
					"%s inside an HTML block is not read as Markdown; it would be shown as written", mark)
				return
			}
		}
	}
}
