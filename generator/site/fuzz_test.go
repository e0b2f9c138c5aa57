package site_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"briefing/generator/site"
)

// FuzzPage: no file makes parsing or resolving panic, and every diagnostic
// points at a line of the file.
//
//	go test ./generator/site -run '^$' -fuzz FuzzPage -fuzztime 60s
func FuzzPage(f *testing.F) {
	f.Add([]byte("---\ntitle: T\ndate: 2026-11-24\ntags: [a]\n---\n:claim[x]{by=a src=s}\n"))
	f.Add([]byte("---\ntitle: [unclosed\n---\n"))
	f.Add([]byte("\uFEFF---\r\ndraft: yes\r\n---\r\n[[a]] :::caveat{on=x}\n"))
	f.Add([]byte("---\n"))
	f.Add([]byte("---\na: \"x\r\r\n---")) // YAML's lines end at a lone \r too
	f.Add([]byte("---\ntitle: N\u0085date: 2026-11-24\u2028tags: {\n---\n"))
	f.Add([]byte("\uFEFF---\ntitle: a: «b»: c\n\tdate: x\n---\n")) // placed by yamlFault
	f.Add([]byte("---\ntitle: a\r  \tx: 1\n---\n"))
	p := site.NewParser()
	f.Fuzz(func(t *testing.T, src []byte) {
		pg := site.ParseFile(p, "content/briefings/b.md", src)
		actor := site.ParseFile(p, "content/actors/a.md", []byte("---\nname: A\n---\n"))
		_, diags := site.Resolve([]*site.Page{pg, actor}, site.Options{Drafts: true})
		// Lines end as CommonMark ends them: at \n, \r\n or a lone \r.
		lines := bytes.Split(bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n")), []byte("\n"))
		for _, d := range diags {
			if d.Path != "content/briefings/b.md" {
				continue
			}
			if d.Line < 1 || d.Line > len(lines) || d.Col < 1 {
				t.Fatalf("%v is outside a file of %d lines", d, len(lines))
			}
			if chars := utf8.RuneCount(lines[d.Line-1]); d.Col > chars+1 {
				t.Fatalf("%v is outside its line of %d characters", d, chars)
			}
		}
	})
}
