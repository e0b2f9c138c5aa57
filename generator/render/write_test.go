package render

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestManifestRoundTrip: any path, spaces and newlines included, reads
// back as written, and the text does not depend on map order.
func TestManifestRoundTrip(t *testing.T) {
	files := map[string]entry{
		"index.html":            {sumOf([]byte("a")), 1},
		"odd name/\nline.css":   {sumOf([]byte("bc")), 2},
		"claims/é-ü/index.html": {sumOf(nil), 0},
	}
	text := manifestText(linesOf(files))
	got, sum, err := readManifest(bytes.NewReader(text))
	if err != nil || !reflect.DeepEqual(got, files) {
		t.Fatalf("read back %v, %v from\n%s", got, err, text)
	}
	if sum != sumOf(text) {
		t.Error("wrong sum of the text")
	}
	if again := manifestText(linesOf(got)); !bytes.Equal(again, text) {
		t.Errorf("formatted twice differently:\n%s\n%s", text, again)
	}
}

// linesOf is the manifest's lines for files, sorted.
func linesOf(files map[string]entry) []manifestLine {
	var lines []manifestLine
	for _, p := range slices.Sorted(maps.Keys(files)) {
		lines = append(lines, manifestLine{p: p, e: files[p]})
	}
	return lines
}

// manifestText is the text of a manifest listing lines, in their order.
func manifestText(lines []manifestLine) []byte {
	order := make([]int32, len(lines))
	for i := range order {
		order[i] = int32(i)
	}
	return bytes.Join(formatManifest(lines, order, func(l *manifestLine) (entry, bool) { return l.e, true }), nil)
}

// TestManifestLong: a list long enough to be sorted and formatted in
// parts on several cores gives what one core gives: sorted paths, one
// line each, in order, and the sum of its parts is the sum of its text.
func TestManifestLong(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	files := map[string]entry{}
	for len(files) < 40000 {
		// Shared prefixes, as a site's paths have.
		p := fmt.Sprintf("%s/%x/index.html", []string{"claims", "briefings", "a", "claims/x"}[r.IntN(4)], r.Uint64()%50000)
		files[p] = entry{sumOf([]byte(p)), int64(len(p))}
	}
	want := linesOf(files)
	var lines []manifestLine
	for p, e := range files {
		lines = append(lines, manifestLine{p: p, e: e})
	}
	for cores := 1; cores <= 5; cores++ {
		order := make([]int32, len(lines))
		for i := range order {
			order[i] = int32(i)
		}
		sortOn(order, make([]int32, len(order)), cores, func(a, b int32) int { return strings.Compare(lines[a].p, lines[b].p) })
		for i, j := range order {
			if lines[j] != want[i] {
				t.Fatalf("sorted on %d cores: line %d is %q, want %q", cores, i, lines[j].p, want[i].p)
			}
		}
	}
	text := manifestText(want)
	var one []byte
	for _, l := range want {
		one = append(one, manifestText([]manifestLine{l})[len(manifestHeader)+1:]...)
	}
	if !bytes.Equal(text[len(manifestHeader)+1:], one) {
		t.Fatal("formatted in parts, the text differs from its lines formatted one by one")
	}
	got, sum, err := readManifest(bytes.NewReader(text))
	if err != nil || !reflect.DeepEqual(got, files) {
		t.Fatalf("read back %d entries, %v", len(got), err)
	}
	if sum != sumOf(text) {
		t.Error("the sum read differs from the text's")
	}
}

// TestManifestV1: the files a manifest of version 1 (SHA-256 sums) lists
// are still the last build's: one unchanged is kept, compared byte for
// byte, and one this build does not make is removed; the manifest is then
// written in the current version.
func TestManifestV1(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"index.html": "same", "gone/index.html": "old"}
	v1 := manifestHeaderV1 + "\n"
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(files[p]), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(files[p]))
		v1 += fmt.Sprintf("%x %d %q\n", sum, len(files[p]), p)
	}
	if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := OpenOut(dir, "public", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Emit("index.html", []byte("same")); err != nil {
		t.Fatal(err)
	}
	if len(o.staged) != 0 {
		t.Errorf("an unchanged file was staged: %v", o.staged)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone")); !os.IsNotExist(err) {
		t.Errorf("the file the last build wrote and this one did not is still there (%v)", err)
	}
	text, err := os.ReadFile(filepath.Join(dir, Manifest))
	if err != nil || !strings.HasPrefix(string(text), manifestHeader+"\n") || strings.Count(string(text), "\n") != 2 {
		t.Errorf("manifest after the build:\n%s", text)
	}
}

