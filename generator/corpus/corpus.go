// Package corpus writes deterministic synthetic briefing sites for
// benchmarks, shaped as the performance issue describes a newsroom's:
// N briefings of about 1,200 words, each naming 3–6 actors and 2–4
// sources, with 10 claims of every status (some backed by several
// sources, some without a written id, several related to claims of
// earlier briefings), a block and an inline caveat, wikilinks, tags and
// one fenced JSON code block. The same N and seed always give the same
// bytes. Write makes a briefing site of it; WriteHugo the same text as a
// Hugo site, with actors and sources as taxonomies, to compare with.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

var words = strings.Fields(`talks delegation minister envoy corridor ceasefire harbour statement
readout session round agreement proposal monitors shelling port coast border observers
officials sources reported confirmed denied said according framework guarantees sanctions
prisoners exchange humanitarian access convoy negotiators draft text clause withdrawal
positions frontline pressure analysts expect signal concession demand rejected accepted
the a of and to in on for with by from at as that this which while after before`)

var statuses = []string{"unverified", "corroborated", "disputed", "refuted"}

// Claims is how many claims each briefing makes; Caveats how many caveats
// it has (one block, one inline).
const (
	Claims  = 10
	Caveats = 2
)

// explicit tells whether the claim in paragraph p has an id written out;
// the others get ids derived from their words. Relations across briefings
// point only at written ids, as an author's would.
var explicit = [Claims]bool{true, true, true, true, true, false, true, false, false, true}

// writtenIDs are the paragraphs whose claims have written ids.
var writtenIDs = func() []int {
	var ps []int
	for p, ok := range explicit {
		if ok {
			ps = append(ps, p)
		}
	}
	return ps
}()

// Sizes of a corpus of n briefings.
func sizes(n int) (actors, sources int) {
	return 12 + n/25, 8 + n/10
}

// briefing is one generated briefing: its front matter fields and body.
type briefing struct {
	path     string // below content/
	title    string
	date     string
	dateline string
	summary  string
	tags     []string
	actors   []string // named in the briefing
	sources  []string // cited by its claims
	body     string
}

// gen generates the n briefings in order and hands each to emit.
func gen(n int, seed uint64, emit func(*briefing) error) error {
	r := rand.New(rand.NewPCG(seed, 7))
	nActors, nSources := sizes(n)
	sentence := func(k int) string {
		s := make([]string, k)
		for i := range s {
			s[i] = words[r.IntN(len(words))]
		}
		return strings.Join(s, " ")
	}
	// pick returns k distinct names "prefix-i" with i below total.
	pick := func(prefix string, k, total int) []string {
		k = min(k, total)
		var names []string
		for _, i := range r.Perm(total)[:k] {
			names = append(names, fmt.Sprintf("%s-%d", prefix, i))
		}
		return names
	}
	for b := range n {
		bf := &briefing{
			path:     fmt.Sprintf("briefings/%03d/b-%d.md", b/100, b),
			title:    fmt.Sprintf("Briefing %d on the talks", b),
			date:     fmt.Sprintf("2026-%02d-%02d", 1+(b/28)%12, 1+b%28),
			dateline: fmt.Sprintf("City %d", b%40),
			summary:  sentence(14) + ".",
			tags:     []string{fmt.Sprintf("tag-%d", b%30), fmt.Sprintf("tag-%d", (b*7)%30)},
			actors:   pick("actor", 3+r.IntN(4), nActors),
			sources:  pick("source", 2+r.IntN(3), nSources),
		}
		actor := func() string { return bf.actors[r.IntN(len(bf.actors))] }
		// earlier names a written claim id of an earlier briefing.
		earlier := func() string { return fmt.Sprintf("c%d-%d", r.IntN(b), writtenIDs[r.IntN(len(writtenIDs))]) }
		var body strings.Builder
		for p := range 12 {
			fmt.Fprintf(&body, "%s [[%s]] %s. ", sentence(30), actor(), sentence(20))
			if p < Claims {
				body.WriteString(claim(b, p, bf, r, sentence(9), actor, earlier))
				body.WriteString(". ")
			}
			fmt.Fprintf(&body, "%s *%s* %s.\n\n", sentence(20), sentence(3), sentence(8))
			switch p {
			case 3:
				fmt.Fprintf(&body, "The monitors' log for the day, as filed:\n\n```json\n%s```\n\n", logJSON(b, bf, r))
			case 6:
				fmt.Fprintf(&body, ":::caveat{on=c%d-0,c%d-6 by=%s}\n%s [[%s]] %s.\n:::\n\n", b, b, actor(), sentence(20), actor(), sentence(20))
			case 9:
				if b > 0 {
					fmt.Fprintf(&body, "Earlier: [[claim:%s]]. ", earlier())
				}
				fmt.Fprintf(&body, "Read with care :caveat[%s]{on=c%d-4}.\n\n", sentence(12), b)
			}
		}
		bf.body = body.String()
		if err := emit(bf); err != nil {
			return err
		}
	}
	return nil
}

