package serve

import (
	"briefing/generator/diag"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"briefing/generator/build"
	"briefing/generator/render"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/tools/txtar"
)

var builtin = os.DirFS("../..")

// fixture copies testdata/site.txtar into a new folder.
func fixture(t testing.TB) string {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		write(t, dir, f.Name, string(f.Data))
	}
	return dir
}

func write(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newServer(t *testing.T, dir string) *Server {
	t.Helper()
	s, res, err := New(Options{Src: dir, Drafts: true, Builtin: builtin})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed {
		t.Fatalf("first build failed: %v", res.Diags)
	}
	t.Cleanup(s.Close)
	return s
}

// output is what a request for url gets, without a network.
func output(s *Server, url string) ([]byte, int) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	req.Host = "127.0.0.1:1313"
	s.ServeHTTP(rec, req)
	return rec.Body.Bytes(), rec.Code
}

func get(t *testing.T, s *Server, url string) (string, int) {
	t.Helper()
	b, status := output(s, url)
	return string(b), status
}

func mustContain(t *testing.T, s *Server, url string, wants ...string) {
	t.Helper()
	body, status := get(t, s, url)
	if status != 200 {
		t.Errorf("GET %s: status %d", url, status)
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("GET %s lacks %q", url, w)
		}
	}
}

func TestRebuildCycle(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	mustContain(t, s, "/briefings/2026-11-24-talks/", "the talks were constructive", liveScriptStart)
	if body, _ := get(t, s, "/"); strings.Contains(body, "briefing-overlay") {
		t.Fatal("overlay on a good build")
	}

	// An edit is served.
	write(t, dir, "content/briefings/2026-11-24-talks.md", strings.Replace(readFile(t, dir, "content/briefings/2026-11-24-talks.md"), "constructive", "productive", 1))
	if res := s.Changed([]string{"content/briefings/2026-11-24-talks.md"}); res.Failed {
		t.Fatal(res.Diags)
	}
	mustContain(t, s, "/claims/talks/", "the talks were productive")

	// A new nested folder with a briefing: its page, its claim, backlinks.
	write(t, dir, "content/briefings/2026/12/2026-12-01-follow-up.md",
		"---\ntitle: Follow-up\ndate: 2026-12-01\n---\n:claim[talks resume]{#resume by=lavrov src=remarks contradicts=talks}\n")
	if res := s.Changed([]string{"content/briefings/2026"}); res.Failed {
		t.Fatal(res.Diags)
	}
	mustContain(t, s, "/briefings/2026-12-01-follow-up/", "talks resume")
	mustContain(t, s, "/claims/resume/", "Sergei Lavrov")
	mustContain(t, s, "/actors/lavrov/", "/claims/resume/")
	mustContain(t, s, "/claims/talks/", "Contradicted by", "/claims/resume/")

	// A broken file: every page carries the overlay, the last good site
	// is still served.
	write(t, dir, "content/briefings/2026/12/2026-12-01-follow-up.md",
		"---\ntitle: Follow-up\ndate: 2026-12-01\n---\n:claim[talks resume]{#resume by=lavrof src=remarks}\n")
	res := s.Changed([]string{"content/briefings/2026/12/2026-12-01-follow-up.md"})
	if !res.Failed {
		t.Fatal("a broken file built")
	}
	for _, url := range []string{"/", "/claims/resume/", "/actors/peskov/", "/no/such/page/"} {
		body, _ := get(t, s, url)
		if !strings.Contains(body, `id="briefing-overlay"`) ||
			!strings.Contains(body, "content/briefings/2026/12/2026-12-01-follow-up.md:5:33") ||
			!strings.Contains(body, "did you mean &#34;lavrov&#34;?") {
			t.Errorf("GET %s has no overlay with the diagnostic", url)
		}
	}
	mustContain(t, s, "/claims/resume/", "Sergei Lavrov")

	// Fixed: the overlay goes.
	write(t, dir, "content/briefings/2026/12/2026-12-01-follow-up.md",
		"---\ntitle: Follow-up\ndate: 2026-12-01\n---\n:claim[talks resume]{#resume by=lavrov src=remarks}\n")
	if res := s.Changed([]string{"content/briefings/2026/12/2026-12-01-follow-up.md"}); res.Failed {
		t.Fatal(res.Diags)
	}
	if body, _ := get(t, s, "/claims/resume/"); strings.Contains(body, "briefing-overlay") {
		t.Error("overlay stays after the fix")
	}

	// Deleted: 404 with the site's page, and the backlinks are gone.
	if err := os.Remove(filepath.Join(dir, "content/briefings/2026/12/2026-12-01-follow-up.md")); err != nil {
		t.Fatal(err)
	}
	if res := s.Changed([]string{"content/briefings/2026/12/2026-12-01-follow-up.md"}); res.Failed {
		t.Fatal(res.Diags)
	}
	body, status := get(t, s, "/claims/resume/")
	if status != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("deleted claim: status %d", status)
	}
	if body, _ := get(t, s, "/actors/lavrov/"); strings.Contains(body, "/claims/resume/") {
		t.Error("backlink to a deleted claim")
	}

	// A CSS-only change is marked so tabs swap stylesheets.
	write(t, dir, "static/css/extra.css", "body { color: navy; }")
	if res := s.Changed([]string{"static/css/extra.css"}); !res.CSSOnly {
		t.Error("CSS change not CSS-only")
	}
	mustContain(t, s, "/css/extra.css", "navy")
}

