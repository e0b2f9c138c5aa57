package render

import (
	"bytes"
	"strings"
	"testing"

	"briefing/generator/site"
)

// TestNativeReading: the parts of a briefing's page for reading it (its
// table of contents, heading links, previous and next briefings, sources
// as end notes) are written by the Go writer as by the template, and are
// there.
func TestNativeReading(t *testing.T) {
	long := "## Main\n\nText.\n\n### Who & why?\n\n## [[a]] on 日本\n\n#### Deep\n\n## Main\n\n:::caveat{on=c}\n## In a caveat\n:::\n"
	files := []site.File{
		{Path: "content/actors/a.md", Data: []byte("---\nname: A & \"B\"\nkind: person\n---\n")},
		{Path: "content/sources/s.md", Data: []byte("---\ntitle: S\npublisher: a\nurl: https://example.org/a b?x=1&y=2\nreliability: B\ncredibility: 2\n---\n")},
		{Path: "content/sources/t.md", Data: []byte("---\ntitle: T\npublisher: Free & text\nurl: javascript:alert(1)\nreliability: C\n---\n")},
		{Path: "content/briefings/old.md", Data: []byte("---\ntitle: Old <1>\ndate: 2026-01-01\n---\n### Before any h2\n\n## One\n\n## Two\n\n:claim[x]{by=a src=t}\n")},
		{Path: "content/briefings/mid.md", Data: []byte("---\ntitle: Mid\ndate: 2026-01-02\n---\n:claim[words]{#c by=a src=s}\n\n" + long)},
		{Path: "content/briefings/new.md", Data: []byte("---\ntitle: New & 'q'\ndate: 2026-01-03\n---\n## Only\n\n## Two\n\n:claim[y]{by=a src=s}\n")},
	}
	m, diags := site.Resolve(site.Parse(files), site.Options{BasePath: "/b+ase/ü/"})
	if errs, _ := diags.Count(); errs > 0 || len(diags) != 3 {
		// Three warnings: t's url, not a web address, shown and not
		// linked, and the headings of old and mid that leave a level out,
		// there for the table of contents to cope with.
		t.Fatal(diags)
	}
	r, tdiags := New(m, builtin, nil)
	if len(tdiags) > 0 {
		t.Fatal(tdiags)
	}
	ref, _ := New(m, builtin, nil)
	ref.native = nil
	pages := map[string][]byte{}
	for _, p := range Paths(m, 0) {
		d := lookup(m, r.ix, p)
		got, want := &writer{}, &writer{}
		if err := r.execute(got, d); err != nil {
			t.Fatal(err)
		}
		if err := ref.execute(want, d); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.b, want.b) {
			t.Errorf("%s differs from its template:\n%s", p, firstDiff(got.b, want.b))
		}
		pages[p] = got.b
	}
	for p, want := range map[string][]string{
		"briefings/mid/index.html": {
			`<nav class="toc" aria-labelledby="toc-title">`,
			`<li><a href="#sec-main">Main</a><ol><li><a href="#sec-who-why">Who &amp; why?</a></li></ol></li>`,
			`<li><a href="#sec-a-on-%e6%97%a5%e6%9c%ac">A &amp; &#34;B&#34; on 日本</a></li>`,
			`<li><a href="#sec-main-2">Main</a></li>`,
			`<h2 id="sec-main">Main <a class="heading-anchor" href="#sec-main" aria-label="Link to this section">#</a></h2>`,
			`<h4 id="sec-deep">Deep <a class="heading-anchor"`,
			`<h2>In a caveat</h2>`,
			`<a rel="prev" href="/b&#43;ase/%c3%bc/briefings/old/"><span class="nav-dir">← Previous briefing</span> <span class="nav-title">Old &lt;1&gt;</span></a>`,
			`<a rel="next" href="/b&#43;ase/%c3%bc/briefings/new/"><span class="nav-dir">Next briefing →</span> <span class="nav-title">New &amp; ‘q’</span></a>`,
			` · <span class="publisher">A &amp; &#34;B&#34;</span> · <a class="source-url" href="https://example.org/a%20b?x=1&amp;y=2">https://example.org/a b?x=1&amp;y=2</a></li>`,
		},
		"briefings/old/index.html": {
			`<li><a href="#sec-before-any-h2">Before any h2</a></li>`,
			`<a rel="next" href="/b&#43;ase/%c3%bc/briefings/mid/">`,
			`<span class="publisher">Free &amp; text</span> · javascript:alert(1)</li>`, // shown, not linked
		},
	} {
		for _, w := range want {
			if !bytes.Contains(pages[p], []byte(w)) {
				t.Errorf("%s lacks %s", p, w)
			}
		}
	}
	for p, absent := range map[string]string{
		"briefings/old/index.html": `rel="prev"`,
		"briefings/new/index.html": `class="toc"`,
	} {
		if bytes.Contains(pages[p], []byte(absent)) {
			t.Errorf("%s has %s", p, absent)
		}
	}
	if strings.Count(string(pages["briefings/new/index.html"]), `rel="next"`) != 0 {
		t.Error("the newest briefing links to a next one")
	}
}
