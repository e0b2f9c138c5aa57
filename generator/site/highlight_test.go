package site

import (
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// joined is what an iterator yields, joined, stopping at 10,000 tokens.
func joined(t *testing.T, it chroma.Iterator) string {
	var b strings.Builder
	for n := 0; ; n++ {
		tok := it()
		if tok == chroma.EOF {
			return b.String()
		}
		if n > 10_000 {
			t.Fatal("the tokens do not end")
		}
		b.WriteString(tok.Value)
	}
}

// chroma's jsonata lexer emits empty tokens for ever after a lone
// backslash; guarded, the rest of the block comes out as plain text.
func TestGuardedLexerStuck(t *testing.T) {
	src := "$match(phone, /\\d+/) and a \\ b\n"
	it, err := chroma.Coalesce(guardedLexer{lexers.Get("jsonata"), time.Minute}).Tokenise(nil, src)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	go func() { done <- joined(t, it) }()
	select {
	case got := <-done:
		if got != src {
			t.Errorf("got %q, want the whole source %q", got, src)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the lexer did not end") // hang guard, not a timing
	}
}

// slowLexer yields one character a token, taking its time.
type slowLexer struct{ chroma.Lexer }

func (slowLexer) Tokenise(_ *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	i := 0
	return func() chroma.Token {
		if i == len(text) {
			return chroma.EOF
		}
		time.Sleep(time.Millisecond)
		i++
		return chroma.Token{Type: chroma.Keyword, Value: text[i-1 : i]}
	}, nil
}

func TestGuardedLexerBudget(t *testing.T) {
	src := strings.Repeat("x", 5000) // 5 s at a millisecond a character
	it, _ := guardedLexer{slowLexer{lexers.Fallback}, 20 * time.Millisecond}.Tokenise(nil, src)
	n, got := 0, ""
	for tok := it(); tok != chroma.EOF; tok = it() {
		n++
		got += tok.Value
	}
	if got != src {
		t.Error("the text was not all there")
	}
	if n > 1000 {
		t.Errorf("%d tokens: the budget did not end the lexing", n)
	}
}

// A fence's language of kilobytes is no language: looking it up took
// seconds a block.
func TestLongLanguageName(t *testing.T) {
	md := Markdown(false, nil, nil)
	src := strings.Repeat("```"+strings.Repeat("a", 20_000)+"\nx\n```\n\n", 20)
	done := make(chan struct{})
	go func() {
		var b strings.Builder
		_ = md.Convert([]byte(src), &b)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the language names were looked up") // hang guard: 20 × 12 s before
	}
}

// A block rendered from the cache is the block rendered afresh, and the
// cache stays within its bounds however many blocks pass through it.
func TestHighlightCache(t *testing.T) {
	src := []byte("# Title\n\n```json\n{\"a\": [1, 2, \"x\"]}\n```\n")
	cache := NewCodeCache(4 << 20)
	convert := func() string {
		var b strings.Builder // not a bytes.Buffer: the pooled writer's path
		if err := Markdown(false, nil, cache).Convert(src, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	first, second := convert(), convert()
	if first != second || !strings.Contains(first, `<span class="p">{</span>`) || len(cache.cur) != 1 {
		t.Fatalf("fresh:\n%s\ncached:\n%s", first, second)
	}
	c := NewCodeCache(1000)
	for i := range 100 {
		var key [32]byte
		key[0], key[1] = byte(i), byte(i>>8)
		c.add(key, make([]byte, 50))
	}
	total := 0
	for _, m := range []map[[32]byte][]byte{c.cur, c.old} {
		for k, v := range m {
			total += len(k) + len(v)
		}
	}
	if total > 2*c.limit {
		t.Errorf("the cache holds %d bytes, limit %d a generation", total, c.limit)
	}
	var last [32]byte
	last[0] = 99
	if _, ok := c.get(last); !ok {
		t.Error("the newest block is not in the cache")
	}
}

// A fence's language is looked up in chroma once per cache, whether
// chroma knows it or not: an unknown name is matched against every
// lexer's file-name globs, milliseconds each time, and 10,000 blocks of
// an unknown language took a build from 13 s to 39 s.
func TestLexerLookedUpOnce(t *testing.T) {
	c := NewCodeCache(1 << 20)
	for _, lang := range []string{"json", "mermaid", "json", "mermaid", "go"} {
		got, want := c.lexer([]byte(lang)), lexers.Get(lang)
		if f, ok := got.(*fastLexer); ok {
			got = f.RegexLexer
		}
		if got != want {
			t.Errorf("%s: lexer %v, chroma's is %v", lang, got, want)
		}
	}
	n := 0
	c.lexers.Range(func(k, v any) bool {
		n++
		return true
	})
	if c.lexer([]byte("json")) != c.lexer([]byte("json")) {
		t.Error("json's lexer is made again")
	}
	if _, ok := c.lexers.Load("mermaid"); !ok || n != 3 {
		t.Errorf("%d languages kept, want json, mermaid (unknown to chroma) and go", n)
	}
	if c.lexer(nil) != nil || c.lexer([]byte(strings.Repeat("a", 41))) != nil {
		t.Error("an empty or over-long name has a lexer")
	}
}
