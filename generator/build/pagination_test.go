package build_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"briefing/generator/build"
)

// paginatedSite writes a site whose every paginated list runs past one
// page: 130 briefings tagged "t", each with two claims by one actor on one
// source and a caveat, and 120 more sources, so that the briefings, claims,
// caveats, sources, tag, actor and source lists all need more than 100
// entries.
func paginatedSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mk := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("content/_index.md", "---\ntitle: Paged\n---\n")
	mk("content/actors/a.md", "---\nname: Actor A\nkind: person\n---\n")
	mk("content/sources/s.md", "---\ntitle: Source S\nreliability: B\ncredibility: 2\n---\n")
	for i := range 120 {
		mk(fmt.Sprintf("content/sources/x%03d.md", i), fmt.Sprintf("---\ntitle: X%03d\npublisher: a\nreliability: C\n---\n", i))
	}
	statuses := []string{"unverified", "corroborated", "disputed", "refuted"}
	for i := range 130 {
		mk(fmt.Sprintf("content/briefings/b%03d.md", i), fmt.Sprintf(
			"---\ntitle: Briefing %d\ndate: 2026-%02d-%02d\ntags: [t]\n---\n[[a]] said :claim[first %d]{#c%d-1 by=a src=s status=%s} and :claim[second %d]{#c%d-2 by=a src=s,x%03d status=%s}.\n\n:caveat[doubt %d]{on=c%d-1}\n",
			i, 1+i/28, 1+i%28, i, i, statuses[i%4], i, i, i%120, statuses[(i/2)%4], i, i))
	}
	return dir
}

var entry = regexp.MustCompile(`<li class="(claim-item|briefing-item|caveat-item|event)"[^>]*>|<tr><td>`)

// TestPagination: every list past 100 entries is split into pages of at
// most 100 at <list>/page/N/, the first at the list's own URL; the pages
// together hold every entry once, in order; prev/next links join them; no
// page past the last exists.
func TestPagination(t *testing.T) {
	src := paginatedSite(t)
	out := filepath.Join(t.TempDir(), "public")
	if res := build.ToDir(build.Options{Src: src, Builtin: builtin}, out); res.Failed() || len(res.Diags) > 0 {
		t.Fatalf("diagnostics: %v", res.Diags)
	}
	files := tree(t, out)
	checkLinks(t, files, "/")
	lists := []struct {
		dir   string
		pages int
		first string // the first entry of the whole list
	}{
		{"briefings/", 2, "Briefing 129"},
		{"claims/", 3, "c129-1"},
		{"claims/disputed/", 1, "c126-1"},
		{"caveats/", 2, "doubt 129"},
		{"tags/t/", 2, "Briefing 129"},
		{"sources/s/", 3, "c129-1"},
		{"actors/a/", 2, "Briefing 129"}, // one entry for each of the 130 briefings, with its two claims
		{"sources/", 2, "Source S"},
	}
	for _, l := range lists {
		var all []string
		for n := 1; n <= l.pages+1; n++ {
			name := l.dir + "index.html"
			if n > 1 {
				name = fmt.Sprintf("%spage/%d/index.html", l.dir, n)
			}
			page, ok := files[name]
			if n > l.pages {
				if ok {
					t.Errorf("%s exists past the last page", name)
				}
				continue
			}
			if !ok {
				t.Errorf("%s missing", name)
				continue
			}
			got := entry.FindAllIndex(page, -1)
			if len(got) == 0 || len(got) > 100 || n < l.pages && len(got) != 100 {
				t.Errorf("%s has %d entries", name, len(got))
			}
			for i, m := range got {
				end := len(page)
				if i+1 < len(got) {
					end = got[i+1][0]
				}
				all = append(all, string(page[m[0]:end]))
			}
			s := string(page)
			if hasNext := strings.Contains(s, `rel="next"`); hasNext != (n < l.pages) {
				t.Errorf("%s: next link %v on page %d of %d", name, hasNext, n, l.pages)
			}
			if hasPrev := strings.Contains(s, `rel="prev"`); hasPrev != (n > 1) {
				t.Errorf("%s: previous link %v on page %d of %d", name, hasPrev, n, l.pages)
			}
			if l.pages > 1 && !strings.Contains(s, fmt.Sprintf("Page %d of %d", n, l.pages)) {
				t.Errorf("%s does not say which page it is", name)
			}
		}
		if len(all) == 0 || !strings.Contains(all[0], l.first) {
			t.Errorf("%s: first entry is not %q", l.dir, l.first)
		}
		if len(slices.Compact(slices.Clone(all))) != len(all) {
			t.Errorf("%s: an entry repeats across pages", l.dir)
		}
		t.Logf("%s: %d entries on %d pages", l.dir, len(all), l.pages)
	}
	for _, name := range []string{"briefings/page/1/index.html", "claims/page/02/index.html", "briefings/b001/page/2/index.html"} {
		if _, ok := files[name]; ok {
			t.Errorf("%s should not exist", name)
		}
	}
}

// TestClaimIDTakenByStatusIndex: /claims/<status>/ is the claims index
// narrowed by status, so a claim may not take a status name as its id.
func TestClaimIDTakenByStatusIndex(t *testing.T) {
	src := paginatedSite(t)
	if err := os.WriteFile(filepath.Join(src, "content/briefings/z.md"),
		[]byte("---\ntitle: Z\ndate: 2026-12-01\n---\nSaid :claim[x]{#disputed by=a src=s}.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := build.Site(build.Options{Src: src, Builtin: builtin})
	want := `content/briefings/z.md:5:17: error: claim id "disputed" is taken: /claims/disputed/ lists the claims of that status`
	if !res.Failed() || len(res.Diags) != 1 || !strings.HasPrefix(res.Diags[0].String(), want) {
		t.Errorf("diagnostics %v, want %s", res.Diags, want)
	}
}

// TestPaginationCollisions: a static file where a list's later pages need
// their folder is an error before anything is written, and no page number,
// however large, breaks a lookup.
func TestPaginationCollisions(t *testing.T) {
	src := paginatedSite(t)
	if err := os.MkdirAll(filepath.Join(src, "static/claims"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "static/claims/page"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(src, "static/briefings/page/92233720368547759")
	if err := os.MkdirAll(huge, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(huge, "index.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := build.Site(build.Options{Src: src, Builtin: builtin})
	var got []string
	for _, d := range res.Diags {
		got = append(got, d.String())
	}
	want := "static/claims/page: error: static file would be written where the folder of the generated page claims/page/2/index.html goes; rename or move it"
	if !res.Failed() || len(got) != 1 || got[0] != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
