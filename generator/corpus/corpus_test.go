package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Write(a, 30, 1); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, 30, 1); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "content/briefings/000/b-29.md"))
	y, _ := os.ReadFile(filepath.Join(b, "content/briefings/000/b-29.md"))
	if string(x) != string(y) || len(x) == 0 {
		t.Fatal("two corpora with one seed differ")
	}
	if n := len(strings.Fields(string(x))); n < 1000 || n > 1600 {
		t.Errorf("a briefing has %d words, want about 1,200", n)
	}
	for _, want := range []string{"```json\n", ":::caveat{", ":caveat[", "contradicts=", "updates=", "supports="} {
		if !bytes.Contains(x, []byte(want)) {
			t.Errorf("a briefing lacks %q", want)
		}
	}
	if n := bytes.Count(x, []byte(":claim[")); n != Claims {
		t.Errorf("a briefing has %d claims, want %d", n, Claims)
	}
}

// TestHugoSameText checks that the Hugo site carries the same briefing
// bodies, so that the two generators are compared on one text.
func TestHugoSameText(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Write(a, 30, 1); err != nil {
		t.Fatal(err)
	}
	if err := WriteHugo(b, 30, 1); err != nil {
		t.Fatal(err)
	}
	body := func(dir string) (string, string) {
		data, err := os.ReadFile(filepath.Join(dir, "content/briefings/000/b-17.md"))
		if err != nil {
			t.Fatal(err)
		}
		_, fm, _ := strings.Cut(string(data), "---\n")
		fm, rest, _ := strings.Cut(fm, "---\n")
		return fm, rest
	}
	fmA, bodyA := body(a)
	fmB, bodyB := body(b)
	if bodyA != bodyB || bodyA == "" {
		t.Error("the Hugo site's briefing body differs")
	}
	if !strings.HasPrefix(fmB, fmA) || !strings.Contains(fmB, "\nactors: [actor-") || !strings.Contains(fmB, "\nsources: [source-") {
		t.Errorf("Hugo front matter:\n%s\nwant the briefing's with actors and sources added:\n%s", fmB, fmA)
	}
	if _, err := os.Stat(filepath.Join(b, "config.toml")); err != nil {
		t.Error(err)
	}
}
