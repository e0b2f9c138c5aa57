package site

import (
	"bytes"
	"regexp"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's GFM extension with its linkify parser behind
// quickLinkify; without it when noLinkify is set.
type gfm struct{ noLinkify bool }

func (g gfm) Extend(m goldmark.Markdown) {
	if !g.noLinkify {
		m.Parser().AddOptions(parser.WithInlineParsers(
			util.Prioritized(quickLinkify{extension.NewLinkifyParser(linkifyOptions...)}, 999), // GFM's priority
		))
	}
	extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)).Extend(m)
	// Goldmark's own transformers' default priority: the tables are made
	// before any runs, while the blocks close.
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(alignCells{}, 500)))
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// linkifyOptions are goldmark's linkify with its own URL patterns but for
// square brackets, which end a bare URL: a claim's words that end in one
// (:claim[said at https://example.org/statement]{by=a}) had their closing
// ]{by=a} taken into the URL, and the claim was never closed. A URL whose
// query holds brackets links up to them.
var linkifyOptions = []extension.LinkifyOption{
	extension.WithLinkifyURLRegexp(regexp.MustCompile(`^(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=\(\);,'">\^{}` + "`" + `]*)?`)),
	extension.WithLinkifyWWWRegexp(regexp.MustCompile(`^www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?:[/#?][-a-zA-Z0-9@:%_\+.~#!?&/=\(\);,'">\^{}` + "`" + `]*)?`)),
}

// quickLinkify asks goldmark's linkify parser about a line only when the
// line could hold what it links: a URL (http://, https:// or ftp://), a
// www. address or an e-mail address. Linkify is called after every space of
// every paragraph, and nearly every line of prose holds none of them: it
// was 3% of a build's CPU. The test holds for linkify's default options
// only (no WithLinkifyAllowedProtocols: a mailto: link would need no //).
type quickLinkify struct{ parser.InlineParser }

// lineLinks remembers whether the text from start to stop could hold a
// link, for the rest of the line: what follows start on it, asked next.
type lineLinks struct {
	start, stop int
	linkable    bool
}

var lineLinksKey = parser.NewContextKey()

func (q quickLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	memo, _ := pc.Get(lineLinksKey).(*lineLinks)
	if memo == nil {
		memo = &lineLinks{start: -1}
		pc.Set(lineLinksKey, memo)
	}
	if seg.Stop != memo.stop || seg.Start < memo.start {
		memo.start, memo.stop = seg.Start, seg.Stop
		memo.linkable = bytes.IndexByte(line, '@') >= 0 || bytes.Contains(line, []byte("://")) || bytes.Contains(line, []byte("www."))
	}
	if !memo.linkable {
		return nil
	}
	return q.InlineParser.Parse(parent, block, pc)
}

// linkParser parses a text that could hold what linkify links (see
// mayLink) with the parser that has linkify, and any other with the one
// that has not. Linkify is an inline parser called after every space of
// every paragraph, and goldmark cuts the text it has read at each, looks
// up the parsers and moves back when they find nothing: a tenth of a
// body's parsing, for a link most briefings do not hold. Where linkify
// finds nothing on any line, the page is the one made without it
// (TestLinkParserSameTree, FuzzLinkParser).
type linkParser struct {
	parser.Parser // with linkify
	without       parser.Parser
}

// Parse implements parser.Parser.
func (p linkParser) Parse(r text.Reader, opts ...parser.ParseOption) ast.Node {
	if mayLink(r.Source()) {
		return p.Parser.Parse(r, opts...)
	}
	return p.without.Parse(r, opts...)
}

// AddOptions implements parser.Parser.
func (p linkParser) AddOptions(opts ...parser.Option) {
	p.Parser.AddOptions(opts...)
	p.without.AddOptions(opts...)
}

// mayLink reports whether src needs the parser with linkify: some line
// could hold what linkify links, as quickLinkify asks of each line, or
// ends in two or more white space characters. Goldmark trims a line's
// trailing white space from its last text, which linkify's calls have cut
// at each space: "a \t" ends in a space with linkify, and in "a" without.
func mayLink(src []byte) bool {
	if bytes.IndexByte(src, '@') >= 0 || bytes.Contains(src, []byte("://")) || bytes.Contains(src, []byte("www.")) {
		return true
	}
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }
	for end := len(src); end >= 2; {
		if space(src[end-1]) && space(src[end-2]) {
			return true
		}
		i := bytes.LastIndexByte(src[:end], '\n')
		if i < 0 {
			break
		}
		end = i
	}
	return false
}
