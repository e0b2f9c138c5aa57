package markup

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

var prefixes = []string{"actor", "claim", "source", "briefing"}

type wikilinkParser struct{}

func (wikilinkParser) Trigger() []byte { return []byte{'['} }

func (wikilinkParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("[[")) {
		return nil
	}
	// The words may not hold a '[', so the search stops at the next one:
	// a line of "[[a [[a …" then costs each "[[" only the bytes up to the
	// next, not the rest of the line (and, for a warning, maxBracketScan).
	end, single := -1, -1
	i := 2
	for ; i < len(line) && line[i] != '['; i++ {
		if line[i] == ']' {
			if i+1 < len(line) && line[i+1] == ']' {
				end = i - 2
				break
			}
			if single < 0 {
				single = i
			}
		}
	}
	if end < 0 {
		// Kept as text, as CommonMark would, but a mention was most
		// likely meant: [[mira-osk] or [[mira-osk with no end.
		words := line[2:i]
		if single >= 0 {
			words = line[2:single]
		}
		unclosedWikilink(line, i, single, strings.TrimSpace(string(words)), seg.Start, pc)
		return nil
	}
	inner := string(line[2 : 2+end])
	if strings.TrimSpace(inner) == "" {
		warn(pc, seg.Start, "write [[id]] or [[id|label]]", "empty wikilink %s; it is shown as text", line[:2+end+2])
		return nil
	}
	n := newNode(pc, func(s *Slabs) *slab[Wikilink] { return &s.wikilinks })
	n.Prefix, n.Target, n.Label = splitWikilink(inner)
	target := n.Target
	n.SetPos(seg.Start)
	block.Advance(2 + end + 2)
	if target == "" {
		report(pc, seg.Start, "write [[id]] or [[id|label]]", "empty wikilink")
	}
	return n
}

// unclosedWikilink says what is wrong with the wikilink at the start of
// line whose words, read up to line[i] (a '[' or the line's end), found no
// "]]": a single ] at single (or -1), a bracket in the words, another [[
// before its end, or no end at all.
func unclosedWikilink(line []byte, i, single int, words string, at int, pc parser.Context) {
	if words == "" || strings.ContainsAny(words, "\n") {
		return
	}
	if single >= 0 {
		warn(pc, at, "write [["+words+"]]", "wikilink [[%s] is closed with one ]; it is shown as text", words)
		return
	}
	// Stopped at a '[' with "]]" still to come: the words hold a bracket,
	// which a mention's may not, rather than no end. The "]]" is looked
	// for before the next "[[" (which a bracket in the words does not
	// make), and a few hundred bytes on at most: a line of "[[a [b" costs
	// each "[[" no more than that.
	closing := -1
	if i < len(line) {
		window := line[i:min(len(line), i+maxBracketScan)]
		if next := bytes.Index(window[min(2, len(window)):], []byte("[[")); next >= 0 {
			window = window[:next+2]
		}
		closing = bytes.Index(window, []byte("]]"))
	}
	switch lw := strings.ToLower(words); {
	case closing < 0:
		warn(pc, at, "close it with ]] on the same line", "wikilink [[%s is not closed; it is shown as text", Clip(words))
	case bytes.HasPrefix(line[i:], []byte("[[")):
		warn(pc, at, "close it with ]] before the next [[", "wikilink [[%s holds another [[; it is shown as text", Clip(words))
	default:
		what, hint := "a [", "leave [ and ] out of a mention's words"
		if strings.HasSuffix(lw, ":claim") || strings.HasSuffix(lw, ":caveat") {
			name := lw[strings.LastIndexByte(lw, ':')+1:]
			what, hint = "a "+name, "mark the "+name+" around the mention instead, :"+name+"[[[name]] …]{…}"
		}
		warn(pc, at, hint, "wikilink %s holds %s in its words, which a mention's may not; it is shown as text", Clip(string(line[:min(i+closing+2, clipBytes)])), what)
	}
}