// claim writes the p-th claim of briefing b. Every fourth claim cites two
// sources, the last all of the briefing's; some carry credibility,
// likelihood, confidence, about or date; claims 1–3 contradict, update and
// support claims of earlier briefings, claim 6 supports one of its own.
func claim(b, p int, bf *briefing, r *rand.Rand, words string, actor, earlier func() string) string {
	var c strings.Builder
	fmt.Fprintf(&c, ":claim[%s]{", words)
	if explicit[p] {
		fmt.Fprintf(&c, "#c%d-%d ", b, p)
	}
	src := bf.sources[r.IntN(len(bf.sources))]
	switch {
	case p == 9:
		src = strings.Join(bf.sources, ",")
	case p%4 == 0:
		other := bf.sources[(slices.Index(bf.sources, src)+1)%len(bf.sources)]
		src += "," + other
	}
	status := statuses[r.IntN(len(statuses))]
	if p == 1 || p == 3 || p == 6 {
		// A claim that contradicts or supports another is still open:
		// settled ones would make statuses that check warns about.
		if settled, ok := map[string]string{"corroborated": "disputed", "refuted": "unverified"}[status]; ok {
			status = settled
		}
	}
	fmt.Fprintf(&c, "by=%s src=%s status=%s", actor(), src, status)
	switch p {
	case 1:
		if b > 0 {
			fmt.Fprintf(&c, " contradicts=%s", earlier())
		}
	case 2:
		if b > 0 {
			// Every other date is in 2026, and an update of an update
			// is of an earlier briefing: updates dated from 2027 on, a
			// day a briefing, are never older than what they update
			// (check warns of one).
			fmt.Fprintf(&c, " updates=%s date=%s", earlier(), time.Date(2027, 1, 1+b, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
		}
		fmt.Fprintf(&c, " about=%s", actor())
	case 3:
		if b > 0 {
			fmt.Fprintf(&c, " supports=%s", earlier())
		}
		fmt.Fprintf(&c, " credibility=%d", 1+r.IntN(6))
	case 6:
		fmt.Fprintf(&c, " supports=c%d-0 likelihood=likely confidence=moderate", b)
	case 7:
		fmt.Fprintf(&c, " confidence=high date=2026-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
	}
	c.WriteString("}")
	return c.String()
}

// logJSON is the briefing's code block: about 270 bytes of JSON.
func logJSON(b int, bf *briefing, r *rand.Rand) string {
	return fmt.Sprintf(`{
  "briefing": "b-%d",
  "round": %d,
  "delegations": ["%s", "%s"],
  "monitors": {"present": %t, "hours": "daylight only", "posts": %d},
  "corridor": {"from": "City %d", "status": "%s"},
  "sources": ["%s"],
  "shelling": "none reported"
}
`, b, 1+r.IntN(9), bf.actors[0], bf.actors[1], r.IntN(2) == 0, 1+r.IntN(40), b%40, statuses[r.IntN(len(statuses))], bf.sources[0])
}

// mk writes text to rel below dir, making its folders.
func mk(dir, rel, text string) error {
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(text), 0o644)
}

// yamlList is a flow sequence of plain words.
func yamlList(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

// Write creates content/ for n briefings below dir: the briefings, every
// actor and source they may name, and the home page.
func Write(dir string, n int, seed uint64) error {
	nActors, nSources := sizes(n)
	if err := mk(dir, "content/_index.md", "---\ntitle: Synthetic corpus\n---\nGenerated for benchmarks.\n"); err != nil {
		return err
	}
	kinds := []string{"person", "organisation", "state", "group"}
	for i := range nActors {
		text := fmt.Sprintf("---\nname: Actor %d\nkind: %s\nrole: Role %d\naliases: [A%d]\n---\nProfile of actor %d.\n", i, kinds[i%4], i, i, i)
		if err := mk(dir, fmt.Sprintf("content/actors/actor-%d.md", i), text); err != nil {
			return err
		}
	}
	for i := range nSources {
		text := fmt.Sprintf("---\ntitle: Source %d\npublisher: actor-%d\ndate: 2026-%02d-%02d\nreliability: %c\ncredibility: %d\n---\nAbout source %d.\n",
			i, i%nActors, 1+i%12, 1+i%28, 'A'+rune(i%6), 1+i%6, i)
		if err := mk(dir, fmt.Sprintf("content/sources/source-%d.md", i), text); err != nil {
			return err
		}
	}
	return gen(n, seed, func(bf *briefing) error {
		fm := fmt.Sprintf("---\ntitle: %s\ndate: %s\ndateline: %s\nsummary: %s\ntags: %s\n---\n\n",
			bf.title, bf.date, bf.dateline, bf.summary, yamlList(bf.tags))
		return mk(dir, "content/"+bf.path, fm+bf.body)
	})
}

// WriteHugo creates a Hugo site below dir with the same briefings as Write:
// the same body text (the annotation markup stays as text, which Hugo
// renders as Markdown), the actors and sources each names as terms of the
// taxonomies actors and sources, and small templates that list every
// section and term 100 pages at a time, as the briefing site's lists are.
func WriteHugo(dir string, n int, seed uint64) error {
	for rel, text := range hugoFiles {
		if err := mk(dir, rel, text); err != nil {
			return err
		}
	}
	if err := mk(dir, "content/_index.md", "---\ntitle: Synthetic corpus\n---\nGenerated for benchmarks.\n"); err != nil {
		return err
	}
	return gen(n, seed, func(bf *briefing) error {
		fm := fmt.Sprintf("---\ntitle: %s\ndate: %s\ndateline: %s\nsummary: %s\ntags: %s\nactors: %s\nsources: %s\n---\n\n",
			bf.title, bf.date, bf.dateline, bf.summary, yamlList(bf.tags), yamlList(bf.actors), yamlList(bf.sources))
		return mk(dir, "content/"+bf.path, fm+bf.body)
	})
}

// hugoFiles are the Hugo site's configuration and templates. Code is
// highlighted with classes, as the briefing site's is.
var hugoFiles = map[string]string{
	"config.toml": `baseURL = "https://example.org/"
title = "Synthetic corpus"
languageCode = "en"
paginate = 100

[taxonomies]
  tag = "tags"
  actor = "actors"
  source = "sources"

[markup.highlight]
  noClasses = false
`,
	"layouts/_default/baseof.html": `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
</head><body><main>{{ block "main" . }}{{ end }}</main></body></html>
`,
	"layouts/_default/single.html": `{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2 January 2006" }} · {{ .Params.dateline }}</p>
{{ .Content }}
<p>Actors: {{ range .GetTerms "actors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>Sources: {{ range .GetTerms "sources" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>Tags: {{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
`,
	"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ .Params.summary }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
`,
}
