package cli

import (
	"briefing/generator/markup"
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
)

var builtin = os.DirFS("../..")

// TestMain keeps the builds of the tests from writing into the user's
// cache folder.
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "briefing-cli-cache-")
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", cache)
	}
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, builtin, &out, &errb)
	return code, out.String(), errb.String()
}

func siteDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var good = map[string]string{
	"content/actors/bob.md":     "---\nname: Bob\nkind: person\n---\n",
	"content/sources/source.md": "---\ntitle: S\nreliability: C\n---\n",
	"content/briefings/b.md":    "---\ntitle: B\ndate: 2026-11-24\n---\n:claim[x]{by=bob src=source}\n",
}

func TestExitCodes(t *testing.T) {
	dir := siteDir(t, good)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"build", "--nope"}, 2},
		{[]string{"build", "--src", filepath.Join(dir, "missing")}, 2},
		{[]string{"build", "extra"}, 2},
		{[]string{"build", "--help"}, 0},
		{[]string{"check", "-h"}, 0},
		{[]string{"new", "--help"}, 0},
		{[]string{"serve", "--help"}, 0},
		{[]string{"serve", "--addr"}, 2},
		{[]string{"serve", "--src", filepath.Join(dir, "missing")}, 2},
		{[]string{"help"}, 0},
		{[]string{"version"}, 0},
		{[]string{"build", "--src", dir}, 0},
		{[]string{"check", "--src", dir, "--strict"}, 0},
		{[]string{"new", "poem", "x", "--src", dir}, 2},
		// --base-url must be an absolute http(s) URL whose path links can
		// start with (SPEC §5); a wrong one is a wrong command line.
		{[]string{"build", "--src", dir, "--base-url", "ftp://host/x/"}, 2},
		{[]string{"build", "--src", dir, "--base-url", "/relative/"}, 2},
		{[]string{"build", "--src", dir, "--base-url", "host/x"}, 2},
		{[]string{"build", "--src", dir, "--base-url", "javascript:alert(1)//"}, 2},
		{[]string{"build", "--src", dir, "--base-url", "https:///nohost/"}, 2},
		{[]string{"build", "--src", dir, "--base-url", "https://host/%2e%2e/"}, 2},
		{[]string{"build", "--src", dir, "--base-url", "https://host/a?b=c"}, 2},
		{[]string{"build", "--src", dir, "--base-url", "https://host/sub/path/"}, 0},
		{[]string{"build", "--src", dir, "--base-url", "https://bücher.example/"}, 0},
		{[]string{"build", "--src", dir, "--base-url", "https://-bücher.example/"}, 2}, // no domain name in IDNA
		// Wrong command lines exit 2 before any work is done.
		{[]string{"serve", "--src", dir, "--addr", "nope"}, 2},
		{[]string{"serve", "--src", dir, "--addr", "127.0.0.1:99999"}, 2},
		{[]string{"new", "actor", "x", "--src", filepath.Join(dir, "missing")}, 2},
		// A folder that is no site is told to start one, not given a
		// content/ folder that init would then refuse.
		{[]string{"new", "briefing", "x", "--src", t.TempDir()}, 1},
		{[]string{"new", "actor"}, 2},
		{[]string{"init"}, 2},
		{[]string{"help", "frobnicate"}, 2},
		{[]string{"help", "build"}, 0},
		{[]string{"version", "extra"}, 2},
		// A folder that holds no site is told how to start one.
		{[]string{"build", "--src", t.TempDir()}, 1},
		{[]string{"check", "--src", t.TempDir()}, 1},
	} {
		if code, _, stderr := run(t, tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.code, stderr)
		}
	}
}

