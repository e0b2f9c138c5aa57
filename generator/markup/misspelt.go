package markup

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// misspelt reports, in each paragraph, what was meant as a directive and
// is read as plain words, which a reader would otherwise see on the page
// as markup: a line of :::Caveat, ::: caveat, :::caveat on=x or :::caveats
// (only :::caveat{…}, as written, opens a caveat), and :Claim[, :claims[
// or :claim [ among the words; and a Hugo shortcode ({{< ref … >}}).
// Inside a code span it is left alone.
type misspelt struct{}

// Transform implements parser.ParagraphTransformer.
func (misspelt) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	lines := node.Lines()
	var code [][2]int // found when first needed: a code span may span lines
	inCode := func(at int) bool {
		if code == nil {
			code = codeSpans(src, lines)
		}
		return within(code, at)
	}
	end := lines.At(lines.Len() - 1).Stop
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		// The line as written: Value would put a tab's columns in front
		// as spaces, and every offset after them would be off.
		line := src[seg.Start:seg.Stop]
		shortcodes(line, seg.Start, pc, inCode)
		if bytes.IndexByte(line, ':') < 0 {
			continue
		}
		if !misspeltFence(line, seg.Start, pc) {
			misspeltInline(line, seg.Start, src[seg.Start:end], pc, inCode)
		}
	}
}

// codeSpans are the code spans of a paragraph's lines, each from the
// offset in src of its opening backticks to that of its closing ones: a
// run of backticks opens one that the next run of as many closes, on the
// same line or a later one (CommonMark 6.1); a run that none closes is
// only backticks. A backslash before a backtick outside a code span, which
// makes it a plain one, is not looked for: a span found too many only
// leaves a mistake unreported.
func codeSpans(src []byte, lines *text.Segments) [][2]int {
	type run struct{ at, n int }
	var runs []run
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		for j := seg.Start; j < seg.Stop; {
			if src[j] != '`' {
				j++
				continue
			}
			k := j
			for k < seg.Stop && src[k] == '`' {
				k++
			}
			runs = append(runs, run{j, k - j})
			j = k
		}
	}
	// next[i] is the first run after the i-th of its length: one pass
	// from the end, so a paragraph of many backticks costs no more.
	next := make([]int, len(runs))
	last := map[int]int{}
	for i := len(runs) - 1; i >= 0; i-- {
		next[i] = -1
		if j, ok := last[runs[i].n]; ok {
			next[i] = j
		}
		last[runs[i].n] = i
	}
	spans := [][2]int{}
	for i := 0; i < len(runs); i++ {
		if j := next[i]; j >= 0 {
			spans = append(spans, [2]int{runs[i].at, runs[j].at})
			i = j
		}
	}
	return spans
}

// shortcodes warns of a Hugo shortcode in a line ({{< ref "x" >}},
// {{% note %}}), which nothing here reads: it would be shown as written.
func shortcodes(line []byte, start int, pc parser.Context, inCode func(at int) bool) {
	for at := 0; ; {
		k := bytes.Index(line[at:], []byte("{{"))
		if k < 0 {
			return
		}
		k += at
		at = k + 2
		if at >= len(line) || line[at] != '<' && line[at] != '%' || inCode(start+k) {
			continue
		}
		rest := bytes.TrimLeft(line[at+1:], " \t")
		name := rest[:len(leadingWord(rest))]
		if len(name) == 0 {
			continue // {{</note>}}, whose opening is warned of, or no shortcode
		}
		hint := "write it in Markdown: a shortcode is Hugo's"
		switch string(name) {
		case "ref", "relref":
			hint = "link with [[briefing:slug]] (or [[actor:id]], [[source:id]], [[claim:id]]), or [words](/briefings/slug/)"
		case "figure":
			hint = "write the image as ![what it shows](/img/file.jpg), with the file in static/img/"
		}
		closing := map[byte]string{'<': ">}}", '%': "%}}"}[line[at]]
		warn(pc, start+k, hint, "Hugo's {{%c %s … %s is not read here; it is shown as written", line[at], name, closing)
		return
	}
}

// misspeltFence reports a line of three colons or more and a word, which
// did not open a caveat as it is in a paragraph, and tells whether it was
// one.
func misspeltFence(line []byte, start int, pc parser.Context) bool {
	trimmed := bytes.TrimLeft(line, " \t")
	lead := len(line) - len(trimmed)
	fence := fenceLength(trimmed, 0)
	if fence < 3 {
		return false
	}
	rest := trimmed[fence:]
	space := len(rest) - len(bytes.TrimLeft(rest, " \t"))
	name := leadingWord(rest[space:])
	pos := start + lead
	if name == "" {
		if len(bytes.TrimSpace(rest)) > 0 {
			return false
		}
		// A closing line with no caveat open: one too many, or the end
		// of a caveat inside another with as many colons, which closed
		// the outer one.
		warn(pc, pos, "remove it; a caveat inside another needs more colons on its outer lines (::::caveat{…} … ::::)",
			"a line of %s closes no caveat and would be shown as written", trimmed[:fence])
		return true
	}
	after := rest[space+len(name):]
	switch lower := strings.ToLower(name); {
	case lower == "caveat" || lower == "caveats":
		var how []string
		if space > 0 {
			how = append(how, "no space after the colons")
		}
		if name != "caveat" {
			how = append(how, "the word caveat, in lower case")
		}
		if a := bytes.TrimLeft(after, " \t"); len(a) > 0 && a[0] != '{' {
			how = append(how, "the attributes in braces")
		} else if len(a) > 0 && len(a) != len(after) {
			how = append(how, "no space before {")
		}
		if len(how) == 0 {
			how = append(how, "not indented, after a blank line")
		}
		report(pc, pos, "write :::caveat{on=claim-id} on a line of its own: "+strings.Join(how, ", "),
			"%s is not read as a caveat and would be shown as written", bytes.TrimRight(trimmed, " \t\r\n"))
	case lower == "claim":
		report(pc, pos, "a claim is marked among the words, as :claim[the words]{by=… src=…}; only a caveat is a block",
			":::%s is not a directive and would be shown as written", name)
	default:
		warn(pc, pos, "the only block directive is :::caveat{on=claim-id}",
			"unknown directive :::%s, shown as written", name)
	}
	return true
}

