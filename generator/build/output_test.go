package build_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefing/generator/build"
	"briefing/generator/render"

	"golang.org/x/tools/txtar"
)

// smallSite has two briefings, so that one can change or go.
const smallSite = `-- content/actors/a.md --
---
name: A
kind: person
---
-- content/sources/s.md --
---
title: S
reliability: B
---
-- content/briefings/b.md --
---
title: B
date: 2026-11-24
---
[[a]] said :claim[words]{by=a src=s}.
-- content/briefings/c.md --
---
title: C
date: 2026-11-23
tags: [ports]
---
[[a]] said :claim[other words]{by=a src=s}.
`

func buildTo(t *testing.T, src, out string, force bool) *build.Result {
	t.Helper()
	return build.ToDir(build.Options{Src: src, Builtin: builtin, Force: force}, out)
}

func mustBuild(t *testing.T, src, out string) {
	t.Helper()
	if res := buildTo(t, src, out, false); res.Failed() {
		t.Fatal(res.Diags)
	}
}

func write(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// stamp is what shows that a file was written: its inode and times.
type stamp struct {
	ino          uint64
	mtime, ctime int64
}

// stamps lists every file and folder below dir, dir included ("."), with
// its stamp.
func stamps(t *testing.T, dir string) map[string]stamp {
	t.Helper()
	out := map[string]stamp{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = stamp{st.Ino, st.Mtim.Nano(), st.Ctim.Nano()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tick waits until the file-system clock has moved on, so that a file
// written next cannot carry the same times as one written before.
func tick(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, "..tick")
	write(t, p, "")
	st, _ := os.Stat(p)
	for {
		time.Sleep(time.Millisecond)
		if err := os.Chtimes(p, time.Time{}, time.Now()); err != nil {
			t.Fatal(err)
		}
		now, _ := os.Stat(p)
		if now.ModTime().After(st.ModTime()) {
			break
		}
	}
	os.Remove(p)
}

// TestOutputSymlinkedSite is the reported loss: --src sl/link --out sl/real,
// where link is a symlink to real, must be refused and leave the site's
// folders alone; so must an output that does not exist yet below a
// symlink into the site.
func TestOutputSymlinkedSite(t *testing.T) {
	sl := t.TempDir()
	real := filepath.Join(sl, "real")
	if err := os.Rename(writeSite(t, txtar.Parse([]byte(smallSite))), real); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(sl, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "content"), filepath.Join(sl, "words")); err != nil {
		t.Fatal(err)
	}
	before := tree(t, real)
	for _, tc := range []struct{ src, out string }{
		{filepath.Join(sl, "link"), real},
		{real, filepath.Join(sl, "link")},
		{filepath.Join(sl, "link"), filepath.Join(sl, "link", "content")},
		{real, filepath.Join(sl, "words", "new", "public")},
		{real, filepath.Join(sl, "link", "templates")},
		{real, filepath.Dir(real)},
	} {
		res := buildTo(t, tc.src, tc.out, true)
		if !res.Failed() || !strings.Contains(res.Diags[0].Message, "refusing") {
			t.Errorf("--src %s --out %s: %v", tc.src, tc.out, res.Diags)
		}
	}
	after := tree(t, real)
	if len(after) != len(before) {
		t.Errorf("site had %d files, now %d", len(before), len(after))
	}
	for p, data := range before {
		if !bytes.Equal(after[p], data) {
			t.Errorf("%s changed", p)
		}
	}
	if _, err := os.Stat(filepath.Join(real, "content", "new")); !os.IsNotExist(err) {
		t.Errorf("a refused build made a folder: %v", err)
	}
	// A content/ that is a symlink to a folder elsewhere: an output that
	// holds that folder is refused too.
	words := t.TempDir()
	moved := writeSite(t, txtar.Parse([]byte(smallSite)))
	if err := os.Rename(filepath.Join(moved, "content"), filepath.Join(words, "content")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(words, "content"), filepath.Join(moved, "content")); err != nil {
		t.Fatal(err)
	}
	if res := buildTo(t, moved, words, true); !res.Failed() || !strings.Contains(res.Diags[0].Message, "content/") {
		t.Errorf("--out holding the symlinked content/: %v", res.Diags)
	}
	// Through the symlink, into the site's own public/, is fine.
	mustBuild(t, filepath.Join(sl, "link"), filepath.Join(sl, "link", "public"))
	if _, err := os.Stat(filepath.Join(real, "public", "index.html")); err != nil {
		t.Error(err)
	}
}

// TestOutputIsFile: --out naming a file is refused and the file kept.
func TestOutputIsFile(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	notes := filepath.Join(t.TempDir(), "notes.txt")
	write(t, notes, "my notes")
	for _, force := range []bool{false, true} {
		res := buildTo(t, src, notes, force)
		if !res.Failed() || !strings.Contains(res.Diags[0].Message, "is a file") {
			t.Errorf("force=%v: %v", force, res.Diags)
		}
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "my notes" {
		t.Errorf("notes.txt: %q %v", data, err)
	}
}

// TestOutputDanglingLink: --out naming a link to nothing, or one of links
// in a circle, says so; it had said "mkdir …: file exists".
func TestOutputDanglingLink(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	dir := t.TempDir()
	nowhere := filepath.Join(dir, "mounted", "site")
	for _, l := range [][2]string{{nowhere, "public"}, {"b", "a"}, {"a", "b"}} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Skip(err)
		}
	}
	for out, want := range map[string]string{
		"public":   "is a symbolic link to " + nowhere + ", which does not exist",
		"public/x": "is a symbolic link to " + nowhere + ", which does not exist",
		"a":        "symbolic links in a circle",
	} {
		res := buildTo(t, src, filepath.Join(dir, out), false)
		if !res.Failed() || !strings.Contains(res.Diags[0].Message, want) {
			t.Errorf("--out %s: %v, want %q", out, res.Diags, want)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "mounted")); err == nil {
		t.Error("the link's target was made")
	}
}

// TestOutputForeignFolder: a non-empty folder without a manifest is refused
// untouched, and with --force built into, its own files kept, also by the
// builds after.
func TestOutputForeignFolder(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "www")
	write(t, filepath.Join(out, "humans.txt"), "Team: us\n")
	write(t, filepath.Join(out, "briefings", "old.html"), "old")
	before := stamps(t, out)
	res := buildTo(t, src, out, false)
	if !res.Failed() || !strings.Contains(res.Diags[0].Message, "--force") || len(res.Diags) != 1 {
		t.Fatalf("foreign folder: %v", res.Diags)
	}
	if after := stamps(t, out); len(after) != len(before) || after["."] != before["."] {
		t.Fatalf("refused build changed the folder: %v", after)
	}
	if res := buildTo(t, src, out, true); res.Failed() {
		t.Fatal(res.Diags)
	}
	// Remove a briefing: its pages go, the folder's own files stay.
	if err := os.Remove(filepath.Join(src, "content/briefings/c.md")); err != nil {
		t.Fatal(err)
	}
	mustBuild(t, src, out)
	got := tree(t, out)
	if string(got["humans.txt"]) != "Team: us\n" || string(got["briefings/old.html"]) != "old" {
		t.Errorf("the folder's own files were not kept: %q %q", got["humans.txt"], got["briefings/old.html"])
	}
	if _, ok := got["briefings/c/index.html"]; ok {
		t.Error("briefings/c/index.html was not removed")
	}
	if _, ok := got[render.Manifest]; !ok {
		t.Error("no manifest")
	}
}

