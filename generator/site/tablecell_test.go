package site

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// TestTableCellsOnce: a table's cells render as goldmark's GFM renders
// them the first time (the site wraps the table, goldmark does not), and
// the same every time after, the tree unchanged.
func TestTableCellsOnce(t *testing.T) {
	for _, src := range []string{
		"| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n",
		"0\n:-",
		"| x |\n|:-:|\n| *y* |\n| z \\| w |\n",
		"| a |\n|---|\n",
	} {
		gfm := goldmark.New(goldmark.WithExtensions(extension.GFM))
		var want bytes.Buffer
		if err := gfm.Convert([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		md := Markdown(false, nil, nil)
		doc := md.Parser().Parse(text.NewReader([]byte(src)))
		for i := range 3 {
			var got bytes.Buffer
			if err := md.Renderer().Render(&got, []byte(src), doc); err != nil {
				t.Fatal(err)
			}
			if g, w := cells.FindAllString(got.String(), -1), cells.FindAllString(want.String(), -1); strings.Join(g, "") != strings.Join(w, "") {
				t.Errorf("%q, rendering %d: cells %q, want %q", src, i+1, g, w)
			}
		}
	}
}

// cells are a table's cells in rendered HTML.
var cells = regexp.MustCompile(`(?s)<t[hd][ >].*?</t[hd]>`)