func TestTemplateErrorKeepsSite(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	write(t, dir, "templates/claim.html", `{{define "main"}}{{.Claim.Nope}}{{end}}`)
	res := s.Changed([]string{"templates/claim.html"})
	if !res.Failed || !strings.Contains(res.Diags[0].Path, "templates/") {
		t.Fatalf("broken template built: %v", res.Diags)
	}
	mustContain(t, s, "/claims/talks/", "the talks were constructive", "briefing-overlay")
	if err := os.Remove(filepath.Join(dir, "templates/claim.html")); err != nil {
		t.Fatal(err)
	}
	if res := s.Changed([]string{"templates"}); res.Failed {
		t.Fatal(res.Diags)
	}
	// A function that panics while a page renders is an error like any other.
	write(t, dir, "templates/home.html", `{{define "main"}}{{range first -1 .Site.Briefings}}{{end}}{{end}}`)
	res = s.Changed([]string{"templates/home.html"})
	if !res.Failed || res.Diags[0].Path != "templates/home.html" {
		t.Fatalf("panicking template built: %v", res.Diags)
	}
	mustContain(t, s, "/", "briefing-overlay", "templates/home.html")
}

func TestPathSafety(t *testing.T) {
	s := newServer(t, fixture(t))
	for _, url := range []string{"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fcontent/_index.md", "/content/_index.md", "/nope"} {
		body, status := get(t, s, url)
		if status != 404 || !strings.Contains(body, "Page not found") {
			t.Errorf("GET %s: status %d", url, status)
		}
	}
}

