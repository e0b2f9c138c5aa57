package markup

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// HeadingIDPrefix begins every heading id. The page a body is shown on
// has ids of its own, main, claim-…, caveat-…, fn:…, h-…; with a prefix
// none of them uses, "## Main" no longer takes the layout's id="main".
const HeadingIDPrefix = "sec-"

// maxHeadingSlug is the most bytes of a heading id's words: the link
// stays readable and a long heading does not make a long id.
const maxHeadingSlug = 64

// headingIDs gives every heading outside a caveat an id made of
// HeadingIDPrefix and the slug of its words, letters of any script kept,
// numbered from 2 when the page has it already: the same words give the
// same id as long as the headings above do not repeat them. A heading in
// a caveat gets none: a caveat is also shown on other pages, its own and
// the index of caveats, where its ids would repeat.
type headingIDs struct{}

// Transform implements parser.ASTTransformer.
func (headingIDs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	used := map[string]bool{}
	next := map[string]int{}
	above := 1 // the page's title
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *Caveat:
			removeHeadingIDs(n)
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			checkLevel(n, above, src, pc)
			checkOwnID(n, src, pc)
			above = n.Level
			base := HeadingIDPrefix + headingSlug(PlainText(n, src, nil))
			id := base
			if used[id] {
				k := max(next[base], 2)
				for id = base + "-" + strconv.Itoa(k); used[id]; id = base + "-" + strconv.Itoa(k) {
					k++
				}
				next[base] = k + 1
			}
			used[id] = true
			n.SetAttributeString("id", []byte(id))
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock:
			return ast.WalkSkipChildren, nil // inlines hold no heading
		}
		return ast.WalkContinue, nil
	})
}

// checkLevel warns of a heading that breaks the page's outline, which
// readers of screen readers move through by level: a level-1 heading in a
// body, under the page's own title, is a second title, and a heading more
// than one level below the one above it (## and then ####, or ### first)
// leaves a level out. Headings in caveats are not checked: a caveat is
// shown under different headings on different pages.
func checkLevel(n *ast.Heading, above int, src []byte, pc parser.Context) {
	switch {
	case n.Level == 1:
		warn(pc, headingStart(n, src), "start the body's sections at ## (level 2): the title, from the front matter, is the page's level-1 heading",
			"a level-1 heading in the body makes a second title in the page's outline")
	case n.Level > above+1:
		warn(pc, headingStart(n, src), "write it with "+strings.Repeat("#", above+1)+", or add the heading of level "+strconv.Itoa(above+1)+" that it belongs under",
			"a heading of level %d under one of level %d leaves a level out of the page's outline", n.Level, above)
	}
}

// checkOwnID warns of a heading that ends with an id of its own in
// braces, as Hugo reads "## Background {#background}": here a heading's
// id is made of its words, and the braces would be shown as written.
func checkOwnID(n *ast.Heading, src []byte, pc parser.Context) {
	if n.Lines().Len() == 0 {
		return
	}
	seg := n.Lines().At(n.Lines().Len() - 1)
	line := bytes.TrimRight(src[seg.Start:seg.Stop], " \t\r\n")
	open := bytes.LastIndex(line, []byte("{#"))
	if open < 0 || !bytes.HasSuffix(line, []byte("}")) || bytes.ContainsAny(line[open+2:len(line)-1], " {}") {
		return
	}
	warn(pc, seg.Start+open, "take it out, and link the heading as #"+HeadingIDPrefix+"<its words>",
		"a heading's id is made of its words; %s is shown as written", line[open:])
}

// headingStart is where a heading begins: at its first #, or at its
// words for a heading underlined with = or -.
func headingStart(n *ast.Heading, src []byte) int {
	if at := n.Pos(); at >= 0 {
		return at
	}
	if n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	return 0
}

// removeHeadingIDs takes away the ids goldmark's own option may have
// given the headings of a caveat.
func removeHeadingIDs(n ast.Node) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := c.(*ast.Heading); ok && entering {
			attrs := h.Attributes()
			h.RemoveAttributes()
			for _, a := range attrs {
				if string(a.Name) != "id" {
					h.SetAttribute(a.Name, a.Value)
				}
			}
		}
		return ast.WalkContinue, nil
	})
}

