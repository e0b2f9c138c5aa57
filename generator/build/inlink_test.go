package build_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefing/generator/build"
	"golang.org/x/tools/txtar"
)

const inLinkSite = `
-- content/actors/a.md --
---
name: A
kind: person
---
-- content/sources/s.md --
---
title: S
reliability: B
---
-- content/briefings/one.md --
---
title: One
date: 2026-11-20
---
:claim[First]{#c by=a src=s}

[x [[a]] y](https://example.org/) and [see [[source:s]] here](https://example.org/)
`

// TestNoLinkInLinkAsBuilt: a wikilink among a Markdown link's words is
// warned about as "shown as plain words", and so it is in the page as
// built, where bodies are rendered with holes for the site's links (the
// markup's own tests render without them): no <a> is inside another. An
// inline caveat there, whose label is a link, is an error.
func TestNoLinkInLinkAsBuilt(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(inLinkSite)))
	out := t.TempDir()
	res := build.ToDir(build.Options{Src: src, Builtin: builtin}, out)
	if errs, warns := res.Diags.Count(); errs > 0 || warns != 2 {
		t.Fatal(res.Diags)
	}
	page, err := os.ReadFile(filepath.Join(out, "briefings", "one", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{"x ", "see "} {
		i := strings.Index(string(page), `<a href="https://example.org/">`+words)
		if i < 0 {
			t.Fatalf("no link %q in\n%s", words, page)
		}
		rest := string(page[i+1:])
		end := strings.Index(rest, "</a>")
		if inner := rest[:end]; strings.Contains(inner, "<a ") {
			t.Errorf("a link inside a link: <%s</a>", inner)
		}
	}
}

func TestCaveatInLinkFails(t *testing.T) {
	site := strings.Replace(inLinkSite, "[see [[source:s]] here]", "[see :caveat[careful]{on=c} here]", 1)
	res := build.Site(build.Options{Src: writeSite(t, txtar.Parse([]byte(site))), Builtin: builtin})
	if !res.Failed() || !strings.Contains(fmt.Sprint(res.Diags), "a caveat cannot be among a link's words") {
		t.Errorf("a caveat in a link's words: %v", res.Diags)
	}
}
