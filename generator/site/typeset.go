package site

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/extension"
)

// Typographer is goldmark's typographer as every site's Markdown has it:
// curly quotes, dashes and the ellipsis, written as the characters
// themselves rather than as entities, so that the plain text of a claim
// (its short form, its page's description) has the same marks as its
// rendered words.
var Typographer = extension.NewTypographer(extension.WithTypographicSubstitutions(
	extension.TypographicSubstitutions{
		extension.LeftSingleQuote:  []byte("‘"),
		extension.RightSingleQuote: []byte("’"),
		extension.LeftDoubleQuote:  []byte("“"),
		extension.RightDoubleQuote: []byte("”"),
		extension.EnDash:           []byte("–"),
		extension.EmDash:           []byte("—"),
		extension.Ellipsis:         []byte("…"),
		extension.LeftAngleQuote:   []byte("«"),
		extension.RightAngleQuote:  []byte("»"),
		extension.Apostrophe:       []byte("’"),
	}))

// Typeset makes the same substitutions as Typographer in front-matter text
// shown on pages (titles, summaries, datelines), which is not Markdown: a
// briefing's title then has the curly quotes its claims' words have.
// A quote opens at the start or after a space or an opening bracket or
// dash, and closes elsewhere; an apostrophe inside a word, or before a
// year's digits ('90s), is a closing single quote.
func Typeset(s string) string {
	if !strings.ContainsAny(s, `"'-.`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := rune(-1) // the rune written last; -1 at the start
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		rest := s[i+size:]
		next, _ := utf8.DecodeRuneInString(rest)
		opens := prev == -1 || unicode.IsSpace(prev) || strings.ContainsRune("([{-–—/", prev)
		out := string(r)
		switch {
		case strings.HasPrefix(s[i:], "---"):
			out, size = "—", 3
		case strings.HasPrefix(s[i:], "--"):
			out, size = "–", 2
		case strings.HasPrefix(s[i:], "..."):
			out, size = "…", 3
		case r == '"' && opens && rest != "" && !unicode.IsSpace(next):
			out = "“"
		case r == '"':
			out = "”"
		case r == '\'' && opens && unicode.IsDigit(next):
			out = "’"
		case r == '\'' && opens && rest != "" && !unicode.IsSpace(next):
			out = "‘"
		case r == '\'':
			out = "’"
		}
		b.WriteString(out)
		prev, _ = utf8.DecodeLastRuneInString(out)
		i += size
	}
	return b.String()
}
