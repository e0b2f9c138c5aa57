package markup_test

import (
	"testing"

	"briefing/generator/markup"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// A list item's continuation line indented by a tab: goldmark gives the
// line a Padding, and Segment.Value prepends that many spaces, so offsets
// into it are not offsets into the source.
func TestMisspeltPositionAfterTab(t *testing.T) {
	src := []byte("- item\n\t:Claim[x]{by=a}\n")
	md := caseMarkdown(t, markup.Extension{}, nil)
	pc := parser.NewContext()
	md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	ps := markup.Problems(pc)
	if len(ps) != 1 {
		t.Fatalf("problems %v", ps)
	}
	if got, want := lineCol(src, ps[0].Pos), "2:2"; got != want {
		t.Errorf(":Claim[ reported at %s, want %s (the colon)", got, want)
	}
}

// A line that is :::caveat{…} exactly, but in a paragraph (indented 4
// after a paragraph line), gets a hint that ends in ": " and says nothing.
func TestMisspeltFenceHintNotEmpty(t *testing.T) {
	src := []byte("Para\n    :::caveat{on=x}\n")
	md := caseMarkdown(t, markup.Extension{}, nil)
	pc := parser.NewContext()
	md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	for _, p := range markup.Problems(pc) {
		if len(p.Hint) > 2 && p.Hint[len(p.Hint)-2:] == ": " {
			t.Errorf("hint with nothing after its colon: %q", p.Hint)
		}
	}
}
