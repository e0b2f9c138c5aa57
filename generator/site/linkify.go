package site

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's GFM extension with its linkify parser behind
// quickLinkify.
type gfm struct{}

func (gfm) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(quickLinkify{extension.NewLinkifyParser()}, 999), // GFM's priority
	))
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
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