// TestManifestMalformed: a manifest that does not parse stops the build
// before it writes, with a message saying what to do.
func TestManifestMalformed(t *testing.T) {
	for _, text := range []string{
		"",
		"something else\n",
		manifestHeader + "\nabc 1 \"x\"\n",
		manifestHeader + "\n" + strings.Repeat("0", 32) + " 1 x\n",
		manifestHeader + "\n" + strings.Repeat("0", 32) + " one \"x\"\n",
		// A sum of the other version's length.
		manifestHeader + "\n" + strings.Repeat("0", 64) + " 1 \"x\"\n",
		manifestHeaderV1 + "\n" + strings.Repeat("0", 32) + " 1 \"x\"\n",
		// Paths a build never writes: removing them would reach files that
		// are not the build's.
		manifestHeader + "\n" + strings.Repeat("0", 32) + " 1 \"briefings/../mine.txt\"\n",
		manifestHeader + "\n" + strings.Repeat("0", 32) + " 1 \"../outside.txt\"\n",
		manifestHeader + "\n" + strings.Repeat("0", 32) + " 1 \"/etc/passwd\"\n",
		manifestHeaderV1 + "\n" + strings.Repeat("0", 64) + " 1 \"../outside.txt\"\n",
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := OpenOut(dir, "public", false)
		if err == nil {
			o.Abort()
			t.Errorf("%q was accepted", text)
		} else if !strings.Contains(err.Error(), "--force") {
			t.Errorf("%q: %v", text, err)
		}
	}
}

// TestEmitRefusesNames: paths outside the folder and the names the build
// keeps for itself are refused, not written.
func TestEmitRefusesNames(t *testing.T) {
	o, err := OpenOut(t.TempDir(), "public", false)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	for _, p := range []string{"../x", "/etc/x", "a/../../x", Manifest, TempPrefix + "1/2", "a//b"} {
		if err := o.Emit(p, []byte("x")); err == nil {
			t.Errorf("%q was accepted", p)
		}
	}
	if len(o.staged) != 0 {
		t.Errorf("staged %v", o.staged)
	}
}

