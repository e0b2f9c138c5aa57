package site

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// codeFormatter is chroma's HTML formatter as code blocks were written
// with before writeCode: with CSS classes.
var codeFormatter = chromahtml.New(chromahtml.WithClasses(true))

// chromaHTML is what chroma's own formatter writes of the tokens of text,
// and what writeCode writes of them; ok is false when the lexer panics
// (some of chroma's do: the renderer fails such a page).
func chromaHTML(t testing.TB, lexer chroma.Lexer, text string) (want, got string, ok bool) {
	t.Helper()
	var tokens []chroma.Token
	func() {
		defer func() { ok = recover() == nil }()
		it, err := chroma.Coalesce(lexer).Tokenise(nil, text)
		if err != nil {
			panic(err)
		}
		tokens = it.Tokens()
	}()
	if !ok {
		return "", "", false
	}
	var a, b bytes.Buffer
	if err := codeFormatter.Format(&a, styles.Get(HighlightStyle), chroma.Literator(tokens...)); err != nil {
		t.Fatal(err)
	}
	writeCode(&b, chroma.Literator(tokens...))
	return a.String(), b.String(), true
}

// TestWriteCodeMatchesChroma holds writeCode to chroma's formatter over
// every lexer chroma has, on text made of the pieces code is made of:
// newlines at the ends of tokens and inside them, CRLF, blank lines at the
// end, characters HTML escapes, and none at all.
func TestWriteCodeMatchesChroma(t *testing.T) {
	pieces := []string{"a", " ", "\n", "\n\n", "\r\n", "\t", "<", ">", "&", "'", `"`, "//", "/*", "*/", "#", "--", "{", "}", "(", ")", "[", "]",
		"1", "0x1F", "3.14", "\"str\"", "'c'", "`raw`", "if", "func", "true", "null", "def", "é", "日本", "🙂", "\\", ";", ":", "=", "@", "$x"}
	r := rand.New(rand.NewPCG(3, 4))
	texts := []string{"", "\n", "x", "x\n", "\n\nx\n\n", `{"a": [1, 2.5, "<b>&"], "c": null}` + "\n"}
	for range 12 {
		var b []byte
		for n := r.IntN(40); n > 0; n-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		texts = append(texts, string(b))
	}
	checked := 0
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		name := l.Config().Name
		for _, text := range texts {
			lexer := guardedLexer{l, highlightBudget}
			want, got, ok := chromaHTML(t, lexer, text)
			if ok && got != want {
				t.Fatalf("%s, %q:\nchroma %q\nwrote  %q", name, text, want, got)
			}
			if ok {
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d blocks compared", checked)
	}
}

// TestWriteCodeTokens holds writeCode to chroma's formatter on tokens no
// lexer of chroma's may give today: empty ones, last or between others,
// and many lines in one.
func TestWriteCodeTokens(t *testing.T) {
	tok := func(tt chroma.TokenType, v string) chroma.Token { return chroma.Token{Type: tt, Value: v} }
	for _, tokens := range [][]chroma.Token{
		{tok(chroma.Keyword, "if"), tok(chroma.Text, "")},
		{tok(chroma.Keyword, "if\n"), tok(chroma.Text, "")},
		{tok(chroma.Keyword, "if\n"), tok(chroma.Text, ""), tok(chroma.Text, "")},
		{tok(chroma.Text, ""), tok(chroma.Keyword, "a\n\nb\n"), tok(chroma.Comment, "")},
		{tok(chroma.LiteralString, "\n\n\n")},
		{tok(chroma.Error, "<&>\"'"), tok(chroma.TokenType(-1), "x\n"), tok(chroma.NameBuiltinPseudo, "y")},
		{},
	} {
		var a, b bytes.Buffer
		if err := codeFormatter.Format(&a, styles.Get(HighlightStyle), chroma.Literator(tokens...)); err != nil {
			t.Fatal(err)
		}
		writeCode(&b, chroma.Literator(tokens...))
		if a.String() != b.String() {
			t.Errorf("%v:\nchroma %q\nwrote  %q", tokens, a.String(), b.String())
		}
	}
}

// FuzzWriteCode compares writeCode with chroma's formatter on any text,
// through the lexers of the languages briefings show most.
func FuzzWriteCode(f *testing.F) {
	f.Add(uint8(0), "{\"a\": 1}\n")
	f.Add(uint8(3), "x\r\n\n<&>\n\n")
	names := []string{"json", "go", "python", "bash", "yaml", "html", "markdown", "plaintext"}
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		l := lexers.Get(names[int(which)%len(names)])
		want, got, ok := chromaHTML(t, guardedLexer{l, highlightBudget}, text)
		if ok && got != want {
			t.Fatalf("%q:\nchroma %q\nwrote  %q", text, want, got)
		}
	})
}
