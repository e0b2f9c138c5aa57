package serve

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"briefing/generator/corpus"
)

// TestSameAsBuildAtScale is TestSameAsBuild on a generated site of a few
// hundred briefings, with edits that change references every way: claims
// added and removed, by=, contradicts= and ids changed, files added and
// removed, actors renamed, errors made and mended. After every step the
// diagnostics and every page served are compared with a fresh build's.
func TestSameAsBuildAtScale(t *testing.T) {
	n, steps := 150, 30
	if testing.Short() || raceEnabled {
		n, steps = 60, 15
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, n, 2); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, dir)
	r := rand.New(rand.NewPCG(5, 6))
	var paths []string
	_ = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			paths = append(paths, filepath.ToSlash(rel))
		}
		return err
	})
	slices.Sort(paths)
	pick := func(prefix string) string {
		var ps []string
		for _, p := range paths {
			if _, err := os.Stat(filepath.Join(dir, p)); err == nil && strings.HasPrefix(p, prefix) {
				ps = append(ps, p)
			}
		}
		return ps[r.IntN(len(ps))]
	}
	// replace changes one match of re in the file at random.
	replace := func(p, re string, with func(string) string) string {
		text := readFile(t, dir, p)
		locs := regexp.MustCompile(re).FindAllStringIndex(text, -1)
		if len(locs) > 0 {
			l := locs[r.IntN(len(locs))]
			text = text[:l[0]] + with(text[l[0]:l[1]]) + text[l[1]:]
		}
		write(t, dir, p, text)
		return p
	}
	actor := func() string { return fmt.Sprintf("actor-%d", r.IntN(22)) }
	claim := func() string { return fmt.Sprintf("c%d-%d", r.IntN(n), r.IntN(5)) }
	broken := ""
	edits := []struct {
		name string
		do   func(i int) string
	}{
		{"prose", func(i int) string {
			return replace(pick("content/briefings/"), `\.\n\n`, func(string) string { return fmt.Sprintf(". Edit %d.\n\n", i) })
		}},
		{"by", func(int) string {
			return replace(pick("content/briefings/"), `by=actor-[0-9]+`, func(string) string { return "by=" + actor() })
		}},
		{"contradicts", func(int) string {
			return replace(pick("content/briefings/"), `src=source-[0-9]+`, func(s string) string { return s + " contradicts=" + claim() })
		}},
		{"claim added", func(i int) string {
			return replace(pick("content/briefings/"), `\.\n\n`, func(string) string {
				return fmt.Sprintf(". :claim[added %d]{#added%d by=%s src=source-%d supports=%s}\n\n", i, i, actor(), r.IntN(20), claim())
			})
		}},
		{"new file", func(i int) string {
			p := fmt.Sprintf("content/briefings/new/n%d.md", i)
			write(t, dir, p, fmt.Sprintf("---\ntitle: New %d\ndate: 2026-%02d-%02d\ntags: [tag-%d]\n---\n[[%s]], [[claim:%s]]: :claim[new %d]{#new%d by=%s src=source-%d updates=%s}\n",
				i, 1+r.IntN(12), 1+r.IntN(28), r.IntN(30), actor(), claim(), i, i, actor(), r.IntN(20), claim()))
			return p
		}},
		{"actor renamed", func(i int) string {
			return replace(pick("content/actors/"), `name: .*`, func(string) string { return fmt.Sprintf("name: Renamed %d", i) })
		}},
		{"front matter", func(int) string {
			return replace(pick("content/briefings/"), `date: [0-9-]+`, func(string) string {
				return fmt.Sprintf("date: 2026-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
			})
		}},
		{"source", func(int) string {
			return replace(pick("content/sources/"), `reliability: [A-F]`, func(string) string { return "reliability: " + string(rune('A'+r.IntN(6))) })
		}},
		{"id", nil}, {"claim removed", nil}, {"file removed", nil},
		{"error", func(i int) string {
			// Made, and mended by the next such edit.
			if broken != "" {
				p := broken
				broken = ""
				return replace(p, `by=nobody-[0-9]+`, func(string) string { return "by=" + actor() })
			}
			broken = replace(pick("content/briefings/"), `by=actor-[0-9]+`, func(string) string { return fmt.Sprintf("by=nobody-%d", i) })
			return broken
		}},
	}
	// Edits that may leave references dangling are undone by the next
	// step, so that most steps build and their pages are compared.
	undoable := map[string]bool{"id": true, "claim removed": true, "file removed": true}
	var undo func() string
	kinds := map[string]int{}
	for i := range steps {
		e := edits[r.IntN(len(edits))]
		var changed string
		switch {
		case undo != nil:
			changed, undo = undo(), nil
			e.name = "undo"
		case undoable[e.name]:
			p := pick("content/briefings/")
			was := readFile(t, dir, p)
			e.do = func(int) string {
				undo = func() string {
					write(t, dir, p, was)
					return p
				}
				switch e.name {
				case "id":
					return replace(p, `\{#c[0-9]+-[0-9]+`, func(string) string { return "{" })
				case "claim removed":
					return replace(p, `:claim\[[^\]]*\]\{[^}]*\}`, func(string) string { return "" })
				}
				if err := os.Remove(filepath.Join(dir, p)); err != nil {
					t.Fatal(err)
				}
				return p
			}
			changed = e.do(i)
		default:
			changed = e.do(i)
		}
		res := s.Changed([]string{changed})
		t.Logf("step %d: %s %s patched=%v updated=%v failed=%v", i, e.name, changed, res.Patched, res.Updated, res.Failed)
		switch {
		case res.Patched:
			kinds["patched"]++
		case res.Updated:
			kinds["updated"]++
		}
		sameDiags(t, dir, res)
		if res.Failed {
			kinds["failed"]++
			continue
		}
		compareWithBuild(t, s, dir, i)
	}
	if kinds["updated"] == 0 || kinds["failed"] == 0 {
		t.Errorf("of %d steps: %v; updates and failures must both be tried", steps, kinds)
	}
}
