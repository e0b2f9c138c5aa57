package markup_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected output of the case files")

// testResolver resolves every node from its own attributes, so that the
// cases show what the renderers print for resolved input.
type testResolver struct {
	links   map[*markup.Wikilink]*markup.Link
	claims  map[*markup.Claim]*markup.ClaimView
	caveats map[*markup.CaveatAttrs]*markup.CaveatView
}

func (r *testResolver) WikilinkLink(n *markup.Wikilink) *markup.Link        { return r.links[n] }
func (r *testResolver) ClaimView(n *markup.Claim) *markup.ClaimView         { return r.claims[n] }
func (r *testResolver) CaveatView(n *markup.CaveatAttrs) *markup.CaveatView { return r.caveats[n] }

func resolveForTest(doc ast.Node, r *testResolver) {
	byID := map[string]*markup.ClaimView{}
	var claims []*markup.Claim
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *markup.Wikilink:
			if n.Target != "missing" {
				kind := n.Prefix
				if kind == "" {
					kind = "actor"
				}
				r.links[n] = &markup.Link{Href: "/" + kind + "s/" + n.Target + "/", Text: strings.ToUpper(n.Target), Kind: kind}
				if kind == "claim" {
					r.links[n].Status = "disputed"
				}
			}
		case *markup.Claim:
			v := &markup.ClaimView{Href: "/claims/" + n.ID + "/", Anchor: "claim-" + n.ID, Status: n.Status,
				Lang: n.Lang, Dir: markup.Direction(n.Lang), Likelihood: n.Likelihood, Confidence: n.Confidence}
			byID[n.ID] = v
			claims = append(claims, n)
			for _, r := range n.By {
				v.By = append(v.By, markup.Link{Href: "/actors/" + r.Name + "/", Text: r.Name, Kind: "actor"})
			}
			for _, r := range n.Src {
				v.Sources = append(v.Sources, markup.Link{Href: "/sources/" + r.Name + "/", Text: r.Name, Title: "B3", Kind: "source"})
				v.Grade, v.GradeTitle = "B3", "usually reliable; possibly true"
			}
			r.claims[n] = v
		}
		if a := markup.Attrs(n); a != nil {
			v := &markup.CaveatView{Anchor: "caveat-" + a.ID}
			for _, r := range a.On {
				v.On = append(v.On, markup.Link{Href: "/claims/" + r.Name + "/", Text: r.Name, Kind: "claim"})
			}
			r.caveats[a] = v
		}
		return ast.WalkContinue, nil
	})
	// Relations both ways between the claims of the case; the claims a
	// case names but does not hold are unverified and undated.
	link := func(id string) markup.Link {
		l := markup.Link{Href: "/claims/" + id + "/", Text: id, Kind: "claim", Status: "unverified"}
		if v := byID[id]; v != nil {
			l.Status = v.Status
		}
		return l
	}
	add := func(v *markup.ClaimView, kind, id string) {
		if v == nil {
			return
		}
		for i := range v.Relations {
			if v.Relations[i].Kind == kind {
				v.Relations[i].Claims = append(v.Relations[i].Claims, link(id))
				return
			}
		}
		v.Relations = append(v.Relations, markup.Relation{Kind: kind, Claims: []markup.Link{link(id)}})
	}
	for _, n := range claims {
		v := byID[n.ID]
		for _, rel := range []struct {
			refs          []markup.Ref
			kind, inverse string
		}{{n.Contradicts, "contradicts", "contradicted-by"}, {n.Updates, "updates", "updated-by"}, {n.Supports, "supports", "supported-by"}} {
			for _, ref := range rel.refs {
				add(v, rel.kind, ref.Name)
				add(byID[ref.Name], rel.inverse, n.ID)
				if rel.kind == "updates" {
					v.Older = &markup.Dated{Link: link(ref.Name), ISODate: "2026-11-11", Date: "11 Nov"}
					if o := byID[ref.Name]; o != nil {
						o.Newer = &markup.Dated{Link: link(n.ID), ISODate: "2026-11-23", Date: "23 Nov"}
					}
				}
			}
		}
	}
}

func lineCol(src []byte, off int) string {
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(src[:off], '\n')
	return fmt.Sprintf("%d:%d", line, col)
}

