package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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

// BenchmarkEdit measures an edit of each kind in process, without the
// watcher's debounce: from the file written to the model ready (Changed
// returned), and to the edited page served. It reports the medians.
//
//	GOGC=400 go test ./generator/serve -run '^$' -bench 'Edit$' -benchtime 20x
//
// edit=prose is patched; the others change references: reference changes
// a claim's by=, front-matter a briefing's date, actor an actor's name
// (hundreds of pages name it), new-file adds a briefing citing claims of
// others, deleted-file removes one.
func BenchmarkEdit(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := corpus.Write(dir, n, 1); err != nil {
				b.Fatal(err)
			}
			s, res, err := New(Options{Src: dir, Builtin: builtin})
			if err != nil || res.Failed {
				b.Fatal(err, res.Diags)
			}
			defer s.Close()
			const file, url = "content/briefings/000/b-7.md", "/briefings/b-7/"
			original := readFile(b, dir, file)
			actor := readFile(b, dir, "content/actors/actor-3.md")
			for _, kind := range []string{"prose", "reference", "front-matter", "actor", "new-file", "deleted-file"} {
				b.Run("edit="+kind, func(b *testing.B) {
					var ready, served []time.Duration
					i := 0
					for b.Loop() {
						i++
						p, page := file, url
						text := original
						switch kind {
						case "prose":
							text = strings.Replace(original, "\n\n", fmt.Sprintf("\n\nedit-marker-%d\n\n", i), 1)
						case "reference":
							text = byRef.ReplaceAllStringFunc(original, func(string) string { return fmt.Sprintf("by=actor-%d ", i%7) })
						case "front-matter":
							text = dateRef.ReplaceAllString(original, fmt.Sprintf("date: 2025-%02d-%02d", 1+i%12, 1+i%28))
						case "actor":
							p, page = "content/actors/actor-3.md", "/actors/actor-3/"
							text = strings.Replace(actor, "name: Actor 3", fmt.Sprintf("name: Actor 3 renamed %d", i), 1)
						case "new-file", "deleted-file":
							p = fmt.Sprintf("content/briefings/new/n%d.md", i)
							page = fmt.Sprintf("/briefings/n%d/", i)
							text = fmt.Sprintf("---\ntitle: New %d\ndate: 2026-12-%02d\ntags: [tag-1]\n---\n[[actor-1]] said :claim[new words %d]{#new%d by=actor-2 src=source-3 contradicts=c5-1} after [[claim:c9-3]].\n",
								i, 1+i%28, i, i)
						}
						if kind == "deleted-file" {
							// The file to delete is made first, and not timed.
							write(b, dir, p, text)
							if res := s.Changed([]string{p}); res.Failed {
								b.Fatal(res.Diags)
							}
						}
						began := time.Now()
						if kind == "deleted-file" {
							if err := os.Remove(filepath.Join(dir, p)); err != nil {
								b.Fatal(err)
							}
						} else {
							write(b, dir, p, text)
						}
						res := s.Changed([]string{p})
						ready = append(ready, time.Since(began))
						if res.Failed {
							b.Fatal(res.Diags)
						}
						body, status := output(s, page)
						served = append(served, time.Since(began))
						if want := 200; kind == "deleted-file" {
							if status != 404 {
								b.Fatalf("GET %s: %d", page, status)
							}
						} else if status != want || kind == "prose" && !strings.Contains(string(body), fmt.Sprintf("edit-marker-%d", i)) {
							b.Fatalf("GET %s: %d", page, status)
						}
					}
					b.ReportMetric(median(ready), "ms-ready")
					b.ReportMetric(median(served), "ms-served")
				})
			}
		})
	}
}

var (
	byRef   = regexp.MustCompile(`by=actor-[0-9]+ `)
	dateRef = regexp.MustCompile(`date: [0-9-]+`)
)

func median(ds []time.Duration) float64 {
	slices.Sort(ds)
	return float64(ds[len(ds)/2].Microseconds()) / 1000
}