func readFile(t testing.TB, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSameAsBuild edits a site at random, many times, through the server,
// and after each step compares every page served with a fresh build of the
// same files.
func TestSameAsBuild(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	r := rand.New(rand.NewPCG(1, 2))
	edits := []func(i int) string{
		func(i int) string { // a new briefing citing earlier claims
			name := fmt.Sprintf("content/briefings/x/b%d.md", i)
			write(t, dir, name, fmt.Sprintf("---\ntitle: B%d\ndate: 2026-12-%02d\ntags: [t%d]\n---\n[[peskov]] :claim[words %d]{#c%d by=lavrov src=remarks supports=talks} [[claim:talks]]\n", i, 1+i%28, i%3, i, i))
			return name
		},
		func(i int) string { // an edit of the first briefing
			name := "content/briefings/2026-11-24-talks.md"
			write(t, dir, name, strings.Replace(readFile(t, dir, name), "No readout", fmt.Sprintf("No readout %d", i), 1))
			return name
		},
		func(i int) string { // new words for a claim other pages link to
			name := "content/briefings/2026-11-24-talks.md"
			text := readFile(t, dir, name)
			at := strings.Index(text, "]{#talks")
			write(t, dir, name, text[:at]+fmt.Sprintf(" %d", i)+text[at:])
			return name
		},
		func(i int) string { // new prose about an actor
			name := "content/actors/peskov.md"
			write(t, dir, name, fmt.Sprintf("---\nname: Dmitry Peskov\nkind: person\n---\nSpokesperson, profile %d; see [[lavrov]].\n", i))
			return name
		},
		func(i int) string { // new words on the home page
			name := "content/_index.md"
			write(t, dir, name, fmt.Sprintf("---\ntitle: Serve test\n---\nIntro %d.\n", i))
			return name
		},
		func(i int) string { // a renamed actor
			name := "content/actors/lavrov.md"
			write(t, dir, name, fmt.Sprintf("---\nname: Sergei Lavrov %d\nkind: person\n---\n", i))
			return name
		},
		func(i int) string { // a removed folder
			_ = os.RemoveAll(filepath.Join(dir, "content/briefings/x"))
			return "content/briefings/x"
		},
		func(i int) string { // a new source and a claim on it
			write(t, dir, fmt.Sprintf("content/sources/s%d.md", i), fmt.Sprintf("---\ntitle: S%d\nreliability: C\n---\n", i))
			name := fmt.Sprintf("content/briefings/y%d.md", i)
			write(t, dir, name, fmt.Sprintf("---\ntitle: Y%d\ndate: 2026-11-%02d\n---\n:claim[y %d]{by=peskov src=s%d}\n", i, 1+i%28, i, i))
			return "content"
		},
		func(i int) string { // new prose about an actor nothing refers to
			name := "content/actors/loner.md"
			write(t, dir, name, fmt.Sprintf("---\nname: Loner\nkind: person\n---\nNobody mentions me, %d.\n", i))
			return name
		},
		func(i int) string { // new prose about a source nothing cites
			name := "content/sources/unread.md"
			write(t, dir, name, fmt.Sprintf("---\ntitle: Unread\nreliability: F\n---\nNever cited, %d.\n", i))
			return name
		},
		func(i int) string { // a folder holding a link, moved in: an error
			elsewhere := filepath.Join(t.TempDir(), "moved")
			write(t, elsewhere, fmt.Sprintf("2026-10-%02d-m%d.md", 1+i%28, i), fmt.Sprintf("---\ntitle: M%d\ndate: 2026-10-%02d\n---\nMoved.\n", i, 1+i%28))
			if err := os.Symlink("/etc/hostname", filepath.Join(elsewhere, "link.md")); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			name := fmt.Sprintf("content/briefings/moved%d", i)
			if err := os.Rename(elsewhere, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
			return name
		},
		func(i int) string { // a link removed, the error with it
			links, _ := filepath.Glob(filepath.Join(dir, "content/briefings/moved*/link.md"))
			if len(links) == 0 {
				return "content/briefings/none.md"
			}
			if err := os.Remove(links[0]); err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, links[0])
			return filepath.ToSlash(rel)
		},
	}
	patched, failed := 0, 0
	const steps = 60
	for i := range steps {
		changed := edits[r.IntN(len(edits))](i)
		res := s.Changed([]string{changed})
		t.Logf("step %d: %s patched=%v updated=%v failed=%v", i, changed, res.Patched, res.Updated, res.Failed)
		// Errors and warnings too, and whether it failed, are a fresh
		// build's; a failed step goes on serving the last good site.
		sameDiags(t, dir, res)
		if res.Patched {
			patched++
		}
		if res.Failed {
			failed++
			continue
		}
		compareWithBuild(t, s, dir, i)
	}
	if patched == 0 || failed == 0 || patched+failed == steps {
		t.Errorf("of %d steps, %d patched and %d failed: every path must be tried", steps, patched, failed)
	}
}

func compareWithBuild(t *testing.T, s *Server, dir string, step int) {
	t.Helper()
	want := map[string][]byte{}
	var mu sync.Mutex
	res := build.Site(build.Options{Src: dir, Drafts: true, Builtin: builtin, Pages: func(p string, b []byte) error {
		mu.Lock()
		want[p] = bytes.Clone(b)
		mu.Unlock()
		return nil
	}})
	if res.Failed() {
		t.Fatalf("step %d: fresh build failed: %v", step, res.Diags)
	}
	s.mu.RLock()
	snap := s.current
	s.mu.RUnlock()
	paths := render.Paths(snap.model, 0)
	served := map[string]bool{}
	for _, p := range paths {
		served[p] = true
		url := "/" + strings.TrimSuffix(p, "index.html")
		body, status := output(s, url)
		if p == "404.html" {
			status = 200
		}
		if i := bytes.LastIndex(body, []byte(liveScriptStart)); i >= 0 {
			body = body[:i]
		}
		if status != 200 || !bytes.Equal(body, want[p]) {
			t.Fatalf("step %d: %s differs from a fresh build (status %d)", step, p, status)
		}
	}
	for p := range want {
		if _, static := snap.static[p]; !served[p] && !static {
			t.Fatalf("step %d: build wrote %s, the server has no such page", step, p)
		}
	}
}

func TestWatcherHandlesNewTrees(t *testing.T) {
	dir := fixture(t)
	w, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// mkdir -p with files inside, before any event is read: the one
	// Create event for the top folder must bring every file below it.
	write(t, dir, "content/briefings/a/b/c/new.md", "x")
	write(t, dir, "content/briefings/a/b/other.md", "x")
	got := w.handle(fsnotify.Event{Name: filepath.Join(dir, "content/briefings/a"), Op: fsnotify.Create})
	want := "content/briefings/a content/briefings/a/b/c/new.md content/briefings/a/b/other.md"
	if strings.Join(got, " ") != want {
		t.Errorf("handle = %v", got)
	}
	for _, name := range []string{"content/briefings/.x.md.swp", "content/briefings/x.md~", "content/briefings/4913",
		"content/briefings/.#x.md", "content/briefings/x.md___jb_tmp___", "public/index.html", "other/file"} {
		if got := w.handle(fsnotify.Event{Name: filepath.Join(dir, name), Op: fsnotify.Write}); len(got) > 0 {
			t.Errorf("%s not ignored: %v", name, got)
		}
	}
}

func TestDebounce(t *testing.T) {
	in := make(chan string)
	out := make(chan []string)
	go debounce(in, 20*time.Millisecond, time.Second, out, nil)
	for i := range 200 {
		in <- fmt.Sprintf("content/briefings/f%d.md", i%3)
	}
	in <- "content/briefings"
	in <- "content/briefings/sub/x.md"
	batch := <-out
	if strings.Join(batch, " ") != "content/briefings" {
		t.Errorf("batch = %v", batch)
	}
	in <- "static/a.css"
	if batch := <-out; len(batch) != 1 || batch[0] != "static/a.css" {
		t.Errorf("second batch = %v", batch)
	}
	close(in)
	if _, ok := <-out; ok {
		t.Error("out not closed")
	}
}

func TestPoll(t *testing.T) {
	dir := fixture(t)
	paths := make(chan string, 16)
	done := make(chan struct{})
	defer close(done)
	go Poll(dir, 5*time.Millisecond, paths, done)
	// Poll's first scan races with this write; keep writing new content
	// until a change is seen, which proves the scan compares.
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; ; i++ {
		write(t, dir, "content/briefings/new.md", strings.Repeat("x", i+1))
		select {
		case p := <-paths:
			if p != "content/briefings/new.md" {
				t.Fatalf("poll reported %s", p)
			}
		case <-time.After(20 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("poll never reported the new file")
			}
			continue
		}
		break
	}
	// A removal is a change too; an editor's swap file is not.
	write(t, dir, "content/briefings/.new.md.swp", "x")
	if err := os.Remove(filepath.Join(dir, "content/briefings/new.md")); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case p := <-paths:
			if p == "content/briefings/new.md" {
				return
			}
			if strings.Contains(p, "swp") {
				t.Fatalf("poll reported %s", p)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("poll never reported the removal")
		}
	}
}

