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
		// Inside a word too long for the cut, the cut falls between
		// characters as a reader sees them: not between "e" and its
		// accent, nor inside a family emoji or a flag.
		{strings.Repeat("e\u0301", 5), 4, "e\u0301…"},
		{"ab" + "👩\u200d👩\u200d👧" + "cd", 5, "ab…"},
		{"🇫🇷🇩🇪🇮🇹", 4, "🇫🇷…"},
		{"会谈在日内瓦继续进行", 5, "会谈在日…"},
		{"ก็ได้ก็ได้", 5, "ก็ไ…"},
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
