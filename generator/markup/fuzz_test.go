package markup_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"golang.org/x/tools/txtar"
)

// FuzzMarkup: no input makes parsing or rendering panic, and every problem
// points inside the source.
//
//	go test ./generator/markup -run '^$' -fuzz FuzzMarkup -fuzztime 60s
func FuzzMarkup(f *testing.F) {
	addCaseInputs(f)
	f.Add([]byte(":::caveat{"))
	f.Add([]byte(":claim[a]{by=\"x"))
	f.Add([]byte("[[a|b]] :claim[[[x]]]{by=a}"))
	f.Add([]byte("# \"Quoted\" [[ab]] &amp; a\\*b\nline two  \nhard `co\nde` -- end...\n\n    indented\n\n> q [[abc]]s\n"))
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, markup.Extension{}))
	f.Fuzz(func(t *testing.T, src []byte) {
		pc := parser.NewContext()
		doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
		var out bytes.Buffer
		if err := md.Renderer().Render(&out, src, doc); err != nil {
			t.Fatal(err)
		}
		for _, p := range markup.Problems(pc) {
			if p.Pos < 0 || p.Pos > len(src) {
				t.Fatalf("problem %q at %d, outside a source of %d bytes", p.Message, p.Pos, len(src))
			}
		}
		// The text recorded and read again without the tree is the
		// text read from it, with the typographer's strings too.
		doc = typeset.Parser().Parse(text.NewReader(src))
		for _, link := range []func(*markup.Wikilink) *markup.Link{nil, plainLink} {
			for _, rawText := range []bool{false, true} {
				want := markup.AppendPlainText([]byte("x"), doc, src, link, rawText)
				got := markup.RecordPlainText(doc, src).AppendPlain([]byte("x"), src, link, rawText)
				if !bytes.Equal(got, want) {
					t.Fatalf("recorded text %q, read from the tree %q (raw HTML as text: %v)", got, want, rawText)
				}
			}
		}
	})
}

// typeset is FuzzMarkup's Markdown with goldmark's typographer, whose
// strings are text that is not the source's.
var typeset = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer, markup.Extension{}))

// plainLink resolves every other wikilink, by the length of its target.
func plainLink(w *markup.Wikilink) *markup.Link {
	if len(w.Target)%2 == 0 {
		return nil
	}
	return &markup.Link{Text: "<" + w.Target + ">"}
}

// addCaseInputs seeds f with the Markdown of every case file.
func addCaseInputs(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if af.Name == "input.md" {
				f.Add(af.Data)
			}
		}
	}
}

// TestPlainTextAsShown: a claim's plain words (its short form, feeds,
// graph.json, search) read as the page shows them: escapes and entity
// references resolved, code as written.
func TestPlainTextAsShown(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(markup.Extension{}, extension.Linkify))
	src := []byte(`:claim[a \] here &amp; there, &#x41; and ` + "`\\]`" + ` at <https://x.example/a> or www.y.example]{by=x}`)
	doc := md.Parser().Parse(text.NewReader(src))
	var claim *markup.Claim
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*markup.Claim); ok && entering {
			claim = c
		}
		return ast.WalkContinue, nil
	})
	if claim == nil {
		t.Fatal("no claim parsed")
	}
	// An address, linked or written bare, is part of the words.
	if got, want := markup.PlainText(claim, src, nil), `a ] here & there, A and \] at https://x.example/a or www.y.example`; got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