func TestOutOfWatchesSaysWhatToRaise(t *testing.T) {
	err := explain(fmt.Errorf("add: %w", syscall.ENOSPC))
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "fs.inotify.max_user_watches") || !strings.Contains(err.Error(), "--poll") {
		t.Errorf("explain = %v", err)
	}
	if other := errors.New("other"); explain(other) != other {
		t.Error("explain changed an unrelated error")
	}
}

// A static file where a page goes is the error build gives, in serve too,
// whether it arrives alone or with other changes; it used to replace the
// home page in build and not in serve.
func TestStaticOverPage(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	write(t, dir, "static/index.html", "<p>mine</p>")
	res := s.Changed([]string{"static/index.html"})
	if !res.Failed || !strings.Contains(fmt.Sprint(res.Diags), "static/index.html") {
		t.Fatalf("no collision reported: %v", res.Diags)
	}
	if body, _ := get(t, s, "/"); strings.Contains(body, "<p>mine</p>") {
		t.Error("the static file was served as the home page")
	}
	os.Remove(filepath.Join(dir, "static", "index.html"))
	if res := s.Changed([]string{"static/index.html"}); res.Failed {
		t.Errorf("still failing after the file went: %v", res.Diags)
	}
}

// TestStaticLinkAdded: a symbolic link put into static/ while serving
// fails as build fails on it, not as a static file quietly left out.
func TestStaticLinkAdded(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	target := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(target, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "static", "pw.txt")); err != nil {
		t.Fatal(err)
	}
	res := s.Changed([]string{"static/pw.txt"})
	sameDiags(t, dir, res)
	if !res.Failed || res.StaticOnly {
		t.Fatalf("a link in static/ passed: %+v", res)
	}
	os.Remove(filepath.Join(dir, "static", "pw.txt"))
	if res := s.Changed([]string{"static/pw.txt"}); res.Failed {
		t.Errorf("still failing after the link went: %v", res.Diags)
	}
}