// TestOutputModes: files 0644 and folders 0755 less the umask, the output
// folder itself included.
func TestOutputModes(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	for _, tc := range []struct{ umask, file, dir fs.FileMode }{{0o022, 0o644, 0o755}, {0o027, 0o640, 0o750}} {
		old := syscall.Umask(int(tc.umask))
		out := filepath.Join(t.TempDir(), "new", "public")
		mustBuild(t, src, out)
		syscall.Umask(old)
		n := 0
		err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, _ := d.Info()
			want := tc.file
			if d.IsDir() {
				want = tc.dir
			}
			if info.Mode().Perm() != want {
				t.Errorf("umask %03o: %s is %v, want %v", tc.umask, p, info.Mode().Perm(), want)
			}
			n++
			return nil
		})
		if err != nil || n < 20 {
			t.Fatalf("walked %d: %v", n, err)
		}
	}
}

// TestOutputUnchangedWritesNothing: a second build of the same content
// leaves every file and folder as it was: same inode, same times.
func TestOutputUnchangedWritesNothing(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, out)
	tick(t, out)
	before := stamps(t, out)
	mustBuild(t, src, out)
	after := stamps(t, out)
	if len(before) != len(after) {
		t.Errorf("%d entries, then %d", len(before), len(after))
	}
	for p, s := range before {
		if after[p] != s {
			t.Errorf("%s was written: %v, then %v", p, s, after[p])
		}
	}
}

