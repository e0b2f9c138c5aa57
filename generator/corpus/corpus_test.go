package corpus

import (
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
}