func TestChangedListQuotesControlCharacters(t *testing.T) {
	got := changedList([]string{"content/briefings/\x1b[2Ja.md", "content/b.md"})
	if want := `"content/briefings/\x1b[2Ja.md", content/b.md`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// sameDiags fails the test unless a rebuild's diagnostics are those of a
// fresh build of the same files.
func sameDiags(t *testing.T, dir string, res *Result) {
	t.Helper()
	fresh := build.Site(build.Options{Src: dir, Drafts: true, Builtin: builtin})
	if got, want := fmt.Sprint(res.Diags), fmt.Sprint(fresh.Diags); got != want {
		t.Fatalf("serve's diagnostics differ from a fresh build's:\nserve: %s\nbuild: %s", got, want)
	}
	if res.Failed != fresh.Failed() {
		t.Fatalf("serve failed=%v, a fresh build failed=%v", res.Failed, fresh.Failed())
	}
}

// TestPatchKeepsUnusedWarnings: a prose edit of an actor nothing refers to
// is patched and still warns, as `check` does; the patch used to drop every
// warning about the edited file but a claim's missing source.
func TestPatchKeepsUnusedWarnings(t *testing.T) {
	dir := fixture(t)
	write(t, dir, "content/actors/x.md", "---\nname: X\nkind: person\n---\nAlone.\n")
	s := newServer(t, dir)
	write(t, dir, "content/actors/x.md", "---\nname: X\nkind: person\n---\nStill alone.\n")
	res := s.Changed([]string{"content/actors/x.md"})
	if !res.Patched {
		t.Fatal("a prose edit was not patched")
	}
	if _, warns := res.Diags.Count(); warns != 1 || !strings.Contains(res.Diags[0].Message, `actor "x" is not referred to by anything`) {
		t.Errorf("diagnostics: %v", res.Diags)
	}
	sameDiags(t, dir, res)
}

// TestTempFileChangesNothing: a file that came and went within one burst
// (sed -i writes sedXXXXXX and renames it over the file) is no change to
// report; a file the site had, removed, is.
func TestTempFileChangesNothing(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	if res := s.Changed([]string{"content/briefings/sedUGZnZ8"}); !res.Unchanged {
		t.Errorf("a temp file gone before it was read counted as a change: %+v", res)
	}
	var some string
	for p := range s.content {
		if strings.HasPrefix(p, "content/briefings/") {
			some = p
			break
		}
	}
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(some))); err != nil {
		t.Fatal(err)
	}
	if res := s.Changed([]string{some}); res.Unchanged {
		t.Errorf("removing %s counted as no change", some)
	}
	// sed -i on a file: the file and sed's temp file in one burst; the
	// report names the file only.
	write(t, dir, some, "---\ntitle: Back\ndate: 2026-11-24\n---\nText.\n")
	if res := s.Changed([]string{"content/briefings/sedUGZnZ9", some}); !slices.Equal(res.Paths, []string{some}) {
		t.Errorf("the change read %q; want only %s", res.Paths, some)
	}
}

// TestInconsistencyOnceAfterPatch: a prose edit patched into the model and
// then an edit elsewhere, applied in place, report a relation the statuses
// contradict once, as a fresh build does (the patch once kept it as the
// page's own warning as well).
func TestInconsistencyOnceAfterPatch(t *testing.T) {
	dir := fixture(t)
	page := "content/briefings/2026-11-30-odd.md"
	text := "---\ntitle: Odd\ndate: 2026-11-30\n---\nThey said :claim[the port is open]{#port-open by=peskov src=remarks status=corroborated} and " +
		":claim[the port is shut]{#port-shut by=peskov src=remarks status=corroborated contradicts=port-open}.\n"
	write(t, dir, page, text)
	s := newServer(t, dir)
	write(t, dir, page, strings.Replace(text, "They said", "They told us", 1))
	res := s.Changed([]string{page})
	if !res.Patched {
		t.Fatalf("a prose edit was not patched: %+v", res)
	}
	sameDiags(t, dir, res)
	other := "content/briefings/2026-11-30-other.md"
	write(t, dir, other, "---\ntitle: Other\ndate: 2026-11-30\n---\nOn [[peskov]].\n")
	sameDiags(t, dir, s.Changed([]string{other}))
}

