package build_test

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"briefing/generator/build"
	"briefing/generator/diag"

	"golang.org/x/tools/txtar"
)

// hostile is a briefing body made to cost a build as much as it can per
// byte, at a size n.
type hostile struct {
	name string
	// ns are the sizes n at which growth to 4n is checked, smallest
	// first: a small one where a quadratic path still ends quickly, so
	// that a regression fails there before a large one runs.
	ns   []int
	body func(n int) string
	// files, when set, are more files of the site at size n.
	files func(n int) []txtar.File
	// errs is how many errors the body at size n gives; it proves the
	// input reaches the path it is meant to.
	errs func(n int) int
	// timed cases also compare time: their quadratic paths allocated
	// nothing, so only time shows them.
	timed bool
}

var hostiles = []hostile{{
	name: "nested claims",
	ns:   []int{100, 2000},
	body: func(n int) string {
		return strings.Repeat(":claim[", n) + "x" + strings.Repeat("]{by=a src=s}", n) + "\n"
	},
	errs: func(int) int { return 1 }, // nest at most 8 deep
}, {
	name: "nested inline caveats",
	ns:   []int{100, 2000},
	body: func(n int) string {
		return ":claim[c]{#c by=a src=s} " + strings.Repeat(":caveat[", n) + "x" + strings.Repeat("]{on=c}", n) + "\n"
	},
	errs: func(int) int { return 1 },
}, {
	name: "nested block caveats",
	ns:   []int{200, 2000},
	body: func(n int) string {
		return ":claim[c]{#c by=a src=s}\n\n" + strings.Repeat(":::caveat{on=c}\n", n) + "x\n" + strings.Repeat(":::\n", n)
	},
	// Too deep once; the first ::: closes the outermost, leaving the
	// seven inside it unclosed.
	errs: func(int) int { return 8 },
}, {
	// A link to a claim shows its words cut within 80 characters; a cut
	// reads no further than that, however long the character at the cut
	// (one letter and n combining marks, linked n times).
	name: "links to a claim of one long character",
	ns:   []int{3000},
	body: func(n int) string {
		return ":claim[a" + strings.Repeat("\u0301", n) + " b]{#long by=a src=s}" + strings.Repeat(" [[claim:long]]", n) + "\n"
	},
	errs:  func(int) int { return 0 },
	timed: true,
}, {
	name:  "wikilink openers on one line",
	ns:    []int{10000},
	body:  func(n int) string { return strings.Repeat("[[a ", n) + "\n" },
	errs:  func(int) int { return 0 },
	timed: true,
}, {
	name:  "wikilink openers with brackets between on one line",
	ns:    []int{8000},
	body:  func(n int) string { return strings.Repeat("[[a"+strings.Repeat(" a]", 12)+" ", n) + "\n" },
	errs:  func(int) int { return 0 },
	timed: true,
}, {
	// Each says what its words hold, looking ahead for a "]]": the rest
	// of the line, at first, and a copy of it in the message.
	name:  "wikilinks with a bracket in their words on one line",
	ns:    []int{2000},
	body:  func(n int) string { return strings.Repeat("[[a [b ", n) + "]]\n" },
	errs:  func(int) int { return 0 },
	timed: true,
}, {
	// Each mended in place: deleting as they went shifted the rest.
	name: "attributes written with a colon and a space",
	ns:   []int{6000},
	body: func(n int) string {
		return ":claim[x]{" + strings.Repeat("by: a ", n) + "src=s}\n\n:claim[y]{by=A" + strings.Repeat(" Z", n) + " src=s}\n"
	},
	errs:  func(n int) int { return 2*n + 1 }, // n colons, n-1 repeats, a name with spaces and no actor by it
	timed: true,
}, {
	name:  "errors on one line",
	ns:    []int{10000},
	body:  func(n int) string { return strings.Repeat(":caveat[x]{} ", n) + "\n" }, // caveat on no claim
	errs:  func(n int) int { return n },
	timed: true,
}, {
	name:  "unclosed claims on one line",
	ns:    []int{5000},
	body:  func(n int) string { return strings.Repeat(":claim[a ", n) + "\n" },
	errs:  func(int) int { return 9 }, // 8 unclosed, then too deep
	timed: true,
}, {
	name:  "closers without an opener's attributes",
	ns:    []int{20000},
	body:  func(n int) string { return ":claim[x" + strings.Repeat("]{by=a ", n) + "\n" },
	errs:  func(int) int { return 1 }, // unclosed
	timed: true,
}, {
	name:  "attributes over many lines",
	ns:    []int{10000},
	body:  func(n int) string { return ":claim[x]{by=a src=s\n" + strings.Repeat("zz=1\n", n) + "}\n" },
	errs:  func(n int) int { return n }, // unknown attribute
	timed: true,
}, {
	name: "tags on one line",
	ns:   []int{20000},
	body: func(n int) string {
		return "---\ntitle: B\ndate: 2026-11-24\ntags: [" + strings.Repeat("ä, ", n) + "b]\n---\n"
	},
	errs:  func(int) int { return 0 },
	timed: true,
}, {
	name: "unknown actors among as many aliases of their length",
	ns:   []int{500},
	body: func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "[[actor:q%09d]]\n", i)
		}
		return b.String()
	},
	files: func(n int) []txtar.File {
		var b strings.Builder
		b.WriteString("---\nname: X\nkind: person\naliases: [")
		for i := range n {
			fmt.Fprintf(&b, "a%09d, ", i)
		}
		b.WriteString("x]\n---\n")
		return []txtar.File{{Name: "content/actors/x.md", Data: []byte(b.String())}}
	},
	errs: func(n int) int { return n },
}, {
	name: "table rows of an unknown link and a claim",
	ns:   []int{2000},
	body: func(n int) string {
		return "|a|b|\n|-|-|\n" + strings.Repeat("|[[x]]|:claim[y]{by=a src=s}|\n", n)
	},
	errs:  func(n int) int { return n },
	timed: true,
}, {
	name: "links to a long claim",
	ns:   []int{1000},
	body: func(n int) string {
		return ":claim[" + strings.Repeat("word ", n) + "]{#c by=a src=s}\n\n" + strings.Repeat("[[claim:c]]\n", n)
	},
	errs: func(int) int { return 0 },
}, {
	// Each would get a did-you-mean, an edit distance to every claim id.
	name: "broken links near as many claim ids",
	ns:   []int{500},
	body: func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, ":claim[w]{#c%06d by=a src=s} [x](/claims/d%06d/)\n\n", i, i)
		}
		return b.String()
	},
	errs: func(int) int { return 0 },
}, {
	// Each is looked for among every heading of the page.
	name: "links to as many headings",
	ns:   []int{2000},
	body: func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "## h%d\n\n[x](#sec-h%d) [y](/briefings/b/#sec-none%d)\n\n", i, i, i)
		}
		return b.String()
	},
	errs: func(int) int { return 0 },
}}

