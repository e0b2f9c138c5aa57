package site

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// A body goldmark cannot parse within the budget is given up on, and the
// parse is stopped rather than left running; a body it can is parsed.
func TestParseBudget(t *testing.T) {
	mp := NewParser()
	for name, slow := range map[string]string{
		// goldmark rescans to the end of the line for every "](".
		"link destinations": strings.Repeat("[x](", 60_000),
		// and looks footnote references up in a list.
		"footnotes": strings.Repeat("[^1] ", 60_000) + "\n\n[^1]: x\n",
		// and walks every open list for every line.
		"nested lists": func() string {
			var b strings.Builder
			for i := range 2500 {
				b.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
			return b.String()
		}(),
	} {
		before := runtime.NumGoroutine()
		if _, _, ok := parseBody(mp, []byte(slow), time.Millisecond, nil); ok {
			t.Errorf("%s: parsed within a millisecond", name)
		}
		// The stopped parse ends at its next checkpoint.
		deadline := time.Now().Add(10 * time.Second) // a hang guard, not a timing
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the parse went on after its budget", name)
			}
			time.Sleep(time.Millisecond)
		}
	}
	doc, _, ok := parseBody(mp, []byte("Some *text*, [a](b) and :claim[c]{by=a}.\n"), time.Minute, nil)
	if !ok || doc == nil || doc.FirstChild() == nil {
		t.Error("a small body was not parsed")
	}
}

// Many slow files share one build budget: past it, each gets only what a
// sound file of its size needs.
func TestBuildBudget(t *testing.T) {
	b := &buildBudget{deadline: time.Now().Add(-time.Second)}
	if got := b.forFile(10 << 10); got >= time.Second {
		t.Errorf("a file after the site's deadline gets %v", got)
	}
	b = &buildBudget{deadline: time.Now().Add(time.Hour)}
	if got := b.forFile(10 << 10); got != fileBudget(10<<10) {
		t.Errorf("a file well within the site's deadline gets %v, not its own %v", got, fileBudget(10<<10))
	}
	// Rendering bodies while parsing (see Bodies) is not parsing: the
	// deadline passed only by the time it took still leaves a file its own.
	b = &buildBudget{deadline: time.Now().Add(-time.Minute)}
	b.spend(2 * time.Minute)
	if got := b.forFile(10 << 10); got != fileBudget(10<<10) {
		t.Errorf("a file past the deadline only by the time spent rendering gets %v, not its own %v", got, fileBudget(10<<10))
	}
}
