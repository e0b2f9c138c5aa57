package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// containerParser parses :::caveat{…} … ::: blocks.
type containerParser struct{}

func (containerParser) Trigger() []byte { return []byte{':'} }

func fenceLength(line []byte, pos int) int {
	i := pos
	for i < len(line) && line[i] == ':' {
		i++
	}
	return i - pos
}

func (containerParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
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
	node := &Caveat{fence: n}
	lineStart := seg.Start - seg.Padding
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

func (containerParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	c := node.(*Caveat)
	line, _ := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w < 4 {
		n := fenceLength(line, pos)
		if n >= c.fence && util.IsBlank(line[pos+n:]) {
			reader.Advance(lineLen(line))
			c.closed = true
			return parser.Close
		}
	}
	return parser.Continue | parser.HasChildren
}

func (containerParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	c := node.(*Caveat)
	if !c.closed {
		report(pc, c.Pos(), "end the caveat with a line of "+string(bytes.Repeat([]byte{':'}, c.fence)), "unclosed :::caveat directive")
	}
}

func (containerParser) CanInterruptParagraph() bool { return true }

func (containerParser) CanAcceptIndentedLine() bool { return false }

func lineLen(line []byte) int {
	return len(bytes.TrimRight(line, "\r\n"))
}