// hostileSite writes a site whose one briefing has body, after a front
// matter of its own unless body starts with one.
func hostileSite(t *testing.T, body string, more ...txtar.File) string {
	t.Helper()
	return writeSite(t, &txtar.Archive{Files: append([]txtar.File{
		{Name: "content/_index.md", Data: []byte("---\ntitle: T\n---\n")},
		{Name: "content/actors/a.md", Data: []byte("---\nname: A\nkind: person\n---\n")},
		{Name: "content/sources/s.md", Data: []byte("---\ntitle: S\nreliability: B\n---\n[[a]]\n")},
		{Name: "content/briefings/b.md", Data: []byte(cmp.Or(frontless(body), body))},
	}, more...)})
}

// frontless is body after a front matter of its own when it has none, else "".
func frontless(body string) string {
	if strings.HasPrefix(body, "---\n") {
		return ""
	}
	return "---\ntitle: B\ndate: 2026-11-24\n---\n" + body
}

// cost builds the site in dir: the bytes it allocated, the least time of
// runs builds (the others only lose time to the machine's other work),
// and the result.
func cost(dir string, runs int) (alloc uint64, elapsed time.Duration, res *build.Result) {
	for i := range runs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		res = build.Site(build.Options{Src: dir, Builtin: builtin})
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		if i == 0 || d < elapsed {
			elapsed = d
		}
		alloc = after.TotalAlloc - before.TotalAlloc
	}
	return alloc, elapsed, res
}