func TestBuildSummaryAndErrors(t *testing.T) {
	files := map[string]string{}
	for k, v := range good {
		files[k] = v
	}
	dir := siteDir(t, files)
	code, stdout, _ := run(t, "build", "--src", dir)
	if code != 0 || !strings.HasPrefix(stdout, "built ") || !strings.Contains(stdout, "(1 briefing, 1 actor, 1 claim, 1 source, 0 caveats, 0 tags)") {
		t.Fatalf("exit %d, summary %q", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "claims", "b-x", "index.html")); err != nil {
		t.Fatal(err)
	}
	// Two errors, both printed, exit 1, in file order.
	if err := os.WriteFile(filepath.Join(dir, "content/briefings/b.md"), []byte("---\ntitle: B\ndate: 2026-11-24\n---\n:claim[x]{by=bobb src=sourse}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "build", "--src", dir)
	want := "content/briefings/b.md:5:14: error: unknown actor \"bobb\"; did you mean \"bob\"?\n" +
		"content/briefings/b.md:5:23: error: unknown source \"sourse\"; did you mean \"source\"?\n"
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stdout, "build failed · 2 errors") {
		t.Errorf("exit %d\nstderr:\n%s\nstdout: %s", code, stderr, stdout)
	}
	if strings.Contains(stderr, "\x1b[") {
		t.Error("colour written to a non-terminal")
	}
}

func TestCheckWritesNothing(t *testing.T) {
	dir := siteDir(t, good)
	if code, _, stderr := run(t, "check", "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("check wrote public/: %v", err)
	}
	// check renders one page of each kind, so a template that fails while
	// executing is still found.
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "claim.html"), []byte(`{{define "main"}}{{.Claim.Nope}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "check", "--src", dir)
	if code != 1 || !strings.Contains(stderr, "templates/claim.html") {
		t.Errorf("broken template: exit %d, %s", code, stderr)
	}
}

func TestNew(t *testing.T) {
	dir := siteDir(t, good)
	code, stdout, stderr := run(t, "new", "actor", "Sergei Lavrov", "--src", dir)
	if code != 0 {
		t.Fatal(stderr)
	}
	file := filepath.Join(dir, "content", "actors", "sergei-lavrov.md")
	if !strings.Contains(stdout, file) {
		t.Errorf("stdout %q does not name %s", stdout, file)
	}
	if code, _, _ := run(t, "new", "actor", "Sergei Lavrov", "--src", dir); code != 1 {
		t.Errorf("second new exited %d, want 1 (refuses to overwrite)", code)
	}
	if code, _, stderr := run(t, "new", "--src", dir, "source", "wire-report"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "new", "briefing", "2026-12-01-talks-resume", "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	// The scaffolds are valid: only "nothing refers to" warnings.
	code, _, stderr = run(t, "check", "--src", dir, "--drafts")
	if code != 0 {
		t.Fatalf("scaffolded site fails: %s", stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.Contains(line, "is not referred to by anything") {
			t.Errorf("unexpected diagnostic: %s", line)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "content/briefings/2026-12-01-talks-resume.md"))
	if err != nil || !strings.Contains(string(data), "title: \"Talks resume\"") || !strings.Contains(string(data), "draft: true") {
		t.Errorf("briefing scaffold: %s %v", data, err)
	}
}

// TestHelp holds help to standard output, with every flag spelt as the
// SPEC and the synopsis spell it, and wrong command lines to standard
// error with the synopsis.
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"build", "check", "serve", "new", "init", "ids", "version"} {
		for _, args := range [][]string{{cmd, "--help"}, {cmd, "-h"}, {"help", cmd}} {
			code, stdout, stderr := run(t, args...)
			if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "Usage: briefing "+cmd) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
			}
			for _, line := range strings.Split(stdout, "\n") {
				if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "-") && !strings.HasPrefix(f[0], "--") {
					t.Errorf("%v: flag spelt with one dash: %q", args, line)
				}
			}
		}
	}
	_, stdout, _ := run(t, "help")
	for _, cmd := range []string{"init", "build", "serve", "check", "new", "ids", "version", "help"} {
		if !strings.Contains(stdout, "\n  "+cmd+" ") {
			t.Errorf("top help has no line for %s:\n%s", cmd, stdout)
		}
	}
	code, stdout, stderr := run(t, "build", "--nope")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "--nope") || !strings.Contains(stderr, "Usage: briefing build [--src DIR]") {
		t.Errorf("unknown flag: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestInit starts a site and builds it strictly, as a new author would.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-site")
	code, stdout, stderr := run(t, "init", dir)
	if code != 0 || !strings.Contains(stdout, "briefing serve --src "+dir) {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "build", "--src", dir, "--strict")
	if code != 0 || stderr != "" {
		t.Fatalf("a new site does not build strictly: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, p := range []string{"content/_index.md", "public/briefings/2026-01-15-talks-begin/index.html", "public/claims/first-round-useful/index.html",
		"public/actors/example-ministry/index.html", "public/sources/ministry-statement/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Error(err)
		}
	}
	if code, _, stderr := run(t, "init", dir); code != 1 || !strings.Contains(stderr, "already has a content/ folder") {
		t.Errorf("init over a site: exit %d, %s", code, stderr)
	}
}

// TestNewWritesChoices: the scaffolds say what each field may hold.
func TestNewWritesChoices(t *testing.T) {
	dir := siteDir(t, good)
	for kind, want := range map[string]string{"actor": "person | organisation | state | group", "source": "F cannot be judged"} {
		if code, _, stderr := run(t, "new", kind, "some-"+kind, "--src", dir); code != 0 {
			t.Fatal(stderr)
		}
		data, err := os.ReadFile(filepath.Join(dir, "content", kind+"s", "some-"+kind+".md"))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("new %s: %q lacks %q (%v)", kind, data, want, err)
		}
	}
}

// TestIDsKeepURLs: once `ids` has written the derived ids, editing a
// claim's or caveat's words keeps its URL.
func TestIDsKeepURLs(t *testing.T) {
	files := map[string]string{}
	for k, v := range good {
		files[k] = v
	}
	files["content/briefings/b.md"] = "\ufeff---\r\ntitle: B\r\ndate: 2026-11-24\r\n---\r\n" +
		"Bob said :claim[Переговоры идут]{by=bob src=source} and :claim[talks go on]{#kept by=bob src=source}.\r\n\r\n" +
		":::caveat{on=kept}\r\nOnly one source.\r\n:::\r\n\r\nAlso :caveat[a second thought]{on=kept} here.\r\n"
	// A file the site does not build from is left alone.
	files["content/briefings/.old/x.md"] = "---\ntitle: X\ndate: 2026-11-24\n---\n:claim[x]{by=bob src=source}\n"
	dir := siteDir(t, files)
	if code, stdout, _ := run(t, "ids", "--check", "--src", dir); code != 1 || !strings.Contains(stdout, "content/briefings/b.md: 3 ids") || strings.Contains(stdout, ".old") {
		t.Fatalf("ids --check before: exit %d, %q", code, stdout)
	}
	if code, stdout, stderr := run(t, "ids", "--src", dir); code != 0 || !strings.Contains(stdout, "wrote 3 ids into 1 file") {
		t.Fatalf("ids: exit %d, %q %q", code, stdout, stderr)
	}
	if code, _, _ := run(t, "ids", "--check", "--src", dir); code != 0 {
		t.Fatalf("ids --check after: exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "content/briefings/b.md"))
	for _, want := range []string{"{#b-peregovory-idut by=bob", "{#kept by=bob", ":::caveat{#b-caveat-only-one-source on=kept}", "{#b-caveat-a-second-thought on=kept}"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("b.md lacks %q:\n%s", want, data)
		}
	}
	if code, _, stderr := run(t, "build", "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	edited := strings.NewReplacer("Переговоры идут", "Talks are under way", "Only one source.", "A single source.", "a second thought", "another thought").Replace(string(data))
	if err := os.WriteFile(filepath.Join(dir, "content/briefings/b.md"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "build", "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	for _, p := range []string{"claims/b-peregovory-idut", "caveats/b-caveat-only-one-source", "caveats/b-caveat-a-second-thought"} {
		page, err := os.ReadFile(filepath.Join(dir, "public", p, "index.html"))
		if err != nil {
			t.Errorf("%s gone after its words were edited: %v", p, err)
		} else if !strings.Contains(string(page), "Talks are under way") && !strings.Contains(string(page), "thought") && !strings.Contains(string(page), "single source") {
			t.Errorf("%s does not show the edited words", p)
		}
	}
}

// TestIDsKeepFileAsSaved: `ids` writes the ids into the file as it was
// saved, though the build reads its lone CRs as line feeds and its
// forbidden characters as spaces.
func TestIDsKeepFileAsSaved(t *testing.T) {
	files := map[string]string{}
	for k, v := range good {
		files[k] = v
	}
	files["content/briefings/b.md"] = "---\rtitle: B\rdate: 2026-11-24\r---\rBob\vsaid :claim[talks go on]{by=bob src=source}.\r"
	dir := siteDir(t, files)
	if code, stdout, stderr := run(t, "ids", "--src", dir); code != 0 || !strings.Contains(stdout, "wrote 1 id into 1 file") {
		t.Fatalf("ids: exit %d, %q %q", code, stdout, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "content/briefings/b.md"))
	want := "---\rtitle: B\rdate: 2026-11-24\r---\rBob\vsaid :claim[talks go on]{#b-talks-go-on by=bob src=source}.\r"
	if string(data) != want {
		t.Errorf("b.md after ids:\n%q\nwant\n%q", data, want)
	}
}

// TestNewAnyLanguage: a name in another script makes a Latin file name and
// keeps its own words as the title.
func TestNewAnyLanguage(t *testing.T) {
	dir := siteDir(t, good)
	for _, c := range []struct{ kind, name, file, title string }{
		{"briefing", "Переговоры в Халвике", "peregovory-v-khalvike.md", `title: "Переговоры в Халвике"`},
		{"actor", "Zoë Ångström", "zoe-angstrom.md", `name: "Zoë Ångström"`},
	} {
		code, stdout, stderr := run(t, "new", c.kind, c.name, "--src", dir)
		if code != 0 || !strings.Contains(stdout, c.file) {
			t.Fatalf("new %s %q: exit %d, %q %q", c.kind, c.name, code, stdout, stderr)
		}
		data, _ := os.ReadFile(strings.TrimSpace(strings.TrimPrefix(stdout, "created ")))
		if !strings.Contains(string(data), c.title) {
			t.Errorf("%s lacks %s:\n%s", c.file, c.title, data)
		}
	}
}

// TestBuildCacheDir: a build keeps its highlighted code in a folder of
// its own below the user's cache folder, or in --cache-dir, or nowhere
// with --cache-dir=; check keeps none.
func TestBuildCacheDir(t *testing.T) {
	files := maps.Clone(good)
	files["content/briefings/b.md"] += "\n```json\n{\"a\": 1}\n```\n"
	dir := siteDir(t, files)
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	packs := func() []string {
		found, _ := filepath.Glob(filepath.Join(cache, "briefing", "*", "highlight.pack"))
		own, _ := filepath.Glob(filepath.Join(cache, "own", "highlight.pack"))
		return append(found, own...)
	}
	for _, args := range [][]string{{"check"}, {"build", "--cache-dir="}} {
		if code, _, stderr := run(t, append(args, "--src", dir)...); code != 0 {
			t.Fatal(stderr)
		}
		if p := packs(); len(p) > 0 {
			t.Fatalf("%v kept a pack: %v", args, p)
		}
	}
	page := filepath.Join(dir, "public", "briefings", "b", "index.html")
	cold, _ := os.ReadFile(page)
	if code, _, stderr := run(t, "build", "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	if p := packs(); len(p) != 1 || filepath.Base(filepath.Dir(filepath.Dir(p[0]))) != "briefing" {
		t.Fatalf("packs after a build: %v", p)
	}
	// The code taken from the pack is the code highlighted afresh.
	if code, _, stderr := run(t, "build", "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	if warm, _ := os.ReadFile(page); !bytes.Equal(warm, cold) || !bytes.Contains(warm, []byte(`<span class="p">{</span>`)) {
		t.Errorf("the page built with the pack differs:\n%s", warm)
	}
	if code, _, stderr := run(t, "build", "--src", dir, "--cache-dir", filepath.Join(cache, "own")); code != 0 {
		t.Fatal(stderr)
	}
	if p := packs(); len(p) != 2 {
		t.Fatalf("packs after a build with --cache-dir: %v", p)
	}
}

// TestMemoryLimit: the default soft limit leaves a quarter of the memory
// the process may use, and is far above any site's live heap.
func TestMemoryLimit(t *testing.T) {
	total := memTotal()
	if total == 0 {
		t.Skip("no /proc/meminfo here")
	}
	if l := memoryLimit(); l <= 0 || l > total/4*3 {
		t.Errorf("limit %d of %d bytes", l, total)
	}
}

// TestTuneGC: after a collection, GOGC is smallPercent while the live heap
// is below smallHeap and Go's 100 once it is above.
func TestTuneGC(t *testing.T) {
	tuneGC()
	gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	settled := func(want uint64) {
		t.Helper()
		for range 200 {
			runtime.GC()
			runtime.Gosched()
			if metrics.Read(gogc); gogc[0].Value.Uint64() == want {
				return
			}
		}
		t.Fatalf("GOGC is %d, never became %d", gogc[0].Value.Uint64(), want)
	}
	settled(uint64(smallPercent()))
	big := make([]*[1 << 16]byte, (smallHeap+smallHeap/2)>>16)
	for i := range big {
		big[i] = new([1 << 16]byte)
	}
	settled(100)
	runtime.KeepAlive(big)
	big = nil
	settled(uint64(smallPercent()))
}

// TestReleaseHeap: with a small live heap releaseHeap only collects; with
// a large one, and more than two and a half times it taken from the
// system, it sets the memory limit at what was taken (never above the
// limit there was) and GOGC to reuseGC, which tuneGC leaves alone until
// the undo puts both back, or until the live heap passes two thirds of
// the limit.
// A second release while one holds changes nothing, and its undo undoes
// nothing.
func TestReleaseHeap(t *testing.T) {
	tuneGC()
	limitBefore := debug.SetMemoryLimit(-1)
	gcPercent := debug.SetGCPercent(100)
	debug.SetGCPercent(gcPercent)
	t.Cleanup(func() {
		pacing.Lock()
		pacing.reusing = false
		pacing.Unlock()
		debug.SetMemoryLimit(limitBefore)
		debug.SetGCPercent(gcPercent)
	})
	gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	percent := func() uint64 { metrics.Read(gogc); return gogc[0].Value.Uint64() }
	collect := func() {
		for range 3 {
			runtime.GC()
			runtime.Gosched()
		}
	}
	alloc := func(n int) []*[1 << 16]byte {
		b := make([]*[1 << 16]byte, n>>16)
		for i := range b {
			b[i] = new([1 << 16]byte)
		}
		return b
	}
	const high int64 = 1 << 40
	debug.SetMemoryLimit(high)

	collect()
	before := percent()
	undo := releaseHeap()
	if p, l := percent(), debug.SetMemoryLimit(-1); p != before || l != high {
		t.Fatalf("small heap: GOGC %d (was %d), limit %d", p, before, l)
	}
	undo()

	// Live 2×smallHeap, and 4×smallHeap of garbage the release hands back:
	// what was taken is three times what is live.
	big := alloc(2 * smallHeap)
	garbage := alloc(4 * smallHeap)
	runtime.KeepAlive(garbage)
	garbage = nil
	undo = releaseHeap()
	limit := debug.SetMemoryLimit(-1)
	if limit < 5*smallHeap || limit >= high {
		t.Errorf("limit %d MB, want what was taken (at least %d MB) and below the one before", limit>>20, 5*smallHeap>>20)
	}
	if p := percent(); p != reuseGC {
		t.Errorf("GOGC %d, want %d", p, reuseGC)
	}
	// A second release while the first holds, with garbage enough to
	// pace (made after a pretended higher limit, so that the first's
	// limit does not collect it as it is made).
	pacing.Lock()
	first := pacing.limit
	pacing.limit = high
	debug.SetMemoryLimit(high)
	pacing.Unlock()
	garbage = alloc(4 * smallHeap)
	runtime.KeepAlive(garbage)
	garbage = nil
	undo2 := releaseHeap()
	if l, p := debug.SetMemoryLimit(-1), percent(); l != high || p != reuseGC {
		t.Errorf("a second release: limit %d MB, GOGC %d", l>>20, p)
	}
	undo2()
	if l, p := debug.SetMemoryLimit(-1), percent(); l != high || p != reuseGC {
		t.Errorf("the second release's undo: limit %d MB, GOGC %d", l>>20, p)
	}
	pacing.Lock()
	pacing.limit = first
	debug.SetMemoryLimit(first)
	pacing.Unlock()
	// tuneGC's finalizer runs after each collection, and would set
	// smallHeapGC now that the live heap is small again.
	runtime.KeepAlive(big)
	big = nil
	collect()
	if p := percent(); p != reuseGC {
		t.Errorf("GOGC %d after collections, want %d", p, reuseGC)
	}
	undo()
	if l := debug.SetMemoryLimit(-1); l != high {
		t.Errorf("limit %d after the undo, want %d", l, high)
	}
	if p := percent(); p == reuseGC {
		t.Errorf("GOGC still %d after the undo", p)
	}

	// Taken near twice the live heap: the limit would collect more often
	// than GOGC=100.
	big = alloc(2 * smallHeap)
	garbage = alloc(smallHeap / 2)
	runtime.KeepAlive(garbage)
	garbage = nil
	undo = releaseHeap()
	if l, p := debug.SetMemoryLimit(-1), percent(); l != high || p == reuseGC {
		t.Errorf("little garbage: limit %d MB, GOGC %d", l>>20, p)
	}
	undo()

	// Never above the limit there was.
	garbage = alloc(4 * smallHeap)
	runtime.KeepAlive(garbage)
	garbage = nil
	debug.SetMemoryLimit(1 << 20)
	undo = releaseHeap()
	if l := debug.SetMemoryLimit(-1); l != 1<<20 {
		t.Errorf("limit raised from 1 MB to %d", l)
	}
	undo()

	// The live heap past two thirds of the limit ends the pacing.
	garbage = alloc(4 * smallHeap)
	runtime.KeepAlive(garbage)
	garbage = nil
	debug.SetMemoryLimit(high)
	undo = releaseHeap()
	if p := percent(); p != reuseGC {
		t.Fatalf("GOGC %d, want %d", p, reuseGC)
	}
	more := alloc(3 * smallHeap)
	collect()
	if l, p := debug.SetMemoryLimit(-1), percent(); l != high || p == reuseGC {
		t.Errorf("live heap past two thirds of the limit: limit %d MB, GOGC %d", l>>20, p)
	}
	// A release after that one ended is not undone by its undo.
	runtime.KeepAlive(more)
	more = nil
	garbage = alloc(8 * smallHeap)
	runtime.KeepAlive(garbage)
	garbage = nil
	undo2 = releaseHeap()
	limit = debug.SetMemoryLimit(-1)
	undo()
	if l, p := debug.SetMemoryLimit(-1), percent(); l != limit || p != reuseGC {
		t.Errorf("an earlier release's undo: limit %d MB (want %d), GOGC %d", l>>20, limit>>20, p)
	}
	undo2()
	runtime.KeepAlive(big)
	runtime.KeepAlive(more)
}

// TestNewLongTitle: a title too long for a file name gives a shorter
// one, cut after a whole word; the title stays whole.
func TestNewLongTitle(t *testing.T) {
	dir := siteDir(t, good)
	title := strings.Repeat("Negotiators met again in the capital ", 12)
	if code, _, stderr := run(t, "new", "briefing", title, "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "content/briefings/*negotiators-met*.md"))
	if len(names) != 1 {
		t.Fatalf("files: %v", names)
	}
	slug := strings.TrimSuffix(filepath.Base(names[0]), ".md")[len("2026-01-01-"):]
	if full := markup.Slugify(title); len(slug) > maxNewSlug || !strings.HasPrefix(full, slug+"-") {
		t.Errorf("slug %q is not whole words of %q within %d", slug, full, maxNewSlug)
	}
	data, _ := os.ReadFile(names[0])
	if !strings.Contains(string(data), strings.TrimSpace(title)) {
		t.Error("the title was cut too")
	}
	// A date the name starts with stays whole, whatever follows.
	word := strings.Repeat("x", 90)
	if code, _, stderr := run(t, "new", "briefing", "2026-01-01-"+word, "--src", dir); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/briefings/2026-01-01-"+word[:maxNewSlug]+".md")); err != nil {
		t.Error(err)
	}
	for in, want := range map[string]string{"a-b-c": "a-b-c", "abc-defgh": "abc", "abcdefghij": "abcdefgh", "abcdefgh-i": "abcdefgh"} {
		if got := cutSlug(in, 8); got != want {
			t.Errorf("cutSlug(%q, 8) = %q, want %q", in, got, want)
		}
	}
}

// TestNewActorKind: an actor's kind is --kind, else guessed from its
// name, and the file says when it was guessed; --kind is refused for
// anything but an actor, or a kind there is not.
func TestNewActorKind(t *testing.T) {
	dir := siteDir(t, good)
	for _, c := range []struct{ name, flag, kind string }{
		{"Dockworkers Union", "", "organisation"},
		{"Republic of Valdoria", "", "state"},
		{"Free Harbour Front", "", "group"},
		{"UNHCR", "", "organisation"},
		{"НАТО", "", "organisation"},
		{"Ilse Maren", "", "person"},
		{"Министерство обороны", "", "organisation"},
		{"Harbour Council", "person", "person"},
	} {
		args := []string{"new", "actor", c.name, "--src", dir}
		if c.flag != "" {
			args = append(args, "--kind", c.flag)
		}
		code, stdout, stderr := run(t, args...)
		if code != 0 {
			t.Errorf("new actor %q %s: exit %d, %q %q", c.name, c.flag, code, stdout, stderr)
			continue
		}
		data, err := os.ReadFile(strings.TrimSpace(strings.TrimPrefix(stdout, "created ")))
		guessed := strings.Contains(string(data), "(guessed from the name)")
		if err != nil || !strings.Contains(string(data), "\nkind: "+c.kind+"\n") || guessed != (c.flag == "") {
			t.Errorf("new actor %q: %v\n%s", c.name, err, data)
		}
	}
	for _, args := range [][]string{{"new", "actor", "X", "--kind", "states"}, {"new", "source", "Y", "--kind", "state"}} {
		if code, _, stderr := run(t, append(args, "--src", dir)...); code != 2 || !strings.Contains(stderr, "person, organisation, state, group") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

// TestDidYouMean: a command or flag spelt as Hugo spells it, or with a
// slip, is refused with the one meant; what is near nothing gets no guess.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"server"}, `unknown command "server"; did you mean "serve"?`},
		{[]string{"chek"}, `did you mean "check"?`},
		{[]string{"build", "--baseURL", "https://x.org/"}, "--baseURL; did you mean --base-url?"},
		{[]string{"build", "--base_url", "x"}, "did you mean --base-url?"},
		{[]string{"build", "-D"}, "did you mean --drafts?"},
		{[]string{"serve", "--port", "1313"}, "did you mean --addr?"},
		{[]string{"check", "--stirct"}, "did you mean --strict?"},
		{[]string{"build", "--zzz"}, "flag provided but not defined: --zzz\n"},
		{[]string{"zzzzzz"}, `unknown command "zzzzzz"` + "\n"},
	} {
		code, _, stderr := run(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, stderr, tc.want)
		}
	}
}