// splitWikilink reads what is between a wikilink's [[ and ]]: a known
// prefix before a colon, the target, a label after a bar.
func splitWikilink(inner string) (prefix, target, label string) {
	target = inner
	// Inside a GFM table cell the separator is written \|.
	if i := strings.Index(target, "|"); i >= 0 {
		label = strings.TrimSpace(target[i+1:])
		target = strings.TrimSuffix(target[:i], `\`)
	}
	target = strings.TrimSpace(target)
	if i := strings.Index(target, ":"); i > 0 {
		p := strings.ToLower(strings.TrimSpace(target[:i]))
		for _, known := range prefixes {
			if p == known {
				prefix, target = known, strings.TrimSpace(target[i+1:])
			}
		}
	}
	return prefix, target, label
}

// opener is the placeholder left in the inline list by ":claim[" or
// ":caveat[" until its "]{…}" is found; the words between become children.
type opener struct {
	ast.BaseInline
	name   string
	seg    text.Segment // the ":name[" text, restored if never closed
	bottom ast.Node     // last emphasis delimiter before the opener
	prev   *opener
	depth  int // claims and caveats it would be inside of, itself included
	// attrsOpen is set once its "]{" was found with no "}" after it.
	attrsOpen bool
	// tooDeep openers only keep "]{…}" paired with the right opener; they
	// and their closing stay plain text.
	tooDeep bool
}

var kindOpener = ast.NewNodeKind("DirectiveOpener")

func (*opener) Kind() ast.NodeKind { return kindOpener }

func (o *opener) Dump(src []byte, level int) { ast.DumpHelper(o, src, level, nil, nil) }

var openersKey = parser.NewContextKey()

type directiveOpenParser struct{ maxDepth int }

func (directiveOpenParser) Trigger() []byte { return []byte{':'} }

func (p directiveOpenParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	var name string
	switch {
	case bytes.HasPrefix(line, []byte(":claim[")):
		name = "claim"
	case bytes.HasPrefix(line, []byte(":caveat[")):
		name = "caveat"
	default:
		return nil
	}
	n := len(name) + 2
	o := &opener{name: name, seg: text.NewSegment(seg.Start, seg.Start+n)}
	if d := pc.LastDelimiter(); d != nil {
		o.bottom = d
	}
	o.prev, _ = pc.Get(openersKey).(*opener)
	if o.prev != nil {
		o.depth = o.prev.depth + 1
	} else {
		o.depth = blockDepth(parent, pc) + 1
	}
	if o.depth > p.maxDepth {
		o.tooDeep = true
		// Only the opening that passes the limit is reported; those inside
		// it are part of the same plain text.
		if o.prev == nil || !o.prev.tooDeep {
			reportTooDeep(pc, o.seg.Start, p.maxDepth)
		}
	}
	pc.Set(openersKey, o)
	block.Advance(n)
	return o
}

var blockDepthKey = parser.NewContextKey()

type blockDepthMemo struct {
	block ast.Node
	depth int
}

// blockDepth is the nesting depth of the block caveat around block, found
// once per block: a paragraph of many claims deep inside quotes and lists
// does not walk up the tree for each of them.
func blockDepth(block ast.Node, pc parser.Context) int {
	if m, _ := pc.Get(blockDepthKey).(*blockDepthMemo); m != nil && m.block == block {
		return m.depth
	}
	m := &blockDepthMemo{block: block, depth: caveatDepth(block)}
	pc.Set(blockDepthKey, m)
	return m.depth
}

// CloseBlock turns openers that never met their "]{" back into text.
func (directiveOpenParser) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	for o, _ := pc.Get(openersKey).(*opener); o != nil; o = o.prev {
		if !o.tooDeep && !o.attrsOpen { // those were reported already
			hint := "end the words with ]{by=…} (a claim) or ]{on=…} (a caveat)"
			after := afterWords(block.Source(), o.seg.Stop)
			switch spaced := bytes.TrimLeft(after, " \t"); {
			case parent.Kind() == extast.KindTableCell:
				hint = "a | ends a table's cell: keep the " + o.name + " in one cell, and write a | in its words as \\|"
			case bytes.HasPrefix(after, []byte("(")):
				hint = "put the attributes in braces, ]{…}, not in parentheses"
			case len(spaced) < len(after) && bytes.HasPrefix(spaced, []byte("{")):
				hint = "write the { right after the ], with no space between"
			}
			report(pc, o.seg.Start, hint, "unclosed :%s[ directive", o.name)
		}
		if o.Parent() != nil {
			ast.MergeOrReplaceTextSegment(o.Parent(), o, o.seg)
		}
	}
	pc.Set(openersKey, nil)
}

// afterWords is what follows the ] that closes the words of a directive
// opened at from, on the same line; nil when none does there.
func afterWords(src []byte, from int) []byte {
	depth := 0
	for i := from; i < len(src) && i < from+maxBracketScan && src[i] != '\n'; i++ {
		switch src[i] {
		case '[':
			depth++
		case ']':
			if depth == 0 {
				return src[i+1 : min(len(src), i+8)]
			}
			depth--
		}
	}
	return nil
}

var closureOptions = text.FindClosureOptions{Newline: true, Advance: true}

type directiveCloseParser struct{}

func (directiveCloseParser) Trigger() []byte { return []byte{']'} }

func (directiveCloseParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	o, _ := pc.Get(openersKey).(*opener)
	line, seg := block.PeekLine()
	if o == nil || len(line) < 2 || line[1] != '{' {
		return nil
	}
	block.Advance(2)
	segs, ok := block.FindClosure('{', '}', closureOptions)
	if !ok {
		// The caller rewinds, and the opener stays open; said here, where
		// the mistake is, not as an unclosed directive at its start.
		if !o.tooDeep && !o.attrsOpen {
			report(pc, seg.Start+1, "end them with }", "the attributes of :%s[…]{ are not closed", o.name)
		}
		o.attrsOpen = true
		return nil
	}
	pc.Set(openersKey, o.prev)
	if o.tooDeep {
		// Returning nothing leaves "]{…}" to be read again as text.
		ast.MergeOrReplaceTextSegment(o.Parent(), o, o.seg)
		return nil
	}
	attrs := parseAttrs(newAttrText(block.Source(), segs), pc)

	var node ast.Node
	if o.name == "claim" {
		c := newNode(pc, func(s *Slabs) *slab[Claim] { return &s.claims })
		c.AttrPos = seg.Start + 1
		applyClaimAttrs(c, attrs, pc)
		node = c
	} else {
		c := newNode(pc, func(s *Slabs) *slab[InlineCaveat] { return &s.inline })
		c.AttrPos = seg.Start + 1
		applyCaveatAttrs(&c.CaveatAttrs, attrs, pc)
		node = c
	}
	parser.ProcessDelimiters(o.bottom, pc)
	p := o.Parent()
	for c := o.NextSibling(); c != nil; {
		next := c.NextSibling()
		p.RemoveChild(p, c)
		node.AppendChild(node, c)
		c = next
	}
	p.RemoveChild(p, o)
	node.SetPos(o.seg.Start)
	if noWords(node, block.Source()) {
		// Its page, title and list entry would be empty.
		report(pc, o.seg.Start, "write the words between the brackets: :"+o.name+"[the words]{…}", "a %s with no words", o.name)
	}
	return node
}

// noWords reports whether n holds only spaces and comments: no text,
// mention or anything else a reader would see.
func noWords(n ast.Node, src []byte) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if len(bytes.TrimSpace(c.Segment.Value(src))) > 0 {
				return false
			}
		case *ast.RawHTML:
			if !isComment(c, src) { // a comment is never shown
				return false
			}
		default:
			return false
		}
	}
	return true
}

// maxBracketScan is how far after a bracket in a wikilink's words the
// parser looks for its "]]", to say what is wrong with it.
const maxBracketScan = 512

// clipBytes is how much of a long text Clip needs: its 40 characters
// take at most four bytes each.
const clipBytes = 4*40 + 4

// Clip shortens text quoted in a message to its first 40 characters.
func Clip(s string) string {
	n := 0
	for i := range s {
		if n == 40 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
