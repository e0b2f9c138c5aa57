package site

import (
	"bytes"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// HighlightStyle is the chroma style of code blocks; its stylesheet is
// written once per site, and blocks carry only class names.
const HighlightStyle = "github"

// highlightBudget is how long chroma may take over one code block. Some of
// its lexers never end on some input (jsonata and jungle loop on a lone
// backslash, emitting empty tokens for ever) and some take minutes on a
// few thousand characters; past the budget the rest of the block is shown
// as plain text, so no code block can hang a build or a preview.
const highlightBudget = 2 * time.Second

// codeRenderer renders fenced code blocks highlighted by chroma, with CSS
// classes, as goldmark-highlighting would, but through guardedLexer, and
// keeps what it highlighted in cache when there is one.
type codeRenderer struct{ cache *CodeCache }

// RegisterFuncs implements renderer.NodeRenderer.
func (c codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, c.render)
}

func (c codeRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(src)
	h := sha256.New()
	h.Write(lang)
	h.Write([]byte{0}) // a language name has no NUL: "js"+"on" is not "json"+""
	code := getCodeBuf()
	defer putCodeBuf(code)
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		code.Write(line.Value(src))
		h.Write(line.Value(src))
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	html, ok := c.cache.get(key)
	if !ok {
		html, ok = c.cache.fromPack(key)
	}
	if ok {
		c.cache.keep(key, html)
		_, _ = w.Write(html)
		return ast.WalkContinue, nil
	}
	out := getCodeBuf()
	defer putCodeBuf(out)
	cut := highlight(out, c.cache.lexer(lang), lang, code.Bytes())
	_, _ = w.Write(out.Bytes())
	// A block cut short by the budget is not kept: on a quieter machine
	// the next build may finish it.
	if !cut {
		c.cache.add(key, out.Bytes())
		c.cache.keep(key, out.Bytes())
	}
	return ast.WalkContinue, nil
}

// codeBufs hold a code block and its highlighted HTML while it is
// rendered: grown afresh for every block, they were 80 MB of the 2.55 GB
// a build of 10,000 briefings allocated. Neither is kept: the cache and
// the pack copy.
var codeBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getCodeBuf() *bytes.Buffer {
	b := codeBufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putCodeBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		codeBufs.Put(b)
	}
}

// highlight writes code as HTML, highlighted by lexer (chroma's for lang,
// or nil), and reports whether the lexer was cut short by guardedLexer.
func highlight(w *bytes.Buffer, lexer chroma.Lexer, lang, code []byte) (cut bool) {
	if lexer != nil {
		g := guardedLexer{lexer, highlightBudget}
		it, err := chroma.Coalesce(cutLexer{g, &cut}).Tokenise(nil, string(code))
		if err == nil {
			writeCode(w, it)
			return cut
		}
	}
	w.WriteString("<pre><code")
	if lang != nil {
		w.WriteString(` class="language-`)
		w.Write(util.EscapeHTML(lang))
		w.WriteByte('"')
	}
	w.WriteByte('>')
	w.Write(util.EscapeHTML(code))
	w.WriteString("</code></pre>\n")
	return cut
}

// CodeCache holds code blocks already highlighted, by the SHA-256 of
// their language and code, across the builds that share it: a server's
// rebuild after an edit then highlights only the blocks that changed.
//
// It is a map of highlighted HTML bounded in bytes. It keeps two
// generations: when the newer is full, the older is dropped and the newer
// takes its place, and a block found in the older is moved up. So it holds
// at most twice its limit, and what builds keep using stays. A nil
// CodeCache keeps nothing.
type CodeCache struct {
	// lexers maps a fence's language to chroma's lexer for it, or to
	// nil: a name chroma does not know is matched against every lexer's
	// file-name globs, about 4 ms each time, so an unknown language
	// (mermaid, console, a typo) on 10,000 blocks took 26 s of CPU.
	lexers sync.Map

	pack *codePack // the blocks of the last build and the next, on disk (see UseDir)

	mu       sync.Mutex
	cur, old map[[sha256.Size]byte][]byte
	size     int // bytes in cur
	limit    int
}

