package beneath

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestReadFile: a file below the folder reads as os.ReadFile reads it,
// whatever its size; a folder, a link and a way out are refused.
func TestReadFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("openat2 is Linux's")
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"empty.md":          {},
		"a/b/small.md":      []byte("---\ntitle: x\n---\nbody\n"),
		"a/large.md":        bytes.Repeat([]byte("word "), 300_000),
		"a/b/c/d/deep.md":   []byte("deep"),
		"é/ünïcode name.md": []byte("named"),
	}
	for p, data := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a/b/small.md", filepath.Join(dir, "link.md")); err != nil {
		t.Fatal(err)
	}
	d, err := os.Open(filepath.Join(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	top, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer top.Close()
	for p, want := range files {
		got, err := ReadFile(int(top.Fd()), p)
		if errors.Is(err, errors.ErrUnsupported) {
			t.Skip("openat2 refused here")
		}
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes, %v; want %d", p, len(got), err, len(want))
		}
	}
	for _, p := range []string{"b", "../empty.md", "/etc/hostname", "missing.md"} {
		if b, err := ReadFile(int(d.Fd()), p); err == nil {
			t.Errorf("%s below a/: read %q", p, b)
		}
	}
	if _, err := ReadFile(int(top.Fd()), "link.md"); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("a link: %v, want ELOOP", err)
	}
	if _, err := ReadFile(int(top.Fd()), "a"); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("a folder: %v, want ErrUnsupported", err)
	}
	if _, err := ReadFile(int(top.Fd()), strings.Repeat("x/", 3)+"\x00"); err == nil {
		t.Error("a name with NUL read")
	}
}

// TestTempFile: an unnamed file reads back what was written to it and
// leaves its folder as it was, entries and times.
func TestTempFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("O_TMPFILE is Linux's")
	}
	dir := t.TempDir()
	before, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := TempFile(dir)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip("no unnamed files on this file system")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte("rendered body"), 100); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 13)
	if _, err := f.ReadAt(got, 100); err != nil || string(got) != "rendered body" {
		t.Fatalf("read back %q, %v", got, err)
	}
	entries, _ := os.ReadDir(dir)
	after, _ := os.Stat(dir)
	if len(entries) != 0 || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the folder changed: %d entries, modified %v then %v", len(entries), before.ModTime(), after.ModTime())
	}
	if _, err := TempFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("an unnamed file in a folder that is not there")
	}
}
