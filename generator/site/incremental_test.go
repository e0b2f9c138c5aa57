package site

import (
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"briefing/generator/corpus"
)

// dump writes out everything the renderer may read of m, entities by id.
func dump(m *Model) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	ids := func(v any) string {
		var out []string
		switch v := v.(type) {
		case []*Actor:
			for _, x := range v {
				out = append(out, x.ID)
			}
		case []*Source:
			for _, x := range v {
				out = append(out, x.ID)
			}
		case []*Claim:
			for _, x := range v {
				out = append(out, x.ID)
			}
		case []*Caveat:
			for _, x := range v {
				out = append(out, x.ID)
			}
		case []*Briefing:
			for _, x := range v {
				out = append(out, x.ID)
			}
		case []*Tag:
			for _, x := range v {
				out = append(out, x.Slug+"="+x.Name)
			}
		}
		return strings.Join(out, ",")
	}
	intro := ""
	if m.Intro != nil {
		intro = m.Intro.Path
	}
	p("site %q %q %q %v drafts=%d\n", m.Title, m.Description, intro, m.RawHTML, m.Drafts)
	for i, x := range m.Briefings {
		p("briefing %s %s rank=%d claims=%s caveats=%s actors=%s sources=%s cited=%s tags=%s\n", x.ID, x.Path, x.rank,
			ids(x.Claims), ids(x.Caveats), ids(x.Actors), ids(x.Sources), ids(x.Cited), ids(x.TagList))
		if m.Briefing(x.ID) != x || x.rank != i {
			p("  not found or wrong rank\n")
		}
	}
	for i, x := range m.Actors {
		aff := ""
		if x.Affiliate != nil {
			aff = x.Affiliate.ID
		}
		p("actor %s %q aff=%s members=%s published=%s by=%s about=%s mentioned=%s caveats=%s cited=%d used=%v\n", x.ID, x.Name, aff,
			ids(x.Members), ids(x.Published), ids(x.ClaimsBy), ids(x.ClaimsAbout), ids(x.Mentioned), ids(x.Caveats), x.Cited, x.used.Load())
		if m.Actor(x.ID) != x || x.rank != i {
			p("  not found or wrong rank\n")
		}
	}
	for _, x := range m.Sources {
		pub := ""
		if x.PublisherActor != nil {
			pub = x.PublisherActor.ID
		}
		p("source %s pub=%s %q claims=%s used=%v\n", x.ID, pub, x.PublisherName, ids(x.Claims), x.used.Load())
		if m.Source(x.ID) != x {
			p("  not found\n")
		}
	}
	for _, x := range m.Claims {
		br := ""
		if x.Briefing != nil {
			br = x.Briefing.ID
		}
		p("claim %s %s in=%s by=%s about=%s src=%s %s %d %s %s %s grade=%s c=%s s=%s u=%s cb=%s sb=%s ub=%s cv=%s appears=%s\n",
			x.ID, x.Page.Path, br, ids(x.By), ids(x.About), ids(x.Sources), x.Status, x.Credibility, x.Likelihood, x.Confidence,
			x.Date.Format("2006-01-02"), x.Grade, ids(x.Contradicts), ids(x.Supports), ids(x.Updates),
			ids(x.ContradictedBy), ids(x.SupportedBy), ids(x.UpdatedBy), ids(x.Caveats), ids(x.AppearsIn))
		if m.Claim(x.ID) != x {
			p("  not found\n")
		}
	}
	for _, x := range m.Caveats {
		br := ""
		if x.Briefing != nil {
			br = x.Briefing.ID
		}
		p("caveat %s %s in=%s on=%s by=%s %s\n", x.ID, x.Page.Path, br, ids(x.On), ids(x.By), x.Date.Format("2006-01-02"))
		if m.Caveat(x.ID) != x {
			p("  not found\n")
		}
	}
	for _, x := range m.Tags {
		p("tag %s %q %s briefings=%s\n", x.Slug, x.Name, x.URL, ids(x.Briefings))
	}
	p("maps %d %d %d %d %d\n", len(m.briefings), len(m.actors), len(m.sources), len(m.claims), len(m.caveats))
	for _, k := range slices.Sorted(maps.Keys(m.actorNames)) {
		p("name %q %s\n", k, ids(m.actorNames[k]))
	}
	return b.String()
}

