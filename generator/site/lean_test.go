package site

import "testing"

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
