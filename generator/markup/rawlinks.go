package markup

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// urlAttrs are the attributes of raw HTML that hold one URL; srcset holds
// several, each followed by its size.
var urlAttrs = map[string]bool{"href": true, "src": true, "poster": true, "action": true, "data": true}

// RawLink is a URL in an attribute of raw HTML.
type RawLink struct {
	Off   int // byte offset of its tag in the raw HTML
	Dest  string
	Image bool // the src or srcset of an <img>, <source> or <picture>
}

// RawHTMLLinks lists the URLs of the tags of raw HTML, in order.
func RawHTMLLinks(raw []byte) []RawLink {
	var out []RawLink
	eachTag(raw, func(off, _ int, tok *html.Token) {
		image := tok.Data == "img" || tok.Data == "source" || tok.Data == "picture"
		for _, a := range tok.Attr {
			switch {
			case urlAttrs[a.Key]:
				out = append(out, RawLink{off, a.Val, image && a.Key == "src"})
			case a.Key == "srcset":
				for cand := range strings.SplitSeq(a.Val, ",") {
					if f := strings.Fields(cand); len(f) > 0 {
						out = append(out, RawLink{off, f[0], image})
					}
				}
			}
		}
	})
	return out
}

// rebaseHTML returns raw HTML with base put before every root-relative
// URL of its tags' attributes. A tag it changes is written anew by the
// HTML tokenizer; everything else keeps its bytes.
func rebaseHTML(raw []byte, base string) []byte {
	var out []byte
	last := 0
	eachTag(raw, func(off, end int, tok *html.Token) {
		changed := false
		for i, a := range tok.Attr {
			switch {
			case urlAttrs[a.Key] && IsRootRelative([]byte(a.Val)):
				tok.Attr[i].Val = base + a.Val[1:]
				changed = true
			case a.Key == "srcset":
				cands := strings.Split(a.Val, ",")
				for j, cand := range cands {
					trimmed := strings.TrimLeft(cand, " \t\n\r\f")
					if IsRootRelative([]byte(trimmed)) {
						cands[j] = cand[:len(cand)-len(trimmed)] + base + trimmed[1:]
						changed = true
					}
				}
				tok.Attr[i].Val = strings.Join(cands, ",")
			}
		}
		if !changed {
			return
		}
		if out == nil {
			out = make([]byte, 0, len(raw)+len(base))
		}
		out = append(out, raw[last:off]...)
		out = append(out, tok.String()...)
		last = end
	})
	if out == nil {
		return raw
	}
	return append(out, raw[last:]...)
}

// eachTag calls f with every start tag of raw HTML and the offsets where
// it starts and ends.
func eachTag(raw []byte, f func(off, end int, tok *html.Token)) {
	z := html.NewTokenizer(bytes.NewReader(raw))
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		n := len(z.Raw())
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			tok := z.Token()
			f(off, off+n, &tok)
		}
		off += n
	}
}

// renderRebased renders a raw HTML node with goldmark's own function into
// a buffer, and writes it rebased.
func (r *linkRenderer) renderRebased(orig func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error)) func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		var buf bytes.Buffer
		bw := bufWriter{&buf}
		status, err := orig(bw, src, n, entering)
		_, _ = w.Write(rebaseHTML(buf.Bytes(), r.base))
		return status, err
	}
}

// bufWriter is a bytes.Buffer as a util.BufWriter.
type bufWriter struct{ *bytes.Buffer }

func (bufWriter) Available() int { return 0 }
func (bufWriter) Buffered() int  { return 0 }
func (bufWriter) Flush() error   { return nil }
