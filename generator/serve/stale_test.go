package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefing/generator/build"
)

// These are the sequences of saves an attack on serve found in which what
// it served, or said, was not what a fresh build writes.

// TestPatchKeepsDraftWarnings: a prose-only save of a page that refers to
// a claim in a draft kept none of those warnings (the patch makes again
// only its "has no source" ones); the page is updated instead.
func TestPatchKeepsDraftWarnings(t *testing.T) {
	dir := fixture(t)
	const after = "---\ntitle: After\ndate: 2026-11-25\n---\nHe said :claim[no talks]{#none by=lavrov src=remarks contradicts=talks}.\n"
	write(t, dir, "content/briefings/2026-11-25-after.md", after)
	s := newServer(t, dir)
	fresh := func(step string, res *Result) {
		t.Helper()
		want := build.Site(build.Options{Src: dir, Drafts: true, Builtin: builtin})
		if got, want := fmt.Sprint(res.Diags), fmt.Sprint(want.Diags); got != want {
			t.Fatalf("%s: serve said\n%s\na build says\n%s", step, got, want)
		}
	}
	talks := filepath.Join(dir, "content/briefings/2026-11-24-talks.md")
	b, _ := os.ReadFile(talks)
	write(t, dir, "content/briefings/2026-11-24-talks.md", strings.Replace(string(b), "tags:", "draft: true\ntags:", 1))
	fresh("draft", s.Changed([]string{"content/briefings/2026-11-24-talks.md"}))
	write(t, dir, "content/briefings/2026-11-25-after.md", after+"\nMore words.\n")
	res := s.Changed([]string{"content/briefings/2026-11-25-after.md"})
	if !strings.Contains(fmt.Sprint(res.Diags), "draft") {
		t.Errorf("the draft warning went: %v", res.Diags)
	}
	fresh("prose", res)
}

// TestNoHomePage: without content/_index.md the site's language is en in
// a build as in serve (a build wrote lang="", serve lang="en").
func TestNoHomePage(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	if err := os.Remove(filepath.Join(dir, "content/_index.md")); err != nil {
		t.Fatal(err)
	}
	if res := s.Changed([]string{"content/_index.md"}); res.Failed {
		t.Fatal(res.Diags)
	}
	compareWithBuild(t, s, dir, 1)
	mustContain(t, s, "/", `<html lang="en">`)
}

// TestTemplateErrorOutlivesContentSaves: a template that fails when a
// page renders fails every later build, also one for a content save (it
// was taken by the next update, which said 0 errors and served 500s).
func TestTemplateErrorOutlivesContentSaves(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	b, err := os.ReadFile("../../templates/briefing.html")
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "templates/briefing.html", strings.Replace(string(b), "{{.Title}}", "{{.Title}}{{.Nope}}", 1))
	if res := s.Changed([]string{"templates/briefing.html"}); !res.Failed {
		t.Fatal("a template that cannot render built")
	}
	talks := filepath.Join(dir, "content/briefings/2026-11-24-talks.md")
	data, _ := os.ReadFile(talks)
	write(t, dir, "content/briefings/2026-11-24-talks.md", string(data)+"\nMore words.\n")
	res := s.Changed([]string{"content/briefings/2026-11-24-talks.md"})
	if !res.Failed {
		t.Fatalf("a content save took the failing template: %+v", res)
	}
	sameDiags(t, dir, res)
	if _, status := get(t, s, "/briefings/2026-11-24-talks/"); status != 200 {
		t.Errorf("the last good site is gone: %d", status)
	}
	os.Remove(filepath.Join(dir, "templates/briefing.html"))
	if res := s.Changed([]string{"templates/briefing.html"}); res.Failed {
		t.Fatal(res.Diags)
	}
	compareWithBuild(t, s, dir, 3)
}

// TestStaticSavedDuringError: a static file saved while the site had an
// error is served once the error is mended (the update kept the last
// good site's static files).
func TestStaticSavedDuringError(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	talks := filepath.Join(dir, "content/briefings/2026-11-24-talks.md")
	good, _ := os.ReadFile(talks)
	write(t, dir, "content/briefings/2026-11-24-talks.md", string(good)+"\nBy :claim[x]{#zz by=nobody}.\n")
	if res := s.Changed([]string{"content/briefings/2026-11-24-talks.md"}); !res.Failed {
		t.Fatal("an unknown actor built")
	}
	write(t, dir, "static/css/new.css", "body{color:red}")
	if res := s.Changed([]string{"static/css/new.css"}); !res.Failed {
		t.Fatal("the error went with a static file")
	}
	write(t, dir, "content/briefings/2026-11-24-talks.md", string(good))
	if res := s.Changed([]string{"content/briefings/2026-11-24-talks.md"}); res.Failed {
		t.Fatal(res.Diags)
	}
	if body, status := get(t, s, "/css/new.css"); status != 200 || body != "body{color:red}" {
		t.Errorf("static/css/new.css: %d %.60q", status, body)
	}
	compareWithBuild(t, s, dir, 3)
}

// TestStaticFolderIndex: static/about/index.html is served at /about/,
// and /about leads there, as a static host serves what build writes.
func TestStaticFolderIndex(t *testing.T) {
	dir := fixture(t)
	write(t, dir, "static/about/index.html", "<!doctype html><title>About</title>")
	s := newServer(t, dir)
	if body, status := get(t, s, "/about/"); status != 200 || !strings.Contains(body, "<title>About</title>") {
		t.Errorf("/about/: %d %.80q", status, body)
	}
	if _, status := get(t, s, "/about"); status != 301 {
		t.Errorf("/about: %d, want a redirect to /about/", status)
	}
}
