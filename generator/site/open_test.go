package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

func put(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

func load(t *testing.T, src string) *Files {
	t.Helper()
	fsys, err := OpenFS(src)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	files, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestOpenFSFollowsTopLinks: content/ and templates/ linked in from
// elsewhere, as monorepos do, are read; links below them are not.
func TestOpenFSFollowsTopLinks(t *testing.T) {
	elsewhere, src := t.TempDir(), t.TempDir()
	put(t, elsewhere, "content/briefings/b.md", "b")
	put(t, elsewhere, "content/briefings/sub/c.md", "c")
	put(t, elsewhere, "templates/home.html", "home")
	put(t, elsewhere, "secret.md", "secret")
	put(t, src, "static/site.css", "css")
	link(t, filepath.Join(elsewhere, "content"), filepath.Join(src, "content"))
	link(t, "../"+filepath.Base(elsewhere)+"/templates", filepath.Join(src, "templates")) // relative
	link(t, filepath.Join(elsewhere, "secret.md"), filepath.Join(elsewhere, "content/briefings/inner.md"))

	files := load(t, src)
	var got []string
	for _, f := range files.Content {
		got = append(got, f.Path+"="+string(f.Data))
	}
	if strings.Join(got, " ") != "content/briefings/b.md=b content/briefings/sub/c.md=c" {
		t.Errorf("content = %v", got)
	}
	if string(files.Templates["home.html"]) != "home" || string(files.Static["site.css"]) != "css" {
		t.Errorf("templates = %v, static = %v", files.Templates, files.Static)
	}
	if len(files.Diags) != 1 || files.Diags[0].Path != "content/briefings/inner.md" ||
		files.Diags[0].Message != "symbolic links are not followed" {
		t.Errorf("diags = %v", files.Diags)
	}

	// The link inside, asked for by name (as serve does on an event), is
	// refused too.
	fsys, err := OpenFS(src)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	fs, diags, err := LoadPath(fsys, "content/briefings/inner.md")
	if err != nil || len(fs) != 0 || len(diags) != 1 {
		t.Errorf("LoadPath of an inner link = %v, %v, %v", fs, diags, err)
	}
	// Nothing but the three folders is there, and nothing leads out.
	for _, name := range []string{".", "secret.md", "content/../secret.md", "content/briefings/inner.md/x", "public"} {
		if _, err := fsys.ReadFile(name); err == nil {
			t.Errorf("read %s", name)
		}
	}
}

// TestOpenFSBrokenTopLinks: a top folder that is a link to nothing or to a
// file, or a file, is an error where it is, not an empty folder.
func TestOpenFSBrokenTopLinks(t *testing.T) {
	src := t.TempDir()
	put(t, src, "file.txt", "x")
	link(t, filepath.Join(src, "nowhere"), filepath.Join(src, "content"))
	link(t, "file.txt", filepath.Join(src, "templates"))
	put(t, src, "static", "not a folder")

	files := load(t, src)
	var got []string
	for _, d := range files.Diags {
		got = append(got, d.String())
	}
	want := []string{
		"content: error: content/ is a symbolic link to " + filepath.Join(src, "nowhere") + ", which does not exist",
		"templates: error: templates/ is a symbolic link to file.txt, which is a file, not a folder",
		"static: error: static is a file, not a folder",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diags:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A runaway content file is one error, not the machine's memory.
func TestLoadTooLarge(t *testing.T) {
	fsys := fstest.MapFS{
		"content/briefings/huge.md": {Data: bytes.Repeat([]byte("words "), MaxContentFile/6+1)},
		"content/briefings/ok.md":   {Data: []byte("---\ntitle: OK\n---\n")},
		"static/big.bin":            {Data: make([]byte, MaxContentFile+1)},
	}
	files, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(files.Content) != 1 || files.Content[0].Path != "content/briefings/ok.md" {
		t.Errorf("content read: %v", files.Content)
	}
	if len(files.Diags) != 1 || files.Diags[0].Path != "content/briefings/huge.md" || !strings.Contains(files.Diags[0].Message, "at most 8 MB") {
		t.Errorf("diagnostics: %v", files.Diags)
	}
	if len(files.Static["big.bin"]) != MaxContentFile+1 {
		t.Error("a large static file was not read")
	}
}

// A pipe where a template or page would be is named, not skipped in
// silence (the built-in template would quietly stand in for it).
func TestLoadNonRegular(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "templates", "base.html"), 0o644); err != nil {
		t.Skip("no fifos here:", err)
	}
	fsys, err := OpenFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	files, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(files.Diags) != 1 || files.Diags[0].Path != "templates/base.html" {
		t.Errorf("diagnostics: %v", files.Diags)
	}
}
