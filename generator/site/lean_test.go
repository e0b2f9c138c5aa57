package site

import (
	"maps"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// TestParseLeanKeepsNoTree: a briefing parsed lean keeps neither its tree
// nor anything that reaches it: its claims, caveats and wikilinks stand
// alone, with their words; actors and sources keep theirs.
func TestParseLeanKeepsNoTree(t *testing.T) {
	pages := ParseLean([]File{
		{Path: "content/briefings/b.md", Data: []byte("---\ntitle: B\n---\n" +
			"[[osk]] said :claim[it *is* [[x]]]{#c by=osk}.\n\n:::caveat{on=c}\nDoubt :claim[inner]{by=osk}.\n:::\n\n- :caveat[short]{on=c}\n")},
		{Path: "content/actors/osk.md", Data: []byte("---\nname: Osk\nkind: person\n---\nMayor [[x]].\n")},
	}, nil)
	b, a := pages[0], pages[1]
	if b.tree != nil || !b.lean || len(b.Claims) != 2 || len(b.Caveats) != 2 || len(b.Wikilinks) != 2 {
		t.Fatalf("briefing: tree %v, lean %v, %d claims, %d caveats, %d wikilinks", b.tree, b.lean, len(b.Claims), len(b.Caveats), len(b.Wikilinks))
	}
	if b.Claims[0].Parent() != nil || b.Caveats[0].Parent() != nil || b.Caveats[1].Parent() != nil || b.Wikilinks[0].Parent() != nil {
		t.Error("a node the model keeps still hangs in the tree")
	}
	if b.Claims[0].FirstChild() == nil || b.Claims[1].Parent() == nil {
		t.Error("a claim lost its words, or the claim inside the caveat its caveat")
	}
	if a.tree == nil || a.lean {
		t.Error("an actor's profile lost its tree")
	}
}

// TestBodiesRenderedOnlyShown: ParseLean renders while parsing only the
// bodies a build shows: not a draft left out, nor a page whose errors fail
// the build; a body whose rendering panics is left to be parsed again,
// and the others are rendered all the same.
func TestBodiesRenderedOnlyShown(t *testing.T) {
	files := []File{
		{Path: "content/briefings/shown.md", Data: []byte("---\ntitle: S\ndate: 2026-11-28\n---\nWords.\n")},
		{Path: "content/briefings/draft.md", Data: []byte("---\ntitle: D\ndate: 2026-11-28\ndraft: true\n---\nWords.\n")},
		{Path: "content/briefings/bad.md", Data: []byte("---\ntitle: B\ndate: 2026-11-28\n---\n:claim[x]{status=nonsense}\n")},
		{Path: "content/briefings/boom.md", Data: []byte("---\ntitle: P\ndate: 2026-11-28\n---\n```boom\ncode\n```\n")},
	}
	for _, drafts := range []bool{false, true} {
		s, err := NewBodies("/", nil, drafts)
		if err != nil {
			t.Fatal(err)
		}
		pages := parse(files, true, s)
		// A renderer that panics on the code block, as a chroma lexer has.
		boom := files[3]
		s.md = newMarkdown(false, nil, nil, "/", deferHole)
		s.md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(panicky{}, 0)))
		pages[3] = parseFile(NewParser(), boom.Path, boom.Data, 0, nil)
		pages[3].renderBody(s)
		got := map[string]bool{}
		for _, pg := range pages {
			got[pg.ID] = pg.rendered != nil
		}
		want := map[string]bool{"shown": true, "draft": drafts, "bad": false, "boom": false}
		if !maps.Equal(got, want) {
			t.Errorf("drafts %v: rendered %v, want %v", drafts, got, want)
		}
		s.Close()
	}
}

type panicky struct{}

func (panicky) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		panic("lexer bug")
	})
}

// TestShedRefusesUpdate: a shed model has dropped what Update would read
// of its pages' attributes again, so Update refuses it, as it refuses a
// model resolved without tracking, and the caller resolves anew.
func TestShedRefusesUpdate(t *testing.T) {
	src := map[string][]byte{
		"content/briefings/b.md": []byte("---\ntitle: B\ndate: 2026-11-02\n---\n[[osk]] said :claim[it]{#c by=osk src=s}.\n"),
		"content/actors/osk.md":  []byte("---\nname: Osk\nkind: person\n---\n"),
		"content/sources/s.md":   []byte("---\ntitle: S\nreliability: B\n---\n"),
	}
	var files []File
	for p, data := range src {
		files = append(files, File{Path: p, Data: data})
	}
	m, _ := Resolve(ParseLean(files, nil), Options{Track: true})
	edit := map[string]*Page{"content/actors/osk.md": ParseFile(NewParser(), "content/actors/osk.md", src["content/actors/osk.md"])}
	if _, _, ok := m.Update(edit); !ok {
		t.Fatal("a tracked model is not updated")
	}
	m.Shed(func(p string) ([]byte, error) { return src[p], nil }, nil)
	if _, _, ok := m.Update(edit); ok {
		t.Error("a shed model was updated")
	}
}
