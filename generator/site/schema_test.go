package site_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"briefing/generator/site"
)

var updateDocs = flag.Bool("update", false, "rewrite the generated part of docs/front-matter.md")

const (
	docsFile  = "../../docs/front-matter.md"
	beginMark = "<!-- begin: generated from site.Schema by `go test ./generator/site -run TestSchemaReference -update` -->\n"
	endMark   = "<!-- end: generated -->\n"
)

// TestSchemaReference holds the front-matter reference in docs/ equal to
// the schema that parsing enforces, so that the two cannot drift.
func TestSchemaReference(t *testing.T) {
	data, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	head, rest, ok1 := strings.Cut(doc, beginMark)
	_, tail, ok2 := strings.Cut(rest, endMark)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the generated section's markers", docsFile)
	}
	want := head + beginMark + site.SchemaReference() + endMark + tail
	if *updateDocs {
		if err := os.WriteFile(docsFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if doc != want {
		t.Errorf("%s is out of date with site.Schema; run go test ./generator/site -run TestSchemaReference -update", docsFile)
	}
}

// TestSchemaKeysAreRead: every key the schema lists is read by parsing
// (none is reported unknown), and a key near one is reported with it.
func TestSchemaKeysAreRead(t *testing.T) {
	p := site.NewParser()
	for path, sec := range map[string]site.Section{"content/_index.md": site.Home, "content/briefings/b.md": site.Briefings,
		"content/actors/a.md": site.Actors, "content/sources/s.md": site.Sources} {
		for _, f := range site.Schema[sec] {
			pg := site.ParseFile(p, path, []byte("---\n"+f.Key+":\n---\n"))
			_, diags := site.Resolve([]*site.Page{pg}, site.Options{})
			for _, d := range diags {
				if strings.Contains(d.Message, "unknown front-matter key") {
					t.Errorf("%s: %s", path, d)
				}
			}
		}
	}
	for path, c := range map[string]struct{ src, hint string }{
		"content/actors/a.md":    {"---\ntitle: Mira Osk\nkind: person\n---\n", `did you mean "name"?`},
		"content/briefings/b.md": {"---\ntitle: T\ndatee: 2026-11-25\nsumary: S\n---\n", `did you mean "date"?`},
		"content/sources/s.md":   {"---\ntitle: T\nreliabilty: B\n---\n", `did you mean "reliability"?`},
	} {
		pg := site.ParseFile(p, path, []byte(c.src))
		_, diags := site.Resolve([]*site.Page{pg}, site.Options{})
		found := false
		for _, d := range diags {
			found = found || strings.Contains(d.Hint, c.hint)
		}
		if !found {
			t.Errorf("%s: no hint %s in %v", path, c.hint, diags)
		}
	}
}
