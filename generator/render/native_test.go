package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"briefing/generator/corpus"
	"briefing/generator/site"
)

// builtin is the repository's own templates/ and static/.
var builtin = os.DirFS("../..")

// modelOf loads, parses and resolves the site in dir.
func modelOf(t *testing.T, dir, base string, drafts bool) (*site.Model, *site.Files) {
	t.Helper()
	files, err := site.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := site.Resolve(site.Parse(files.Content), site.Options{BasePath: base, Drafts: drafts})
	return m, files
}

// hostileSite is a small site whose every value has characters each
// escaping context treats differently.
func hostileSite(t *testing.T) string {
	files := map[string]string{
		"content/_index.md":    "---\ntitle: T & \"Q\" <x> 'a'+b\ndescription: D\x00 + <i>é</i> ﷐\n---\nIntro *é*.\n",
		"content/actors/a.md":  "---\nname: A \"&\" <b> +1\nkind: person\nrole: R's <role> & +\naliases: [A'a, \"Z\"]\naffiliation: g\n---\nBody & <b>.\n",
		"content/actors/g.md":  "---\nname: Гр & Co\nkind: group\n---\n",
		"content/actors/o.md":  "---\nname: O\nkind: person\n---\n:claim[on a <profile>]{#c-profile by=o about=a,o src=n}\n",
		"content/sources/s.md": "---\ntitle: S <1> & 'q' +\npublisher: a\ndate: 2026-02-03\nurl: javascript:alert(1)\nreliability: C\ncredibility: 4\n---\n",
		"content/sources/u.md": "---\ntitle: U\npublisher: Free \"text\" & co\nurl: https://ex.org/a b/ü?x=1&y='2'+(3)#f%20g%zz\nreliability: A\n---\n",
		"content/sources/n.md": "---\ntitle: N\nreliability: F\n---\n",
		"content/briefings/one.md": "---\ntitle: One & \"two\" <3> +'\ndate: 2026-03-04\ndateline: Köln & <Sarn>\nsummary: S & \"u\" <m> +\ntags: [c++, \"a b\", Zoë, 日本, \"x&y\"]\n---\n" +
			"[[a]] and [[g|the <group>]] said :claim[it's *so* & <b>]{#c1 by=a,g src=s,u about=o status=disputed likelihood=likely confidence=high} " +
			"and :claim[no]{by=g src=n status=refuted contradicts=c1 supports=c1 updates=c1 credibility=2}.\n\n" +
			":::caveat{on=c1 by=o}\nDoubt & <doubt>.\n:::\n\n:caveat[short]{on=c1}\n\n```json\n{\"a\": \"<b>\"}\n```\n",
		"content/briefings/two.md":   "---\ntitle: Two\ndate: 2026-03-05\ndraft: true\n---\nSee [[claim:c1]]; :claim[unsourced words]{by=a}\n",
		"content/briefings/three.md": "---\ntitle: Three\n---\nNo date, :claim[undated]{by=o src=n} and :claim[«<слова> &»]{#ru-words by=o src=n lang=RU-latn}, :claim[«كلمات»]{by=o src=n lang=ar updates=ru-words}.\n",
	}
	return writeSite(t, files)
}

// writeSite writes files, by slash path, into a new folder.
func writeSite(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestNativeMatchesTemplates renders every page of several sites twice,
// with the Go writers and with the built-in templates, and wants the same
// bytes: the templates are the reference the writers follow.
func TestNativeMatchesTemplates(t *testing.T) {
	for _, tc := range testSites(t, 250) {
		t.Run(tc.name, func(t *testing.T) {
			m, files := modelOf(t, tc.dir, tc.base, tc.drafts)
			r, diags := New(m, builtin, files.Templates)
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			if len(r.native) == 0 {
				t.Fatal("no kind is written natively")
			}
			ref, _ := New(m, builtin, files.Templates)
			ref.native = nil
			var want *writer
			kinds := map[string]int{}
			got := &writer{} // reused from page to page, as Pages does
			for _, p := range Paths(m, 0) {
				d := lookup(m, r.ix, p)
				got.b, want = got.b[:0], &writer{}
				if err := r.execute(got, d); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				if err := ref.execute(want, d); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				if r.native[d.Kind] != nil {
					kinds[d.Kind]++
				}
				if !bytes.Equal(got.b, want.b) {
					t.Errorf("%s differs from its template:\n%s", p, firstDiff(got.b, want.b))
				}
			}
			t.Logf("pages written natively, by kind: %v", kinds)
		})
	}
}

// testSite is a site the renderer is tried on, at a base path.
type testSite struct {
	name, dir, base string
	drafts          bool
}

// testSites are the sample site, the hostile one and one of every kind of
// body node, each at the root and under a sub path with characters to
// escape, and a generated corpus of n briefings.
func testSites(t *testing.T, n int) []testSite {
	gen := t.TempDir()
	if err := corpus.Write(gen, n, 3); err != nil {
		t.Fatal(err)
	}
	return []testSite{
		{"sample", "../..", "/", false},
		{"sample-sub-path", "../..", "/sub%20path/%C3%BC/", true},
		{"hostile", hostileSite(t), "/", true},
		{"hostile-sub-path", hostileSite(t), "/a+b/&/", false},
		{"nested", nestedSite(t), "/sub/", false},
		{"corpus", gen, "/", false},
	}
}

// firstDiff shows where a and b part, with some context.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-120)
	return fmt.Sprintf("at byte %d\n--- got ---\n%s\n--- want ---\n%s", i,
		got[lo:min(len(got), i+120)], want[lo:min(len(want), i+120)])
}

