package site

import (
	"bytes"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
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
// classes, as goldmark-highlighting would, but through guardedLexer.
type codeRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, renderCode)
}

var codeFormatter = chromahtml.New(chromahtml.WithClasses(true))

func renderCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code bytes.Buffer
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		code.Write(line.Value(src))
	}
	lang := n.Language(src)
	var lexer chroma.Lexer
	// lexers.Get matches a name against every lexer's file-name globs,
	// which takes seconds for a name of kilobytes; language names are short.
	if len(lang) > 0 && len(lang) <= 40 {
		lexer = lexers.Get(string(lang))
	}
	if lexer != nil {
		it, err := chroma.Coalesce(guardedLexer{lexer, highlightBudget}).Tokenise(nil, code.String())
		if err == nil && codeFormatter.Format(w, styles.Get(HighlightStyle), it) == nil {
			return ast.WalkContinue, nil
		}
	}
	_, _ = w.WriteString("<pre><code")
	if lang != nil {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.Write(util.EscapeHTML(lang))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	_, _ = w.Write(util.EscapeHTML(code.Bytes()))
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkContinue, nil
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
			return chroma.Token{Type: chroma.Text, Value: text[min(consumed, len(text)):]}
		}
		consumed += len(t.Value)
		return t
	}, nil
}
