package render

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// benchPage is one file of a synthetic site: its path and size.
type benchPage struct {
	path string
	size int
}

// benchSite lists the files of a site of n briefings, in the folder shape
// and with the mean sizes that a build of the benchmark corpus gives
// (generator/corpus; at n=10,000, 81,457 files and 580 MB).
func benchSite(n int) []benchPage {
	pages := []benchPage{{"index.html", 9486}, {"404.html", 1508}, {"css/style.css", 10866}, {"css/syntax.css", 4325}}
	for _, k := range []struct {
		kind  string
		count int
		size  int
	}{
		{"briefings", n, 23681}, {"claims", 5 * n, 4170}, {"caveats", 2 * n, 2991},
		{"actors", 12 + n/25, 143478}, {"sources", 8 + n/10, 22185}, {"tags", 30, 190888},
	} {
		pages = append(pages, benchPage{k.kind + "/index.html", 20000})
		for i := range k.count {
			pages = append(pages, benchPage{fmt.Sprintf("%s/%s-%d/index.html", k.kind, k.kind[:len(k.kind)-1], i), k.size})
		}
	}
	return pages
}

// benchNoise is the bytes pages are cut from: random, so that nothing
// compresses or dedups them.
var benchNoise = func() []byte {
	b := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}()

// emitSite writes the pages into dir through Out from as many goroutines
// as the renderer uses, each filling one buffer that it reuses for every
// page, as a renderer with pooled buffers does. version(i) is stamped on
// page i, so that changing it changes the page.
func emitSite(tb testing.TB, dir string, pages []benchPage, version func(i int) int) {
	o, err := OpenOut(dir, "public", false)
	if err != nil {
		tb.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf []byte
			for {
				i := int(next.Add(1) - 1)
				if i >= len(pages) {
					return
				}
				p := pages[i]
				buf = append(buf[:0], "<!doctype html><!-- "...)
				buf = append(buf, p.path...)
				buf = strconv.AppendInt(append(buf, ' '), int64(version(i)), 10)
				off := i * 7919 % (len(benchNoise) - p.size)
				buf = append(buf, benchNoise[off:off+p.size-len(buf)]...)
				if err := o.Emit(p.path, buf); err != nil {
					tb.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := o.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkOut measures the writing of a site of 10,000 briefings (81,457
// files, 580 MB) through Out: into an empty folder, as CI builds; over an
// output that holds the same site, when nothing is written; and over one
// where 1% or all of the pages changed. b.TempDir decides the file system:
//
//	go test ./generator/render -run '^$' -bench Out -benchtime 3x
//	TMPDIR=/dev/shm go test ./generator/render -run '^$' -bench Out -benchtime 3x
func BenchmarkOut(b *testing.B) {
	pages := benchSite(10000)
	bytes := 0
	for _, p := range pages {
		bytes += p.size
	}
	same := func(int) int { return 0 }
	report := func(b *testing.B) {
		b.ReportMetric(float64(len(pages)), "files")
		b.SetBytes(int64(bytes))
	}
	b.Run("empty", func(b *testing.B) {
		report(b)
		tmp := b.TempDir()
		n := 0
		for b.Loop() {
			b.StopTimer()
			os.RemoveAll(filepath.Join(tmp, strconv.Itoa(n)))
			n++
			b.StartTimer()
			emitSite(b, filepath.Join(tmp, strconv.Itoa(n)), pages, same)
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		report(b)
		out := filepath.Join(b.TempDir(), "public")
		emitSite(b, out, pages, same)
		for b.Loop() {
			emitSite(b, out, pages, same)
		}
	})
	for _, every := range []int{100, 1} {
		b.Run(fmt.Sprintf("changed=%d%%", 100/every), func(b *testing.B) {
			report(b)
			out := filepath.Join(b.TempDir(), "public")
			emitSite(b, out, pages, same)
			n := 0
			for b.Loop() {
				n++
				emitSite(b, out, pages, func(i int) int {
					if i%every == 0 {
						return n
					}
					return 0
				})
			}
		})
	}
}