// TestCases runs testdata/*.txtar: input.md is rendered with GFM, footnotes
// and the extension; output.html and problems are the expected results.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no case files")
	}
	res := &testResolver{map[*markup.Wikilink]*markup.Link{}, map[*markup.Claim]*markup.ClaimView{}, map[*markup.CaveatAttrs]*markup.CaveatView{}}
	slabs := new(markup.Slabs) // shared by every case's second parse, as by a worker's pages
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var src, opts []byte
			for _, f := range ar.Files {
				switch f.Name {
				case "input.md":
					src = f.Data
				case "options":
					opts = f.Data
				}
			}
			md := caseMarkdown(t, markup.Extension{Resolver: res}, opts)
			pc := parser.NewContext()
			doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
			resolveForTest(doc, res)
			var html bytes.Buffer
			if err := md.Renderer().Render(&html, src, doc); err != nil {
				t.Fatal(err)
			}
			if d := renderDeferred(t, markup.Extension{Resolver: res}, opts, src, doc); !bytes.Equal(d, html.Bytes()) {
				t.Errorf("rendered with what the site resolves deferred, then filled in:\n%s\n--- not as rendered at once ---\n%s", d, html.Bytes())
			}
			spc := parser.NewContext()
			markup.UseSlabs(spc, slabs)
			sdoc := md.Parser().Parse(text.NewReader(src), parser.WithContext(spc))
			resolveForTest(sdoc, res)
			var shtml bytes.Buffer
			if err := md.Renderer().Render(&shtml, src, sdoc); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(shtml.Bytes(), html.Bytes()) {
				t.Errorf("parsed with slabs:\n%s\n--- not as without ---\n%s", shtml.Bytes(), html.Bytes())
			}
			var probs strings.Builder
			for _, p := range markup.Problems(pc) {
				fmt.Fprintf(&probs, "%s: %s", lineCol(src, p.Pos), p.Message)
				if p.Hint != "" {
					fmt.Fprintf(&probs, " (%s)", p.Hint)
				}
				probs.WriteString("\n")
			}
			got := map[string][]byte{"output.html": html.Bytes(), "problems": []byte(probs.String())}
			if *update {
				var kept []txtar.File
				for _, f := range ar.Files {
					if _, golden := got[f.Name]; !golden {
						kept = append(kept, f)
					}
				}
				ar.Files = append(kept, txtar.File{Name: "output.html", Data: got["output.html"]}, txtar.File{Name: "problems", Data: got["problems"]})
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, f := range ar.Files {
				if want, ok := got[f.Name]; ok && !bytes.Equal(want, f.Data) {
					t.Errorf("%s:\n--- got ---\n%s\n--- want ---\n%s", f.Name, want, f.Data)
				}
			}
		})
	}
}

// TestSlabs: the claims, caveats and wikilinks of parses that share
// Slabs lie in one array each, one after another.
func TestSlabs(t *testing.T) {
	md := caseMarkdown(t, markup.Extension{}, nil)
	slabs := new(markup.Slabs)
	var claims []*markup.Claim
	var links []*markup.Wikilink
	for _, src := range []string{"Said :claim[a]{by=x} by [[x]].\n", ":::caveat{on=a}\nSo :claim[b]{by=x} and :caveat[c]{on=b}, [[y]].\n:::\n"} {
		pc := parser.NewContext()
		markup.UseSlabs(pc, slabs)
		doc := md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n := n.(type) {
			case *markup.Claim:
				if entering {
					claims = append(claims, n)
				}
			case *markup.Wikilink:
				if entering {
					links = append(links, n)
				}
			}
			return ast.WalkContinue, nil
		})
	}
	if len(claims) != 2 || len(links) != 2 {
		t.Fatalf("%d claims, %d wikilinks", len(claims), len(links))
	}
	if !adjacent(claims[0], claims[1]) || !adjacent(links[0], links[1]) {
		t.Errorf("nodes of parses that share slabs are not in one array")
	}
}

// adjacent reports whether b is the element after a in one array.
func adjacent[T any](a, b *T) bool {
	return uintptr(unsafe.Pointer(b))-uintptr(unsafe.Pointer(a)) == unsafe.Sizeof(*a)
}

