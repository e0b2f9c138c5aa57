package site

import (
	"strings"
	"testing"
	"time"
)

// A body goldmark cannot parse within the budget is given up on, and the
// caller goes on; a body it can is parsed as usual.
func TestParseBudget(t *testing.T) {
	mp := NewParser()
	// goldmark rescans to the end of the line for every "](": quadratic.
	slow := []byte(strings.Repeat("[x](", 20_000))
	if _, _, ok := parseBody(mp, slow, time.Millisecond); ok {
		t.Error("a body of 20,000 \"[x](\" was parsed within a millisecond")
	}
	doc, _, ok := parseBody(mp, []byte("Some *text*.\n"), time.Minute)
	if !ok || doc == nil || doc.FirstChild() == nil {
		t.Error("a small body was not parsed")
	}
}