// TestWatcherFollowsRenamedFolder: a folder renamed inside content/ is
// watched under its new name, and its old name is forgotten. inotify
// keeps a folder's watch through a rename, and fsnotify kept it under the
// old path: edits below it came under the old name, or not at all.
func TestWatcherFollowsRenamedFolder(t *testing.T) {
	dir := fixture(t)
	write(t, dir, "content/briefings/2026/sub/deep.md", "x")
	write(t, dir, "content/briefings/2026/top.md", "x")
	w, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// await reads paths until want comes, failing on a path below gone
	// (the old folder itself may be reported again: it is gone).
	await := func(want, gone string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case p := <-w.Paths:
				if gone != "" && strings.HasPrefix(p, gone+"/") {
					t.Fatalf("%s reported under the folder's old name", p)
				}
				if p == want {
					return
				}
			case <-deadline:
				t.Fatalf("%s never reported", want)
			}
		}
	}
	old, renamed := filepath.Join(dir, "content/briefings/2026"), filepath.Join(dir, "content/briefings/january")
	if err := os.Rename(old, renamed); err != nil {
		t.Fatal(err)
	}
	await("content/briefings/january", "")
	write(t, dir, "content/briefings/january/sub/deep.md", "edited")
	await("content/briefings/january/sub/deep.md", "content/briefings/2026")
	write(t, dir, "content/briefings/january/top.md", "edited")
	await("content/briefings/january/top.md", "content/briefings/2026")
	write(t, dir, "content/briefings/january/sub/new.md", "new")
	await("content/briefings/january/sub/new.md", "content/briefings/2026")
	// Moved out of the site: nothing below it is reported any more.
	if err := os.Rename(renamed, filepath.Join(t.TempDir(), "away")); err != nil {
		t.Fatal(err)
	}
	await("content/briefings/january", "")
	for _, p := range w.fsw.WatchList() {
		if strings.Contains(p, "january") || strings.Contains(p, "2026") {
			t.Errorf("still watched: %s", p)
		}
	}
}

// TestLoopingTemplateKeepsServing: a changed template whose page never
// finishes rendering fails the rebuild after a while, and later edits,
// the template's fix among them, are built as ever. The rebuild used to
// wait for the render, with every later edit behind it.
func TestLoopingTemplateKeepsServing(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	s.opts.sampleWait = 200 * time.Millisecond
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var looping atomic.Bool
	var stuck atomic.Int32
	s.opts.beforeRender = func(out string) {
		if looping.Load() && out == "index.html" {
			stuck.Add(1)
			<-release // as a template that loops does
		}
	}
	looping.Store(true)
	write(t, dir, "templates/home.html", `{{define "main"}}LOOPING{{end}}`)
	var res *Result
	within(t, "the rebuild", func() { res = s.Changed([]string{"templates/home.html"}) })
	if !res.Failed || !strings.Contains(res.Diags[0].Message, "took over") || res.Diags[0].Path != "templates" {
		t.Fatalf("a render that never ends built: %v", res.Diags)
	}
	mustContain(t, s, "/claims/talks/", "the talks were constructive", "briefing-overlay", "took over")
	// Later saves of content keep the templates out, and start no render
	// of them again: an update took them in, and every save left one more
	// render running.
	for i := range 3 {
		write(t, dir, "content/briefings/2026-11-24-talks.md", strings.Replace(readFile(t, dir, "content/briefings/2026-11-24-talks.md"), "constructive", fmt.Sprintf("constructive (%d)", i), 1))
		within(t, "a content save", func() { res = s.Changed([]string{"content/briefings/2026-11-24-talks.md"}) })
		if !res.Failed || !strings.Contains(res.Diags[0].Message, "took over") {
			t.Fatalf("save %d built with the stuck templates: %v", i, res.Diags)
		}
	}
	if n := stuck.Load(); n != 1 {
		t.Errorf("%d renders left running for one template that loops", n)
	}
	within(t, "the home page", func() { mustContain(t, s, "/", "briefing-overlay") })
	if body, _ := get(t, s, "/"); strings.Contains(body, "LOOPING") {
		t.Error("the stuck templates went live")
	}
	looping.Store(false)
	write(t, dir, "templates/home.html", `{{define "main"}}FIXED{{end}}`)
	within(t, "the next rebuild", func() { res = s.Changed([]string{"templates/home.html"}) })
	if res.Failed {
		t.Fatal(res.Diags)
	}
	mustContain(t, s, "/", "FIXED")
}