// misspeltInline reports :Claim[, :claims[, :claim [ and the like in a
// line, where a colon starts a word: they are read as plain words. rest
// is the paragraph from the line on, where a misspelt name's words and
// attributes may run on (a block quote's > between its lines is no
// bracket or attribute, and does not matter).
func misspeltInline(line []byte, start int, rest []byte, pc parser.Context, inCode func(at int) bool) {
	for i := 0; i < len(line); i++ {
		if line[i] != ':' || i+1 >= len(line) {
			continue
		}
		name := leadingWord(line[i+1:])
		// ::claim[…]{ (one colon too many: the directive is read from
		// the second, and the first is shown), and :claim{…}[…], the
		// attributes before the words.
		if n := name; n == "claim" || n == "caveat" {
			after := line[i+1+len(n):]
			switch {
			case i > 0 && line[i-1] == ':' && (i < 2 || line[i-2] != ':') && len(after) > 0 && after[0] == '[' &&
				bytes.HasPrefix(afterWords(rest, i+len(n)+2), []byte("{")) && !inCode(start+i):
				warn(pc, start+i-1, "write :"+n+"[ with one colon", "::%s[ has one colon too many; the first is shown as written", n)
			case len(after) > 0 && after[0] == '{' && !wordBefore(line, i) && !inCode(start+i):
				report(pc, start+i, "write the words first, :"+n+"[the words]{…}", ":%s{…} is not a directive and would be shown as written: its words come before its attributes", n)
			}
		}
		if wordBefore(line, i) {
			continue
		}
		lower := strings.ToLower(name)
		if lower != "claim" && lower != "claims" && lower != "caveat" && lower != "caveats" {
			if meant := directiveMeant(rest[i+1+len(name):]); name != "" && meant != "" && !inCode(start+i) {
				report(pc, start+i, "write :"+meant+"[the words]{…}",
					":%s[…]{…} is not a directive and would be shown as written; its attributes are a %s's", name, meant)
			}
			continue
		}
		after := line[i+1+len(name):]
		gap := len(after) - len(bytes.TrimLeft(after, " \t"))
		if gap == len(after) || after[gap] != '[' || (gap == 0 && (name == "claim" || name == "caveat")) {
			continue
		}
		if inCode(start + i) {
			continue
		}
		word := strings.TrimSuffix(lower, "s")
		report(pc, start+i, "write :"+word+"[ in lower case, with no space before [",
			":%s%s[ is not read as a %s and would be shown as written", name, after[:gap], word)
	}
}

// wordBefore reports whether the colon at line[i] follows a letter, a
// digit or another colon: it starts no directive (ratio:claim, 10:30).
func wordBefore(line []byte, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRune(line[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ':'
}

// directiveMeant is "claim" or "caveat" when rest, what follows a word
// after a colon, reads [words]{attributes} with attributes only a claim
// (by=, src=) or a caveat (on=) has: a misspelt name (:clam[, :caveta[),
// else "".
func directiveMeant(rest []byte) string {
	if len(rest) == 0 || rest[0] != '[' {
		return ""
	}
	// A claim's words and attributes are rarely longer: a paragraph of
	// many :x[ never closed is not read to its end for each.
	rest = rest[:min(len(rest), maxMeant)]
	// The bracket that closes the first, then a brace at once.
	end, depth := -1, 0
	for j, c := range rest {
		if c == '[' {
			depth++
		} else if c == ']' {
			if depth--; depth == 0 {
				end = j
				break
			}
		}
	}
	if end < 0 || end+1 >= len(rest) || rest[end+1] != '{' {
		return ""
	}
	attrs := rest[end+2:]
	if c := bytes.IndexByte(attrs, '}'); c >= 0 {
		attrs = attrs[:c]
	}
	for _, f := range bytes.Fields(attrs) {
		switch {
		case bytes.HasPrefix(f, []byte("by=")), bytes.HasPrefix(f, []byte("src=")):
			return "claim"
		case bytes.HasPrefix(f, []byte("on=")):
			return "caveat"
		}
	}
	return ""
}

// maxMeant is how far directiveMeant reads for the bracket and brace
// of a misspelt directive.
const maxMeant = 4 << 10

// leadingWord is the run of ASCII letters b starts with.
func leadingWord(b []byte) string {
	n := 0
	for n < len(b) && (b[n]|0x20 >= 'a' && b[n]|0x20 <= 'z') {
		n++
	}
	return string(b[:n])
}
