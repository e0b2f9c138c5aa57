package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"briefing/generator/site"
)

// svgOf parses the figure neighbourhood gives for c as XML (the SVG is
// written as well-formed XML, entities and all) and returns its links,
// the text of its <title> elements, its other text and the svg element's
// attributes.
func svgOf(t *testing.T, c *site.Claim) (links, titles []string, text string, attrs map[string]string) {
	t.Helper()
	fig := string(neighbourhood(c))
	// HTML's character references that XML does not define.
	dec := xml.NewDecoder(strings.NewReader(fig))
	dec.Entity = xml.HTMLEntity
	attrs = map[string]string{}
	var stack []string
	var sb strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the figure is not well-formed: %v\n%s", err, fig)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
			for _, a := range tok.Attr {
				switch {
				case tok.Name.Local == "a" && a.Name.Local == "href":
					links = append(links, a.Value)
				case tok.Name.Local == "svg":
					attrs[a.Name.Local] = a.Value
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			switch {
			case len(stack) > 0 && stack[len(stack)-1] == "title":
				titles = append(titles, string(tok))
			case len(stack) > 0 && stack[len(stack)-1] == "text":
				sb.WriteString(string(tok) + "\n")
			}
		}
	}
	return links, titles, sb.String(), attrs
}

// TestNeighbourhood draws the claim graph of the hostile site: one claim
// that contradicts, supports and updates another, both ways, with words
// that need escaping.
func TestNeighbourhood(t *testing.T) {
	m := modelAt(t, hostileSite(t), "https://example.org/a%20b/", false)
	c1 := m.Claim("c1")
	var other *site.Claim
	for _, c := range m.Claims {
		if slices.Contains(c.Contradicts, c1) {
			other = c
		}
	}
	if c1 == nil || other == nil {
		t.Fatal("the hostile site lost its related claims")
	}
	links, titles, text, attrs := svgOf(t, c1)
	if !slices.Equal(links, []string{other.URL}) {
		t.Errorf("c1 links to %q, want %q", links, other.URL)
	}
	if attrs["role"] != "group" || !strings.Contains(attrs["aria-label"], "is contradicted by 1 claim, is supported by 1 claim, is updated by 1 claim") {
		t.Errorf("svg attributes %q", attrs)
	}
	if len(titles) != 1 || !strings.HasPrefix(titles[0], "Claim that contradicts and supports and updates this one: no") {
		t.Errorf("titles %q", titles)
	}
	// The words of c1 are "it's *so* & <b>" (raw HTML, which the plain
	// text leaves out): text, not markup.
	if !strings.Contains(text, "it’s so &") || strings.Contains(string(neighbourhood(c1)), "<b>") {
		t.Errorf("c1's words are not in the drawing as text:\n%s", text)
	}
	for _, verb := range []string{"contradicts", "supports", "updates"} {
		if !strings.Contains(text, verb+"\n") {
			t.Errorf("no edge labelled %s", verb)
		}
	}
	// The other way round.
	links, _, _, attrs = svgOf(t, other)
	if !slices.Equal(links, []string{c1.URL}) || !strings.Contains(attrs["aria-label"], "this claim contradicts 1 claim, supports 1 claim, updates 1 claim") {
		t.Errorf("the other claim links to %q, labelled %q", links, attrs["aria-label"])
	}
	// A claim without relations has no drawing.
	for _, c := range m.Claims {
		if len(c.Contradicts)+len(c.ContradictedBy)+len(c.Supports)+len(c.SupportedBy)+len(c.Updates)+len(c.UpdatedBy) == 0 {
			if neighbourhood(c) != "" {
				t.Errorf("%s has no related claim but a drawing", c.ID)
			}
		}
	}
}

