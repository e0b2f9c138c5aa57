package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
	"weak"

	"briefing/generator/corpus"
	"briefing/generator/markup"
)

// TestSavesKeepNoOldVersions: a page saved again and again leaves none of
// its earlier parses alive. The nodes of one parse once came from arrays
// shared with the parses before it, and each node kept its tree, so every
// save of a large site held on to 20-40 KB for good.
func TestSavesKeepNoOldVersions(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 300, 1); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, dir)
	const p = "content/briefings/001/b-150.md"
	title := regexp.MustCompile(`(?m)^title: .*$`)
	var nodes []weak.Pointer[markup.Claim]
	for i := range 40 {
		data, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, p, string(title.ReplaceAll(data, fmt.Appendf(nil, "title: Saved %d", i))))
		if res := s.Changed([]string{p}); res.Failed || !res.Updated {
			t.Fatalf("save %d: %+v", i, res)
		}
		s.mu.RLock()
		for _, b := range s.current.model.Briefings {
			if b.Path == p {
				for _, c := range b.Claims {
					nodes = append(nodes, weak.Make(c.Node))
				}
			}
		}
		s.mu.RUnlock()
	}
	runtime.GC()
	runtime.GC()
	alive := 0
	for _, n := range nodes {
		if n.Value() != nil {
			alive++
		}
	}
	if per := len(nodes) / 40; alive > per {
		t.Errorf("%d of the %d claim nodes of 40 saves are alive; only the last save's %d should be", alive, len(nodes), per)
	}
}
