package build_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefing/generator/build"
	"briefing/generator/corpus"
	"briefing/generator/render"
)

// TestKilledBuild builds the real binary and kills it with SIGKILL at
// several points of a build that switches the output between two sites.
// After each kill every file of the output must be whole: byte for byte
// the file of one site or of the other. A last build that runs to the end
// must leave exactly the second site's output, with no temporary files,
// and the killed builds none in the temporary folder (the rendered bodies'
// file is unlinked as soon as it is made, see site.Bodies).
func TestKilledBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and a corpus")
	}
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)
	// Two sites of different sizes, so that switching adds and removes
	// pages as well as changing them; large enough that a build takes
	// about a second on this machine.
	srcs := []string{filepath.Join(tmp, "a"), filepath.Join(tmp, "b")}
	refs := make([]map[string][]byte, 2)
	for i, src := range srcs {
		if err := corpus.Write(src, 200-40*i, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
		ref := filepath.Join(tmp, "ref", srcs[i])
		if res := build.ToDir(build.Options{Src: src, Builtin: builtin}, ref); res.Failed() {
			t.Fatal(res.Diags)
		}
		refs[i] = tree(t, ref)
	}
	out := filepath.Join(tmp, "public")
	tmpdir := filepath.Join(tmp, "tmpdir")
	if err := os.Mkdir(tmpdir, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(src string) *exec.Cmd {
		cmd := exec.Command(bin, "build", "--src", src, "--out", out, "--cache-dir", filepath.Join(tmp, "cache"))
		cmd.Env = append(os.Environ(), "TMPDIR="+tmpdir)
		return cmd
	}
	// The kills are spread over the length of a whole build, measured
	// here; it only aims them, nothing is asserted about time.
	start := time.Now()
	if b, err := run(srcs[0]).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	whole := time.Since(start)
	// Each build goes towards the site the output holds less of, so that
	// every one has files to change.
	target := 1
	for _, f := range []float64{0.3, 0.6, 0.8, 0.9, 1, 1.1, 1.2, 1.4} {
		cmd := run(srcs[target])
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(f * float64(whole))
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		debris, mixed := 0, map[int]int{}
		for p, data := range tree(t, out) {
			top, _, _ := strings.Cut(p, "/")
			switch {
			case strings.HasPrefix(top, render.TempPrefix):
				debris++
			case strings.Contains(p, render.TempPrefix):
				t.Errorf("after %v: temporary file %s below the top", delay, p)
			case p == render.Manifest:
			case bytes.Equal(data, refs[0][p]):
				mixed[0]++
			case bytes.Equal(data, refs[1][p]):
				mixed[1]++
			default:
				t.Errorf("after %v: %s is neither site's file (%d bytes)", delay, p, len(data))
			}
		}
		t.Logf("building %c, killed after %v: %d files of a, %d of b, %d temporary",
			'a'+target, delay.Round(time.Millisecond), mixed[0], mixed[1], debris)
		target = 0
		if mixed[0] >= mixed[1] {
			target = 1
		}
	}
	if b, err := run(srcs[1]).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	sameTree(t, tree(t, out), refs[1])
	if left, _ := os.ReadDir(tmpdir); len(left) > 0 {
		t.Errorf("the killed builds left %d files in the temporary folder, %s first", len(left), left[0].Name())
	}
}

// buildBinary builds the briefing command into dir and returns its path.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "briefing")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
