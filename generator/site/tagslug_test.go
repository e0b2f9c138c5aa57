package site

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTagSlug: one folder for a tag however its accents were typed, and
// never a name too long to write, cut where a character ends.
func TestTagSlug(t *testing.T) {
	if a, b := TagSlug("Caf\u00e9"), TagSlug("Cafe\u0301"); a != b || a != "caf\u00e9" {
		t.Errorf("TagSlug of NFC and NFD café: %q and %q, want both %q", a, b, "caf\u00e9")
	}
	for _, name := range []string{strings.Repeat("я", 130), "a" + strings.Repeat("я", 130), strings.Repeat("日本 ", 100)} {
		s := TagSlug(name)
		if len(s) > 200 || len(s) < 190 || !utf8.ValidString(s) || strings.HasSuffix(s, "-") {
			t.Errorf("TagSlug(%.20q…) = %d bytes, valid %v: %q", name, len(s), utf8.ValidString(s), s)
		}
	}
}