// TestOneBuildAtATime: a second build into a folder another is writing
// into is refused, rather than removing the first one's staged files.
func TestOneBuildAtATime(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenOut(dir, "public", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Emit("index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if second, err := OpenOut(dir, "public", false); err == nil {
		second.Abort()
		t.Fatal("a second build was let in")
	} else if !strings.Contains(err.Error(), "another build") {
		t.Errorf("second build: %v", err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	third, err := OpenOut(dir, "public", false)
	if err != nil {
		t.Fatalf("after the first build ended: %v", err)
	}
	third.Abort()
}

// TestKilledAfterPendingManifest is a build killed after it listed the
// files it was about to rename, before renaming any: the next build must
// not take a file still holding the old bytes for the new one, nor a file
// edited by hand for the one the build wrote, though their sizes are the
// same and they are older than the manifest.
func TestKilledAfterPendingManifest(t *testing.T) {
	dir := t.TempDir()
	build := func(files map[string]string) *Out {
		t.Helper()
		o, err := OpenOut(dir, "public", false)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range slices.Sorted(maps.Keys(files)) {
			if err := o.Emit(p, []byte(files[p])); err != nil {
				t.Fatal(err)
			}
		}
		return o
	}
	if err := build(map[string]string{"p.html": "aaaa", "q.html": "q", "r.html": "rrrr"}).Commit(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "r.html"), []byte("XXXX"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The pending manifest must be strictly newer than both files.
	st, _ := os.Stat(filepath.Join(dir, "r.html"))
	for {
		time.Sleep(time.Millisecond)
		probe := filepath.Join(t.TempDir(), "probe")
		if err := os.WriteFile(probe, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if now, _ := os.Stat(probe); now.ModTime().After(st.ModTime()) {
			break
		}
	}
	next := map[string]string{"p.html": "bbbb", "n.html": "new", "r.html": "rrrr"}
	killed := build(next)
	if err := killed.writeManifest(true, false); err != nil {
		t.Fatal(err)
	}
	killed.close() // killed: nothing renamed, the staged files left behind
	if err := build(next).Commit(); err != nil {
		t.Fatal(err)
	}
	for p, want := range next {
		if data, err := os.ReadFile(filepath.Join(dir, p)); string(data) != want {
			t.Errorf("%s: %q %v, want %q", p, data, err, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("left: %v", entries)
	}
}

// TestEmitCopiesData: the caller may reuse its buffer as soon as Emit
// returns, as a renderer with pooled buffers does; what is written is
// what the buffer held during the call. Both ways of staging are used: a
// fresh top folder and one the output already holds.
func TestEmitCopiesData(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(manifestHeader+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "held"), 0o755); err != nil {
		t.Fatal(err)
	}
	o, err := OpenOut(dir, "public", false)
	if err != nil {
		t.Fatal(err)
	}
	buf := []byte("first")
	for _, p := range []string{"fresh/a/index.html", "held/a/index.html"} {
		if err := o.Emit(p, buf); err != nil {
			t.Fatal(err)
		}
		copy(buf, "XXXXX")
		buf = []byte("first")
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"fresh/a/index.html", "held/a/index.html"} {
		if data, err := os.ReadFile(filepath.Join(dir, p)); string(data) != "first" {
			t.Errorf("%s: %q %v", p, data, err)
		}
	}
}

// TestFreshFolderTaken: a top folder the output did not hold when the
// build began, but that someone filled before Commit, is not replaced
// whole: the build's files go into it one by one and the other files in
// it stay.
func TestFreshFolderTaken(t *testing.T) {
	dir := t.TempDir()
	o, err := OpenOut(dir, "public", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "claims/a/index.html", "claims/b/index.html"} {
		if err := o.Emit(p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "claims", "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "claims", "a", "mine.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{
		"index.html": "index.html", "claims/a/index.html": "claims/a/index.html",
		"claims/b/index.html": "claims/b/index.html", "claims/a/mine.txt": "mine",
	} {
		if data, err := os.ReadFile(filepath.Join(dir, p)); string(data) != want {
			t.Errorf("%s: %q %v", p, data, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("left: %v", entries)
	}
}

// TestPlantedSymlinks: links planted in the output, at the top and below
// it, to a folder outside, lead no write there, whether the build stages
// the files beside them or anew.
func TestPlantedSymlinks(t *testing.T) {
	outside := t.TempDir()
	for _, fresh := range []bool{false, true} {
		dir := t.TempDir()
		manifest := manifestHeader + "\n"
		if !fresh {
			manifest += strings.Repeat("0", 32) + " 1 \"claims/a/index.html\"\n" + strings.Repeat("0", 32) + " 1 \"briefings/b/index.html\"\n"
		}
		if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		plant := func() {
			if err := os.Symlink(outside, filepath.Join(dir, "claims")); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			if err := os.Mkdir(filepath.Join(dir, "briefings"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, filepath.Join(dir, "briefings", "b")); err != nil {
				t.Fatal(err)
			}
		}
		if !fresh {
			plant()
		}
		o, err := OpenOut(dir, "public", false)
		if err != nil {
			t.Fatal(err)
		}
		if fresh {
			plant() // after the build began: its folders are staged anew
		}
		for _, p := range []string{"claims/a/index.html", "briefings/b/index.html", "claims/index.html"} {
			if err := o.Emit(p, []byte("x")); err != nil {
				t.Fatal(err)
			}
		}
		err = o.Commit()
		t.Logf("fresh=%v: Commit: %v", fresh, err)
		if entries, _ := os.ReadDir(outside); len(entries) > 0 {
			t.Errorf("fresh=%v: written outside: %v (Commit: %v)", fresh, entries, err)
		}
	}
}

// TestFoldersKeptOpen: pages in more folders than Out keeps open (see
// maxFolders), from several goroutines, are all written whole, and no
// folder stays open once the build is committed.
func TestFoldersKeptOpen(t *testing.T) {
	fds := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(ents)
	}
	dir := t.TempDir()
	before := fds()
	o, err := OpenOut(dir, "public", false)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var paths []string
	if o.keep < maxFolders {
		t.Logf("%d folders kept open under this limit of open files", o.keep)
	}
	for i := range 3 * maxFolders {
		for j := range 3 {
			paths = append(paths, fmt.Sprintf("s%d/p/%d/index.html", i, j))
		}
	}
	for w := range 4 {
		wg.Go(func() {
			for k := w; k < len(paths); k += 4 {
				if err := o.Emit(paths[k], []byte(paths[k])); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := o.nfolders.Load(); n == 0 {
		t.Skip("no folder is kept open here (no openat2, or few files allowed)")
	} else if n <= o.keep {
		t.Fatalf("only %d folders opened: the test asks for more than are kept", n)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if data, err := os.ReadFile(filepath.Join(dir, p)); string(data) != p {
			t.Errorf("%s: %q %v", p, data, err)
		}
	}
	if after := fds(); after != before {
		t.Errorf("%d descriptors open before the build, %d after", before, after)
	}
}

// TestKeptFolders: no folder is kept open where few files may be open, as
// none was before, and never more than maxFolders.
func TestKeptFolders(t *testing.T) {
	for _, c := range []struct {
		limit uint64
		want  int32
	}{{0, 0}, {18, 0}, {63, 0}, {80, 1}, {1024, 60}, {1 << 20, maxFolders}} {
		if got := keptFolders(c.limit); got != c.want {
			t.Errorf("under %d open files %d kept, want %d", c.limit, got, c.want)
		}
	}
}

// FuzzAppendQuoted: the manifest quotes a path as strconv.AppendQuote does.
func FuzzAppendQuoted(f *testing.F) {
	for _, s := range []string{"", "claims/a-b/index.html", `a"b`, `a\b`, "a\x7fb", "a\x1fb", "~ !", "é/日本.html", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendQuoted([]byte("x"), s), strconv.AppendQuote([]byte("x"), s); !bytes.Equal(got, want) {
			t.Fatalf("appendQuoted(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestEmitFrom: a file written in pieces lands as Emit would land its
// bytes, fresh or in place of the last build's, and is known to the
// manifest by the same sum, so that the next build with the same bytes
// leaves it alone; a file whose writer fails is not kept.
func TestEmitFrom(t *testing.T) {
	dir := t.TempDir()
	pieces := func(s ...string) func(io.Writer) error {
		return func(w io.Writer) error {
			for _, p := range s {
				if _, err := io.WriteString(w, p); err != nil {
					return err
				}
			}
			return nil
		}
	}
	build := func(files map[string][]string) {
		t.Helper()
		o, err := OpenOut(dir, "public", false)
		if err != nil {
			t.Fatal(err)
		}
		for p, s := range files {
			if err := o.EmitFrom(p, pieces(s...)); err != nil {
				t.Fatal(err)
			}
		}
		if err := o.EmitFrom("failed.json", func(w io.Writer) error {
			_, _ = io.WriteString(w, "half")
			return errors.New("broken")
		}); err == nil || err.Error() != "broken" {
			t.Fatalf("a failing writer: %v", err)
		}
		if err := o.Commit(); err != nil {
			t.Fatal(err)
		}
		for p, s := range files {
			if data, err := os.ReadFile(filepath.Join(dir, p)); string(data) != strings.Join(s, "") {
				t.Errorf("%s: %q %v", p, data, err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "failed.json")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the failed file: %v", err)
		}
	}
	build(map[string][]string{"graph.json": {"{", `"a":1`, "}\n"}, "deep/x.json": {"[]"}})
	f, err := os.Open(filepath.Join(dir, Manifest))
	if err != nil {
		t.Fatal(err)
	}
	man, _, err := readManifest(f)
	f.Close()
	if err != nil || man["graph.json"] != (entry{sum: sumOf([]byte("{\"a\":1}\n")), size: 8}) {
		t.Fatalf("manifest: %v %v", man["graph.json"], err)
	}
	// Again, in place: one file the same, one changed.
	before, _ := os.Stat(filepath.Join(dir, "graph.json"))
	time.Sleep(10 * time.Millisecond)
	build(map[string][]string{"graph.json": {"{\"a\":1}", "\n"}, "deep/x.json": {"[1]"}})
	if after, _ := os.Stat(filepath.Join(dir, "graph.json")); !os.SameFile(before, after) {
		t.Error("an unchanged file was written again")
	}
}