// BenchmarkPages renders every page of a generated site of 1,000
// briefings, written by the Go writers and by the built-in templates:
//
//	go test ./generator/render -run '^$' -bench Pages -benchmem
func BenchmarkPages(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 1000, 1); err != nil {
		b.Fatal(err)
	}
	files, err := site.Load(os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	m, _ := site.Resolve(site.Parse(files.Content), site.Options{BasePath: "/"})
	paths := Paths(m, 0)
	for _, native := range []bool{true, false} {
		b.Run(fmt.Sprintf("native=%v", native), func(b *testing.B) {
			var bytes int64
			for b.Loop() {
				r, _ := New(m, builtin, nil)
				if !native {
					r.native = nil
				}
				bytes = 0
				r.Pages(m, paths, Output{Emit: func(_ string, data []byte) error {
					atomic.AddInt64(&bytes, int64(len(data)))
					return nil
				}})
			}
			b.ReportMetric(float64(bytes)/1e6, "MB/op")
		})
	}
}

// FuzzNative renders every page of a site made of fuzzed words in every
// field an author writes, both ways, and wants the same bytes.
func FuzzNative(f *testing.F) {
	f.Add("Title & \"q\"", "Dateline <x>", "tag+1, Zoë", "Name 'a'", "role", "https://x/?a=b&c", "[[a]] :claim[x & y]{#c by=a src=s}")
	f.Add("", "", "", "", "", "javascript:alert(1)", ":caveat[doubt]{on=c}")
	f.Add("T", "D", "日本", "Гр", "r\x00", "mailto:a@b", "```go\nx := 1\n```\n:claim[z]{by=a status=refuted}")
	f.Fuzz(func(t *testing.T, title, dateline, tags, name, role, url, body string) {
		q := func(s string) string { return strconv.Quote(s) }
		files := []site.File{
			{Path: "content/_index.md", Data: []byte("---\ntitle: " + q(title) + "\ndescription: " + q(role) + "\n---\n" + body)},
			{Path: "content/actors/a.md", Data: []byte("---\nname: " + q(name) + "\nkind: person\nrole: " + q(role) + "\n---\n" + body)},
			{Path: "content/sources/s.md", Data: []byte("---\ntitle: " + q(title) + "\npublisher: " + q(name) + "\nurl: " + q(url) + "\nreliability: B\ncredibility: 3\n---\n")},
			{Path: "content/briefings/b.md", Data: []byte("---\ntitle: " + q(title) + "\ndate: 2026-11-25\ndateline: " + q(dateline) +
				"\nsummary: " + q(role) + "\ntags: [" + q(tags) + "]\n---\n" + body)},
		}
		m, _ := site.Resolve(site.Parse(files), site.Options{BasePath: "/b+ase/"})
		r, diags := New(m, builtin, nil)
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		ref, _ := New(m, builtin, nil)
		ref.native = nil
		for _, p := range Paths(m, 0) {
			d := lookup(m, r.ix, p)
			got, want := &writer{}, &writer{}
			gerr, werr := r.execute(got, d), ref.execute(want, d)
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("%s: errors %v and %v", p, gerr, werr)
			}
			if !bytes.Equal(got.b, want.b) {
				t.Fatalf("%s differs from its template:\n%s", p, firstDiff(got.b, want.b))
			}
		}
	})
}

// TestLookupHugePage: a page number past any list is no page, not a panic.
func TestLookupHugePage(t *testing.T) {
	m, _ := modelOf(t, "../..", "/", false)
	for _, p := range []string{"briefings/page/92233720368547759/index.html", "briefings/page/922337203685477580/index.html",
		"claims/disputed/page/9223372036854775807/index.html", "actors/valdoria/page/92233720368547759/index.html"} {
		if d := Lookup(m, p); d != nil {
			t.Errorf("%s is a page", p)
		}
	}
}

