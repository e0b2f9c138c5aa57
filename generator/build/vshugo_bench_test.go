package build_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefing/generator/corpus"

	"github.com/yuin/goldmark"
)

// BenchmarkVsHugo is the acceptance measure, side by side in one
// run: a full build of every page into an empty folder by the briefing
// binary and by Hugo, of the same generated briefings (corpus.Write and
// corpus.WriteHugo), at 1,000 and 10,000, taking turns round by round and
// each going first in every other round, so that both meet the same
// machine. It reports the best wall time of each, the highest peak
// resident memory the kernel saw for each process, their ratios, and the
// goldmark floor (BenchmarkFloor's strict one, in this process) with
// briefing's time over it, and over the floor joined by
// goldmark-highlighting ("floor-hl", BenchmarkFloor's "highlighting").
// Beside it, the write floor (BenchmarkWriteFloor: the files of
// briefing's build written from memory) and briefing's time over the two
// floors together. briefing builds with no highlighted code kept from
// before; the same build with the pack of the last ("warm") is timed
// beside it. The acceptance asks time ≤ 0.5, memory ≤ 0.33, floor ≤ 2.
// Corpora and output are in /dev/shm when there is one; it is skipped
// when hugo is not on PATH.
//
//	go test ./generator/build -run '^$' -bench VsHugo -benchtime 3x -timeout 60m -v
//
// Each round's figures are logged with -v. The children run with the
// environment less GOGC and GOMEMLIMIT, so each uses its own defaults.
func BenchmarkVsHugo(b *testing.B) {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		b.Skip("hugo is not on PATH")
	}
	work := benchDir(b)
	bin := filepath.Join(work, "briefing")
	gobuild := exec.Command("go", "build", "-o", bin, ".")
	gobuild.Dir = "../.."
	if out, err := gobuild.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOGC=") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			env = append(env, kv)
		}
	}
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			src := filepath.Join(work, fmt.Sprintf("briefing-%d", n))
			hsrc := filepath.Join(work, fmt.Sprintf("hugo-%d", n))
			if err := corpus.Write(src, n, 1); err != nil {
				b.Fatal(err)
			}
			if err := corpus.WriteHugo(hsrc, n, 1); err != nil {
				b.Fatal(err)
			}
			defer os.RemoveAll(src)
			defer os.RemoveAll(hsrc)
			bodies := briefingBodies(b, src)
			md, hl := floorMarkdown(), highlightingMarkdown()
			out := filepath.Join(work, "public")
			// briefing builds cold, as CI from a fresh checkout does: no
			// highlighted code kept from an earlier build (--cache-dir=).
			// "warm" is the same build with the pack of the one before,
			// as on an author's machine or a CI that caches the folder.
			cache := filepath.Join(work, fmt.Sprintf("cache-%d", n))
			defer os.RemoveAll(cache)
			warm := []string{bin, "build", "--src", src, "--out", out, "--cache-dir", cache}
			runOnce(b, warm, env) // the pack the warm builds start from
			// What the write floor writes.
			built := filepath.Join(work, fmt.Sprintf("built-%d", n))
			if err := os.Rename(out, built); err != nil {
				b.Fatal(err)
			}
			defer os.RemoveAll(built)
			tools := []struct {
				name string
				args []string
			}{
				{"briefing", []string{bin, "build", "--src", src, "--out", out, "--cache-dir="}},
				{"hugo", []string{hugo, "--source", hsrc, "--destination", out, "--quiet"}},
				{"warm", warm},
			}
			best := map[string]time.Duration{}
			peak := map[string]int64{}
			round := 0
			for b.Loop() {
				order := []int{0, 1, 2}
				if round%2 == 1 {
					order = []int{1, 0, 2}
				}
				for _, t := range order {
					tool := tools[t]
					wall, rss := runOnce(b, tool.args, env)
					if err := os.RemoveAll(out); err != nil {
						b.Fatal(err)
					}
					b.Logf("round %d %-8s %7.2fs %6d MB", round+1, tool.name, wall.Seconds(), rss>>20)
					if d, ok := best[tool.name]; !ok || wall < d {
						best[tool.name] = wall
					}
					peak[tool.name] = max(peak[tool.name], rss)
				}
				floors := []struct {
					name string
					md   goldmark.Markdown
				}{{"floor", md}, {"floor-hl", hl}}
				if round%2 == 1 {
					floors[0], floors[1] = floors[1], floors[0]
				}
				for _, f := range floors {
					start := time.Now()
					floor(f.md, bodies)
					wall := time.Since(start)
					b.Logf("round %d %-8s %7.2fs", round+1, f.name, wall.Seconds())
					if d, ok := best[f.name]; !ok || wall < d {
						best[f.name] = wall
					}
				}
				wall := writeFloorProcess(b, built, out)
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				b.Logf("round %d %-8s %7.2fs", round+1, "write", wall.Seconds())
				if d, ok := best["write"]; !ok || wall < d {
					best["write"] = wall
				}
				round++
			}
			// A child's peak starts from the peak of the process that
			// started it (vfork shares the memory until exec), so this one
			// must stay below the builds' for their figures to be theirs.
			var self syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &self); err == nil && int64(self.Maxrss)<<10 >= peak["briefing"] {
				b.Fatalf("the benchmark's own peak, %d MB, is not below briefing's, %d MB", int64(self.Maxrss)>>10, peak["briefing"]>>20)
			}
			bs, hs, fs := best["briefing"].Seconds(), best["hugo"].Seconds(), best["floor"].Seconds()
			b.ReportMetric(bs, "briefing-s")
			b.ReportMetric(hs, "hugo-s")
			b.ReportMetric(fs, "floor-s")
			b.ReportMetric(float64(peak["briefing"]>>20), "briefing-MB")
			b.ReportMetric(float64(peak["hugo"]>>20), "hugo-MB")
			b.ReportMetric(bs/hs, "time/hugo")
			b.ReportMetric(float64(peak["briefing"])/float64(peak["hugo"]), "mem/hugo")
			b.ReportMetric(bs/fs, "time/floor")
			b.ReportMetric(bs/best["floor-hl"].Seconds(), "time/floor-hl")
			ws := best["write"].Seconds()
			b.ReportMetric(ws, "write-s")
			b.ReportMetric(bs/(fs+ws), "time/floors")
			b.ReportMetric(best["warm"].Seconds(), "warm-s")
		})
	}
}

// runOnce runs a build command and returns its wall time and the peak
// resident memory of the process, in bytes.
func runOnce(b *testing.B, args, env []string) (time.Duration, int64) {
	b.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Fatal("no resource usage for the process on this system")
	}
	// Linux counts Maxrss in kilobytes.
	return wall, int64(ru.Maxrss) << 10
}
