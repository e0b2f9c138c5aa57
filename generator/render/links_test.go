package render

import (
	"os"
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