// TestPagesFilesDone holds Pages to calling FilesDone once, when every
// file that is not a page has been emitted, and to streaming graph.json.
func TestPagesFilesDone(t *testing.T) {
	m, _ := modelOf(t, "../..", "/", false)
	r, diags := New(m, builtin, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	paths := r.Paths(m, 0)
	files := 0
	for _, p := range paths {
		if !strings.HasSuffix(p, ".html") {
			files++
		}
	}
	if files < 10 || files == len(paths) {
		t.Fatalf("%d files that are not pages among %d", files, len(paths))
	}
	var mu sync.Mutex
	emitted, calls, atCall := 0, 0, -1
	streamed := map[string][]byte{}
	defer func(n int) { spillAt = n }(spillAt)
	spillAt = 100 // many pieces
	r.Pages(m, paths, Output{Emit: func(p string, _ []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if !strings.HasSuffix(p, ".html") {
			emitted++
		}
		return nil
	}, Stream: func(p string, write func(io.Writer) error) error {
		var b bytes.Buffer
		err := write(&b)
		mu.Lock()
		defer mu.Unlock()
		emitted++
		streamed[p] = b.Bytes()
		return err
	}, FilesDone: func() {
		mu.Lock()
		defer mu.Unlock()
		calls++
		atCall = emitted
	}})
	if calls != 1 || atCall != files {
		t.Fatalf("filesDone called %d times, when %d of %d files were emitted", calls, atCall, files)
	}
	// graph.json, the site's feed and the sitemap are written in
	// pieces, as they are made whole.
	for _, p := range []string{"graph.json", "feed.xml", "sitemap.xml"} {
		if streamed[p] == nil {
			t.Errorf("%s is not streamed", p)
		}
	}
	for p, got := range streamed {
		want, ok, err := r.Page(m, p)
		if !ok || err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s streamed: %d bytes, made whole %d (%v %v)", p, len(got), len(want), ok, err)
		}
	}
	if streamed["actors/"+m.Actors[0].ID+"/feed.xml"] != nil {
		t.Error("an actor's feed, which is small, is streamed")
	}
	calls = 0
	r.Pages(m, []string{"index.html"}, Output{Emit: func(string, []byte) error { return nil }, FilesDone: func() { calls++ }})
	if calls != 1 {
		t.Fatalf("with pages only, filesDone called %d times", calls)
	}
}

// TestDateCache: a writer's dates read as time.Format gives them, whatever
// it wrote before: the same day in other zones, days that share a slot of
// the cache, days before 1970.
func TestDateCache(t *testing.T) {
	east := time.FixedZone("east", 5*3600)
	var dates []time.Time
	for _, y := range []int{1969, 1970, 2026, 2027, 1} {
		for d := range 300 {
			day := time.Date(y, 1, 1+d, 0, 0, 0, 0, time.UTC)
			late := day.Add(22 * time.Hour) // the next day in east
			dates = append(dates, day, day.In(east), late, late.In(east))
		}
	}
	w := &writer{}
	// In order, so that each instant meets itself in the other zone
	// next; then scattered.
	for i := range len(dates) + 20000 {
		d := dates[i%len(dates)]
		if i >= len(dates) {
			d = dates[(i*7919)%len(dates)]
		}
		if d.IsZero() {
			continue // written as nothing
		}
		w.b = w.b[:0]
		w.date(d)
		w.b = append(w.b, '|')
		w.isodate(d)
		if got, want := string(w.b), d.Format(dateLayout)+"|"+d.Format(time.DateOnly); got != want {
			t.Fatalf("%v: wrote %q, want %q", d, got, want)
		}
	}
}

// TestTemplatePageLimit: a site's template that loops as it writes stops
// at the page's limit with an error, instead of filling the memory.
func TestTemplatePageLimit(t *testing.T) {
	defer func(n int) { maxTemplatePage = n }(maxTemplatePage)
	maxTemplatePage = 1 << 20
	dir := writeSite(t, map[string]string{
		"content/_index.md":        "---\ntitle: T\n---\n",
		"content/briefings/one.md": "---\ntitle: One\ndate: 2026-03-04\n---\nText.\n",
	})
	m, _ := modelOf(t, dir, "/", false)
	line := strings.Repeat("x", 1000)
	r, diags := New(m, builtin, map[string][]byte{"home.html": []byte(`{{define "main"}}{{range 100000000000}}` + line + `{{end}}{{end}}`)})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	_, _, err := r.Page(m, "index.html")
	if err == nil || !strings.Contains(err.Error(), "passed 1 MB") {
		t.Fatalf("err = %v", err)
	}
	if d := TemplateDiag(err, ""); d.Path != "templates/home.html" {
		t.Errorf("reported at %s: %v", d.Path, d)
	}
	// A page under the limit is written whole.
	r, _ = New(m, builtin, map[string][]byte{"home.html": []byte(`{{define "main"}}{{range 500}}` + line + `{{end}}{{end}}`)})
	if b, ok, err := r.Page(m, "index.html"); !ok || err != nil || !strings.Contains(string(b), line) {
		t.Fatalf("ok %v, %v", ok, err)
	}
}

