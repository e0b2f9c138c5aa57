// Package corpus writes deterministic synthetic briefing sites for
// benchmarks: N briefings of about 1,200 words each, with claims of every
// status, relations to claims of earlier briefings, both caveat forms,
// wikilinks, tags, and the actors and sources they name. The same N and
// seed always give the same bytes.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var words = strings.Fields(`talks delegation minister envoy corridor ceasefire harbour statement
readout session round agreement proposal monitors shelling port coast border observers
officials sources reported confirmed denied said according framework guarantees sanctions
prisoners exchange humanitarian access convoy negotiators draft text clause withdrawal
positions frontline pressure analysts expect signal concession demand rejected accepted
the a of and to in on for with by from at as that this which while after before`)

var statuses = []string{"unverified", "corroborated", "disputed", "refuted"}

// Sizes of a corpus of n briefings.
func sizes(n int) (actors, sources int) {
	return 12 + n/25, 8 + n/10
}

// Write creates content/ for n briefings below dir.
func Write(dir string, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 7))
	nActors, nSources := sizes(n)
	mk := func(rel, text string) error {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(text), 0o644)
	}
	if err := mk("content/_index.md", "---\ntitle: Synthetic corpus\n---\nGenerated for benchmarks.\n"); err != nil {
		return err
	}
	kinds := []string{"person", "organisation", "state", "group"}
	for i := range nActors {
		text := fmt.Sprintf("---\nname: Actor %d\nkind: %s\nrole: Role %d\naliases: [A%d]\n---\nProfile of actor %d.\n", i, kinds[i%4], i, i, i)
		if err := mk(fmt.Sprintf("content/actors/actor-%d.md", i), text); err != nil {
			return err
		}
	}
	for i := range nSources {
		text := fmt.Sprintf("---\ntitle: Source %d\npublisher: actor-%d\ndate: 2026-%02d-%02d\nreliability: %c\ncredibility: %d\n---\nAbout source %d.\n",
			i, i%nActors, 1+i%12, 1+i%28, 'A'+rune(i%6), 1+i%6, i)
		if err := mk(fmt.Sprintf("content/sources/source-%d.md", i), text); err != nil {
			return err
		}
	}
	sentence := func(k int) string {
		s := make([]string, k)
		for i := range s {
			s[i] = words[r.IntN(len(words))]
		}
		return strings.Join(s, " ")
	}
	for b := range n {
		var body strings.Builder
		date := fmt.Sprintf("2026-%02d-%02d", 1+(b/28)%12, 1+b%28)
		fmt.Fprintf(&body, "---\ntitle: Briefing %d on the talks\ndate: %s\ndateline: City %d\nsummary: %s.\ntags: [tag-%d, tag-%d]\n---\n\n",
			b, date, b%40, sentence(14), b%30, (b*7)%30)
		for p := range 12 {
			fmt.Fprintf(&body, "%s [[actor-%d]] %s. ", sentence(30), r.IntN(nActors), sentence(20))
			if p < 5 {
				fmt.Fprintf(&body, ":claim[%s]{#c%d-%d by=actor-%d src=source-%d status=%s",
					sentence(9), b, p, r.IntN(nActors), r.IntN(nSources), statuses[r.IntN(4)])
				if b > 0 && p == 1 {
					fmt.Fprintf(&body, " contradicts=c%d-%d", r.IntN(b), r.IntN(5))
				}
				if b > 0 && p == 2 {
					fmt.Fprintf(&body, " updates=c%d-%d", r.IntN(b), r.IntN(5))
				}
				body.WriteString("}. ")
			}
			fmt.Fprintf(&body, "%s *%s* %s.\n\n", sentence(25), sentence(3), sentence(8))
			if p == 6 {
				fmt.Fprintf(&body, ":::caveat{on=c%d-0 by=actor-%d}\n%s.\n:::\n\n", b, r.IntN(nActors), sentence(40))
			}
			if p == 9 && b > 0 {
				fmt.Fprintf(&body, "Earlier: [[claim:c%d-3]] :caveat[%s]{on=c%d-4}.\n\n", r.IntN(b), sentence(12), b)
			}
		}
		if err := mk(fmt.Sprintf("content/briefings/%03d/b-%d.md", b/100, b), body.String()); err != nil {
			return err
		}
	}
	return nil
}
