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
	switch b.HTMLBlockType {
	case ast.HTMLBlockType1:
		return // <pre>, <script>, <style>, <textarea>: code or data, [[1, 2]] and all
	case ast.HTMLBlockType2:
		rest, closed := CommentRest(b, src)
		switch {
		case !closed:
			warn(pc, b.Lines().At(0).Start, "end the comment with --> where the note ends",
				"an HTML comment not closed with --> would hide the rest of the file; it is shown as written")
		case len(bytes.TrimSpace(rest)) > 0:
			warn(pc, b.Lines().At(0).Start, "put the comment on a line of its own",
				"the words after --> on a comment's line are not read as Markdown; they are shown as written")
		}
		return
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

// CommentRest is what an HTML block of a comment (<!-- … -->) holds after
// the comment, the words after --> on its last line (CommonMark's block
// runs to the end of that line), without any further comment; closed is
// false when --> never comes, and the block runs to the end of the file.
func CommentRest(b *ast.HTMLBlock, src []byte) (rest []byte, closed bool) {
	var text []byte
	for i := range b.Lines().Len() {
		seg := b.Lines().At(i)
		text = append(text, src[seg.Start:seg.Stop]...)
	}
	if b.HasClosure() {
		text = append(text, src[b.ClosureLine.Start:b.ClosureLine.Stop]...)
	}
	for first := true; ; first = false {
		open := bytes.Index(text, []byte("<!--"))
		if open < 0 {
			return text, true
		}
		end := bytes.Index(text[open+4:], []byte("-->"))
		if end < 0 {
			return text, !first // a later comment left open is words
		}
		text = append(text[:open:open], text[open+4+end+3:]...)
	}
}
