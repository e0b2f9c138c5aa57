package build_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"briefing/generator/corpus"
)

// TestDiskErrorWhileStreaming builds under a limit on the size of a file
// (the shell's ulimit -f) that graph.json, streamed to the output in
// pieces, passes: the build fails with the disk's error on that file, as
// for a file written whole, not with a template's error on a template
// that does not exist, and it names the output's path, not the staging
// folder's.
func TestDiskErrorWhileStreaming(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("builds the binary; ulimit -f is the shell's on Linux")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)
	src := filepath.Join(tmp, "site")
	if err := corpus.Write(src, 300, 1); err != nil { // graph.json 1.4 MB, every other file under 1 MB
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "public")
	cmd := exec.Command("bash", "-c", `ulimit -f 1000 && exec "$0" build --src "$1" --out "$2" --cache-dir=`, bin, src, out)
	b, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the build passed:\n%s", b)
	}
	var errs []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "error:") {
			errs = append(errs, line)
		}
	}
	want := filepath.Join(out, "graph.json") + ": error: cannot write: file too large"
	if len(errs) != 1 || errs[0] != want {
		t.Fatalf("errors %q, want only %q; output:\n%s", errs, want, b)
	}
}
