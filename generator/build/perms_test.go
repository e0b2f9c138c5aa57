package build_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestOutputFolderNotWritable runs the real binary as an unprivileged
// user (root may write anywhere): a folder of the output made read-only
// fails the build before any file changes, not halfway; a stale file
// that cannot be removed is an error, stays in the manifest, and goes
// once it can.
func TestOutputFolderNotWritable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv, to run the build as nobody")
	}
	tmp, err := os.MkdirTemp("", "perms")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t, tmp)
	src := filepath.Join(tmp, "site")
	for _, f := range txtar.Parse([]byte(smallSite)).Files {
		write(t, filepath.Join(src, filepath.FromSlash(f.Name)), string(f.Data))
	}
	out := filepath.Join(tmp, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(out, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	build := func() (int, string) {
		c := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin, "build", "--src", src, "--out", out)
		b, _ := c.CombinedOutput()
		return c.ProcessState.ExitCode(), string(b)
	}
	if code, msg := build(); code != 0 {
		t.Fatalf("first build: exit %d\n%s", code, msg)
	}

	// Every page changes (the site's title), a page is added (so the
	// manifest would list it before it appears), and claims/ is
	// read-only: nothing changes, the manifest included.
	write(t, filepath.Join(src, "content", "_index.md"), "---\ntitle: Renamed\n---\n")
	write(t, filepath.Join(src, "content", "briefings", "added.md"), "---\ntitle: Added\ndate: 2026-11-20\n---\nNew.\n")
	before := tree(t, out)
	if err := os.Chmod(filepath.Join(out, "claims"), 0o555); err != nil {
		t.Fatal(err)
	}
	code, msg := build()
	if code != 1 || !strings.Contains(msg, "claims") {
		t.Errorf("read-only claims/: exit %d\n%s", code, msg)
	}
	sameTree(t, tree(t, out), before)
	if err := os.Chmod(filepath.Join(out, "claims"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, msg := build(); code != 0 {
		t.Fatalf("writable again: exit %d\n%s", code, msg)
	}

	// A page goes, but its folder is read-only.
	if err := os.Remove(filepath.Join(src, "content", "briefings", "c.md")); err != nil {
		t.Fatal(err)
	}
	stuck := filepath.Join(out, "briefings", "c")
	if err := os.Chmod(stuck, 0o555); err != nil {
		t.Fatal(err)
	}
	if code, msg := build(); code != 1 || !strings.Contains(msg, "cannot remove") {
		t.Errorf("stale file that cannot go: exit %d\n%s", code, msg)
	}
	if m, _ := os.ReadFile(filepath.Join(out, ".briefing-manifest")); !strings.Contains(string(m), "briefings/c/index.html") {
		t.Error("the stale file left the manifest while still there")
	}
	if err := os.Chmod(stuck, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, msg := build(); code != 0 {
		t.Fatalf("removable again: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(stuck); !os.IsNotExist(err) {
		t.Errorf("briefings/c is still there: %v", err)
	}
}
