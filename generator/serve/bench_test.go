package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"briefing/generator/corpus"
)

// BenchmarkEditToServed measures what an author waits for: from saving a
// file to the server answering with the new bytes, through the real
// watcher, debounce, rebuild and HTTP, for each kind of edit (see
// BenchmarkEdit; edit=link adds a wikilink and a paragraph). It reports
// the median and the 90th percentile.
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
			ed := editSite{file: "content/briefings/2026-11-24-second-round.md", url: "/briefings/2026-11-24-second-round/", link: "[[anna-vell]]"}
			editToServed(b, dir, ed, edit)
		})
	}
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := corpusSite(b, n)
			for _, edit := range append([]string{"link"}, editKinds...) {
				b.Run("edit="+edit, func(b *testing.B) { editToServed(b, dir, corpusEdits, edit) })
			}
		})
	}
}

func editToServed(b *testing.B, dir string, ed editSite, kind string) {
	srv := start(b, dir)
	ed.read(b, dir)
	// Warm: the page is rendered once before the first edit.
	if _, status := fetch(srv.base + ed.url); status != 200 {
		b.Fatalf("GET %s: %d", ed.url, status)
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		i++
		e := ed.edit(kind, i)
		if e.remove {
			// The file to delete is made, and served, first, untimed.
			write(b, dir, e.path, e.text)
			waitFor(b, srv.base+e.url, "the new page", func(_ string, status int) bool { return status == 200 })
		}
		began := time.Now()
		e.apply(b, dir)
		for {
			if body, status := fetch(srv.base + e.url); e.served(body, status) {
				break
			}
			if time.Since(began) > 30*time.Second {
				b.Fatal("edit never served")
			}
			time.Sleep(time.Millisecond)
		}
		took = append(took, time.Since(began))
	}
	b.StopTimer()
	srv.stop()
	ed.restore(b, dir)
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "ms-p90")
}

// editKinds are the kinds of edit the benchmarks make (see editSite.edit).
var editKinds = []string{"prose", "reference", "front-matter", "actor", "new-file", "deleted-file"}

// editSite is the files of a site the benchmarks edit: a briefing, and
// an actor of the corpus, read before the first edit.
type editSite struct {
	file, url, link     string
	original, actorText string
}

var corpusEdits = editSite{file: "content/briefings/000/b-7.md", url: "/briefings/b-7/", link: "[[actor-1]]"}

const corpusActor = "content/actors/actor-3.md"

func (ed *editSite) read(b *testing.B, dir string) {
	ed.original = readFile(b, dir, ed.file)
	if _, err := os.Stat(filepath.Join(dir, corpusActor)); err == nil {
		ed.actorText = readFile(b, dir, corpusActor)
	}
}

// restore writes back the files edited, and removes those added, for the
// next kind of edit.
func (ed *editSite) restore(b *testing.B, dir string) {
	write(b, dir, ed.file, ed.original)
	if ed.actorText != "" {
		write(b, dir, corpusActor, ed.actorText)
	}
	if err := os.RemoveAll(filepath.Join(dir, "content/briefings/new")); err != nil {
		b.Fatal(err)
	}
}

// anEdit is the i-th edit of a kind: the file written (or removed) and
// the page that shows it, with how to tell that it does.
type anEdit struct {
	path, text, url string
	remove          bool
	served          func(body string, status int) bool
}

// apply makes the edit: writes the file, or removes it.
func (e anEdit) apply(b *testing.B, dir string) {
	if !e.remove {
		write(b, dir, e.path, e.text)
	} else if err := os.Remove(filepath.Join(dir, e.path)); err != nil {
		b.Fatal(err)
	}
}

