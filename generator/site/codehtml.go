package site

import (
	"bytes"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// writeCode writes the tokens of it as chroma's HTML formatter writes them
// with CSS classes, byte for byte, which TestWriteCodeMatchesChroma and
// FuzzWriteCode hold it to. Chroma's
// formatter collects the tokens, splits them into lines and formats
// every token with fmt: that was a fifth of a block's highlighting time
// and 20 KB of garbage for a 270-byte JSON block, 200 MB at 10,000
// briefings.
func writeCode(w *bytes.Buffer, it chroma.Iterator) {
	w.WriteString(`<pre`)
	w.WriteString(classAttr(chroma.PreWrapper))
	w.WriteString(`><code>`)
	var line []chroma.Token // the line's tokens so far
	flush := func() {
		w.WriteString(`<span`)
		w.WriteString(classAttr(chroma.Line))
		w.WriteString(`><span`)
		w.WriteString(classAttr(chroma.CodeLine))
		w.WriteString(`>`)
		for _, t := range line {
			attr := classAttr(t.Type)
			if attr != "" {
				w.WriteString(`<span`)
				w.WriteString(attr)
				w.WriteByte('>')
			}
			_, _ = htmlEscaper.WriteString(w, t.Value)
			if attr != "" {
				w.WriteString(`</span>`)
			}
		}
		w.WriteString(`</span></span>`)
		line = line[:0]
	}
	// As chroma.SplitTokensIntoLines: a token across lines is cut after
	// each newline, its empty tail dropped, and a last line of one empty
	// token is left out.
	for t := it(); t != chroma.EOF; t = it() {
		cut := false
		for {
			i := strings.IndexByte(t.Value, '\n')
			if i < 0 {
				break
			}
			line = append(line, chroma.Token{Type: t.Type, Value: t.Value[:i+1]})
			flush()
			t.Value, cut = t.Value[i+1:], true
			if t.Value == "" {
				break
			}
		}
		if !cut || t.Value != "" {
			line = append(line, t)
		}
	}
	if len(line) > 0 && !(len(line) == 1 && line[0].Value == "") {
		flush()
	}
	w.WriteString(`</code></pre>`)
}

// classAttrs are the class attributes of the token types chroma names.
var classAttrs = sync.OnceValue(func() map[chroma.TokenType]string {
	m := make(map[chroma.TokenType]string, len(chroma.StandardTypes))
	for t := range chroma.StandardTypes {
		m[t] = classAttrOf(t)
	}
	return m
})

// classAttr is ` class="…"` for a token of type t, or "" when chroma gives
// it no class.
func classAttr(t chroma.TokenType) string {
	if a, ok := classAttrs()[t]; ok {
		return a
	}
	return classAttrOf(t)
}

// classAttrOf is classAttr as chroma's formatter finds it: the class of
// the nearest of t and its parents that has one.
func classAttrOf(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			if cls != "" {
				return ` class="` + cls + `"`
			}
			return ""
		}
		t = t.Parent()
	}
	if cls := chroma.StandardTypes[t]; cls != "" {
		return ` class="` + cls + `"`
	}
	return ""
}

// htmlEscaper escapes as html.EscapeString does (its own replacer, which
// the html package does not export), writing to a buffer without making
// a string of each token.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")
