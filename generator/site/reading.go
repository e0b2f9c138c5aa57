package site

import (
	"slices"
	"strings"

	"briefing/generator/markup"

	"github.com/yuin/goldmark/ast"
)

// TOCMin is how many h2 and h3 headings a briefing needs for a table of
// contents: a short one reads in one glance without.
const TOCMin = 3

// TOCEntry is a heading of a briefing's table of contents.
type TOCEntry struct {
	Href  string // "#" and the heading's id
	Text  string
	Level int         // 2 or 3
	Sub   []*TOCEntry // the h3 headings under an h2
}

// TOC is the briefing's table of contents: its h2 headings, each with the
// h3 headings under it (an h3 before any h2 stands at the top), or nil
// when it has fewer than TOCMin of them. It is read from the parsed body
// each time, without keeping anything, so that a model read by many
// pages at once is not written to, and a page swapped in by Patch shows
// its own headings; or, for a body rendered while it was parsed, from
// the headings recorded then.
func (b *Briefing) TOC() []*TOCEntry {
	if r := b.m.rendered(b.Page); r != nil {
		return makeTOC(b.readTOC(slices.Clone(r.toc)))
	}
	return b.TOCIn(b.m.Doc(b.Page))
}

// TOCIn is TOC of the briefing's body parsed as doc from src (see
// Model.Doc).
func (b *Briefing) TOCIn(doc ast.Node, src []byte) []*TOCEntry {
	var heads []tocHead
	tocHeadings(doc, func(n *ast.Heading, id string) {
		heads = append(heads, tocHead{level: n.Level, id: id, text: b.m.ShownText(n, src, b.m.WikilinkLink)})
	})
	return makeTOC(heads)
}

// tocHead is a heading a table of contents may show; its text, or the
// text recorded to be read once wikilinks resolve.
type tocHead struct {
	level int
	id    string
	text  string
	plain *markup.Plain
}

// readTOC reads the text of the headings recorded as text still to be
// read (see tocHead), in heads, which it returns.
func (b *Briefing) readTOC(heads []tocHead) []tocHead {
	for i, h := range heads {
		if h.plain != nil {
			heads[i].text, heads[i].plain = markup.FoldSpace(h.plain.AppendPlain(nil, b.markdown, b.m.WikilinkLink, b.m.rawAsText())), nil
		}
	}
	return heads
}

// tocHeadings calls each for every h2 and h3 of doc that has an id,
// outside block caveats, in order.
func tocHeadings(doc ast.Node, each func(n *ast.Heading, id string)) {
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch node := node.(type) {
		case *markup.Caveat:
			return ast.WalkSkipChildren, nil // its headings have no ids
		case *ast.Heading:
			id, ok := node.AttributeString("id")
			s, isBytes := id.([]byte)
			if ok && isBytes && node.Level >= 2 && node.Level <= 3 {
				each(node, string(s))
			}
			return ast.WalkSkipChildren, nil
		}
		if node.Type() == ast.TypeInline || node.Kind() == ast.KindParagraph || node.Kind() == ast.KindTextBlock {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// makeTOC nests heads into a table of contents; headings without text
// are left out.
func makeTOC(heads []tocHead) []*TOCEntry {
	var top []*TOCEntry
	var last *TOCEntry // the h2 that h3 headings go under
	n := 0
	for _, h := range heads {
		if h.text == "" {
			continue
		}
		e := &TOCEntry{Href: "#" + h.id, Text: h.text, Level: h.level}
		n++
		if h.level == 3 && last != nil {
			last.Sub = append(last.Sub, e)
		} else {
			top = append(top, e)
			if h.level == 2 {
				last = e
			}
		}
	}
	if n < TOCMin {
		return nil
	}
	return top
}

// Older is the briefing dated before this one, as the briefings index
// orders them, or nil for the oldest.
func (b *Briefing) Older() *Briefing {
	if b.rank+1 < len(b.m.Briefings) && b.m.Briefings[b.rank] == b {
		return b.m.Briefings[b.rank+1]
	}
	return nil
}

// Newer is the briefing dated after this one, or nil for the newest.
func (b *Briefing) Newer() *Briefing {
	if b.rank > 0 && b.rank < len(b.m.Briefings) && b.m.Briefings[b.rank] == b {
		return b.m.Briefings[b.rank-1]
	}
	return nil
}

// appendNotes is the numbers of sources in the briefing's numbered list
// of the sources it cites (ordered by id), in order, made in out's room.
func (b *Briefing) appendNotes(out []int, sources []*Source) []int {
	out = out[:0]
	for _, s := range sources {
		i, found := slices.BinarySearchFunc(b.Sources, s.ID, func(x *Source, id string) int { return strings.Compare(x.ID, id) })
		if found && b.Sources[i] == s {
			out = append(out, i+1)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
