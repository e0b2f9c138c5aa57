package render

import (
	"bytes"
	"io/fs"
	"os"
	"testing"

	"briefing/generator/markup"
	"briefing/generator/site"

	"github.com/yuin/goldmark/ast"
)

// TestLeanMatchesKept renders every file of several sites from a model
// whose briefings keep their trees (site.Parse, as the server's) and from
// one whose briefings are parsed again where shown (site.ParseLean), or
// rendered while parsed and filled in where shown (site.ParseLean with
// site.Bodies, as a build's), with the Go writers and with the templates,
// and wants the same bytes.
func TestLeanMatchesKept(t *testing.T) {
	for _, tc := range testSites(t, 60) {
		t.Run(tc.name, func(t *testing.T) {
			files, err := site.Load(os.DirFS(tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			opts := site.Options{BasePath: tc.base, Drafts: tc.drafts}
			kept, diags := site.Resolve(site.Parse(files.Content), opts)
			if errs, _ := diags.Count(); errs > 0 && tc.name == "nested" {
				t.Fatal(diags)
			}
			// Parsed again where shown, or rendered while parsed.
			for _, rendered := range []bool{false, true} {
				var bodies *site.Bodies
				if rendered {
					bodies, err = site.NewBodies(tc.base, nil, tc.drafts)
					if err != nil {
						t.Fatal(err)
					}
				}
				lean, _ := site.Resolve(site.ParseLean(files.Content, bodies), opts)
				pruned, shown := 0, 0
				for _, b := range lean.Briefings {
					for _, c := range b.Claims {
						if c.Node.Parent() == nil {
							pruned++
						}
					}
					if b.Rendered() {
						shown++
					}
				}
				if pruned == 0 {
					t.Fatal("no claim was taken out of its tree")
				}
				// Those with errors are not rendered: the build fails.
				if rendered != (shown > 0) {
					t.Fatalf("%d of %d briefings show the body rendered while parsed", shown, len(lean.Briefings))
				}
				for _, native := range []bool{true, false} {
					rk, diags := New(kept, builtin, files.Templates)
					rl, _ := New(lean, builtin, files.Templates)
					if len(diags) > 0 {
						t.Fatal(diags)
					}
					if !native {
						rk.native, rl.native = nil, nil
					}
					// As a build does: the sources shed, to be read
					// again page by page, the bodies' search terms
					// gathered as they go; then the search index made.
					// The second renderer finds the model shed, and
					// makes its index from the bodies read again.
					rl.Shed(lean, func(p string) ([]byte, error) { return fs.ReadFile(os.DirFS(tc.dir), p) })
					gathered := 0
					for _, bt := range rl.ix.body {
						if bt.ok {
							gathered++
						}
					}
					if native && len(lean.Briefings) > 0 && gathered == 0 {
						t.Fatal("no briefing's search terms were gathered while it was shed")
					}
					paths := rk.Paths(kept, 0)
					if len(paths) != len(rl.Paths(lean, 0)) {
						t.Fatal("the two models list different files")
					}
					for _, p := range paths {
						want, _, err1 := rk.Page(kept, p)
						got, _, err2 := rl.Page(lean, p)
						if err1 != nil || err2 != nil {
							t.Fatalf("%s: %v, %v", p, err1, err2)
						}
						if !bytes.Equal(got, want) {
							t.Errorf("%s (native %v, rendered while parsed %v) differs from the page of the tree kept:\n%s", p, native, rendered, firstDiff(got, want))
						}
					}
				}
				bodies.Close()
			}
		})
	}
}

// TestLeanDocStandsForResolved: the claims and caveats of a body parsed
// again stand for the ones the model resolved, and each parse is new.
func TestLeanDocStandsForResolved(t *testing.T) {
	files, err := site.Load(os.DirFS(hostileSite(t)))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := site.Resolve(site.ParseLean(files.Content, nil), site.Options{BasePath: "/", Drafts: true})
	for _, b := range m.Briefings {
		doc, _ := m.Doc(b.Page)
		if again, _ := m.Doc(b.Page); doc == nil || doc == again {
			t.Fatalf("%s: parsed again as %v, twice the same", b.Path, doc)
		}
		var claims, caveats int
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *markup.Claim:
				if n.Origin != b.Claims[claims].Node || n.ID != b.Claims[claims].ID {
					t.Errorf("%s: claim %d stands for %v", b.Path, claims, n.Origin)
				}
				claims++
			case *markup.Caveat, *markup.InlineCaveat:
				if markup.Attrs(n).Origin != b.Caveats[caveats].Attrs {
					t.Errorf("%s: caveat %d stands for another", b.Path, caveats)
				}
				caveats++
			}
			return ast.WalkContinue, nil
		})
		if claims != len(b.Claims) || caveats != len(b.Caveats) {
			t.Errorf("%s: %d claims and %d caveats parsed again, %d and %d resolved", b.Path, claims, caveats, len(b.Claims), len(b.Caveats))
		}
	}
}

