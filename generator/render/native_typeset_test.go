package render

import (
	"bytes"
	"testing"
)

// TestQualifiedFirstParagraph: a briefing without a summary is described
// by its first paragraph, also when a caveat has been moved beside it.
func TestQualifiedFirstParagraph(t *testing.T) {
	m := resolve(t, "/", map[string]string{
		"content/actors/a.md": "---\nname: Anna\nkind: person\n---\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-11-25\n---\n" +
			"First words, :claim[a claim]{#c by=a}.\n\nSecond paragraph.\n\n:::caveat{#q on=c}\nA caveat.\n:::\n",
	})
	page := bothWays(t, m, "briefings/b/index.html")
	if !bytes.Contains(page, []byte(`<meta name="description" content="First words, a claim.">`)) {
		t.Errorf("the description is not the first paragraph:\n%s", page[:bytes.Index(page, []byte("</head>"))])
	}
	if !bytes.Contains(page, []byte("<div class=\"qualified\">\n<p>First words")) {
		t.Errorf("the caveat was not moved beside the first paragraph")
	}
}
