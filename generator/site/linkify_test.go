package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"golang.org/x/tools/txtar"

	"briefing/generator/corpus"
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
		"[see https://b.example/x] and www.c.example/q?a[]=1",
	} {
		f.Add(s)
	}
	// GFM with the build's URL patterns (see linkifyOptions).
	want := goldmark.New(goldmark.WithExtensions(extension.NewLinkify(linkifyOptions...), extension.Table,
		extension.Strikethrough, extension.TaskList, extension.Footnote))
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

// unlinkable is src with what linkify could link taken out (see mayLink).
func unlinkable(src []byte) []byte {
	src = bytes.ReplaceAll(src, []byte("@"), []byte("(at)"))
	src = bytes.ReplaceAll(src, []byte("://"), []byte(":/"))
	return bytes.ReplaceAll(src, []byte("www."), []byte("ww."))
}

// treeOf describes the tree goldmark made of src, node by node: its kind,
// the lines of a block, the text of a run of texts and its line break.
// Linkify, asked after every space, cuts a line's text into two nodes
// where goldmark otherwise keeps one: the text is the same, and so is
// every page, which reads the text of a run of nodes, never a node's.
func treeOf(doc ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		fmt.Fprintf(&b, "(%s", n.Kind())
		if n.Type() == ast.TypeBlock {
			for i := range n.Lines().Len() {
				s := n.Lines().At(i)
				fmt.Fprintf(&b, " [%d,%d,%d]", s.Start, s.Stop, s.Padding)
			}
		}
		if t, ok := n.(*ast.Text); ok {
			fmt.Fprintf(&b, " soft=%v hard=%v raw=%v", t.SoftLineBreak(), t.HardLineBreak(), t.IsRaw())
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			t, ok := c.(*ast.Text)
			if !ok || t.HasChildren() {
				walk(c)
				continue
			}
			// A run of texts, each where the last ends, without a
			// break between.
			seg := t.Segment
			for !t.SoftLineBreak() && !t.HardLineBreak() {
				next, ok := t.NextSibling().(*ast.Text)
				if !ok || next.Segment.Start != seg.Stop || next.IsRaw() != t.IsRaw() {
					break
				}
				t, seg = next, seg.WithStop(next.Segment.Stop)
				c = next
			}
			fmt.Fprintf(&b, "(Text %d-%d soft=%v hard=%v raw=%v %q)", seg.Start, seg.Stop, t.SoftLineBreak(), t.HardLineBreak(), t.IsRaw(), seg.Value(src))
		}
		b.WriteString(")")
	}
	walk(doc)
	return b.String()
}

// buildMarkdown is the Markdown of a build, made once for the tests: each
// is two goldmark instances with every extension.
var buildMarkdown = sync.OnceValue(func() goldmark.Markdown { return Markdown(false, nil, nil) })

// sameTree fails t when the parser of a build makes of src another tree
// or page than the same parser with linkify asked about every line, and
// reports whether it parsed src without linkify.
func sameTree(t *testing.T, name string, src []byte) bool {
	t.Helper()
	if mayLink(src) {
		return false // parsed with linkify, as before
	}
	md := buildMarkdown()
	p := md.Parser().(linkParser)
	with, without := p.Parser.Parse(text.NewReader(src)), p.Parse(text.NewReader(src))
	if a, b := treeOf(with, src), treeOf(without, src); a != b {
		t.Errorf("%s: the tree made without linkify differs:\nwith:    %s\nwithout: %s", name, a, b)
	}
	r := md.Renderer()
	var a, b bytes.Buffer
	errA, errB := r.Render(&a, src, with), r.Render(&b, src, without)
	if errA != nil || errB != nil || a.String() != b.String() {
		t.Errorf("%s: rendered without linkify (%v, %v):\n%q\nwith:\n%q", name, errA, errB, b.String(), a.String())
	}
	return true
}

// TestLinkParserSameTree: a text in which linkify could link nothing is
// parsed into the tree it is parsed into with linkify: the markup's cases,
// the sample site and a generated one, each with what linkify links taken
// out.
func TestLinkParserSameTree(t *testing.T) {
	compared := 0
	same := func(name string, src []byte) {
		if sameTree(t, name, src) {
			compared++
		}
	}
	cases, _ := filepath.Glob("../markup/testdata/*.txtar")
	for _, c := range cases {
		a, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".md") {
				same(c+":"+f.Name, unlinkable(f.Data))
			}
		}
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, 30, 7); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"../../content", filepath.Join(dir, "content")} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return err
			}
			src, err := os.ReadFile(p)
			if err == nil {
				same(p, unlinkable(src))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if compared < 40 {
		t.Errorf("only %d texts parsed without linkify", compared)
	}
	// The parser of a build uses linkify where it could link, or where
	// a line ends in white space.
	for _, s := range []string{"www.x.example", "a@b.example", "ftp://f.example", "a \t\nb", "a\r \nb", "a\t\t"} {
		if !mayLink([]byte(s)) {
			t.Errorf("%q parsed without linkify", s)
		}
	}
	src := []byte("see www.example.org and a@b.example")
	if a, b := treeOf(NewParser().Parse(text.NewReader(src)), src), treeOf(NewParser().(linkParser).without.Parse(text.NewReader(src)), src); a == b {
		t.Errorf("linkify left out of a text it links: %s", a)
	}
}

// FuzzLinkParser: any text, with what linkify links taken out, is parsed
// into the same tree with linkify and without.
//
//	go test ./generator/site -run '^$' -fuzz FuzzLinkParser -fuzztime 60s
func FuzzLinkParser(f *testing.F) {
	for _, s := range []string{
		"word \nnext *line* with _emphasis_ and ~strike~ (parens)\n\n> quote \n> more",
		"- item one\n  - nested `code` here\t\n\n1. **bold** text\\\nbreak",
		"| a | b |\n|---|---|\n| c  | d |\n\ntext :claim[words]{#c1 by=a} [[actor-1]] end",
		"  leading spaces\n\ttab\n\n    indented code\n\nend ",
		"\"quotes\" -- dashes --- and... 'single' <span>html</span> &amp; [link](/x) ![img](/y)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sameTree(t, "input", unlinkable([]byte(s)))
	})
}

// TestClaimEndingInURL: a claim's words may end in a bare URL; the bracket
// that closes them is not taken into it.
func TestClaimEndingInURL(t *testing.T) {
	src := "---\ntitle: T\ndate: 2026-01-01\n---\n" +
		":claim[The ministry posted it at https://gov.example/statement]{#c1 by=a} and www.x.example/a]b.\n"
	pg := ParseFile(NewParser(), "content/briefings/b.md", []byte(src))
	for _, d := range pg.diags {
		t.Errorf("%s", d)
	}
	if len(pg.Claims) != 1 {
		t.Fatalf("%d claims", len(pg.Claims))
	}
	var urls []string
	_ = ast.Walk(pg.tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.AutoLink); ok && entering {
			urls = append(urls, string(l.URL(pg.markdown)))
		}
		return ast.WalkContinue, nil
	})
	if strings.Join(urls, " ") != "https://gov.example/statement http://www.x.example/a" {
		t.Errorf("links: %q", urls)
	}
}
