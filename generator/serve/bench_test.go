package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"briefing/generator/corpus"
)

// BenchmarkEditToServed measures what an author waits for: from writing a
// briefing to the server answering with the new bytes, through the real
// watcher, debounce, rebuild and HTTP. It reports the median and the 90th
// percentile. edit=prose adds a paragraph (the model is patched);
// edit=link adds a wikilink too, which changes the graph (the model is
// resolved anew).
//
//	GOGC=400 go test ./generator/serve -run '^$' -bench EditToServed -benchtime 20x
//
// GOGC=400 is what the briefing command sets for itself.
func BenchmarkEditToServed(b *testing.B) {
	for _, edit := range []string{"prose", "link"} {
		b.Run("site=sample/edit="+edit, func(b *testing.B) {
			dir := b.TempDir()
			if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
				b.Fatal(err)
			}
			editToServed(b, dir, "content/briefings/2026-11-24-second-round.md", "/briefings/2026-11-24-second-round/", edit, "[[anna-vell]]")
		})
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("briefings=%d/edit=%s", n, edit), func(b *testing.B) {
				dir := b.TempDir()
				if err := corpus.Write(dir, n, 1); err != nil {
					b.Fatal(err)
				}
				editToServed(b, dir, "content/briefings/000/b-7.md", "/briefings/b-7/", edit, "[[actor-1]]")
			})
		}
	}
}

func editToServed(b *testing.B, dir, file, url, edit, link string) {
	srv := start(b, dir)
	original, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	// Warm: the page is rendered once before the first edit.
	if _, status := fetch(srv.base + url); status != 200 {
		b.Fatalf("GET %s: %d", url, status)
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		i++
		marker := fmt.Sprintf("edit-marker-%d", i)
		para := marker
		if edit == "link" {
			para += strings.Repeat(" "+link, i)
		}
		text := strings.Replace(string(original), "\n\n", "\n\n"+para+"\n\n", 1)
		began := time.Now()
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		for {
			body, _ := fetch(srv.base + url)
			if strings.Contains(body, marker) {
				break
			}
			if time.Since(began) > 30*time.Second {
				b.Fatal("edit never served")
			}
			time.Sleep(time.Millisecond)
		}
		took = append(took, time.Since(began))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "ms-p90")
}