// TestOutputOneChange: changing one briefing's prose rewrites exactly the
// files whose bytes changed, and no others.
func TestOutputOneChange(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, out)
	tick(t, out)
	oldFiles, oldStamps := tree(t, out), stamps(t, out)
	write(t, filepath.Join(src, "content/briefings/c.md"), "---\ntitle: C\ndate: 2026-11-23\ntags: [ports]\n---\n[[a]] said :claim[other words]{by=a src=s}, again.\n")
	mustBuild(t, src, out)
	newFiles, newStamps := tree(t, out), stamps(t, out)
	changed := 0
	for p, data := range newFiles {
		differs := !bytes.Equal(oldFiles[p], data)
		written := newStamps[p] != oldStamps[p]
		if differs != written {
			t.Errorf("%s: bytes changed %v, written %v", p, differs, written)
		}
		if differs && p != render.Manifest {
			changed++
		}
	}
	if bytes.Equal(oldFiles["briefings/c/index.html"], newFiles["briefings/c/index.html"]) {
		t.Error("briefings/c/index.html did not change")
	}
	if changed == 0 || changed > len(newFiles)/2 {
		t.Errorf("%d of %d files changed", changed, len(newFiles))
	}
}

// TestOutputStaleRemoved: pages that no longer exist are removed with the
// folders they leave empty; a file the user put there stays, and so does
// the folder holding it.
func TestOutputStaleRemoved(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, out)
	write(t, filepath.Join(out, "mine.txt"), "mine")
	write(t, filepath.Join(out, "tags", "ports", "mine.txt"), "mine too")
	if err := os.Remove(filepath.Join(src, "content/briefings/c.md")); err != nil {
		t.Fatal(err)
	}
	mustBuild(t, src, out)
	for _, p := range []string{"briefings/c", "claims/c-other-words"} {
		if _, err := os.Stat(filepath.Join(out, p)); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	got := tree(t, out)
	if string(got["mine.txt"]) != "mine" || string(got["tags/ports/mine.txt"]) != "mine too" {
		t.Errorf("the user's files were removed")
	}
	if _, ok := got["tags/ports/index.html"]; ok {
		t.Error("tags/ports/index.html is still there")
	}
	fresh := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, fresh)
	want := tree(t, fresh)
	delete(got, "mine.txt")
	delete(got, "tags/ports/mine.txt")
	sameTree(t, got, want)
}

// sameTree compares two trees of files.
func sameTree(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	for p, data := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s is missing", p)
		} else if !bytes.Equal(g, data) {
			t.Errorf("%s differs", p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s should not be there", p)
		}
	}
}