// TestNeighbourhoodCap: a claim contradicted by 15 claims shows 12 and
// says how many more there are.
func TestNeighbourhoodCap(t *testing.T) {
	dir := t.TempDir()
	var body strings.Builder
	body.WriteString("---\ntitle: B\ndate: 2026-01-02\n---\n:claim[the \"one\" 1 < 2 & 3 > 2]{#one by=a src=s}\n\n")
	for i := range 15 {
		fmt.Fprintf(&body, ":claim[number %d & more words than fit on two lines of one box]{#n%02d by=a src=s contradicts=one}\n\n", i, i)
	}
	for name, text := range map[string]string{
		"content/actors/a.md":     "---\nname: A\nkind: person\n---\n",
		"content/sources/s.md":    "---\ntitle: S\nreliability: B\n---\n",
		"content/briefings/b.md":  body.String(),
		"content/briefings/c.md":  "---\ntitle: C\ndate: 2026-01-03\n---\n:claim[later]{#later by=a src=s updates=one supports=n00}\n",
		"content/briefings/d.md":  "---\ntitle: D\ndate: 2026-01-04\n---\n:claim[self]{#self by=a src=s supports=self}\n",
		"content/briefings/e.md":  "---\ntitle: E\ndate: 2026-01-05\n---\n:claim[x]{#x by=a src=s contradicts=one}\n",
		"content/briefings/f.md":  "---\ntitle: F\ndate: 2026-01-06\n---\n:claim[y]{#y by=a src=s}\n",
		"content/briefings/g.md":  "---\ntitle: G\ndate: 2026-01-07\n---\n:claim[z]{#z by=a src=s supports=y}\n",
		"content/briefings/h.md":  "---\ntitle: H\ndate: 2026-01-08\n---\n:claim[w]{#w by=a src=s}\n",
		"content/briefings/i.md":  "---\ntitle: I\ndate: 2026-01-09\n---\n:claim[v]{#v by=a src=s updates=w}\n",
		"content/briefings/j.md":  "---\ntitle: J\ndate: 2026-01-10\n---\n",
		"content/briefings/k.md":  "---\ntitle: K\ndate: 2026-01-11\n---\n",
		"content/briefings/l.md":  "---\ntitle: L\ndate: 2026-01-12\n---\n",
		"content/briefings/zz.md": "---\ntitle: Z\ndate: 2026-01-13\n---\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := modelAt(t, dir, "", false)
	one := m.Claim("one")
	if one == nil || len(one.ContradictedBy) != 16 {
		t.Fatalf("claim one is contradicted by %d claims", len(one.ContradictedBy))
	}
	links, _, text, attrs := svgOf(t, one)
	if len(links) != nbMax {
		t.Errorf("%d claims drawn, want %d", len(links), nbMax)
	}
	// 16 contradict it and one updates it: 12 drawn, 5 more.
	if fig := string(neighbourhood(one)); !strings.Contains(fig, "And 5 more, listed below.") {
		t.Errorf("the caption does not say how many more:\n%s", fig[strings.Index(fig, "<figcaption>"):])
	}
	if !strings.Contains(attrs["aria-label"], "is contradicted by 16 claims, is updated by 1 claim") {
		t.Errorf("aria-label %q", attrs["aria-label"])
	}
	if !strings.Contains(text, `the “one” 1 < 2 & 3 > 2`) || !strings.Contains(text, "…") {
		t.Errorf("the words are not drawn, or not cut:\n%s", text)
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if n := len([]rune(line)); n > nbChars {
			t.Errorf("line %q is %d characters long", line, n)
		}
	}
	// A claim related only to itself draws nothing around it.
	if self := m.Claim("self"); self != nil && len(self.Supports) > 0 && neighbourhood(self) != "" {
		t.Error("a claim that supports only itself has a drawing")
	}
}

// TestWrapWords cuts between words, within the width, with an ellipsis
// when the words do not fit; Chinese and Japanese characters take two
// columns and break anywhere between two.
func TestWrapWords(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"one two three four", 9, []string{"one two", "three…"}},
		{"  spaced   out  ", 20, []string{"spaced out"}},
		{"abcdefghijklmnopqrstuvwxyz", 10, []string{"abcdefghij", "klmnopqrs…"}},
		{"ü ü ü ü ü ü ü ü", 5, []string{"ü ü ü", "ü ü…"}},
		{"", 5, nil},
		{"双方已同意于十一月二十四日在日内瓦举行首轮会谈", 10, []string{"双方已同意", "于十一月…"}},
		{"talks 双方已同意 in Geneva", 10, []string{"talks 双方", "已同意 in…"}},
		{"交渉は行き詰まっている", 9, []string{"交渉は行", "き詰まっ…"}},
	} {
		if got := wrapWords(tc.s, tc.width, 2); !slices.Equal(got, tc.want) {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}