// TestHostileInputGrowsLinearly builds a site from each hostile body at
// sizes 16, n and 4n, and asserts that the cost above size 16 (the same
// path, failing or not, at a small size) grows about fourfold from n to
// 4n: allocated bytes less than 8 times (a quadratic path gives 16), time
// less than 10 times.
func TestHostileInputGrowsLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sites of up to a megabyte")
	}
	for _, h := range hostiles {
		t.Run(h.name, func(t *testing.T) {
			runs := 1
			if h.timed {
				runs = 3
			}
			measure := func(n int) (uint64, time.Duration) {
				var more []txtar.File
				if h.files != nil {
					more = h.files(n)
				}
				dir := hostileSite(t, h.body(n), more...)
				alloc, elapsed, res := cost(dir, runs)
				// The parse's budget is time: on a machine busy with other
				// tests a file within it can run past it, which says so.
				// Tried again, up to twice; a parse that is slow every
				// time fails.
				overBudget := func() bool {
					got, _ := res.Diags.Count()
					return got != h.errs(n) && slices.ContainsFunc(res.Diags, func(d diag.Diagnostic) bool {
						return strings.Contains(d.Message, "the Markdown parser took over")
					})
				}
				for try := 0; try < 2 && overBudget(); try++ {
					alloc, elapsed, res = cost(dir, runs)
				}
				if got, _ := res.Diags.Count(); got != h.errs(n) {
					t.Fatalf("n=%d: %d errors, want %d:\n%s", n, got, h.errs(n), firstDiags(res.Diags, 12))
				}
				return alloc, elapsed
			}
			for _, n := range h.ns {
				// The time is measured again, up to three times, before a
				// ratio over 10 fails: on a machine busy with other tests
				// (go test runs packages side by side) one slow round is
				// noise, a quadratic path is slow every time.
				for try := 1; ; try++ {
					alloc0, time0 := measure(16)
					alloc1, time1 := measure(n)
					alloc4, time4 := measure(4 * n)
					// Floors keep a ratio meaningful when a case costs
					// next to nothing above size 16.
					grow := ratio(float64(alloc0), float64(alloc1), float64(alloc4), 1<<20)
					tgrow := ratio(float64(time0), float64(time1), float64(time4), float64(5*time.Millisecond))
					t.Logf("n=%d: allocated %d, %d, %d bytes at 16, n, 4n: ×%.1f; took %v, %v, %v: ×%.1f",
						n, alloc0, alloc1, alloc4, grow, time0, time1, time4, tgrow)
					if grow > 8 {
						t.Fatalf("n=%d: 4× the input allocated ×%.1f the bytes", n, grow)
					}
					if !h.timed || tgrow <= 10 {
						break
					}
					if try == 3 {
						t.Fatalf("n=%d: 4× the input took ×%.1f the time, three times", n, tgrow)
					}
				}
			}
		})
	}
}

// ratio is (big-base)/(small-base), each at least floor.
func ratio(base, small, big, floor float64) float64 {
	return max(big-base, floor) / max(small-base, floor)
}

func firstDiags(l diag.List, n int) string {
	var b strings.Builder
	for i, d := range l {
		if i == n {
			fmt.Fprintf(&b, "… and %d more\n", len(l)-n)
			break
		}
		fmt.Fprintf(&b, "%s:%d:%d: %s\n", d.Path, d.Line, d.Col, d.Message)
	}
	return b.String()
}

// TestColumnsInCharacters: columns count characters however far along a
// long line, and stay right after invalid UTF-8 has been replaced (which
// moves every later offset).
func TestColumnsInCharacters(t *testing.T) {
	body := "Bad byte: a\xffb.\n" + // line 5
		":caveat[x]{}\n" + // line 6: the problem is at its "{", column 11
		strings.Repeat("é", 100) + " :caveat[x]{}\n" // line 7, column 112
	res := build.Site(build.Options{Src: hostileSite(t, body), Builtin: builtin})
	var got []string
	for _, d := range res.Diags {
		if d.Path == "content/briefings/b.md" {
			got = append(got, fmt.Sprintf("%d:%d: %s", d.Line, d.Col, d.Message))
		}
	}
	want := []string{"5:12: invalid UTF-8", "6:11: caveat on no claim", "7:112: caveat on no claim"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestHintsForFirstUnknownsOnly: the first 100 unknown names, in the
// order they are printed, get a did-you-mean hint, and no others, however
// resolving was scheduled.
func TestHintsForFirstUnknownsOnly(t *testing.T) {
	var b strings.Builder
	for i := range 150 {
		fmt.Fprintf(&b, "[[actor:ax%03d]]\n", i) // one edit from the actor a… below
	}
	var aliases strings.Builder
	for i := range 150 {
		fmt.Fprintf(&aliases, "aa%03d, ", i)
	}
	dir := hostileSite(t, b.String(), txtar.File{Name: "content/actors/x.md",
		Data: []byte("---\nname: X\nkind: person\naliases: [" + aliases.String() + "x]\n---\n")})
	res := build.Site(build.Options{Src: dir, Builtin: builtin})
	var hinted []int
	for _, d := range res.Diags {
		if strings.HasPrefix(d.Message, "unknown actor") && d.Hint != "" {
			hinted = append(hinted, d.Line)
		}
	}
	if len(hinted) != 100 || hinted[0] != 5 || hinted[99] != 104 {
		t.Errorf("hints on %d lines, %v … %v; want 100, lines 5 to 104", len(hinted), hinted[:min(3, len(hinted))], hinted[max(0, len(hinted)-3):])
	}
}
