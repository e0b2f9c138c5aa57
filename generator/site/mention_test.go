package site

import (
	"maps"
	"slices"
	"testing"
)

// mentionSite is a site where one briefing cites, answers and updates the
// claims of another without naming their speakers or subjects.
var mentionSite = map[string]string{
	"content/actors/ann.md":   "---\nname: Ann\nkind: person\n---\n",
	"content/actors/bo.md":    "---\nname: Bo\nkind: person\n---\n",
	"content/actors/cy.md":    "---\nname: Cy\nkind: person\n---\n",
	"content/actors/desk.md":  "---\nname: Desk\nkind: organisation\n---\n",
	"content/actors/eve.md":   "---\nname: Eve\nkind: person\n---\n",
	"content/sources/s.md":    "---\ntitle: S\nreliability: B\n---\n",
	"content/briefings/b1.md": "---\ntitle: One\ndate: 2026-01-01\n---\n:claim[it rained]{#rain by=ann about=bo src=s}\n",
	"content/briefings/b2.md": "---\ntitle: Two\ndate: 2026-01-02\n---\n" +
		"As [[claim:rain]] had it, [[Cy]] said :claim[it did not]{#dry by=eve src=s contradicts=rain updates=rain}.\n\n" +
		":::caveat{on=rain by=desk}\nUnsure.\n:::\n",
}

func resolveFiles(t *testing.T, files map[string]string, track bool) *Model {
	t.Helper()
	mp := NewParser()
	var pages []*Page
	for _, p := range slices.Sorted(maps.Keys(files)) {
		pages = append(pages, ParseFile(mp, p, []byte(files[p])))
	}
	m, diags := Resolve(pages, Options{Track: track})
	if errs, _ := diags.Count(); errs > 0 {
		t.Fatal(diags)
	}
	return m
}

func briefingIDs(bs []*Briefing) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.ID)
	}
	return out
}

// TestMentioned: a briefing mentions the actors its text names, those its
// own claims are by or about and those writing its caveats; not the
// speakers and subjects of claims it only cites, answers or updates.
func TestMentioned(t *testing.T) {
	check := func(t *testing.T, m *Model) {
		t.Helper()
		want := map[string][]string{"ann": {"b1"}, "bo": {"b1"}, "cy": {"b2"}, "desk": {"b2"}, "eve": {"b2"}}
		for id, w := range want {
			if got := briefingIDs(m.Actor(id).Mentioned); !slices.Equal(got, w) {
				t.Errorf("%s mentioned in %v, want %v", id, got, w)
			}
		}
		b2 := m.Briefing("b2")
		var names []string
		for _, a := range b2.Actors {
			names = append(names, a.ID)
		}
		if !slices.Equal(names, []string{"cy", "desk", "eve"}) {
			t.Errorf("b2's actors %v, want [cy desk eve]", names)
		}
		if !b2.Names(m.Actor("cy")) || b2.Names(m.Actor("eve")) {
			t.Errorf("b2 names Cy %v (want true), Eve %v (want false)", b2.Names(m.Actor("cy")), b2.Names(m.Actor("eve")))
		}
	}
	t.Run("resolve", func(t *testing.T) { check(t, resolveFiles(t, mentionSite, false)) })
	t.Run("update", func(t *testing.T) {
		// Made by Update from a site where b2 names Ann and Bo: they are
		// no longer mentioned once the names go.
		files := maps.Clone(mentionSite)
		files["content/briefings/b2.md"] += "\n[[Ann]] and [[Bo]].\n"
		m := resolveFiles(t, files, true)
		if got := briefingIDs(m.Actor("ann").Mentioned); !slices.Equal(got, []string{"b2", "b1"}) {
			t.Fatalf("before the edit, Ann mentioned in %v", got)
		}
		p := "content/briefings/b2.md"
		pg := ParseFile(NewParser(), p, []byte(mentionSite[p]))
		if _, _, ok := m.Update(map[string]*Page{p: pg}); !ok {
			t.Fatal("Update refused the edit")
		}
		check(t, m)
	})
}