// TestContentGoneKeepsSite: content/ moved away is an error, and the last
// good site stays served until it is back; it was built as an empty site.
func TestContentGoneKeepsSite(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	away := filepath.Join(t.TempDir(), "content")
	if err := os.Rename(filepath.Join(dir, "content"), away); err != nil {
		t.Fatal(err)
	}
	res := s.Changed([]string{"content"})
	if !res.Failed || res.Diags[0].Path != "content" || !strings.Contains(res.Diags[0].Message, "no content/ folder") {
		t.Fatalf("built without content/: %v", res.Diags)
	}
	mustContain(t, s, "/claims/talks/", "the talks were constructive", "briefing-overlay", "no content/ folder")
	if err := os.Rename(away, filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	if res := s.Changed([]string{"content"}); res.Failed {
		t.Fatal(res.Diags)
	}
	if body, _ := get(t, s, "/claims/talks/"); strings.Contains(body, "briefing-overlay") {
		t.Error("the overlay stayed after content/ came back")
	}
}

// TestReportLine: the summary line counts in words a reader would use,
// and says there is no site when no build has succeeded.
func TestReportLine(t *testing.T) {
	one := diag.List{{Path: "content/x.md", Line: 1, Col: 1, Severity: diag.Error, Message: "m"}}
	for _, c := range []struct {
		res  Result
		want string
	}{
		{Result{Diags: one, Failed: true, NoSite: true}, "content/x.md: build failed; nothing to serve until it builds · 1 error · 0 warnings"},
		{Result{Diags: one, Failed: true}, "content/x.md: build failed; serving the last good site · 1 error · 0 warnings"},
		{Result{Updated: true}, "content/x.md: updated · 0 errors · 0 warnings"},
	} {
		var out strings.Builder
		report(RunOptions{Out: &out, Err: io.Discard}, &c.res, []string{"content/x.md"})
		if got := strings.TrimSpace(out.String()); !strings.HasPrefix(got, c.want+" · ") {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// TestRedirectKeepsQuery: a folder asked for without its slash is
// redirected with its query, and the path escaped.
func TestRedirectKeepsQuery(t *testing.T) {
	s := newServer(t, fixture(t))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/claims/talks?from=feed&x=%20y", nil)
	req.Host = "127.0.0.1:1313"
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/claims/talks/?from=feed&x=%20y" {
		t.Fatalf("%d to %q", rec.Code, rec.Header().Get("Location"))
	}
}

// TestWatcherForgetsRemovedLink: a linked content/ removed leaves nothing
// watched below it, with the site given as "." (where fsnotify names the
// events ./content) as well as by its whole path.
func TestWatcherForgetsRemovedLink(t *testing.T) {
	for _, src := range []string{".", "abs"} {
		t.Run(src, func(t *testing.T) {
			dir := fixture(t)
			target := filepath.Join(t.TempDir(), "real")
			if err := os.Rename(filepath.Join(dir, "content"), target); err != nil {
				t.Fatal(err)
			}
			write(t, target, "briefings/2026/sub/deep.md", "x")
			if err := os.Symlink(target, filepath.Join(dir, "content")); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			if src == "abs" {
				src = dir
			}
			w, err := Watch(src)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if err := os.Remove("content"); err != nil {
				t.Fatal(err)
			}
			forgotten(t, w, "content", func() { write(t, target, "briefings/2026/sub/deep.md", "edited") })
		})
	}
}

// TestWatcherForgetsRetargetedLink: a content/ link replaced by a rename
// over it (ln -sfn) brings only a Create; the old target's folders are
// no longer watched.
func TestWatcherForgetsRetargetedLink(t *testing.T) {
	dir := fixture(t)
	target := filepath.Join(t.TempDir(), "real")
	if err := os.Rename(filepath.Join(dir, "content"), target); err != nil {
		t.Fatal(err)
	}
	write(t, target, "briefings/onlyold/deep.md", "x")
	other := filepath.Join(t.TempDir(), "other")
	write(t, other, "_index.md", "---\ntitle: O\n---\n")
	if err := os.Symlink(target, filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	w, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := os.Symlink(other, filepath.Join(dir, "content.new")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "content.new"), filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	forgotten(t, w, "onlyold", func() { write(t, target, "briefings/onlyold/deep.md", "edited") })
}

// forgotten asserts, once w's events have settled, that no path holding
// name is watched, and that edit, outside the site now, is not reported.
func forgotten(t *testing.T, w *Watcher, name string, edit func()) {
	t.Helper()
	for settled := time.After(500 * time.Millisecond); ; {
		select {
		case p := <-w.Paths:
			t.Logf("event %s", p)
			continue
		case <-settled:
		}
		break
	}
	for _, p := range w.fsw.WatchList() {
		if strings.Contains(p, name) {
			t.Errorf("still watched: %s", p)
		}
	}
	edit()
	select {
	case p := <-w.Paths:
		t.Errorf("an edit outside the site reported as %s", p)
	case <-time.After(time.Second):
	}
}

// TestStuckRenderNotRepeated: with no good build yet, saves do not render
// again with templates whose page never finished: each left one more
// render running.
func TestStuckRenderNotRepeated(t *testing.T) {
	dir := fixture(t)
	write(t, dir, "templates/home.html", `{{define "main"}}LOOPING{{end}}`)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var stuck atomic.Int32
	s, res, err := New(Options{Src: dir, Drafts: true, Builtin: builtin, sampleWait: 100 * time.Millisecond,
		beforeRender: func(out string) {
			if out == "index.html" {
				stuck.Add(1)
				<-release
			}
		}})
	if err != nil || !res.Failed || !res.NoSite {
		t.Fatal(err, res)
	}
	p := "content/briefings/2026-11-24-talks.md"
	for i := range 5 {
		write(t, dir, p, strings.Replace(readFile(t, dir, p), "constructive", "constructive"+strings.Repeat("!", i+1), 1))
		s.Changed([]string{p})
	}
	if n := stuck.Load(); n > 1 {
		t.Errorf("%d renders left running for one template that loops", n)
	}
}

// TestRangesAndHead: serve answers as a static host does: a range with
// 206 and those bytes (a video in static/ that Safari seeks in), HEAD with
// the length and no body; a page that is not found stays a whole 404.
func TestRangesAndHead(t *testing.T) {
	dir := fixture(t)
	write(t, dir, "static/clip.bin", strings.Repeat("0123456789", 100))
	s := newServer(t, dir)
	local := func(method, url string) *http.Request {
		req := httptest.NewRequest(method, url, nil)
		req.Host = "127.0.0.1:1313"
		return req
	}
	req := local("GET", "/clip.bin")
	req.Header.Set("Range", "bytes=10-19")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "0123456789" || rec.Header().Get("Content-Range") != "bytes 10-19/1000" {
		t.Errorf("range: %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, local("HEAD", "/"))
	if page, _ := get(t, s, "/"); rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != strconv.Itoa(len(page)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q, page %d bytes", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"), len(page))
	}
	req = local("GET", "/nowhere/")
	req.Header.Set("Range", "bytes=0-3")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 404 || rec.Body.Len() <= 4 {
		t.Errorf("missing page with a range: %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

// deadlineRecorder counts the write deadlines set before each write.
type deadlineRecorder struct {
	httptest.ResponseRecorder
	deadlines, writes int
	largest           int
}

func (d *deadlineRecorder) SetWriteDeadline(time.Time) error { d.deadlines++; return nil }

func (d *deadlineRecorder) Write(b []byte) (int, error) {
	d.writes++
	d.largest = max(d.largest, len(b))
	if d.deadlines != d.writes {
		return 0, fmt.Errorf("write %d without a deadline of its own", d.writes)
	}
	return d.ResponseRecorder.Write(b)
}

// TestLargeResponseDeadlines: a large response is written a piece at a
// time, each piece with a deadline of its own, so that a slow client
// still reading is not cut off at one deadline for the whole (a 125 MB
// page stopped at 75 MB after 30 s), while one that stops reading is.
func TestLargeResponseDeadlines(t *testing.T) {
	rec := &deadlineRecorder{ResponseRecorder: *httptest.NewRecorder()}
	body := bytes.Repeat([]byte("x"), 10*progressPiece+5)
	pw := progressWriter{rec, http.NewResponseController(rec), time.Second}
	if n, err := pw.Write(body); err != nil || n != len(body) {
		t.Fatalf("wrote %d, %v", n, err)
	}
	if rec.writes != 11 || rec.largest > progressPiece || rec.Body.Len() != len(body) {
		t.Errorf("%d writes, %d deadlines, largest %d, %d bytes", rec.writes, rec.deadlines, rec.largest, rec.Body.Len())
	}
}
