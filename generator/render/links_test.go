package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"briefing/generator/corpus"
	"briefing/generator/site"
)

// BenchmarkBrokenLinks checks the links of a generated site of 10,000
// briefings, as every build and every edit under the server does:
//
//	go test ./generator/render -run '^$' -bench BrokenLinks -benchtime 5x
func BenchmarkBrokenLinks(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	files, err := site.Load(os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	m, _ := site.Resolve(site.Parse(files.Content), site.Options{BasePath: "/"})
	static, err := StaticFiles(builtin, files.Static)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if d := BrokenLinks(m, static); len(d) > 0 {
			b.Fatal(d)
		}
	}
}

// TestLayoutIDs: every id the built-in templates and page writers give
// their own elements is one layoutID knows, so that a link to it is not
// taken for a heading's id written without sec-.
func TestLayoutIDs(t *testing.T) {
	ids := regexp.MustCompile(`id=\\?"([a-z][a-z0-9-]*)`)
	var files []string
	for _, glob := range []string{"../../templates/*.html", "*.go"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ids.FindAllSubmatch(data, -1) {
			id := string(m[1])
			if strings.HasPrefix(id, "claim-") || strings.HasPrefix(id, "caveat-") || strings.HasPrefix(id, "sec-") || strings.HasPrefix(id, "fn") {
				continue // the Markdown's
			}
			seen++
			if !layoutID(id) {
				t.Errorf("%s gives an element the id %q, which layoutID does not know", f, id)
			}
		}
	}
	if seen < 20 {
		t.Fatalf("only %d layout ids found: the pattern finds nothing", seen)
	}
}
