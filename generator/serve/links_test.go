package serve

import (
	"strings"
	"testing"
)

// TestBrokenLinksAsBuild: the server reports links that lead nowhere as a
// build does: after its first build, after a prose edit it patches, and,
// on another page, as soon as an edit renames the heading it links to.
func TestBrokenLinksAsBuild(t *testing.T) {
	dir := fixture(t)
	talks := "content/briefings/2026-11-24-talks.md"
	body := readFile(t, dir, talks)
	write(t, dir, talks, body+"\n## Outlook\n\nSee [nothing](/nothing/).\n")
	write(t, dir, "content/actors/lavrov.md", "---\nname: Sergei Lavrov\nkind: person\n---\nSee [the outlook](/briefings/2026-11-24-talks/#sec-outlook).\n")
	s, res, err := New(Options{Src: dir, Drafts: true, Builtin: builtin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	warned := func(res *Result, want int) {
		t.Helper()
		n := 0
		for _, d := range res.Diags {
			if strings.Contains(d.Message, "leads nowhere") {
				n++
			}
		}
		if n != want {
			t.Errorf("%d broken links reported, want %d: %v", n, want, res.Diags)
		}
		sameDiags(t, dir, res)
	}
	warned(res, 1)
	for _, step := range []struct {
		prose  string
		broken int
	}{
		{"\n## Outlook\n\nSee [something](/actors/).\n", 0},
		{"\n## Prospects\n\nSee [a](/a/), ![b](/b.png).\n", 3},
		{"\n## Outlook\n\nNo links.\n", 0},
	} {
		write(t, dir, talks, body+step.prose)
		res := s.Changed([]string{talks})
		if !res.Patched {
			t.Fatalf("a prose edit was not patched: %v", res.Diags)
		}
		warned(res, step.broken)
	}
}
