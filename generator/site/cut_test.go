package site

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCut: a cut ends after a whole word, within the limit, and the limit
// counts characters, not bytes.
func TestCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short words", 80, "short words"},
		{"abc def", 7, "abc def"},
		{"abc def ghi", 9, "abc def…"},
		{"abc def ghi", 8, "abc def…"},
		{"abc def ghi", 7, "abc…"},
		{"abcdefghij", 5, "abcd…"},
		{"переговоры идут в Женеве", 15, "переговоры…"},
		{"переговоры идут в Женеве", 16, "переговоры идут…"},
		{"ab " + strings.Repeat("é", 20), 10, "ab…"},
	} {
		got := cut(c.in, c.max)
		if got != c.want {
			t.Errorf("cut(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
		if n := utf8.RuneCountInString(got); n > c.max {
			t.Errorf("cut(%q, %d) = %q: %d characters", c.in, c.max, got, n)
		}
	}
}