// nestedSite is a briefing of every kind of node a body can hold: links
// made from the root, images, raw HTML, headings for a table of contents,
// footnotes, claims in caveats and caveats in claims' paragraphs,
// wikilinks in claims and headings, a wikilink's label to typeset (quotes,
// dashes), code, and no summary, so that its description
// is read from its first paragraph.
func nestedSite(t *testing.T) string {
	files := map[string]string{
		"content/_index.md":    "---\ntitle: N\nraw_html: true\nlanguage: ar\n---\nHome.\n",
		"content/actors/a.md":  "---\nname: A\nkind: person\n---\n",
		"content/sources/s.md": "---\ntitle: S\nreliability: B\n---\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-03-04\n---\n" +
			"First [see](../c/#sec-one) and ![img](pic.png) and <a href=\"x/\">raw</a>, [[a]] said :claim[with [[claim:w]] in it]{#v by=a src=s}.[^1]\n\n" +
			"## One [[a|\"h\"]]\n\nThen [[a|\"the boss\" -- here...]] spoke.\n\n:claim[words **bold** [rel](#sec-two)]{#w by=a src=s updates=v}\n\n" +
			"::::caveat{on=w by=a}\nInside, :claim[a claim in a caveat]{by=a src=s} and [[v]].\n\n" +
			":::caveat{on=v}\nNested.\n:::\n::::\n\n## Two\n\n### Three\n\n<div><img src=\"rel.png\"></div>\n\n" +
			"- list :claim[in a list]{by=a src=s} :caveat[inline]{on=w}\n\n```go\nfunc x() {}\n```\n\n[^1]: A note with [[a]].\n",
		"content/briefings/c.md": "---\ntitle: C\ndate: 2026-03-05\n---\n# Heading\n\nSee [[briefing:b]] and [b](../b/#claim-v).\n",
	}
	return writeSite(t, files)
}

// FuzzLean renders every page of a site of two fuzzed briefings from a
// model that keeps their trees and from one that rendered their bodies
// while it parsed them and shed their sources, as a build does, and wants
// the same bytes: the holes of a body rendered early are filled in as
// the kept tree renders them, whatever the body nests.
func FuzzLean(f *testing.F) {
	f.Add([]byte("## [[a]] said\n\n[[a]] said :claim[see [[claim:two]]]{#one by=a src=s}.\n\n## Why\n\n### Dé"),
		[]byte(":::caveat{on=one by=a}\n## Inside\n:claim[as [[claim:one]]]{#two by=a contradicts=one} :caveat[hm]{on=two}\n:::\n"))
	f.Add([]byte("Text[^1] and <b>raw</b>.\n\n[^1]: :claim[note]{#one by=a}\n\n```go\nx := 1\n```\n"), []byte("- :claim[in a list [[s]]]{by=a}\n\n> :caveat[q]{on=one}\n"))
	f.Add([]byte(""), []byte("\uFEFF\r\n# h\r\n:claim[x]{by=a lang=ar}\r\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		files := []site.File{
			{Path: "content/_index.md", Data: []byte("---\ntitle: F\nraw_html: true\n---\nHome [[a]].\n")},
			{Path: "content/actors/a.md", Data: []byte("---\nname: Osk\nkind: person\n---\nMayor.\n")},
			{Path: "content/sources/s.md", Data: []byte("---\ntitle: Wire\nreliability: B\ncredibility: 2\n---\n")},
			{Path: "content/briefings/first.md", Data: append([]byte("---\ntitle: A\ndate: 2026-11-24\nsummary: S\n---\n"), a...)},
			{Path: "content/briefings/second.md", Data: append([]byte("---\ntitle: B\ndate: 2026-11-25\n---\n"), b...)},
		}
		byPath := map[string][]byte{}
		for _, f := range files {
			byPath[f.Path] = f.Data
		}
		opts := site.Options{BasePath: "/sub/"}
		kept, diags := site.Resolve(site.Parse(files), opts)
		if errs, _ := diags.Count(); errs > 0 {
			return // a build stops before any page
		}
		bodies, err := site.NewBodies(opts.BasePath, nil, false)
		if err != nil {
			t.Skip(err)
		}
		defer bodies.Close()
		lean, _ := site.Resolve(site.ParseLean(files, bodies), opts)
		for _, b := range lean.Briefings {
			if !b.Rendered() {
				t.Fatalf("%s: body not rendered while parsed", b.Path)
			}
		}
		rk, rl := mustRenderer(t, kept), mustRenderer(t, lean)
		rl.Shed(lean, func(p string) ([]byte, error) { return byPath[p], nil })
		paths := rk.Paths(kept, 0)
		rl.Paths(lean, 0)
		for _, p := range paths {
			want, _, err1 := rk.Page(kept, p)
			got, _, err2 := rl.Page(lean, p)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s: errors %v and %v", p, err1, err2)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs when its bodies were rendered while parsed:\n%s", p, firstDiff(got, want))
			}
		}
	})
}

func mustRenderer(t *testing.T, m *site.Model) *Renderer {
	r, diags := New(m, builtin, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	return r
}
