package markup

import (
	"strings"
	"testing"
)

func TestRooted(t *testing.T) {
	for _, tc := range []struct {
		page, dest, want string
		ok               bool
	}{
		{"briefings/b/", "../c/", "/briefings/c/", true},
		{"briefings/b/", "..", "/briefings/", true},
		{"briefings/b/", "../..", "/", true},
		{"briefings/b/", "img/a%20b.png?x=1#y", "/briefings/b/img/a%20b.png?x=1#y", true},
		{"briefings/b/", "#sec-x", "/briefings/b/#sec-x", true},
		{"briefings/b/", "?q", "/briefings/b/?q", true},
		{"", "claims/x/", "/claims/x/", true},
		{"", "./", "/", true},
		{"actors/a/", "../../../x/", "", false},
		{"actors/a/", "/claims/x/", "", false},
		{"actors/a/", "//host/x", "", false},
		{"actors/a/", "https://host/x", "", false},
		{"actors/a/", "mailto:a@b", "", false},
		{"actors/a/", "", "", false},
		{"actors/a/", "a:b/c", "", false},
		{"actors/a/", "a/b:c", "/actors/a/a/b:c", true},
	} {
		got, ok := Rooted(tc.page, tc.dest)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Rooted(%q, %q) = %q, %v; want %q, %v", tc.page, tc.dest, got, ok, tc.want, tc.ok)
		}
	}
}

func TestInternalTarget(t *testing.T) {
	for _, tc := range []struct {
		page, dest, path, frag string
		internal, outside      bool
	}{
		{"briefings/b/", "/claims/x/", "claims/x/", "", true, false},
		{"briefings/b/", "/claims/x", "claims/x", "", true, false},
		{"briefings/b/", "/", "", "", true, false},
		{"briefings/b/", "/tags/t%C3%A9/#top", "tags/té/", "top", true, false},
		{"briefings/b/", "/a/../b/./c/", "b/c/", "", true, false},
		{"briefings/b/", "#claim-x", "briefings/b/", "claim-x", true, false},
		{"briefings/b/", "../c/", "briefings/c/", "", true, false},
		{"briefings/b/", "../../../c/", "", "", true, true},
		{"briefings/b/", "https://example.org/", "", "", false, false},
		{"briefings/b/", "//example.org/", "", "", false, false},
		{"briefings/b/", "mailto:a@b", "", "", false, false},
		{"briefings/b/", "", "", "", false, false},
	} {
		got, internal, outside := InternalTarget(tc.page, tc.dest)
		if internal != tc.internal || outside != tc.outside || !outside && internal && (got.Path != tc.path || got.Fragment != tc.frag) {
			t.Errorf("InternalTarget(%q, %q) = %+v, %v, %v", tc.page, tc.dest, got, internal, outside)
		}
	}
}

// FoldString and FoldSpace must give what strings.Fields and Join give,
// and FoldString s itself when that is s.
func FuzzFoldString(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\u00a0b", "a\u0085b",
		"\u2003", "é b", "a \u3000", "\xff b", "b\xff", "日本 語", "x\u200by", "  ", "a\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Join(strings.Fields(s), " ")
		got := FoldString(s)
		if got != want {
			t.Fatalf("FoldString(%q) = %q, want %q", s, got, want)
		}
		if got := FoldSpace([]byte(s)); got != want {
			t.Fatalf("FoldSpace(%q) = %q, want %q", s, got, want)
		}
		if folded(s) != (want == s) {
			t.Fatalf("folded(%q) = %v, but Fields and Join give %q", s, folded(s), want)
		}
	})
}
