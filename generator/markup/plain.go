package markup

import (
	"bytes"
	"math"
	"slices"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// AppendPlainText appends to dst the text of n's descendants as PlainText
// gathers it (ShownText with rawText set), before it folds the white
// space: the same words, for a caller that splits them itself and reuses
// its buffer (the search index reads every briefing's body).
func AppendPlainText(dst []byte, n ast.Node, src []byte, link func(*Wikilink) *Link, rawText bool) []byte {
	a := appender{dst: dst, start: len(dst), src: src, link: link, rawText: rawText}
	walkPlain(n, src, &a)
	return a.dst
}

// plainSink is what walkPlain hands the text of a tree to, piece by piece.
type plainSink interface {
	source(start, stop int) // src[start:stop]
	literal(b []byte)       // text that is not src's bytes as they stand
	space()
	spaceAfterText() // a space if anything was written before
	wikilink(w *Wikilink)
	raw(start, stop int) // src[start:stop] of raw HTML: words only where it is shown as text
}

// walkPlain is the one reading of a tree's text, for AppendPlainText and
// RecordPlainText alike.
func walkPlain(n ast.Node, src []byte, sink plainSink) {
	segment := func(t *ast.Text) {
		if t.Segment.Padding == 0 {
			sink.source(t.Segment.Start, t.Segment.Stop)
		} else {
			sink.literal(t.Segment.Value(src))
		}
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			// As the page shows it: "a \] b" reads "a ] b", "&amp;" "&".
			// (Code spans are read below, as written.)
			v := c.Segment.Value(src)
			if bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, '&') >= 0 {
				sink.literal(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v))))
			} else {
				segment(c)
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				sink.space()
			}
		case *ast.String:
			sink.literal(c.Value)
		case *ast.RawHTML:
			if !isComment(c, src) {
				for i := range c.Segments.Len() {
					sink.raw(c.Segments.At(i).Start, c.Segments.At(i).Stop)
				}
			}
		case *ast.AutoLink:
			// Its text is no child of it: the address as written.
			sink.literal(c.Label(src))
		case *Wikilink:
			sink.wikilink(c)
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			for g := c.FirstChild(); g != nil; g = g.NextSibling() {
				if t, ok := g.(*ast.Text); ok {
					segment(t)
				}
			}
			return ast.WalkSkipChildren, nil
		default:
			// Every block is apart from the text before it: a heading
			// from the list after it, a tight list's items, table cells.
			if c.Type() == ast.TypeBlock {
				sink.spaceAfterText()
			}
		}
		return ast.WalkContinue, nil
	})
}

// appender is the plainSink of AppendPlainText.
type appender struct {
	dst     []byte
	start   int
	src     []byte
	link    func(*Wikilink) *Link
	rawText bool // raw HTML is words
}

func (a *appender) raw(start, stop int) {
	if a.rawText {
		a.source(start, stop)
	}
}

func (a *appender) source(start, stop int) { a.dst = append(a.dst, a.src[start:stop]...) }
func (a *appender) literal(b []byte)       { a.dst = append(a.dst, b...) }
func (a *appender) space()                 { a.dst = append(a.dst, ' ') }

func (a *appender) spaceAfterText() {
	if len(a.dst) > a.start {
		a.space()
	}
}

func (a *appender) wikilink(w *Wikilink) {
	var l *Link
	if a.link != nil {
		l = a.link(w)
	}
	a.dst = append(a.dst, w.Display(l)...)
}

// Plain is the text of a tree as AppendPlainText reads it, recorded so
// that it can be read again without the tree: as offsets into the
// source where it is the source's bytes, as it is where it is not, and
// the wikilinks, whose text depends on what they resolve to. A build
// keeps it of every briefing, for its search index, instead of the tree
// (about 2 KB for a briefing of 1,200 words, against 25 KB of tree).
type Plain struct {
	ops   []plainOp
	lits  []byte // the literal text, one after the other
	links []*Wikilink
}

// plainOp is one piece of a Plain: a, b are source offsets of a source
// piece, or offsets into lits of a literal, or a's index into links.
type plainOp struct {
	kind uint8
	a, b int32
}

const (
	opSource      = iota
	opSourceSpace // a source piece and a space: a line and its break
	opLiteral
	opSpace
	opSpaceAfterText
	opWikilink
	opRaw // raw HTML: a, b as opSource
)

// RecordPlainText records the text of n's descendants for AppendPlain;
// nil for a source too long for its offsets.
func RecordPlainText(n ast.Node, src []byte) *Plain {
	if len(src) > math.MaxInt32 {
		return nil
	}
	p := &Plain{}
	walkPlain(n, src, p)
	// Kept for the site's life: no room to grow.
	p.ops, p.lits, p.links = slices.Clone(p.ops), slices.Clone(p.lits), slices.Clone(p.links)
	return p
}

func (p *Plain) source(start, stop int) {
	if k := len(p.ops) - 1; k >= 0 && p.ops[k].kind == opSource && int(p.ops[k].b) == start {
		p.ops[k].b = int32(stop) // one piece of the source after the other
		return
	}
	p.ops = append(p.ops, plainOp{opSource, int32(start), int32(stop)})
}

func (p *Plain) literal(b []byte) {
	p.ops = append(p.ops, plainOp{opLiteral, int32(len(p.lits)), int32(len(p.lits) + len(b))})
	p.lits = append(p.lits, b...)
}

func (p *Plain) space() {
	if k := len(p.ops) - 1; k >= 0 && p.ops[k].kind == opSource {
		p.ops[k].kind = opSourceSpace
		return
	}
	p.ops = append(p.ops, plainOp{kind: opSpace})
}
func (p *Plain) spaceAfterText() { p.ops = append(p.ops, plainOp{kind: opSpaceAfterText}) }

func (p *Plain) raw(start, stop int) {
	p.ops = append(p.ops, plainOp{opRaw, int32(start), int32(stop)})
}

func (p *Plain) wikilink(w *Wikilink) {
	p.ops = append(p.ops, plainOp{opWikilink, int32(len(p.links)), 0})
	p.links = append(p.links, w)
}

// AppendPlain appends to dst what AppendPlainText would of the tree p was
// recorded from, whose source is src, with rawText as given.
func (p *Plain) AppendPlain(dst []byte, src []byte, link func(*Wikilink) *Link, rawText bool) []byte {
	a := appender{dst: dst, start: len(dst), src: src, link: link, rawText: rawText}
	for _, op := range p.ops {
		switch op.kind {
		case opSource:
			a.source(int(op.a), int(op.b))
		case opSourceSpace:
			a.source(int(op.a), int(op.b))
			a.space()
		case opLiteral:
			a.literal(p.lits[op.a:op.b])
		case opSpace:
			a.space()
		case opSpaceAfterText:
			a.spaceAfterText()
		case opWikilink:
			a.wikilink(p.links[op.a])
		case opRaw:
			a.raw(int(op.a), int(op.b))
		}
	}
	return a.dst
}
