package site

import (
	"strings"
	"testing"
)

func claimIDs(cs []*Claim) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, " ")
}

// TestHistory: the chain of updates is followed both ways and across
// briefings, oldest first whatever the order of the files, and a circle of
// updates ends.
func TestHistory(t *testing.T) {
	m := resolveFiles(t, map[string]string{
		"content/actors/a.md":  "---\nname: A\nkind: person\n---\n",
		"content/sources/s.md": "---\ntitle: S\nreliability: B\n---\n",
		// Written newest first, so that file order is not the answer.
		"content/briefings/a.md": "---\ntitle: A\ndate: 2026-11-25\n---\n" +
			":claim[third]{#third by=a src=s updates=second}\n\n" +
			":claim[also third]{#fork by=a src=s updates=second date=2026-11-24}\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-11-18\n---\n:claim[second]{#second by=a src=s updates=first}\n",
		"content/briefings/c.md": "---\ntitle: C\ndate: 2026-11-11\n---\n:claim[first]{#first by=a src=s} and :claim[alone]{#alone by=a src=s}\n\n" +
			":claim[x]{#x by=a src=s updates=y} :claim[y]{#y by=a src=s updates=x}\n",
	}, false)
	for id, want := range map[string]string{
		"first":  "first second fork third",
		"second": "first second fork third",
		"third":  "first second fork third",
		"alone":  "",
		"x":      "x y",
	} {
		if got := claimIDs(m.Claim(id).History()); got != want {
			t.Errorf("History of %s = %q, want %q", id, got, want)
		}
	}
	second := m.Claim("second")
	if n := second.Newer(); n == nil || n.ID != "third" {
		t.Errorf("Newer of second = %v, want third (the later of two updates)", n)
	}
	if got := second.UpdateDate(second.Newer()); got != "25 Nov" {
		t.Errorf("UpdateDate = %q", got)
	}
	// Two claims update second: both are listed, not only the newer.
	var kinds []string
	for _, r := range second.Related() {
		kinds = append(kinds, r.Kind+":"+claimIDs(r.Claims))
	}
	if got := strings.Join(kinds, ", "); got != "updated-by:third fork, updates:first" && got != "updated-by:fork third, updates:first" {
		t.Errorf("Related of second = %q", got)
	}
	// One claim updates first: the update line tells of it.
	if rels := m.Claim("first").Related(); len(rels) != 0 {
		t.Errorf("Related of first = %v, want none besides the update", rels)
	}
}
