package site

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestPatchDiagsAsResolve: for a prose edit of each page, Patch returns
// exactly what Resolve says about the new page. It used to give only the
// claims without a source, so a prose edit of an actor or source nothing
// refers to dropped that warning.
func TestPatchDiagsAsResolve(t *testing.T) {
	files := map[string]string{
		"content/_index.md":         "---\ntitle: T\n---\nIntro %s.\n",
		"content/actors/used.md":    "---\nname: Used\nkind: person\n---\nProse %s.\n",
		"content/actors/loner.md":   "---\nname: Loner\nkind: person\n---\nProse %s.\n",
		"content/sources/cited.md":  "---\ntitle: Cited\nreliability: B\n---\nProse %s.\n",
		"content/sources/unread.md": "---\ntitle: Unread\nreliability: F\n---\nProse %s.\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-11-24\n---\nProse %s.\n\n" +
			":claim[sourced]{#one by=used src=cited} and :claim[unsourced]{#two by=used}\n",
	}
	paths := slices.Sorted(maps.Keys(files))
	mp := NewParser()
	parse := func(words string) []*Page {
		var pages []*Page
		for _, p := range paths {
			pages = append(pages, ParseFile(mp, p, []byte(fmt.Sprintf(files[p], words))))
		}
		return pages
	}
	for i, p := range paths {
		old := parse("old")
		m, diags := Resolve(old, Options{Drafts: true})
		if errs, _ := diags.Count(); errs > 0 {
			t.Fatal(diags)
		}
		// Longer words, so that positions after them move.
		new := parse(strings.Repeat("new words ", 3))
		all := slices.Clone(old)
		all[i] = new[i]
		got, ok := m.Patch(old[i:i+1], new[i:i+1])
		if !ok {
			t.Fatalf("%s: not patched", p)
		}
		_, fresh := Resolve(all, Options{Drafts: true})
		var want []string
		for _, d := range fresh {
			if d.Path == p {
				want = append(want, d.String())
			}
		}
		var have []string
		for _, d := range got {
			have = append(have, d.String())
		}
		if strings.Join(have, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: Patch gave\n%s\nResolve gives\n%s", p, strings.Join(have, "\n"), strings.Join(want, "\n"))
		}
	}
}
