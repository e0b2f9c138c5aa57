package site

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// lexTokenCap bounds a comparison: a few of chroma's lexers emit empty
// tokens for ever on some input (see guardedLexer), and both must agree
// up to there.
const lexTokenCap = 20000

// tokensOf is up to lexTokenCap tokens of l on text, and whether l
// panicked (as chroma's loop does on a mutator's error).
func tokensOf(l chroma.Lexer, text string) (toks []chroma.Token, panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	it, err := l.Tokenise(nil, text)
	if err != nil {
		return nil, true
	}
	for t := it(); t != chroma.EOF && len(toks) < lexTokenCap; t = it() {
		toks = append(toks, t)
	}
	return toks, false
}

// chromaTestFiles are chroma's own lexer test inputs, by file name
// without extension; nil when the module's folder cannot be found.
func chromaTestFiles(t testing.TB) map[string]string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/alecthomas/chroma/v2").Output()
	if err != nil {
		t.Logf("chroma's folder: %v", err)
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "lexers", "testdata", "*.actual"))
	texts := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[strings.TrimSuffix(filepath.Base(f), ".actual")] = string(b)
	}
	return texts
}

// TestFastLexerMatchesChroma holds fastLexer to chroma on every lexer
// chroma has: on chroma's test file for the lexer, and on a few texts
// in other languages, which reach the rules that recover from input a
// lexer does not expect.
func TestFastLexerMatchesChroma(t *testing.T) {
	if raceEnabled {
		t.Skip("one goroutine: the race detector would only make it minutes long")
	}
	files := chromaTestFiles(t)
	foreign := []string{
		"{\"a\": [1, 2.5e3, -0, true, null], \"b\\\"\": \"\\u00e9\"}\n",
		"package main\n\nfunc main() {\n\tprintln(`raw`, 'x', 0x1F) // hi\n}\n",
		"<!doctype html>\n<p class=\"x\">a &amp; b<script>if (a < b) {}</script>\n",
		"def f(x):\n    \"\"\"doc\"\"\"\n    return x ** 2  # note\r\n\r\n@dec\nclass C: pass",
		"SELECT * FROM t WHERE a = 'it''s' -- c\n/* block */;\n",
		"#!/bin/sh\necho \"$HOME\" ${x:-y} $(ls) <<EOF\nhere\nEOF\n",
		"unclosed \"string and ( brace [ and { and /* comment\n\n\\\n",
		"Ünïcødé ‘quotes’ — 日本語 \u00a0\u2028 emoji 🎉 ١٢٣\n",
		"",
		"\n",
		"x",
		"/:my $x/; say 1;\n", // raku's Go code rewrites its rules in a nested run
	}
	if files != nil {
		for _, name := range []string{"go", "python", "javascript", "html", "rust", "yaml", "markdown", "c++"} {
			if s, ok := files[name]; ok {
				foreign = append(foreign, s)
			}
		}
	}
	fast, compared := 0, 0
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		f := newFastLexer(l, lexers.GlobalLexerRegistry)
		if f == l {
			continue // not a RegexLexer: highlighted by chroma itself
		}
		fast++
		cfg := l.Config()
		texts := slices.Clone(foreign)
		for _, name := range append([]string{cfg.Name}, cfg.Aliases...) {
			if s, ok := files[strings.ToLower(name)]; ok {
				texts = append(texts, s)
			}
		}
		for i, text := range texts {
			want, wantPanic := tokensOf(l, text)
			got, gotPanic := tokensOf(f, text)
			// A rule that times out on a loaded machine (regexp2's clock,
			// in chroma's lexer as in the fast one) gives Error tokens
			// once; a real difference gives them every time.
			for try := 0; try < 3 && (wantPanic != gotPanic || !slices.Equal(got, want)); try++ {
				want, wantPanic = tokensOf(l, text)
				got, gotPanic = tokensOf(f, text)
			}
			compared++
			if wantPanic != gotPanic || !slices.Equal(got, want) {
				t.Errorf("%s, text %d: fast lexer differs from chroma's (panicked %v, %v)\n got %d tokens: %.300v\nwant %d tokens: %.300v",
					cfg.Name, i, gotPanic, wantPanic, len(got), firstDiff(got, want), len(want), firstDiff(want, got))
			}
		}
	}
	if fast < 250 {
		t.Errorf("only %d of chroma's lexers have a fast form", fast)
	}
	t.Logf("%d lexers, %d texts compared", fast, compared)
}

// firstDiff is a from the first token where it differs from b.
func firstDiff(a, b []chroma.Token) []chroma.Token {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return a[i:min(len(a), i+5)]
		}
	}
	return nil
}

// BenchmarkLexer tokenises a block of each of a few languages with
// chroma's lexer and with its fast form.
func BenchmarkLexer(b *testing.B) {
	files := chromaTestFiles(b)
	blocks := map[string]string{"json": `{
  "briefing": "b-12",
  "round": 3,
  "delegations": ["actor-1", "actor-7"],
  "monitors": {"present": true, "hours": "daylight only", "posts": 17},
  "corridor": {"from": "City 12", "status": "disputed"},
  "sources": ["source-4"],
  "shelling": "none reported"
}
`}
	for _, name := range []string{"go", "python", "yaml"} {
		if s, ok := files[name]; ok {
			blocks[name] = s
		}
	}
	for _, name := range slices.Sorted(maps.Keys(blocks)) {
		l := lexers.Get(name)
		for _, form := range []struct {
			name  string
			lexer chroma.Lexer
		}{{"chroma", l}, {"fast", newFastLexer(l, lexers.GlobalLexerRegistry)}} {
			b.Run(name+"/"+form.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(blocks[name])))
				for b.Loop() {
					it, _ := form.lexer.Tokenise(nil, blocks[name])
					for t := it(); t != chroma.EOF; t = it() {
					}
				}
			})
		}
	}
}

