package build_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"briefing/generator/build"
	"briefing/generator/corpus"

	"golang.org/x/tools/txtar"
)

// TestValidHTML builds the sample site (at the domain root and under a sub
// path, with drafts), a generated corpus and a site of edge cases, and runs
// the Nu HTML Checker over every page: a template or Markdown rendering that
// writes invalid HTML fails it. It needs Java and vnu.jar (BRIEFING_VNU,
// installed by .ci/run); it skips without them, unless
// BRIEFING_BROWSER_TESTS=required, as in CI.
func TestValidHTML(t *testing.T) {
	jar := os.Getenv("BRIEFING_VNU")
	java, err := exec.LookPath("java")
	if jar == "" || err != nil {
		if os.Getenv("BRIEFING_BROWSER_TESTS") == "required" {
			t.Fatal("BRIEFING_VNU and java are required: .ci/run installs vnu-jar")
		}
		t.Skip("set BRIEFING_VNU to vnu.jar (and install java) to check the HTML")
	}
	root := t.TempDir()
	corp := filepath.Join(root, "corpus")
	if err := corpus.Write(corp, 12, 8); err != nil {
		t.Fatal(err)
	}
	// Pages with the optional fields missing: a claim with no source, a
	// caveat, an actor with no role. (A briefing without a date, whose
	// <time> had nothing machine-readable to say, is an error now.)
	edge := writeSite(t, txtar.Parse([]byte(`-- content/_index.md --
---
title: Edge cases
---
A site of pages with missing fields.
-- content/briefings/undated.md --
---
title: Sparse
date: 2026-11-20
---
:claim[It happened]{#it by=someone} and [[someone]] says so.

:::caveat{on=it}
Not confirmed.
:::
-- content/actors/someone.md --
---
name: Someone
kind: person
---
`)))
	builds := []struct {
		name string
		opts build.Options
	}{
		{"sample", build.Options{Src: "../.."}},
		{"sample-sub", build.Options{Src: "../..", BaseURL: "https://example.org/sub/path/", Drafts: true}},
		{"corpus", build.Options{Src: corp}},
		{"edge", build.Options{Src: edge}},
	}
	var dirs []string
	for _, b := range builds {
		out := filepath.Join(root, "out", b.name)
		b.opts.Builtin = builtin
		res := build.ToDir(b.opts, out)
		if res.Failed() {
			t.Fatalf("%s: build failed: %v", b.name, res.Diags)
		}
		dirs = append(dirs, out)
	}
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--skip-non-html"}, dirs...)...)
	out, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("the Nu HTML Checker found errors (%v):\n%s", err, strings.ReplaceAll(string(out), root, ""))
	}
}