// TestOutputFailedBuild: a build that fails after rendering and staging
// pages (a template that fails on one kind of page only) leaves the output
// exactly as it was, and an output that did not exist does not exist.
func TestOutputFailedBuild(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, out)
	tick(t, out)
	before, beforeStamps := tree(t, out), stamps(t, out)
	write(t, filepath.Join(src, "content/briefings/c.md"), "---\ntitle: C changed\ndate: 2026-11-23\ntags: [ports]\n---\nNew words.\n")
	write(t, filepath.Join(src, "templates/tag.html"), `{{define "main"}}{{.Tag.Nope}}{{end}}`)
	if res := buildTo(t, src, out, false); !res.Failed() {
		t.Fatal("the build with a broken template succeeded")
	}
	sameTree(t, tree(t, out), before)
	after := stamps(t, out)
	// The output folder's own times do change: pages were staged in it.
	for p, s := range beforeStamps {
		if after[p] != s && p != "." {
			t.Errorf("%s was touched", p)
		}
	}
	fresh := filepath.Join(t.TempDir(), "fresh", "public")
	if res := buildTo(t, src, fresh, false); !res.Failed() {
		t.Fatal("the build with a broken template succeeded")
	}
	if _, err := os.Stat(filepath.Dir(fresh)); !os.IsNotExist(err) {
		t.Errorf("a failed build left %s: %v", filepath.Dir(fresh), err)
	}
}

// TestOutputWriteError: a page whose path is blocked (a file of the user's
// stands where its folder goes) is one error naming that path and the
// system's reason, not one per page, and nothing is written.
func TestOutputWriteError(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	write(t, filepath.Join(out, "claims"), "not a folder")
	before := stamps(t, out)
	res := buildTo(t, src, out, true)
	if !res.Failed() || len(res.Diags) != 1 {
		t.Fatalf("want one error, got %v", res.Diags)
	}
	d := res.Diags[0]
	if !strings.HasPrefix(d.Path, filepath.Join(out, "claims")+string(filepath.Separator)) || !strings.Contains(d.Message, "not a directory") {
		t.Errorf("error %q names the wrong path or reason", d)
	}
	after := stamps(t, out)
	if len(after) != len(before) || after["claims"] != before["claims"] {
		t.Errorf("the failed build changed the folder: %v", after)
	}
}

// TestOutputTemporaryFilesRemoved: temporary files a killed build left are
// removed by the next build; nothing else of the kind stays behind.
func TestOutputTemporaryFilesRemoved(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	write(t, filepath.Join(out, render.TempPrefix+"abc", "17"), "half a pa")
	write(t, filepath.Join(out, render.TempPrefix+"manifest-xyz"), "briefing manifest 1\n")
	mustBuild(t, src, out)
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), render.TempPrefix) {
			t.Errorf("%s is still there", e.Name())
		}
	}
	parent, _ := os.ReadDir(filepath.Dir(out))
	if len(parent) != 1 {
		t.Errorf("beside the output: %v", parent)
	}
}

// TestOutputFileBecomesFolder: a static file of the last build that now
// must be a folder (and back) is replaced.
func TestOutputFileBecomesFolder(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	write(t, filepath.Join(src, "static/extra"), "a file")
	mustBuild(t, src, out)
	os.Remove(filepath.Join(src, "static/extra"))
	write(t, filepath.Join(src, "static/extra/x.css"), "now a folder")
	mustBuild(t, src, out)
	if data, _ := os.ReadFile(filepath.Join(out, "extra/x.css")); string(data) != "now a folder" {
		t.Errorf("extra/x.css: %q", data)
	}
	os.RemoveAll(filepath.Join(src, "static/extra"))
	write(t, filepath.Join(src, "static/extra"), "a file again")
	mustBuild(t, src, out)
	if data, _ := os.ReadFile(filepath.Join(out, "extra")); string(data) != "a file again" {
		t.Errorf("extra: %q", data)
	}
}