// fuzzLexers are the languages FuzzFastLexer picks from: common in
// briefings, and between them every kind of rule (groups, sub-lexers,
// combined and included states, named groups).
var fuzzLexers = []string{"json", "go", "python", "yaml", "html", "bash", "javascript", "sql", "markdown", "xml", "toml", "diff", "php", "raku"}

// FuzzFastLexer holds fastLexer to chroma on any text in the languages
// of fuzzLexers.
func FuzzFastLexer(f *testing.F) {
	f.Add(uint8(0), "{\"a\": [1, 2.5e3, true], \"b\": {\"c\": null}}\n")
	f.Add(uint8(1), "package main\n\nfunc main() { println(\"x\") }\n")
	f.Add(uint8(4), "<p a=\"1\">x<script>var y = 1;</script>\r\n")
	f.Add(uint8(13), "my $x = q{a{b}c}; say $x;\n")
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		if len(text) > 2000 {
			return // chroma's expressions may take their 250 ms each on long input
		}
		l := lexers.Get(fuzzLexers[int(which)%len(fuzzLexers)])
		want, wantPanic := tokensOf(l, text)
		got, gotPanic := tokensOf(newFastLexer(l, lexers.GlobalLexerRegistry), text)
		if wantPanic != gotPanic || !slices.Equal(got, want) {
			t.Fatalf("%s: fast lexer differs (panicked %v, %v)\n got %.300v\nwant %.300v", l.Config().Name, gotPanic, wantPanic, firstDiff(got, want), firstDiff(want, got))
		}
	})
}

// TestFastLexerLeavesOwnCode: a lexer with mutators written in Go, which
// may rewrite the rules every block shares as they run (raku's do, in
// nested runs too, where a copy of ours would not see it), is left to
// chroma.
func TestFastLexerLeavesOwnCode(t *testing.T) {
	for _, name := range []string{"raku", "haxe"} {
		l := lexers.Get(name)
		if f := newFastLexer(l, lexers.GlobalLexerRegistry); f != l {
			t.Errorf("%s: has a fast form", name)
		}
	}
	if l := lexers.Get("json"); newFastLexer(l, lexers.GlobalLexerRegistry) == l {
		t.Error("json: no fast form")
	}
}

// TestFastLexerConcurrent highlights blocks of several languages on
// several goroutines through one cache, as a build does, for the race
// detector, and requires each block's HTML to be what it is alone.
func TestFastLexerConcurrent(t *testing.T) {
	blocks := map[string]string{
		"json":   "{\"a\": [1, 2.5, true, null], \"b\": {\"c\": \"d\"}}\n",
		"go":     "package main\n\nfunc main() {\n\tfmt.Println(`x`, 0x1F) // c\n}\n",
		"python": "def f(x):\n    return [y ** 2 for y in x]  # c\n",
		"html":   "<p class=\"x\">a &amp; b<script>var y = 1;</script>\n",
		"bash":   "for f in *.md; do echo \"$f\" | wc -c; done\n",
	}
	want := map[string]string{}
	for lang, code := range blocks {
		var b bytes.Buffer
		highlight(&b, lexers.Get(lang), []byte(lang), []byte(code))
		want[lang] = b.String()
	}
	c := NewCodeCache(1 << 20)
	langs := slices.Sorted(maps.Keys(blocks))
	Parallel(200, func(i int) {
		lang := langs[i%len(langs)]
		var b bytes.Buffer
		highlight(&b, c.lexer([]byte(lang)), []byte(lang), []byte(blocks[lang]))
		if b.String() != want[lang] {
			t.Errorf("%s: %q, alone %q", lang, b.String(), want[lang])
		}
	})
}

// TestAgainOnTimeout: a match that times out before its time has passed
// (regexp2's clock came late, as on a busy machine, where a JSON block got
// an error token) is tried once more; one that took its time, or failed
// otherwise, is not, so that slow rules keep to a block's budget.
func TestAgainOnTimeout(t *testing.T) {
	for _, tc := range []struct {
		errs  []error
		slow  bool // the first call takes the whole timeout
		calls int
		fails bool
	}{
		{[]error{nil}, false, 1, false},
		{[]error{regexp2.ErrMatchTimeout, nil}, false, 2, false},
		{[]error{regexp2.ErrMatchTimeout, regexp2.ErrMatchTimeout}, false, 2, true},
		{[]error{regexp2.ErrMatchTimeout, nil}, true, 1, true},
		{[]error{regexp2.ErrBacktrackingStackLimit}, false, 1, true},
	} {
		calls := 0
		err := again(func() error {
			calls++
			if tc.slow && calls == 1 {
				time.Sleep(lexMatchTimeout)
			}
			return tc.errs[calls-1]
		})
		if calls != tc.calls || (err != nil) != tc.fails {
			t.Errorf("%v (slow %v): %d calls, %v", tc.errs, tc.slow, calls, err)
		}
	}
	// The timeout as the lexers meet it: a runaway expression given no
	// time at all.
	re := regexp2.MustCompile(`(a+)+b`)
	re.MatchTimeout = time.Nanosecond
	if _, err := re.FindStringMatch(strings.Repeat("a", 30)); !errors.Is(err, regexp2.ErrMatchTimeout) {
		t.Fatalf("regexp2 says %v of a timeout; again retries only ErrMatchTimeout", err)
	}
}
