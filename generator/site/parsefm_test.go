package site

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestQuickFrontMatter checks quickFrontMatter against the YAML parser:
// wherever it takes front matter on, its nodes must be the parser's, and
// it must take on the common shapes. The inputs are typical front matter
// and many random mutations of it.
func TestQuickFrontMatter(t *testing.T) {
	typical := map[Section][]string{
		Briefings: {"title: Briefing 29 on the talks\ndate: 2026-02-02\ndateline: City 29\nsummary: from reported ceasefire round.\ntags: [tag-29, tag-23]\n",
			"title: Kremlin calls talks \"constructive\", again\ndate: 2026-11-24\ntags: []\n"},
		Actors:  {"name: Actor 3\nkind: group\nrole: Role 3\naliases: [A3]\n", "name: Dmitry Peskov\naffiliation: kremlin\n"},
		Sources: {"title: Source 4\npublisher: actor-4\ndate: 2026-05-05\nreliability: E\ncredibility: 5\nurl: https://example.org/a/b\n"},
		Home:    {"title: Synthetic corpus\ndescription: All of it.\n"},
	}
	for sec, docs := range typical {
		for _, doc := range docs {
			if _, ok := quickFrontMatter([]byte(doc), sec); !ok {
				t.Errorf("%s: not taken on:\n%s", sec, doc)
			}
			compareQuick(t, sec, doc)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	noise := []string{":", ": ", "#", " #", "[", "]", ",", " ", "  ", "\"", "'", "\t", "-", "- ", "&", "*", "!", "|", ">", "%", "@", "`", "?", "{", "}", "\n", "\r", "é", "x", "1", ".", "\\", "~", "null", "key: ", "---"}
	taken := 0
	for i := range 20000 {
		for sec, docs := range typical {
			doc := []byte(docs[i%len(docs)])
			for range 1 + r.IntN(3) {
				at := r.IntN(len(doc) + 1)
				doc = append(doc[:at:at], append([]byte(noise[r.IntN(len(noise))]), doc[at:]...)...)
			}
			if compareQuick(t, sec, string(doc)) {
				taken++
			}
			if t.Failed() {
				return
			}
		}
	}
	if taken == 0 {
		t.Error("no mutated front matter taken on: the comparison tested nothing")
	}
}

// compareQuick compares quickFrontMatter with the YAML parser on doc and
// reports whether quickFrontMatter took it on.
func compareQuick(t *testing.T, sec Section, doc string) bool {
	t.Helper()
	got, ok := quickFrontMatter([]byte(doc), sec)
	if !ok {
		return false
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Errorf("%s: taken on, but YAML says %v:\n%q", sec, err, doc)
		return true
	}
	if len(root.Content) == 0 {
		t.Errorf("%s: taken on, but YAML finds nothing:\n%q", sec, doc)
		return true
	}
	if g, w := dumpNode(got), dumpNode(root.Content[0]); g != w {
		t.Errorf("%s: %q\ngot  %s\nwant %s", sec, doc, g, w)
	}
	return true
}

func dumpNode(n *yaml.Node) string {
	var b strings.Builder
	fmt.Fprintf(&b, "(%d %d %q @%d:%d", n.Kind, n.Style, n.Value, n.Line, n.Column)
	for _, c := range n.Content {
		b.WriteString(" " + dumpNode(c))
	}
	b.WriteString(")")
	return b.String()
}
