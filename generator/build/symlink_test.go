package build_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"briefing/generator/build"

	"golang.org/x/tools/txtar"
)

// TestSymlinkedFolders: content/ and templates/ that are links to folders
// elsewhere, as in a monorepo, are built like folders; a top folder that
// links to nothing is an error, not an empty site.
func TestSymlinkedFolders(t *testing.T) {
	elsewhere := writeSite(t, txtar.Parse([]byte(`-- content/actors/a.md --
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
title: Linked briefing
date: 2026-11-24
---
:claim[x]{by=a src=s}
-- templates/404.html --
{{define "main"}}<p>Linked 404</p>{{end}}
`)))
	src := t.TempDir()
	for _, top := range []string{"content", "templates"} {
		if err := os.Symlink(filepath.Join(elsewhere, top), filepath.Join(src, top)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	pages := map[string]string{}
	var mu sync.Mutex // pages are emitted in parallel
	res := build.Site(build.Options{Src: src, Builtin: builtin, Pages: func(p string, b []byte) error {
		mu.Lock()
		pages[p] = string(b)
		mu.Unlock()
		return nil
	}})
	if res.Failed() || len(res.Diags) > 0 {
		t.Fatal(res.Diags)
	}
	if !strings.Contains(pages["briefings/b/index.html"], "Linked briefing") || !strings.Contains(pages["404.html"], "Linked 404") {
		t.Errorf("linked folders not built: %d pages", len(pages))
	}

	if err := os.Symlink(filepath.Join(src, "nowhere"), filepath.Join(src, "static")); err != nil {
		t.Fatal(err)
	}
	res = build.Site(build.Options{Src: src, Builtin: builtin})
	if !res.Failed() || len(res.Diags) != 1 || res.Diags[0].Path != "static" || !strings.Contains(res.Diags[0].Message, "does not exist") {
		t.Errorf("dangling static/ link: %v", res.Diags)
	}
}
