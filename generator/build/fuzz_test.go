package build_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"briefing/generator/build"

	"golang.org/x/net/html"
)

// FuzzSite builds a small site, two briefings of which are fuzzed, through
// every stage to rendered pages: no input may panic, hang, put a
// diagnostic outside its file, or publish script. It is what found claims
// that link to each other deadlocking the renderer.
//
//	go test ./generator/build -run '^$' -fuzz FuzzSite -fuzztime 60s
func FuzzSite(f *testing.F) {
	sample, _ := filepath.Glob("../../content/briefings/*.md")
	more, _ := filepath.Glob("../../content/briefings/*/*.md")
	for _, name := range append(sample, more...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data, []byte("---\ntitle: B\ndate: 2026-11-25\n---\n[[claim:x]]"))
		}
	}
	f.Add([]byte("---\ntitle: A\ndate: 2026-11-24\ntags: [日本, C++]\n---\nOsk said :claim[see [[claim:self]]]{#self by=osk src=wire}.\n"),
		[]byte("---\ntitle: B\ndate: 2026-11-24\n---\n:claim[as [[claim:two]]]{#one by=osk src=wire contradicts=two} :claim[as [[claim:one]]]{#two by=osk updates=one}\n:::caveat{on=one by=osk}\n[[one]] <script>alert(1)</script> [x](javascript:alert(1))\n:::\n"))
	f.Add([]byte(strings.Repeat(":claim[", 20)+"x"+strings.Repeat("]{by=osk}", 20)), []byte(strings.Repeat("[[a ", 100)))
	f.Add([]byte("---\ntitle: T\ndate: 2026-11-24\ntags: [news, \"\"]\n---\n"), []byte("---\ntags:\n  -\n  - a\n---\n"))
	f.Add([]byte("---\ndraft: true\ndraft: false\n---\n:::caveat{on=x}\n::::caveat{on=y}\n"), []byte("\uFEFF---\r\ntitle: [unclosed\r\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		dir := t.TempDir()
		files := map[string][]byte{
			"content/actors/osk.md":     []byte("---\nname: Mira Osk\nkind: person\naliases: [Osk]\n---\nMayor.\n"),
			"content/sources/wire.md":   []byte("---\ntitle: Wire\nreliability: B\ncredibility: 2\n---\n"),
			"content/briefings/a.md":    a,
			"content/briefings/b/b.md":  b,
			"content/_index.md":         []byte("---\ntitle: Fuzz\n---\nIntro [[osk]].\n"),
			"templates/.keep":           nil,
			"static/css/extra.css":      []byte("p{}"),
			"content/briefings/keep.md": []byte("---\ntitle: Keep\ndate: 2026-11-20\n---\n:claim[kept]{#x by=osk src=wire}\n"),
		}
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		pages := map[string][]byte{}
		opts := build.Options{Src: dir, Builtin: builtin, Drafts: true, BaseURL: "https://example.org/sub/",
			Pages: func(p string, data []byte) error {
				mu.Lock()
				defer mu.Unlock()
				if _, dup := pages[p]; dup {
					t.Errorf("%s emitted twice", p)
				}
				pages[p] = data
				return nil
			}}
		done := make(chan *build.Result, 1)
		go func() { done <- build.Site(opts) }()
		var res *build.Result
		select {
		case res = <-done:
		case <-time.After(20 * time.Second):
			buf := make([]byte, 1<<20)
			t.Fatalf("the build did not finish in 20 s:\n%s", buf[:runtime.Stack(buf, true)])
		}
		// Lines end as CommonMark ends them: at \n, \r\n or a lone \r.
		count := func(src []byte) int {
			return bytes.Count(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\n")) + bytes.Count(bytes.ReplaceAll(src, []byte("\r\n"), nil), []byte("\r")) + 1
		}
		lines := map[string]int{"content/briefings/a.md": count(a), "content/briefings/b/b.md": count(b)}
		for _, d := range res.Diags {
			if n, ok := lines[d.Path]; ok && d.Line != 0 && (d.Line > n || d.Col < 1) {
				t.Errorf("%v is outside a file of %d lines", d, n)
			}
		}
		for p, data := range pages {
			if strings.HasSuffix(p, ".html") {
				noScript(t, p, data)
			}
		}
	})
}

// builtinScripts are the scripts the built-in templates load.
var builtinScripts = []string{"/js/cards.js", "/js/search.js", "/js/claims.js"}

// noScript fails on a script element, an event-handler attribute or a
// javascript: URL: the built-in templates have none but the site's own
// scripts (builtinScripts), so any other is the content's, which must
// never run. A claim page's JSON-LD is a data block,
// which browsers never run; its text must be JSON.
func noScript(t *testing.T, name string, page []byte) {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tag, more := z.TagName()
		script, data, builtin := string(tag) == "script", false, false
		for more {
			var key, val []byte
			key, val, more = z.TagAttr()
			k := string(key)
			v := strings.ToLower(strings.TrimSpace(string(val)))
			if strings.HasPrefix(k, "on") || ((k == "href" || k == "src") && strings.HasPrefix(v, "javascript:")) {
				t.Errorf("%s: <%s %s=%q>", name, tag, k, val)
			}
			data = data || script && k == "type" && v == "application/ld+json"
			// The layout's own scripts, from the site's static files.
			builtin = builtin || script && k == "src" && slices.ContainsFunc(builtinScripts, func(s string) bool { return strings.HasSuffix(v, s) })
		}
		switch {
		case builtin:
		case data:
			if z.Next() != html.TextToken || !json.Valid(z.Text()) {
				t.Errorf("%s: a JSON-LD script that is not JSON", name)
			}
		case script:
			t.Errorf("%s has a script element", name)
		}
	}
}
