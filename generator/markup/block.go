package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// containerParser parses :::caveat{…} … ::: blocks.
type containerParser struct{ maxDepth int }

func (containerParser) Trigger() []byte { return []byte{':'} }

func fenceLength(line []byte, pos int) int {
	i := pos
	for i < len(line) && line[i] == ':' {
		i++
	}
	return i - pos
}

func (p containerParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	n := fenceLength(line, pos)
	if n < 3 {
		return nil, parser.NoChildren
	}
	rest := line[pos+n:]
	if !bytes.HasPrefix(rest, []byte("caveat")) {
		return nil, parser.NoChildren
	}
	after := rest[len("caveat"):]
	if len(util.TrimRightSpace(after)) > 0 && after[0] != '{' {
		return nil, parser.NoChildren // :::caveats or another directive name
	}
	lineStart := seg.Start - seg.Padding
	depth := caveatDepth(parent) + 1
	if depth > p.maxDepth {
		reportTooDeep(pc, lineStart+pos, p.maxDepth)
		l := &literal{fence: n}
		l.add(reader)
		return l, parser.NoChildren
	}
	node := newNode(pc, func(s *Slabs) *slab[Caveat] { return &s.blocks })
	node.fence, node.depth = n, depth
	node.AttrPos = lineStart + pos
	if bytes.HasPrefix(after, []byte("{")) {
		open := pos + n + len("caveat")
		end := bytes.LastIndexByte(line, '}')
		if end < open {
			report(pc, lineStart+open, "close the attributes with }", "unclosed attributes on :::caveat")
		} else {
			segs := text.NewSegments()
			segs.Append(text.NewSegment(lineStart+open+1, lineStart+end))
			node.AttrPos = lineStart + open
			attrs := parseAttrs(newAttrText(reader.Source(), segs), pc)
			applyCaveatAttrs(&node.CaveatAttrs, attrs, pc)
			if len(util.TrimRightSpace(line[end+1:])) > 0 {
				report(pc, lineStart+end+1, "put the caveat's text on the lines below", "text after :::caveat{…}")
			}
		}
	} else {
		applyCaveatAttrs(&node.CaveatAttrs, nil, pc)
	}
	reader.Advance(lineLen(line))
	return node, parser.HasChildren
}

// closes reports whether line closes a fence of the given length.
func closes(line []byte, lineOffset, fence int) bool {
	w, pos := util.IndentWidth(line, lineOffset)
	if w >= 4 {
		return false
	}
	n := fenceLength(line, pos)
	return n >= fence && util.IsBlank(line[pos+n:])
}

func (containerParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	switch c := node.(type) {
	case *Caveat:
		if closes(line, reader.LineOffset(), c.fence) {
			reader.Advance(lineLen(line))
			c.closed = true
			return parser.Close
		}
		return parser.Continue | parser.HasChildren
	case *literal:
		end := closes(line, reader.LineOffset(), c.fence)
		c.add(reader)
		if end {
			return parser.Close
		}
		return parser.Continue | parser.NoChildren
	}
	return parser.Close
}

func (containerParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	c, ok := node.(*Caveat)
	if ok && !c.closed {
		report(pc, c.Pos(), "end the caveat with a line of "+string(bytes.Repeat([]byte{':'}, c.fence))+"; a caveat inside another needs more colons on the outer one's lines (::::caveat{…} … ::::)", "unclosed :::caveat directive")
	}
}

func (containerParser) CanInterruptParagraph() bool { return true }

func (containerParser) CanAcceptIndentedLine() bool { return false }

func lineLen(line []byte) int {
	return len(bytes.TrimRight(line, "\r\n"))
}

// caveatDepth is the nesting depth of the innermost block caveat holding n
// (n itself included), 0 outside any.
func caveatDepth(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if c, ok := n.(*Caveat); ok {
			return c.depth
		}
	}
	return 0
}

// literal is a block caveat that would nest deeper than the limit. Its
// lines, fences included, are plain text up to its closing fence, so what
// is inside it nests no further.
type literal struct {
	ast.BaseBlock
	fence int
}

var kindLiteral = ast.NewNodeKind("DirectiveLiteral")

func (*literal) Kind() ast.NodeKind { return kindLiteral }

// IsRaw keeps goldmark from parsing the plain text inline.
func (*literal) IsRaw() bool { return true }

func (l *literal) Dump(src []byte, level int) { ast.DumpHelper(l, src, level, nil, nil) }

// add takes the rest of the reader's line as one more line of text.
func (l *literal) add(reader text.Reader) {
	line, seg := reader.PeekLine()
	n := lineLen(line)
	if prev, ok := l.LastChild().(*ast.Text); ok {
		prev.SetSoftLineBreak(true) // for whatever reads the text, not the renderer
	}
	t := ast.NewTextSegment(seg.WithStop(seg.Start + n - seg.Padding))
	t.SetRaw(true)
	l.AppendChild(l, t)
	reader.Advance(n)
}
