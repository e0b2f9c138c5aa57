package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// FootnoteRefs warns of a footnote mark with no note ([^source] with no
// "[^source]: …" line), which goldmark shows as written, and of a note no
// mark refers to, which it leaves out, words, mentions and all. It runs
// before goldmark's footnote extension gathers the notes (priority 999)
// and drops those without a mark: give it a priority below that.
type FootnoteRefs struct{}

// Transform implements parser.ASTTransformer.
func (FootnoteRefs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("[^")) {
		return
	}
	notes := map[string]*extast.Footnote{}
	var blocks []ast.Node // what holds marks: paragraphs, a tight list's items, headings, table cells
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *extast.Footnote:
			if _, ok := notes[string(n.Ref)]; !ok {
				notes[string(n.Ref)] = n
			}
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *extast.TableCell:
			blocks = append(blocks, n)
		}
		return ast.WalkContinue, nil
	})
	used := map[string]bool{}
	for _, b := range blocks {
		lines := b.Lines()
		code := codeSpans(src, lines)
		for i := range lines.Len() {
			seg := lines.At(i)
			line := src[seg.Start:seg.Stop]
			for at := 0; ; {
				k := bytes.Index(line[at:], []byte("[^"))
				if k < 0 {
					break
				}
				k += at
				at = k + 2
				end := bytes.IndexByte(line[k:], ']')
				if end < 0 {
					break
				}
				label := line[k+2 : k+end]
				if len(label) == 0 || bytes.ContainsAny(label, " \t[") || within(code, seg.Start+k) {
					continue
				}
				if notes[string(label)] != nil {
					used[string(label)] = true
					continue
				}
				warn(pc, seg.Start+k, "add a line \"[^"+string(label)+"]: the note\" below, or take the mark out",
					"footnote [^%s] has no note; it is shown as written", label)
			}
		}
	}
	for label := range notes {
		if !used[label] {
			warn(pc, footnoteStart(label, src), "refer to it with [^"+label+"] where it belongs, or take it out",
				"footnote [^%s] is not referred to; it is not shown", label)
		}
	}
}

// within reports whether at lies inside one of spans (see codeSpans).
func within(spans [][2]int, at int) bool {
	for _, c := range spans {
		if c[0] < at && at < c[1] {
			return true
		}
	}
	return false
}

// footnoteStart is the offset of the first "[^label]:", where a note
// with that label begins.
func footnoteStart(label string, src []byte) int {
	return max(bytes.Index(src, []byte("[^"+label+"]:")), 0)
}
