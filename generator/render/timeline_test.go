package render

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestTimelinePages: an actor's timeline has one entry per briefing, however
// many claims the actor makes and is the subject of there, and is paginated
// by entries, PerPage a page.
func TestTimelinePages(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"content/actors/a.md":  "---\nname: A\nkind: person\n---\n",
		"content/actors/b.md":  "---\nname: B\nkind: person\n---\n",
		"content/sources/s.md": "---\ntitle: S\nreliability: B\n---\n",
	}
	n := PerPage + 1
	for i := range n {
		files[fmt.Sprintf("content/briefings/b%03d.md", i)] = fmt.Sprintf("---\ntitle: B%d\ndate: 2026-01-01\n---\n"+
			"[[a]] said :claim[x]{#x%d by=a about=b src=s}, :claim[y]{#y%d by=b about=a src=s} and :claim[z]{#z%d by=a about=a src=s}.\n", i, i, i, i)
	}
	for p, data := range files {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := modelOf(t, dir, "/", false)
	a := m.Actor("a")
	ev := timeline(a)
	if len(ev) != n {
		t.Fatalf("%d entries, want %d", len(ev), n)
	}
	seen := map[string]bool{}
	for _, e := range ev {
		if e.Briefing == nil || seen[e.Briefing.ID] {
			t.Fatalf("entry %+v: not one per briefing", e)
		}
		seen[e.Briefing.ID] = true
		if e.Said != 2 || e.About != 2 || !e.Named || len(e.Claims) != 3 {
			t.Fatalf("%s: said %d, about %d, named %v, %d claims; want 2, 2, true, 3", e.Briefing.ID, e.Said, e.About, e.Named, len(e.Claims))
		}
		if got, want := e.Roles(), []string{"said 2 claims", "subject of 2 claims", "mentioned"}; !slices.Equal(got, want) {
			t.Fatalf("roles %q, want %q", got, want)
		}
		c := e.Claims
		if !c[0].Said || c[0].About || c[1].Said || !c[1].About || !c[2].Said || !c[2].About {
			t.Fatalf("%s: parts %+v, want said; about; both, in the order of the text", e.Briefing.ID, c)
		}
	}
	if !slices.Contains(Paths(m, 0), "actors/a/page/2/index.html") || slices.Contains(Paths(m, 0), "actors/a/page/3/index.html") {
		t.Error("the timeline of 101 entries should take two pages")
	}
	if d := Lookup(m, "actors/a/index.html"); d == nil || len(d.Timeline) != PerPage {
		t.Errorf("page 1: %v", d)
	}
	if d := Lookup(m, "actors/a/page/2/index.html"); d == nil || len(d.Timeline) != 1 || d.Timeline[0].Briefing != ev[PerPage].Briefing {
		t.Errorf("page 2: %v", d)
	}
}
