package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxTableCells is how many cells the tables of one file may have in all,
// counted as rows times the header's columns. GFM pads every row to the
// header's width, so 12 KB of "|a|a|…" over a few thousand short rows
// would make millions of cells and gigabytes; no real briefing comes near.
const MaxTableCells = 200_000

var tableCellsKey = parser.NewContextKey()

// tableGuard is a paragraph transformer that runs before GFM's table
// transformer: a paragraph that would make the file's tables larger than
// MaxTableCells is an error, and keeps only its first line, so that the
// table transformer leaves it alone.
type tableGuard struct{}

// Transform implements parser.ParagraphTransformer.
func (tableGuard) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	if lines.Len() < 2 {
		return
	}
	src := reader.Source()
	first, delim := lines.At(0), lines.At(1)
	second := delim.Value(src)
	if bytes.IndexByte(second, '-') < 0 || bytes.IndexByte(second, '|') < 0 {
		return // not a delimiter row: not a table
	}
	cells := (bytes.Count(first.Value(src), []byte("|")) + 1) * lines.Len()
	total, _ := pc.Get(tableCellsKey).(int)
	total += cells
	pc.Set(tableCellsKey, total)
	if total <= MaxTableCells {
		return
	}
	report(pc, first.Start, "split the table, or the file", "the tables of this file would have %d cells; at most %d", total, MaxTableCells)
	node.SetLines(text.NewSegments())
	node.Lines().Append(first)
}