// renderDeferred renders doc with ext's Defer recording where each
// resolved part goes, then fills them in with WriteDeferred, as a site
// does with a body rendered while it is parsed.
func renderDeferred(t *testing.T, ext markup.Extension, opts, src []byte, doc ast.Node) []byte {
	t.Helper()
	type hole struct {
		off      int
		n        ast.Node
		entering bool
	}
	var (
		static bytes.Buffer
		holes  []hole
	)
	ext.Defer = func(w util.BufWriter, n ast.Node, entering bool) {
		_ = w.Flush()
		holes = append(holes, hole{static.Len(), n, entering})
	}
	if err := caseMarkdown(t, ext, opts).Renderer().Render(&static, src, doc); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	r := markup.Renderer{Resolver: ext.Resolver}
	prev := 0
	for _, h := range holes {
		_, _ = w.Write(static.Bytes()[prev:h.off])
		r.WriteDeferred(w, h.n, h.entering)
		prev = h.off
	}
	_, _ = w.Write(static.Bytes()[prev:])
	_ = w.Flush()
	return out.Bytes()
}

// caseMarkdown is the Markdown of a case file with an options section:
// one option a line, "base /sub/" (Extension.BasePath), "headings"
// (Extension.HeadingIDs), "unsafe" (raw HTML shown); ext without one.
func caseMarkdown(t *testing.T, ext markup.Extension, opts []byte) goldmark.Markdown {
	if opts == nil {
		return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, ext))
	}
	var ropts []renderer.Option
	for line := range strings.Lines(string(opts)) {
		switch f := strings.Fields(line); {
		case len(f) == 0:
		case f[0] == "base" && len(f) == 2:
			ext.BasePath = f[1]
		case f[0] == "headings":
			ext.HeadingIDs = true
		case f[0] == "unsafe":
			ropts = append(ropts, html.WithUnsafe())
		default:
			t.Fatalf("unknown option %q", line)
		}
	}
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, ext),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()), goldmark.WithRendererOptions(ropts...))
}

func TestSlugAndNearest(t *testing.T) {
	for s, want := range map[string]bool{"peskov": true, "2026-11-24-talks": true, "a_b": true, "": false, "-a": false, "Peskov": false, "a/b": false, "..": false, "a b": false} {
		if markup.IsSlug(s) != want {
			t.Errorf("IsSlug(%q) = %v", s, !want)
		}
	}
	if got := markup.Slugify("Kremlin: talks “constructive”!"); got != "kremlin-talks-constructive" {
		t.Errorf("Slugify = %q", got)
	}
	if got := markup.Nearest("peskof", []string{"lavrov", "peskov", "kremlin"}); got != "peskov" {
		t.Errorf("Nearest = %q", got)
	}
	if got := markup.Nearest("xyz", []string{"lavrov", "peskov"}); got != "" {
		t.Errorf("Nearest far = %q", got)
	}
}

// TestMaxDepth: the site's own limit replaces the default of 8.
func TestMaxDepth(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(markup.Extension{MaxDepth: 2}))
	for src, want := range map[string]int{
		":claim[:caveat[x]{on=a}]{by=a}":                                   -1,
		":claim[:claim[:caveat[x]{on=a}]{by=a}]{by=a}":                     14,
		"::::caveat{on=a}\n:::caveat{on=a}\n:caveat[x]{on=a}\n:::\n::::\n": 33,
	} {
		pc := parser.NewContext()
		md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
		var deep []int
		for _, p := range markup.Problems(pc) {
			if strings.Contains(p.Message, "nest at most 2 deep") {
				deep = append(deep, p.Pos)
			}
		}
		if want < 0 && len(deep) > 0 || want >= 0 && !slices.Equal(deep, []int{want}) {
			t.Errorf("%q: too-deep problems at %v, want one at offset %d (none if -1)", src, deep, want)
		}
	}
}

// GFM pads every row to the header's width, so a wide header over many
// short rows made millions of cells from a few kilobytes; the tables of a
// file have at most MaxTableCells, and past that the paragraph is no table.
func TestTableCells(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, markup.Extension{}))
	table := func(cols, rows int) string {
		return strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat("x\n", rows-2)
	}
	for _, tc := range []struct {
		src      string
		problems int
		tables   int
	}{
		{table(100, 1000), 0, 1},
		{table(2000, 2000), 1, 0},
		{table(90, 1000) + "\n" + table(90, 1000) + "\n" + table(90, 1000), 1, 2},
	} {
		pc := parser.NewContext()
		doc := md.Parser().Parse(text.NewReader([]byte(tc.src)), parser.WithContext(pc))
		tables := 0
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering && n.Kind() == east.KindTable {
				tables++
			}
			return ast.WalkContinue, nil
		})
		if got := len(markup.Problems(pc)); got != tc.problems || tables != tc.tables {
			t.Errorf("%d bytes: %d problems and %d tables, want %d and %d", len(tc.src), got, tables, tc.problems, tc.tables)
		}
	}
}
