package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildForce: a non-empty folder a build did not make is refused with
// exit 1 before anything is written, and taken with --force, keeping the
// folder's own files.
func TestBuildForce(t *testing.T) {
	dir := siteDir(t, good)
	out := filepath.Join(t.TempDir(), "www")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "build", "--src", dir, "--out", out)
	if code != 1 || !strings.Contains(stderr, "--force") || !strings.Contains(stdout, "failed") {
		t.Fatalf("exit %d\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Fatalf("refused build wrote %v", entries)
	}
	if code, _, stderr := run(t, "build", "--src", dir, "--out", out, "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if data, err := os.ReadFile(mine); err != nil || string(data) != "mine" {
		t.Errorf("notes.txt: %q %v", data, err)
	}
	// Once the build has its manifest there, --force is no longer needed.
	if code, _, stderr := run(t, "build", "--src", dir, "--out", out); code != 0 {
		t.Errorf("second build: exit %d: %s", code, stderr)
	}
	if code, _, _ := run(t, "check", "--src", dir, "--force"); code != 2 {
		t.Errorf("check --force: exit %d, want 2", code)
	}
}

// TestBuildSymlinkedSrc is the reported loss, word for word: with sl/link
// a symlink to sl/real, `build --src sl/link --out sl/real` deleted the
// site's content/. It must exit 1 and touch nothing.
func TestBuildSymlinkedSrc(t *testing.T) {
	parent := t.TempDir()
	real := filepath.Join(parent, "sl", "real")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(siteDir(t, good), real); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(parent, "sl", "link")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(parent)
	code, _, stderr := run(t, "build", "--src", "sl/link", "--out", "sl/real")
	if code != 1 || !strings.Contains(stderr, "refusing") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(real)
	if len(entries) != 1 || entries[0].Name() != "content" {
		t.Errorf("sl/real holds %v", entries)
	}
	for name := range good {
		if _, err := os.Stat(filepath.Join(real, name)); err != nil {
			t.Error(err)
		}
	}
}

// TestBuildLinkedWorkingFolder: with a working folder reached through a
// link, ".." is the kernel's, not $PWD's: the refusal of an output inside
// the site's content/ holds, and the default public/ is beside the site
// the build read.
func TestBuildLinkedWorkingFolder(t *testing.T) {
	parent := t.TempDir()
	if err := os.MkdirAll(filepath.Join(parent, "real", "work"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(siteDir(t, good), filepath.Join(parent, "real", "site")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(parent, "lex"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(parent, "real", "work"), filepath.Join(parent, "lex", "link")); err != nil {
		t.Fatal(err)
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(args, os.DirFS(repo), &out, &errb)
		return code, out.String(), errb.String()
	}
	t.Chdir(filepath.Join(parent, "lex", "link"))
	t.Setenv("PWD", filepath.Join(parent, "lex", "link")) // as a shell that followed the link sets it
	inside := filepath.Join(parent, "real", "site", "content", "generated")
	if code, _, stderr := run(t, "build", "--src", "../site", "--out", inside); code != 1 || !strings.Contains(stderr, "refusing") {
		t.Errorf("an output inside the site's content/: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "build", "--src", "../site"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(parent, "real", "site", "public", "index.html")); err != nil {
		t.Errorf("public/ is not beside the site read: %v", err)
	}
	if _, err := os.Stat(filepath.Join(parent, "lex", "site")); err == nil {
		t.Error("a build wrote beside the link's lexical parent")
	}
}
