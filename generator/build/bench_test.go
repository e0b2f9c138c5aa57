package build_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"briefing/generator/build"
	"briefing/generator/corpus"
	"briefing/generator/site"
)

// TestCorpusBuilds keeps the benchmark corpus honest: it must build
// without errors, or the benchmarks would measure a failing build.
func TestCorpusBuilds(t *testing.T) {
	dir := t.TempDir()
	// Past a year of briefings (the corpus dates them a day apart,
	// wrapping each year) so that dates out of order would show.
	const n = 400
	if err := corpus.Write(dir, n, 1); err != nil {
		t.Fatal(err)
	}
	res := build.Site(build.Options{Src: dir, Builtin: builtin})
	if errs, warns := res.Diags.Count(); errs+warns > 0 {
		t.Fatalf("corpus has %d errors and %d warnings, first: %v", errs, warns, res.Diags[0])
	}
	if res.Counts["briefing"] != n || res.Counts["claim"] != n*corpus.Claims || res.Counts["caveat"] != n*corpus.Caveats {
		t.Errorf("counts %v", res.Counts)
	}
	auto := 0
	for _, c := range res.Model.Claims {
		if c.Node.AutoID {
			auto++
		}
	}
	if auto == 0 {
		t.Error("no claim has a derived id")
	}
}

// BenchmarkBuild measures a full build to disk of generated sites, each
// into an empty folder, as a CI build is:
//
//	go test ./generator/build -run '^$' -bench Build -benchtime 3x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			outs := benchDir(b)
			var res *build.Result
			i := 0
			for b.Loop() {
				i++
				res = build.ToDir(build.Options{Src: dir, Builtin: builtin}, filepath.Join(outs, strconv.Itoa(i)))
			}
			if res.Failed() {
				b.Fatal(res.Diags[0])
			}
			b.ReportMetric(float64(res.Files), "files")
		})
	}
}

// BenchmarkRebuild measures a build into an output that already holds the
// same site: everything is rendered and compared, nothing is written.
//
//	go test ./generator/build -run '^$' -bench Rebuild -benchtime 1x
func BenchmarkRebuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			out := filepath.Join(benchDir(b), "public")
			opts := build.Options{Src: dir, Builtin: builtin}
			if res := build.ToDir(opts, out); res.Failed() {
				b.Fatal(res.Diags[0])
			}
			for b.Loop() {
				if res := build.ToDir(opts, out); res.Failed() {
					b.Fatal(res.Diags[0])
				}
			}
		})
	}
}

// benchCorpus writes a generated site of n briefings into a new folder.
func benchCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := benchDir(b)
	if err := corpus.Write(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchDir is a new folder in memory when the machine has /dev/shm, so
// that a benchmark measures the generator and not the disk; it is removed
// when the benchmark ends.
func benchDir(b *testing.B) string {
	b.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "briefing-bench-")
	if err != nil {
		return b.TempDir()
	}
	b.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// BenchmarkRender measures load, parse, resolve and render without
// writing, the part of a build that does not depend on the disk.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			var res *build.Result
			for b.Loop() {
				res = build.Site(build.Options{Src: dir, Builtin: builtin})
			}
			if res.Failed() {
				b.Fatal(res.Diags[0])
			}
			b.ReportMetric(float64(res.Files), "files")
		})
	}
}

// BenchmarkResolve measures Resolve alone over parsed pages: what a server
// runs after every edit.
func BenchmarkResolve(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			root, err := os.OpenRoot(dir)
			if err != nil {
				b.Fatal(err)
			}
			files, err := site.Load(root.FS())
			if err != nil {
				b.Fatal(err)
			}
			pages := site.Parse(files.Content)
			for b.Loop() {
				site.Resolve(pages, site.Options{BasePath: "/"})
			}
		})
	}
}
