package markup_test

import (
	"strings"
	"testing"

	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// BenchmarkHeadingIDs parses a long briefing with goldmark's heading ids
// and with the extension's, which replace them:
//
//	go test ./generator/markup -run '^$' -bench HeadingIDs
func BenchmarkHeadingIDs(b *testing.B) {
	var src strings.Builder
	for i := range 200 {
		src.WriteString("## Section " + strings.Repeat("word ", i%7) + "\n\nA paragraph with *emphasis*, [[a]] and :claim[words]{by=a src=s}, and more words.\n\n- a list\n- of items\n\n")
	}
	for _, tc := range []struct {
		name string
		ext  markup.Extension
		opts []parser.Option
	}{
		{"goldmark", markup.Extension{}, []parser.Option{parser.WithAutoHeadingID()}},
		{"extension", markup.Extension{HeadingIDs: true}, nil},
	} {
		md := goldmark.New(goldmark.WithExtensions(extension.GFM, tc.ext), goldmark.WithParserOptions(tc.opts...))
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				md.Parser().Parse(text.NewReader([]byte(src.String())))
			}
		})
	}
}