// edit is the i-th edit of kind. prose adds a paragraph (the model is
// patched); the others change references: link adds i wikilinks beside
// the paragraph, reference changes a claim's by= and front-matter the
// briefing's date (each with the paragraph, to see it served), actor an
// actor's name (hundreds of pages name it), new-file adds a briefing
// citing claims of others, deleted-file removes one.
func (ed *editSite) edit(kind string, i int) anEdit {
	marker := fmt.Sprintf("edit-marker-%d", i)
	para := func(text, add string) string { return strings.Replace(text, "\n\n", "\n\n"+marker+add+"\n\n", 1) }
	e := anEdit{path: ed.file, url: ed.url, served: func(body string, status int) bool {
		return status == 200 && strings.Contains(body, marker)
	}}
	switch kind {
	case "prose":
		e.text = para(ed.original, "")
	case "link":
		e.text = para(ed.original, strings.Repeat(" "+ed.link, i))
	case "reference":
		e.text = para(byRef.ReplaceAllStringFunc(ed.original, func(string) string { return fmt.Sprintf("by=actor-%d ", i%7) }), "")
	case "front-matter":
		e.text = para(dateRef.ReplaceAllString(ed.original, fmt.Sprintf("date: 2025-%02d-%02d", 1+i%12, 1+i%28)), "")
	case "actor":
		name := fmt.Sprintf("Actor 3 renamed %d", i)
		e.path, e.url = corpusActor, "/actors/actor-3/"
		e.text = strings.Replace(ed.actorText, "name: Actor 3", "name: "+name, 1)
		e.served = func(body string, status int) bool { return status == 200 && strings.Contains(body, name) }
	case "new-file", "deleted-file":
		e.path = fmt.Sprintf("content/briefings/new/n%d.md", i)
		e.url = fmt.Sprintf("/briefings/n%d/", i)
		e.text = fmt.Sprintf("---\ntitle: New %d\ndate: 2026-12-%02d\ntags: [tag-1]\n---\n[[actor-1]] said :claim[new words %d]{#new%d by=actor-2 src=source-3 contradicts=c5-1} after [[claim:c9-3]].\n",
			i, 1+i%28, i, i)
		e.served = func(body string, status int) bool {
			return status == 200 && strings.Contains(body, fmt.Sprintf("new words %d", i))
		}
		if kind == "deleted-file" {
			e.remove = true
			e.served = func(_ string, status int) bool { return status == 404 }
		}
	default:
		panic("no edit of kind " + kind)
	}
	return e
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
			dir := corpusSite(b, n)
			s, res, err := New(Options{Src: dir, Builtin: builtin})
			if err != nil || res.Failed {
				b.Fatal(err, res.Diags)
			}
			defer s.Close()
			ed := corpusEdits
			ed.read(b, dir)
			for _, kind := range editKinds {
				b.Run("edit="+kind, func(b *testing.B) {
					var ready, served []time.Duration
					i := 0
					for b.Loop() {
						i++
						e := ed.edit(kind, i)
						if e.remove {
							// The file to delete is made first, and not timed.
							write(b, dir, e.path, e.text)
							if res := s.Changed([]string{e.path}); res.Failed {
								b.Fatal(res.Diags)
							}
						}
						began := time.Now()
						e.apply(b, dir)
						res := s.Changed([]string{e.path})
						ready = append(ready, time.Since(began))
						if res.Failed {
							b.Fatal(res.Diags)
						}
						body, status := output(s, e.url)
						served = append(served, time.Since(began))
						if !e.served(string(body), status) {
							b.Fatalf("GET %s: %d, without the edit", e.url, status)
						}
					}
					b.StopTimer()
					// The next kind starts from the site as it was.
					ed.restore(b, dir)
					if res := s.Changed([]string{ed.file, corpusActor, "content/briefings/new"}); res.Failed {
						b.Fatal(res.Diags)
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

// BenchmarkStart measures serve's start: from nothing to the home page
// served (New, then the page), and the live heap the server then holds,
// which is most of its resident memory (the issue asks for the first page
// within 3 s and under 1.5 GiB resident at 10,000 briefings).
//
//	go test ./generator/serve -run '^$' -bench Start -benchtime 3x
func BenchmarkStart(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := corpusSite(b, n)
			live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			var took []time.Duration
			var heap uint64
			for b.Loop() {
				runtime.GC()
				began := time.Now()
				s, res, err := New(Options{Src: dir, Builtin: builtin})
				if err != nil || res.Failed {
					b.Fatal(err, res.Diags)
				}
				if _, status := output(s, "/"); status != 200 {
					b.Fatalf("GET /: %d", status)
				}
				took = append(took, time.Since(began))
				b.StopTimer()
				runtime.GC()
				metrics.Read(live)
				heap = max(heap, live[0].Value.Uint64())
				s.Close()
				runtime.KeepAlive(s)
				b.StartTimer()
			}
			b.ReportMetric(median(took)*1e-3, "s-first-page")
			b.ReportMetric(float64(heap>>20), "live-MB")
		})
	}
}

// corpusSite writes a generated site of n briefings (corpus.Write) into a
// folder of b's and returns it.
func corpusSite(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Write(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}