// NewCodeCache returns a cache of about limit bytes (twice that at most).
func NewCodeCache(limit int) *CodeCache { return &CodeCache{limit: limit} }

func (c *CodeCache) get(key [sha256.Size]byte) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if html, ok := c.cur[key]; ok {
		return html, true
	}
	html, ok := c.old[key]
	if ok {
		delete(c.old, key)
		c.put(key, html)
	}
	return html, ok
}

// Forget drops the blocks c holds in memory, the last build's pack among
// them, for a build whose bodies are all rendered: a page rendered after
// it highlights its blocks again, and this build's pack is still written.
// At 10,000 briefings the last pack alone is 22 MB. It is not to be called
// while blocks are highlighted.
func (c *CodeCache) Forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.cur, c.old, c.size = nil, nil, 0
	c.mu.Unlock()
	if c.pack != nil {
		c.pack.last = nil
	}
}

// lexer is chroma's lexer for the language lang, nil when it has none.
func (c *CodeCache) lexer(lang []byte) chroma.Lexer {
	// lexers.Get matches a name against every lexer's file-name globs,
	// which takes seconds for a name of kilobytes; language names are short.
	if len(lang) == 0 || len(lang) > 40 {
		return nil
	}
	if c == nil {
		// Without a cache to keep it, the fast form would be made for
		// every block, at more than it saves.
		return lexers.Get(string(lang))
	}
	if v, ok := c.lexers.Load(string(lang)); ok {
		l, _ := v.(chroma.Lexer) // nil when chroma has none
		return l
	}
	l := lexerFor(lang)
	c.lexers.Store(string(lang), l)
	return l
}

// lexerFor is chroma's lexer for lang in its fast form (see fastLexer),
// nil when chroma has none.
func lexerFor(lang []byte) chroma.Lexer {
	l := lexers.Get(string(lang))
	if l == nil {
		return nil
	}
	return newFastLexer(l, lexers.GlobalLexerRegistry)
}

// add keeps a copy of html under key.
func (c *CodeCache) add(key [sha256.Size]byte, html []byte) {
	if c == nil || len(html) > c.limit/16 {
		return // a huge block would push out many small ones
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(key, bytes.Clone(html))
}

func (c *CodeCache) put(key [sha256.Size]byte, html []byte) {
	if _, ok := c.cur[key]; ok {
		return
	}
	if c.cur == nil || c.size+len(html) > c.limit {
		c.old, c.cur, c.size = c.cur, map[[sha256.Size]byte][]byte{}, 0
	}
	c.cur[key] = html
	c.size += len(html) + len(key)
}

// cutLexer tells, through cut, whether its guardedLexer ended the tokens
// early.
type cutLexer struct {
	guardedLexer
	cut *bool
}

// Tokenise implements chroma.Lexer.
func (c cutLexer) Tokenise(opts *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	return c.tokenise(opts, text, c.cut)
}

// guardedLexer ends a lexer's tokens with the rest of the text as plain
// text when the lexer is stuck (a long run of empty tokens) or past its
// budget.
type guardedLexer struct {
	chroma.Lexer
	budget time.Duration
}

// Tokenise implements chroma.Lexer.
func (g guardedLexer) Tokenise(opts *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	return g.tokenise(opts, text, nil)
}

// tokenise is Tokenise, setting *cut (when cut is not nil) if it ends the
// tokens early.
func (g guardedLexer) tokenise(opts *chroma.TokeniseOptions, text string, cut *bool) (chroma.Iterator, error) {
	it, err := g.Lexer.Tokenise(opts, text)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(g.budget)
	consumed, empty, done := 0, 0, false
	return func() chroma.Token {
		if done {
			return chroma.EOF
		}
		t := it()
		if t == chroma.EOF {
			done = true
			return t
		}
		if t.Value == "" {
			empty++
		} else {
			empty = 0
		}
		if empty > 1000 || time.Now().After(deadline) {
			done = true
			if cut != nil {
				*cut = true
			}
			return chroma.Token{Type: chroma.Text, Value: text[min(consumed, len(text)):]}
		}
		consumed += len(t.Value)
		return t
	}, nil
}