func headingSlug(words string) string {
	slug := SlugifyKeeping(words, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	if len(slug) > maxHeadingSlug {
		end := maxHeadingSlug
		for end > 0 && !utf8.RuneStart(slug[end]) {
			end--
		}
		slug = strings.TrimRight(slug[:end], "-")
	}
	if slug == "" {
		return "section"
	}
	return slug
}

// PlainText is the text of a node's descendants as a reader sees it, one
// space between words: wikilinks by their label or by what link (which may
// be nil) says they resolved to, code by its text, markup left out.
func PlainText(n ast.Node, src []byte, link func(*Wikilink) *Link) string {
	return plainText(n, src, link, false)
}

// ShownText is PlainText for a site that shows raw HTML as written, as
// text (see EscapeRawHTML): the raw HTML among the words is words too
// ("the informant <redacted> met"), but for a comment, never shown.
// PlainText leaves it out, as a site that lets raw HTML through shows
// only what the HTML makes of it, and as ids are made, which must not
// depend on that.
func ShownText(n ast.Node, src []byte, link func(*Wikilink) *Link) string {
	return plainText(n, src, link, true)
}

func plainText(n ast.Node, src []byte, link func(*Wikilink) *Link, rawText bool) string {
	// The text is gathered in a buffer used again, since only the folded
	// copy is kept: gathered into a new one, every claim's and caveat's
	// text was garbage twice its length (5 MB at 1,000 briefings), made
	// when a build's heap is at its peak.
	a := appenders.Get().(*appender)
	*a = appender{dst: a.dst[:0], src: src, link: link, rawText: rawText}
	walkPlain(n, src, a)
	s := FoldSpace(a.dst)
	*a = appender{dst: a.dst}
	if cap(a.dst) <= 64<<10 {
		appenders.Put(a)
	}
	return s
}

// appenders are PlainText's buffers. A link may read another text, so
// PlainText can be in use more than once on a goroutine.
var appenders = sync.Pool{New: func() any { return new(appender) }}

// FoldSpace is the words of text, one space between each, as
// strings.Fields and Join would give them without the slice.
func FoldSpace(text []byte) string {
	// Read in place: the string returned is a copy either way.
	s := unsafe.String(unsafe.SliceData(text), len(text))
	if folded(s) {
		return string(text)
	}
	return fold(s)
}

// FoldString is FoldSpace for a string: s itself when its words are
// already one space apart, with none at either end, as most text is.
func FoldString(s string) string {
	if folded(s) {
		return s
	}
	return fold(s)
}

// fold is the words of s, one space between each, in a new string.
func fold(s string) string {
	var out strings.Builder
	out.Grow(len(s))
	for f := range strings.FieldsSeq(s) {
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(f)
	}
	return out.String()
}

// folded reports whether strings.Fields and Join would give s back.
func folded(s string) bool {
	space := true // what came before s counts as a space
	for i := 0; i < len(s); {
		c := s[i]
		if ' ' < c && c < utf8.RuneSelf {
			space = false
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if space {
					return false
				}
				space = true
			case '\t', '\n', '\v', '\f', '\r':
				return false
			default:
				space = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		space = false
		i += n
	}
	return !space || s == ""
}

// headingRenderer renders headings as goldmark does, and h2 to h4 with an
// id and words end with a link to themselves, which CSS shows on hover
// and focus.
type headingRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (headingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
}

// HeadingAnchorLabel is the accessible name of a heading's link to itself.
const HeadingAnchorLabel = "Link to this section"

func renderHeading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := "0123456"[n.Level]
	if entering {
		_, _ = w.WriteString("<h")
		_ = w.WriteByte(level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, html.HeadingAttributeFilter)
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok && n.Level >= 2 && n.Level <= 4 && n.HasChildren() {
		if b, ok := id.([]byte); ok {
			_, _ = w.WriteString(` <a class="heading-anchor" href="#`)
			_, _ = w.Write(util.EscapeHTML(b))
			_, _ = w.WriteString(`" aria-label="` + HeadingAnchorLabel + `">#</a>`)
		}
	}
	_, _ = w.WriteString("</h")
	_ = w.WriteByte(level)
	_, _ = w.WriteString(">\n")
	return ast.WalkContinue, nil
}
