package render

import (
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"briefing/generator/corpus"
	"briefing/generator/site"
)

// BenchmarkFiles renders the generated files that are not pages (feeds,
// sitemap, graph) of a generated site of BRIEFING_BENCH_N briefings
// (1,000 by default), on all cores as a build does:
//
//	go test ./generator/render -run '^$' -bench Files -benchmem
func BenchmarkFiles(b *testing.B) {
	m := benchModel(b, site.Options{BasePath: "/", BaseURL: "https://example.org/", Code: site.NewCodeCache(4 << 20)})
	var paths []string
	for _, p := range Paths(m, 0) {
		if !strings.HasSuffix(p, ".html") {
			paths = append(paths, p)
		}
	}
	b.Logf("%d files", len(paths))
	var bytes int64
	for b.Loop() {
		r, _ := New(m, builtin, nil)
		bytes = 0
		r.Pages(m, paths, Output{Emit: func(_ string, data []byte) error {
			atomic.AddInt64(&bytes, int64(len(data)))
			return nil
		}})
	}
	b.ReportMetric(float64(bytes)/1e6, "MB/op")
}

// benchModel is the resolved model of a generated site of
// BRIEFING_BENCH_N briefings (1,000 by default), for the benchmarks.
func benchModel(b *testing.B, opts site.Options) *site.Model {
	n := 1000
	if s := os.Getenv("BRIEFING_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("BRIEFING_BENCH_N=%q: %v", s, err)
		}
	}
	dir := b.TempDir()
	if err := corpus.Write(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	files, err := site.Load(os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	m, _ := site.Resolve(site.Parse(files.Content), opts)
	return m
}
