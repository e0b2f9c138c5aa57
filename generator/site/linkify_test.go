package site

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// FuzzQuickLinkify: the GFM of a build, with linkify asked only about
// lines that could hold a link, renders every text as goldmark's GFM does.
//
//	go test ./generator/site -run '^$' -fuzz FuzzQuickLinkify -fuzztime 60s
func FuzzQuickLinkify(f *testing.F) {
	for _, s := range []string{
		"see https://example.org/a?b=c, or www.example.org, or a@b.example.",
		"no link here, only words\nand (http://x.example) on the next line",
		"| a | http://t.example |\n|---|---|\n| b@c.example | www.d.example |",
		"*www.x.example* _a@b.example_ ~ftp://f.example~ (https://p.example)",
		"> quoted http://q.example\n- item www.i.example\n\n[label http://l.example](http://u.example)",
		"word: not a link, user@host without a dot, www without a dot, HTTP://UPPER.example",
		"a line\\\nbroken mid www.x.example\nnext line user@mail.example",
	} {
		f.Add(s)
	}
	want := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	got := goldmark.New(goldmark.WithExtensions(gfm{}, extension.Footnote))
	f.Fuzz(func(t *testing.T, src string) {
		var w, g bytes.Buffer
		if err := want.Convert([]byte(src), &w); err != nil {
			return
		}
		if err := got.Convert([]byte(src), &g); err != nil {
			t.Fatal(err)
		}
		if w.String() != g.String() {
			t.Fatalf("%q:\nGFM:   %s\nquick: %s", src, w.String(), g.String())
		}
	})
}