// TestTemplateDiag: the template, line and column come out of each form
// of template error into the diagnostic's place, not its message.
func TestTemplateDiag(t *testing.T) {
	for _, c := range []struct {
		err, path string
		line, col int
		msg       string
	}{
		{`template: home.html:2:18: executing "main" at <.X>: can't evaluate field X`, "templates/home.html", 2, 18, `executing "main" at <.X>: can't evaluate field X`},
		{`html/template:home.html:2:18: no such template "nonexist"`, "templates/home.html", 2, 18, `no such template "nonexist"`},
		{`template: claim.html:12: function "nope" not defined`, "templates/claim.html", 12, 0, `function "nope" not defined`},
		{`template: home.html: the page passed 64 MB`, "templates/home.html", 0, 0, "the page passed 64 MB"},
		{`something else`, "templates/base.html", 0, 0, "something else"},
		{"template: feed.html:3:2: executing \"x\": error calling f: line one\nline two", "templates/feed.html", 3, 2, "executing \"x\": error calling f: line one\nline two"},
	} {
		d := TemplateDiag(errors.New(c.err), "base.html")
		if d.Path != c.path || d.Line != c.line || d.Col != c.col || d.Message != c.msg {
			t.Errorf("%s\n → %s:%d:%d %q", c.err, d.Path, d.Line, d.Col, d.Message)
		}
	}
}

// TestCaveatOnManyClaims: a list of caveats names a few of the claims a
// caveat is on and links its page for the rest, so that a caveat on every
// claim of a long briefing does not put every claim on each claim's page.
// The caveat's own page names them all.
func TestCaveatOnManyClaims(t *testing.T) {
	page := func(n int) (claim, caveat []byte) {
		var body, on strings.Builder
		for i := range n {
			fmt.Fprintf(&body, ":claim[words %d]{#c%d by=a src=s}\n\n", i, i)
			if i > 0 {
				on.WriteString(",")
			}
			fmt.Fprintf(&on, "c%d", i)
		}
		fmt.Fprintf(&body, ":::caveat{#doubt on=%s by=a}\nDoubt.\n:::\n", on.String())
		dir := writeSite(t, map[string]string{
			"content/_index.md":        "---\ntitle: T\n---\n",
			"content/actors/a.md":      "---\nname: A\nkind: person\n---\n",
			"content/sources/s.md":     "---\ntitle: S\nreliability: B\n---\n",
			"content/briefings/one.md": "---\ntitle: One\ndate: 2026-03-04\n---\n" + body.String(),
		})
		m, _ := modelOf(t, dir, "/", false)
		r, diags := New(m, builtin, nil)
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		ref, _ := New(m, builtin, nil)
		ref.native = nil
		for _, p := range []string{"claims/c0/index.html", "caveats/index.html"} {
			got, _, err1 := r.Page(m, p)
			want, _, err2 := ref.Page(m, p)
			if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
				t.Fatalf("%d claims: %s differs from its template (%v, %v):\n%s", n, p, err1, err2, firstDiff(got, want))
			}
		}
		claim, _, _ = r.Page(m, "claims/c0/index.html")
		caveat, _, _ = r.Page(m, "caveats/doubt/index.html")
		return claim, caveat
	}
	small, _ := page(3)
	if !bytes.Contains(small, []byte(`>words 2</a> · in`)) || bytes.Contains(small, []byte(" more</a>")) {
		t.Errorf("a caveat on 3 claims does not name the 3:\n%s", small)
	}
	claim, caveat := page(400)
	if !bytes.Contains(claim, []byte(`>words 4</a> and <a href="/caveats/doubt/">395 more</a>`)) || bytes.Contains(claim, []byte(">words 5</a>")) {
		t.Errorf("the claim's page does not name 5 claims and link the rest")
	}
	if !bytes.Contains(caveat, []byte(">words 399</a>")) {
		t.Errorf("the caveat's page does not name every claim")
	}
	if bigger, _ := page(800); len(bigger) != len(claim) {
		t.Errorf("a claim's page grows with the claims of its caveat: %d bytes at 400, %d at 800", len(claim), len(bigger))
	}
}