func readCorpus(t *testing.T, n int) map[string]string {
	dir := t.TempDir()
	if err := corpus.Write(dir, n, 1); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestUpdateAsResolve edits a generated site at random, in every way that
// changes references, and after each step compares the model Update made
// with the one Resolve makes of the same pages, and their diagnostics.
func TestUpdateAsResolve(t *testing.T) {
	// The passes over every claim run in many ranges, so that a race
	// between them shows under -race.
	defer func(n int) { chunkSize = n }(chunkSize)
	chunkSize = 7
	for _, drafts := range []bool{true, false} {
		t.Run(fmt.Sprintf("drafts=%v", drafts), func(t *testing.T) { updateAsResolve(t, drafts) })
	}
}

func updateAsResolve(t *testing.T, drafts bool) {
	files := readCorpus(t, 120)
	opts := Options{Drafts: drafts, Track: true}
	mp := NewParser()
	pages := map[string]*Page{}
	for p, data := range files {
		pages[p] = ParseFile(mp, p, []byte(data))
	}
	sorted := func() []*Page {
		var out []*Page
		for _, p := range slices.Sorted(maps.Keys(pages)) {
			out = append(out, pages[p])
		}
		return out
	}
	m, _ := Resolve(sorted(), opts)
	r := rand.New(rand.NewPCG(3, 4))
	pick := func(prefix string) string {
		var ps []string
		for p := range files {
			if strings.HasPrefix(p, prefix) {
				ps = append(ps, p)
			}
		}
		slices.Sort(ps)
		if len(ps) == 0 {
			return ""
		}
		return ps[r.IntN(len(ps))]
	}
	replaceOne := func(p string, re *regexp.Regexp, with func(string) string) {
		locs := re.FindAllStringIndex(files[p], -1)
		if len(locs) == 0 {
			return
		}
		l := locs[r.IntN(len(locs))]
		files[p] = files[p][:l[0]] + with(files[p][l[0]:l[1]]) + files[p][l[1]:]
	}
	actor := func() string { return fmt.Sprintf("actor-%d", r.IntN(18)) }
	dupped := ""
	claim := func() string { return fmt.Sprintf("c%d-%d", r.IntN(130), r.IntN(5)) }
	edits := []struct {
		name string
		do   func(i int) []string
	}{
		{"by", func(int) []string {
			p := pick("content/briefings/")
			replaceOne(p, regexp.MustCompile(`by=[a-z0-9-]+`), func(string) string { return "by=" + actor() })
			return []string{p}
		}},
		{"relation", func(int) []string {
			p := pick("content/briefings/")
			rel := []string{"contradicts", "supports", "updates"}[r.IntN(3)]
			replaceOne(p, regexp.MustCompile(`src=[a-z0-9-]+`), func(s string) string { return s + " " + rel + "=" + claim() })
			return []string{p}
		}},
		{"id", func(i int) []string {
			p := pick("content/briefings/")
			replaceOne(p, regexp.MustCompile(`\{#c[0-9]+-[0-9]+`), func(s string) string {
				if r.IntN(2) == 0 {
					return "{" // a derived id
				}
				return fmt.Sprintf("{#n%d", i)
			})
			return []string{p}
		}},
		{"new briefing", func(i int) []string {
			p := fmt.Sprintf("content/briefings/new/n%d.md", i)
			files[p] = fmt.Sprintf("---\ntitle: New %d\ndate: 2026-%02d-%02d\ntags: [Tag-%d, tag-%d]\n---\n[[%s]] and [[claim:%s]]: :claim[new words %d]{#new%d by=%s src=source-%d contradicts=%s}\n\n:::caveat{on=%s by=%s}\nCareful.\n:::\n",
				i, 1+r.IntN(12), 1+r.IntN(28), r.IntN(40), r.IntN(40), actor(), claim(), i, i, actor(), r.IntN(20), claim(), claim(), actor())
			return []string{p}
		}},
		{"remove", func(int) []string {
			p := pick("content/briefings/")
			if r.IntN(4) == 0 {
				p = pick("content/")
			}
			delete(files, p)
			return []string{p}
		}},
		{"rename actor", func(i int) []string {
			p := pick("content/actors/")
			replaceOne(p, regexp.MustCompile(`name: .*`), func(string) string {
				if r.IntN(3) == 0 {
					return fmt.Sprintf("name: Actor %d", r.IntN(18)) // the name of another
				}
				return fmt.Sprintf("name: Zed %d", i)
			})
			return []string{p}
		}},
		{"alias", func(int) []string {
			p := pick("content/actors/")
			replaceOne(p, regexp.MustCompile(`aliases: \[`), func(s string) string { return s + actor() + ", " })
			return []string{p}
		}},
		{"affiliation", func(int) []string {
			p := pick("content/actors/")
			replaceOne(p, regexp.MustCompile(`kind: [a-z]+`), func(s string) string { return s + "\naffiliation: " + actor() })
			return []string{p}
		}},
		{"source", func(int) []string {
			p := pick("content/sources/")
			replaceOne(p, regexp.MustCompile(`(date: [0-9-]+|reliability: [A-F]|publisher: [a-z0-9-]+)`), func(s string) string {
				switch {
				case strings.HasPrefix(s, "date"):
					return fmt.Sprintf("date: 2025-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
				case strings.HasPrefix(s, "rel"):
					return "reliability: " + string(rune('A'+r.IntN(6)))
				}
				return "publisher: " + actor()
			})
			return []string{p}
		}},
		{"date", func(int) []string {
			p := pick("content/briefings/")
			replaceOne(p, regexp.MustCompile(`date: [0-9-]+`), func(string) string { return fmt.Sprintf("date: 2026-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)) })
			return []string{p}
		}},
		{"draft", func(int) []string {
			p := pick("content/briefings/")
			if strings.Contains(files[p], "draft: true") {
				files[p] = strings.Replace(files[p], "draft: true\n", "", 1)
			} else {
				files[p] = strings.Replace(files[p], "---\n", "---\ndraft: true\n", 1)
			}
			return []string{p}
		}},
		{"prose", func(i int) []string {
			p := pick("content/")
			files[p] += fmt.Sprintf("\nMore words %d.\n", i)
			return []string{p}
		}},
		{"wikilink", func(int) []string {
			p := pick("content/")
			target := []string{actor(), "claim:" + claim(), fmt.Sprintf("source-%d", r.IntN(22)), fmt.Sprintf("briefing:b-%d", r.IntN(130)), "nobody"}[r.IntN(5)]
			files[p] += "\nSee [[" + target + "]].\n"
			return []string{p}
		}},
		{"tags", func(int) []string {
			p := pick("content/briefings/")
			replaceOne(p, regexp.MustCompile(`tag-[0-9]+`), func(string) string { return fmt.Sprintf("Tag-%d", r.IntN(40)) })
			return []string{p}
		}},
		{"new actor and source", func(i int) []string {
			a, s := fmt.Sprintf("content/actors/new-%d.md", i), fmt.Sprintf("content/sources/new-%d.md", i)
			files[a] = fmt.Sprintf("---\nname: Actor %d\nkind: person\naliases: [A%d]\n---\nNew.\n", r.IntN(30), r.IntN(30))
			files[s] = fmt.Sprintf("---\ntitle: New %d\npublisher: new-%d\nreliability: B\n---\n", i, i)
			return []string{a, s}
		}},
		{"home", func(i int) []string {
			files["content/_index.md"] = fmt.Sprintf("---\ntitle: Home %d\ndescription: d\nraw_html: %v\n---\nIntro [[%s]].\n", i, r.IntN(2) == 0, actor())
			if r.IntN(3) == 0 {
				delete(files, "content/_index.md")
			}
			return []string{"content/_index.md"}
		}},
		{"broken", func(i int) []string {
			p := pick("content/briefings/")
			files[p] = strings.Replace(files[p], "---\n", "---\ntitle: [unclosed\n", 1)
			return []string{p}
		}},
		{"duplicate", func(i int) []string {
			// Made, then mended by the next such edit.
			if dupped != "" {
				p := dupped
				files[p] = files[p][:strings.Index(files[p], "\n:claim[again]")]
				dupped = ""
				return []string{p}
			}
			p := pick("content/briefings/")
			files[p] += fmt.Sprintf("\n:claim[again]{#%s src=source-1}\n", claim())
			dupped = p
			return []string{p}
		}},
	}
	refused, steps := 0, 250
	if testing.Short() {
		steps = 60
	}
	for i := range steps {
		e := edits[r.IntN(len(edits))]
		if dupped != "" {
			e = edits[len(edits)-1]
		}
		changed := e.do(i)
		changes := map[string]*Page{}
		for _, p := range changed {
			if data, ok := files[p]; ok {
				pages[p] = ParseFile(mp, p, []byte(data))
				changes[p] = pages[p]
			} else {
				delete(pages, p)
				changes[p] = nil
			}
		}
		got, undo, ok := m.Update(changes)
		want, wdiags := Resolve(sorted(), opts)
		if !ok {
			refused++
			m = want
			continue
		}
		if g, w := fmt.Sprint(got), fmt.Sprint(wdiags); g != w {
			t.Fatalf("step %d (%s %v): diagnostics\nUpdate:  %s\nResolve: %s", i, e.name, changed, g, w)
		}
		if g, w := dump(m), dump(want); g != w {
			t.Fatalf("step %d (%s %v): models differ:\n%s", i, e.name, changed, diffLines(g, w))
		}
		if r.IntN(8) == 0 {
			// Undone, and done again.
			if _, _, ok := m.Update(undo); !ok {
				t.Fatalf("step %d: undo refused", i)
			}
			if _, _, ok := m.Update(changes); !ok {
				t.Fatalf("step %d: redo refused", i)
			}
			if g, w := dump(m), dump(want); g != w {
				t.Fatalf("step %d (%s, undone and redone): models differ:\n%s", i, e.name, diffLines(g, w))
			}
		}
	}
	if refused > steps/6 {
		t.Errorf("%d of %d updates refused", refused, steps)
	}
}

// diffLines is the first lines that differ.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var out []string
	for i := 0; i < max(len(g), len(w)) && len(out) < 10; i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d\n  Update:  %s\n  Resolve: %s", i, a, b))
		}
	}
	return strings.Join(out, "\n")
}
