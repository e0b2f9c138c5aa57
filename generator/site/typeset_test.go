package site

import (
	"bytes"
	"testing"
)

// TestTypeset: front-matter text gets the marks the Markdown typographer
// gives the same words in a briefing's body.
func TestTypeset(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`Talks "constructive", says Kremlin`, "Talks “constructive”, says Kremlin"},
		{`"Quoted" at the start`, "“Quoted” at the start"},
		{`Maren's corridor -- again`, "Maren’s corridor – again"},
		{`Wait... what --- now`, "Wait… what — now"},
		{`'Single' and the '90s`, "‘Single’ and the ’90s"},
		{`(“already curly”)`, "(“already curly”)"},
		{`("in brackets")`, "(“in brackets”)"},
		{`no marks at all`, "no marks at all"},
	} {
		if got := Typeset(c.in); got != c.want {
			t.Errorf("Typeset(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTypographerInBody: the body's Markdown is typeset with the same
// characters, not entities, and agrees with Typeset on a title.
func TestTypographerInBody(t *testing.T) {
	var out bytes.Buffer
	src := `Talks "constructive" -- Maren's view...`
	if err := Markdown(false, nil, nil).Convert([]byte(src), &out); err != nil {
		t.Fatal(err)
	}
	want := "<p>" + Typeset(src) + "</p>\n"
	if out.String() != want {
		t.Errorf("body %q, want %q", out.String(), want)
	}
}