// TestOutputEditedFileRestored: a built file changed by hand since the
// last build is written again, even at the same size and with its old
// modification time put back; one rewritten with the same bytes is not.
func TestOutputEditedFileRestored(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, out)
	want := tree(t, out)
	page := filepath.Join(out, "briefings/b/index.html")
	same := filepath.Join(out, "briefings/c/index.html")
	st, _ := os.Stat(page)
	edited := bytes.Replace(want["briefings/b/index.html"], []byte("<html"), []byte("<HTML"), 1)
	if err := os.WriteFile(page, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(page, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(same, want["briefings/c/index.html"], 0o644); err != nil {
		t.Fatal(err)
	}
	tick(t, out)
	before := stamps(t, out)
	mustBuild(t, src, out)
	sameTree(t, tree(t, out), want)
	if after := stamps(t, out); after["briefings/c/index.html"] != before["briefings/c/index.html"] {
		t.Error("a file holding the right bytes was written again")
	}
}

// TestOutputDiskFull is the reported full disk: one error naming the file
// and the system's reason, not one per page blamed on a template, and the
// output as it was. It needs a small file system of its own, so it runs
// only where it may mount one (as root on Linux).
func TestOutputDiskFull(t *testing.T) {
	disk := t.TempDir()
	if err := syscall.Mount("tmpfs", disk, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("cannot mount a small file system: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(disk, 0) })
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(disk, "public")
	mustBuild(t, src, out)
	before := tree(t, out)
	fill, err := os.Create(filepath.Join(disk, "fill"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<16)
	for err == nil {
		_, err = fill.Write(chunk)
	}
	fill.Close()
	// A new site title changes every page.
	write(t, filepath.Join(src, "content/_index.md"), "---\ntitle: Another title\n---\n")
	res := buildTo(t, src, out, false)
	if !res.Failed() || len(res.Diags) != 1 {
		t.Fatalf("want one error, got %v", res.Diags)
	}
	if d := res.Diags[0]; !strings.HasPrefix(d.Path, out) || !strings.Contains(d.Message, "no space left on device") {
		t.Errorf("error %q names the wrong path or reason", d)
	}
	sameTree(t, tree(t, out), before)
}

// TestOutputUsersFileKept: a file the last build did not write is the
// user's; a build that now has a page or static file at that path refuses
// to replace it (and so, later, to remove it), unless --force.
func TestOutputUsersFileKept(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, out)
	write(t, filepath.Join(out, "humans.txt"), "Team: mine\n")
	write(t, filepath.Join(src, "static", "humans.txt"), "Team: site\n")
	res := buildTo(t, src, out, false)
	if !res.Failed() || !strings.Contains(fmt.Sprint(res.Diags), "humans.txt") {
		t.Fatalf("the user's humans.txt was not defended: %v", res.Diags)
	}
	if got := tree(t, out)["humans.txt"]; string(got) != "Team: mine\n" {
		t.Fatalf("humans.txt is now %q", got)
	}
	if res := buildTo(t, src, out, true); res.Failed() {
		t.Fatalf("--force: %v", res.Diags)
	}
	if got := tree(t, out)["humans.txt"]; string(got) != "Team: site\n" {
		t.Errorf("with --force, humans.txt is %q", got)
	}
}

// TestOutputEmptyFolderOfKilledBuild: a build killed after removing a
// stale page but before its folder leaves the folder empty; the next
// build removes it.
func TestOutputEmptyFolderOfKilledBuild(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(smallSite)))
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, src, out)
	if err := os.Remove(filepath.Join(src, "content/briefings/c.md")); err != nil {
		t.Fatal(err)
	}
	// What the killed build had done: the file gone, its folder not.
	if err := os.Remove(filepath.Join(out, "briefings", "c", "index.html")); err != nil {
		t.Fatal(err)
	}
	mustBuild(t, src, out)
	if _, err := os.Stat(filepath.Join(out, "briefings", "c")); !os.IsNotExist(err) {
		t.Errorf("briefings/c is still there: %v", err)
	}
}
