package site

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"math/bits"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"briefing/generator/diag"
	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Markdown returns the goldmark configuration of every site: CommonMark,
// GFM, footnotes, chroma highlighting with classes, heading ids, and the
// annotation markup rendered as res resolved it (nil for parsing only).
// With rawHTML false, raw HTML is shown escaped. Highlighted code is kept
// in code, which may be nil.
func Markdown(rawHTML bool, res markup.Resolver, code *CodeCache) goldmark.Markdown {
	return markdown(rawHTML, res, code, "/")
}

// markdown is Markdown for a site published at the base path base, which
// root-relative links and images in the Markdown are given: a model's
// renderer. Parsing does not depend on it.
func markdown(rawHTML bool, res markup.Resolver, code *CodeCache, base string) goldmark.Markdown {
	return newMarkdown(rawHTML, res, code, base, nil)
}

// newMarkdown is markdown with markup.Extension's Defer set to deferred.
func newMarkdown(rawHTML bool, res markup.Resolver, code *CodeCache, base string, deferred func(util.BufWriter, ast.Node, bool)) goldmark.Markdown {
	opts := []renderer.Option{}
	if rawHTML {
		opts = append(opts, html.WithUnsafe())
	} else {
		opts = append(opts, renderer.WithNodeRenderers(util.Prioritized(markup.EscapeRawHTML{}, 100)))
	}
	opts = append(opts, renderer.WithNodeRenderers(util.Prioritized(codeRenderer{code}, 100)))
	newMD := func(g gfm) goldmark.Markdown {
		return goldmark.New(
			goldmark.WithExtensions(
				g, extension.Footnote, Typographer, markup.Extension{Resolver: res, BasePath: base, HeadingIDs: true, Defer: deferred},
			),
			goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(checkpoint{}, 0)),
				// Before the footnote extension's own (999) gathers the notes.
				parser.WithASTTransformers(util.Prioritized(markup.FootnoteRefs{}, 998))),
			goldmark.WithRendererOptions(opts...),
		)
	}
	md := newMD(gfm{})
	md.SetParser(linkParser{Parser: md.Parser(), without: newMD(gfm{noLinkify: true}).Parser()})
	return &bufMarkdown{Markdown: md, r: &bufRenderer{md.Renderer()}}
}

// bufMarkdown is a goldmark.Markdown whose renderer writes straight into a
// bytes.Buffer. Goldmark wraps any writer that is not a util.BufWriter in a
// new 4 KB bufio.Writer on every Render; a site renders each claim's words
// and each caveat on its own, a hundred thousand small fragments at 10,000
// briefings, and those buffers were most of the bytes it allocated.
type bufMarkdown struct {
	goldmark.Markdown
	r *bufRenderer // made once: Renderer is called for every fragment
}

// Renderer implements goldmark.Markdown.
func (m *bufMarkdown) Renderer() renderer.Renderer { return m.r }

// SetRenderer implements goldmark.Markdown.
func (m *bufMarkdown) SetRenderer(r renderer.Renderer) {
	m.Markdown.SetRenderer(r)
	m.r = &bufRenderer{r}
}

// Convert implements goldmark.Markdown.
func (m *bufMarkdown) Convert(src []byte, w io.Writer, opts ...parser.ParseOption) error {
	return m.r.Render(w, src, m.Parser().Parse(text.NewReader(src), opts...))
}

// bufRenderer renders into a bytes.Buffer directly, and into any other
// writer through a pooled bufio.Writer.
type bufRenderer struct{ renderer.Renderer }

var bufioPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}

// Render implements renderer.Renderer.
func (r *bufRenderer) Render(w io.Writer, src []byte, n ast.Node) (err error) {
	withBufWriter(w, func(bw util.BufWriter) { err = r.Renderer.Render(bw, src, n) })
	return err
}

// withBufWriter calls write with w as a util.BufWriter, flushed after.
func withBufWriter(w io.Writer, write func(util.BufWriter)) {
	switch w := w.(type) {
	case util.BufWriter:
		write(w)
		return
	case *bytes.Buffer:
		write((*bufferWriter)(w))
		return
	}
	bw := bufioPool.Get().(*bufio.Writer)
	bw.Reset(w)
	write(bw)
	_ = bw.Flush()
	bw.Reset(nil) // not to keep w alive in the pool
	bufioPool.Put(bw)
}

// bufferWriter is a bytes.Buffer as a util.BufWriter that buffers nothing
// of its own: the buffer is the destination, so Flush has nothing to do.
type bufferWriter bytes.Buffer

func (w *bufferWriter) Write(p []byte) (int, error)       { return (*bytes.Buffer)(w).Write(p) }
func (w *bufferWriter) WriteString(s string) (int, error) { return (*bytes.Buffer)(w).WriteString(s) }
func (w *bufferWriter) WriteByte(c byte) error            { return (*bytes.Buffer)(w).WriteByte(c) }
func (w *bufferWriter) WriteRune(r rune) (int, error)     { return (*bytes.Buffer)(w).WriteRune(r) }
func (w *bufferWriter) Available() int                    { return (*bytes.Buffer)(w).Available() }
func (w *bufferWriter) Buffered() int                     { return 0 }
func (w *bufferWriter) Flush() error                      { return nil }

// NewParser returns the goldmark parser ParseFile wants; it is safe for
// concurrent use.
func NewParser() parser.Parser { return Markdown(false, nil, nil).Parser() }

// Parse parses every content file on all cores and returns the pages in
// the order of files.
func Parse(files []File) []*Page { return parse(files, false, nil) }

// ParseLean is Parse for a model that is resolved and rendered once, as a
// build's is: the tree of a briefing's body is not kept. What the model
// resolves stays (its claims, caveats and wikilinks, taken out of the
// tree whole), and Model.Doc parses the body again for a page that shows
// it. At 10,000 briefings the trees were 250 MB of the 700 MB live heap,
// all of it pointers that every collection walked while the pages were
// rendered; parsing a body again costs a tenth of rendering it.
//
// With bodies, each briefing's body is rendered as it is parsed, into
// bodies, and its page shows that instead of parsing it again (see
// Bodies); nil renders nothing.
func ParseLean(files []File, bodies *Bodies) []*Page { return parse(files, true, bodies) }

func parse(files []File, lean bool, bodies *Bodies) []*Page {
	p := NewParser()
	pages := make([]*Page, len(files))
	budget := newBuildBudget(files)
	slabs := slabsFor(len(files))
	one := func(i int) {
		pages[i] = parseFile(p, files[i].Path, files[i].Data, budget.forFile(len(files[i].Data)), slabs)
	}
	if bodies != nil {
		// The home page says whether raw HTML is shown, which the
		// bodies are rendered with.
		raw := false
		if i := slices.IndexFunc(files, func(f File) bool { return f.Path == "content/_index.md" }); i >= 0 {
			one(i)
			raw = pages[i].RawHTML
		}
		bodies.use(raw)
	}
	Parallel(len(files), func(i int) {
		if pages[i] == nil {
			one(i)
		}
		if lean && pages[i].Section == Briefings {
			if pg := pages[i]; bodies != nil && bodies.wants(pg) {
				start := time.Now()
				pg.renderBody(bodies)
				budget.spend(time.Since(start))
			}
			pages[i].prune()
		}
	})
	return pages
}

// SectionOf tells the section of a content path and whether it is a page.
func SectionOf(p string) (Section, bool) {
	rest, ok := strings.CutPrefix(p, "content/")
	if !ok || !strings.HasSuffix(p, ".md") {
		return "", false
	}
	if rest == "_index.md" {
		return Home, true
	}
	top, _, found := strings.Cut(rest, "/")
	if !found {
		return "", false
	}
	switch s := Section(top); s {
	case Briefings:
		return s, true
	case Actors, Sources:
		// Actors and sources are flat: ids are file names in that folder.
		return s, !strings.Contains(strings.TrimPrefix(rest, top+"/"), "/")
	}
	return "", false
}

// ParseFile parses one content file with the given goldmark parser.
func ParseFile(mp parser.Parser, filePath string, src []byte) *Page {
	return parseFile(mp, filePath, src, 0, nil)
}

// parseFile is ParseFile with a time budget for goldmark (0 is the file's
// own, fileBudget) and the slabs of its parse.
func parseFile(mp parser.Parser, filePath string, src []byte, budget time.Duration, slabs slabPool) *Page {
	sec, ok := SectionOf(filePath)
	if !ok {
		sec = Other
	}
	pg := &Page{Path: filePath, Section: sec, ID: strings.TrimSuffix(path.Base(filePath), ".md")}
	saved := src
	src, badUTF8, forbid, r := readable(src)
	pg.src = src
	if badUTF8 < 0 && len(src) > 0 && &src[0] != &saved[0] {
		pg.saved = saved // changed, but of src's length: no offset moved
	}
	pg.lines, pg.marks = lineStarts(src)
	if sec == Other {
		pg.diags = append(pg.diags, diag.Diagnostic{Path: filePath, Line: 1, Col: 1, Severity: diag.Warning,
			Message: "not a briefing, actor or source: the file is not published",
			Hint:    "briefings go in content/briefings/ (any folders below), actors and sources directly in content/actors/ and content/sources/"})
		return pg
	}
	// Each is placed in src as it is read: what readable changed before
	// them is the same length or lies after them.
	if badUTF8 >= 0 {
		pg.errorAt(badUTF8, "save the file as UTF-8", "invalid UTF-8")
	}
	if forbid >= 0 {
		pg.diags = append(pg.diags, pg.diagAt(diag.Warning, forbid, "it is read as a space; text pasted from a word processor often holds one (U+000B is its line break)",
			"the character %U may not stand in a web page", r))
	}
	if sec != Home && !markup.IsSlug(pg.ID) {
		pg.diags = append(pg.diags, diag.Diagnostic{Path: filePath, Line: 1, Col: 1, Severity: diag.Error,
			Message: fmt.Sprintf("id %q is not a safe slug (lower-case letters, digits, - and _)", pg.ID),
			Hint:    "rename the file to " + markup.Slugify(pg.ID) + ".md"})
	}
	// Some editors start UTF-8 files with a byte-order mark.
	bom := 0
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		bom = len("\uFEFF")
	}
	fm, fmOff, bodyOff, ok := splitFrontMatter(src[bom:])
	bodyOff += bom
	if !ok {
		pg.errorAt(0, "end the front matter with a line of ---", "front matter is not closed")
		bodyOff = len(src)
	} else if fm != nil {
		pg.frontMatter(newYAMLText(fm, bom+fmOff))
	} else if first, _, _ := bytes.Cut(src[bom:], []byte("\n")); string(bytes.TrimRight(first, " \t\r")) == "+++" {
		// Hugo's TOML front matter: its keys are there, not missing.
		pg.errorAt(bom, "write it as YAML between lines of ---: key: value, one per line (title: Talks, not title = \"Talks\")",
			"front matter between lines of +++ is TOML, which is not read; front matter is YAML")
	} else {
		pg.required(nil, nil)
	}
	pg.bodyOff = bodyOff
	pg.markdown = src[bodyOff:]
	if budget == 0 {
		budget = fileBudget(len(src))
	}
	doc, problems, ok := parseBody(mp, pg.markdown, budget, slabs)
	if !ok {
		pg.errorAt(bodyOff, "look for thousands of nested lists, of footnotes, or of \"](\" on one line, and split them up",
			"the Markdown parser took over %s on this file", budget.Round(time.Millisecond))
		doc = ast.NewDocument()
	}
	pg.tree = doc
	for _, pr := range problems {
		if pr.Warning {
			pg.diags = append(pg.diags, pg.diagAt(diag.Warning, bodyOff+pr.Pos, pr.Hint, "%s", pr.Message))
			continue
		}
		pg.errorAt(bodyOff+pr.Pos, pr.Hint, "%s", pr.Message)
	}
	pg.collect()
	if sec == Briefings {
		pg.plain = markup.RecordPlainText(pg.tree, pg.markdown)
	}
	for i, t := range pg.Tags {
		// One spelling for the tag however its accents were typed, so that
		// the same word in two briefings is not a collision with itself;
		// and its words one space apart, as its page's title shows them.
		t = markup.FoldString(norm.NFC.String(t))
		pg.Tags[i] = t
		slug := TagSlug(t)
		if slug == "" {
			pg.errorAt(pg.tagPos[i], "use letters or digits", "tag %q has no letters or digits to name its page", t)
		}
		pg.tagSlugs = append(pg.tagSlugs, slug)
	}
	switch {
	case sec == Actors && pg.Name == "":
		pg.Name = pg.ID
	case (sec == Briefings || sec == Sources) && pg.Title == "":
		pg.Title = pg.ID
	}
	// Text shown as it was written, not as Markdown, gets the Markdown's
	// typography; names stay as written, for they are what links find.
	pg.Title, pg.Summary, pg.Dateline = Typeset(pg.Title), Typeset(pg.Summary), Typeset(pg.Dateline)
	pg.Description, pg.Role = Typeset(pg.Description), Typeset(pg.Role)
	return pg
}

// markEvery is how many bytes apart the character counts that position
// starts from are: a column then costs at most that many bytes to count,
// however long its line, and the counts take a sixteenth of the file's size.
const markEvery = 64

// lineStarts returns the offsets where the lines of src start, and marks:
// marks[k] is the number of characters before byte k*markEvery. It runs
// over every byte of every file, so it finds lines with IndexByte and
// counts characters eight bytes at a time.
//
// Both are int32, half what ints take: a file is read only up to
// MaxContentFile, and every briefing's tables were held until the shed.
func lineStarts(src []byte) (lines, marks []int32) {
	lines = make([]int32, 1, bytes.Count(src, []byte{'\n'})+1)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		lines = append(lines, int32(i))
	}
	marks = make([]int32, 0, len(src)/markEvery+1)
	chars := 0
	for off := 0; off < len(src); off += markEvery {
		marks = append(marks, int32(chars))
		chars += countChars(src[off:min(off+markEvery, len(src))])
	}
	if len(src)%markEvery == 0 {
		marks = append(marks, int32(chars))
	}
	return lines, marks
}

// countChars counts the bytes of b that begin a character: all but the
// continuation bytes, 10xxxxxx, which are found eight at a time as the
// bytes whose top bit is set and whose next bit is not.
func countChars(b []byte) int {
	n := len(b)
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		n -= bits.OnesCount64(w &^ (w << 1) & 0x8080808080808080)
		b = b[8:]
	}
	for _, c := range b {
		if !isCharStart(c) {
			n--
		}
	}
	return n
}

// isCharStart reports whether c begins a character: in UTF-8 every byte
// but a continuation byte does, so counting them counts the runes of valid
// text as utf8.RuneCount does.
func isCharStart(c byte) bool { return c&0xC0 != 0x80 }

// position turns a byte offset of the file into a 1-based line and a
// 1-based column counted in characters. Counting from the nearest mark
// instead of the line start keeps many problems on one long line linear.
func (pg *Page) position(off int) (line, col int) {
	off = min(max(off, 0), len(pg.src))
	i, found := slices.BinarySearch(pg.lines, int32(off))
	if !found {
		i--
	}
	return i + 1, pg.charsBefore(off) - pg.charsBefore(int(pg.lines[i])) + 1
}

// charsBefore is the number of characters in the file before off.
func (pg *Page) charsBefore(off int) int {
	k := off / markEvery
	n := int(pg.marks[k])
	for _, c := range pg.src[k*markEvery : off] {
		if isCharStart(c) {
			n++
		}
	}
	return n
}

func (pg *Page) diagAt(sev diag.Severity, off int, hint, format string, args ...any) diag.Diagnostic {
	line, col := pg.position(off)
	return diag.Diagnostic{Path: pg.Path, Line: line, Col: col, Severity: sev, Message: fmt.Sprintf(format, args...), Hint: hint}
}

func (pg *Page) errorAt(off int, hint, format string, args ...any) {
	pg.diags = append(pg.diags, pg.diagAt(diag.Error, off, hint, format, args...))
}

// bodyPos is the file offset of a position goldmark reports in the body.
func (pg *Page) bodyPos(p int) int { return pg.bodyOff + p }

// splitFrontMatter finds YAML between a first line "---" and the next line
// "---". fmOff is its offset in src.
func splitFrontMatter(src []byte) (fm []byte, fmOff, bodyOff int, ok bool) {
	isFence := func(line []byte) bool { return string(bytes.TrimRight(line, " \t\r")) == "---" }
	first, _, found := bytes.Cut(src, []byte("\n"))
	if !isFence(first) {
		return nil, 0, 0, true // no front matter: all body
	}
	if !found {
		return nil, 0, len(src), false
	}
	start := len(first) + 1
	for off := start; off <= len(src); {
		line, _, more := bytes.Cut(src[off:], []byte("\n"))
		if isFence(line) {
			end := off + len(line)
			if more {
				end++
			}
			return src[start:off], start, end, true
		}
		if !more {
			break
		}
		off += len(line) + 1
	}
	return nil, 0, len(src), false
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlMessage is the YAML decoder's message msg on one line, with the
// lines it names made the file's.
func (pg *Page) yamlMessage(fm yamlText, msg string) string {
	msg = yamlLine.ReplaceAllStringFunc(msg, func(s string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "line "))
		line, _ := pg.yamlPos(fm, n, 1)
		return "line " + strconv.Itoa(line)
	})
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, " ")
}

// yamlText is front matter as the YAML parser reads it, and where it is in
// the file.
type yamlText struct {
	text []byte
	off  int // the file offset of text
	// odd is whether YAML ends lines in text where the file does not: YAML
	// ends one at a lone \r, NEL, LS and PS as well as at \n, so its line
	// numbers are not the file's.
	odd bool
}

// fmLine is the file line of front matter's first line, below the opening
// ---. (A byte-order mark before the --- is on that line.)
const fmLine = 2

func newYAMLText(text []byte, off int) yamlText {
	for i, c := range text {
		if c == '\r' || c == 0xC2 || c == 0xE2 {
			if n := yamlBreak(text[i:]); n > 0 && text[i+n-1] != '\n' {
				return yamlText{text: text, off: off, odd: true}
			}
		}
	}
	return yamlText{text: text, off: off}
}

// bomCol is the column YAML does not count on line: a byte-order mark
// that starts the text, which it drops.
func (fm yamlText) bomCol(line int) int {
	if line == 1 && bytes.HasPrefix(fm.text, []byte("\uFEFF")) {
		return 1
	}
	return 0
}

// yamlBreak is the length of the YAML line break b starts with, or 0.
func yamlBreak(b []byte) int {
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '\n':
		return 1
	case b[0] == '\r':
		if len(b) > 1 && b[1] == '\n' {
			return 2
		}
		return 1
	case len(b) > 1 && b[0] == 0xC2 && b[1] == 0x85:
		return 2
	case len(b) > 2 && b[0] == 0xE2 && b[1] == 0x80 && (b[2] == 0xA8 || b[2] == 0xA9):
		return 3
	}
	return 0
}

// yamlLines yields each line of YAML text as YAML ends lines (see
// yamlBreak), without its break, and its offset in text; text that ends
// in a break ends in an empty line.
func yamlLines(text []byte) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		for start := 0; ; {
			end := start
			for end < len(text) && yamlBreak(text[end:]) == 0 {
				end++
			}
			if !yield(start, text[start:end]) || end == len(text) {
				return
			}
			start = end + yamlBreak(text[end:])
		}
	}
}

// yamlPlain calls each with the offset of every byte of a YAML line
// outside quoted text and before a comment.
func yamlPlain(line []byte, each func(i int)) {
	var quote byte
	for i, c := range line {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return // a comment
		default:
			each(i)
		}
	}
}

// yamlOffset is the file offset of the YAML parser's line and column
// (1-based, in characters) in fm.
func (pg *Page) yamlOffset(fm yamlText, line, col int) int {
	col += fm.bomCol(line)
	if !fm.odd {
		return pg.lineOffset(fmLine+line-1, col)
	}
	i, l := len(fm.text), 1
	for start := range yamlLines(fm.text) {
		if l == line {
			i = start
			break
		}
		l++
	}
	for c := 1; c < col && i < len(fm.text) && yamlBreak(fm.text[i:]) == 0; c++ {
		_, size := utf8.DecodeRune(fm.text[i:])
		i += size
	}
	return fm.off + i
}

// yamlPos is the file line and column of the YAML parser's line and column
// in fm.
func (pg *Page) yamlPos(fm yamlText, line, col int) (int, int) {
	if !fm.odd {
		return fmLine + line - 1, col + fm.bomCol(line)
	}
	return pg.position(pg.yamlOffset(fm, line, col))
}

func (pg *Page) fmError(n *yaml.Node, fm yamlText, hint, format string, args ...any) {
	line, col := pg.yamlPos(fm, n.Line, n.Column)
	pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: line, Col: col,
		Severity: diag.Error, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// yamlFrontMatter parses front matter with the YAML parser and returns its
// top node, or nil when it is empty or malformed (which is reported).
func (pg *Page) yamlFrontMatter(fm yamlText) *yaml.Node {
	var root yaml.Node
	if err := yaml.Unmarshal(fm.text, &root); err != nil {
		line := 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = yamlLine.ReplaceAllString(msg, "")
		msg = strings.TrimLeft(msg, ": ")
		if off, close := unclosedFlow(fm.text); off >= 0 {
			// YAML names the line before, where it gave up looking.
			line, col := pg.position(fm.off + off)
			pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: line, Col: col, Severity: diag.Error,
				Message: "malformed front matter: this " + map[byte]string{']': "list", '}': "mapping"}[close] + " is not closed",
				Hint:    "end it with " + string(close) + " on the same line"})
			return nil
		}
		if off := unclosedQuote(fm.text); off >= 0 && strings.Contains(msg, "end of stream") {
			// YAML read to the end looking for the quote's end.
			line, col := pg.position(fm.off + off)
			pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: line, Col: col, Severity: diag.Error,
				Message: "malformed front matter: this quote is not closed",
				Hint:    "end the value with " + string(fm.text[off]) + ", or leave out the quote"})
			return nil
		}
		line, col := yamlFault(fm.text, line, msg)
		hint := "front matter is YAML: key: value, one per line"
		// YAML's words for a tab before a key say nothing of tabs.
		if lines := bytes.Split(fm.text, []byte("\n")); line >= 1 && line <= len(lines) {
			l := lines[line-1]
			if lead := l[:len(l)-len(bytes.TrimLeft(l, " \t"))]; bytes.IndexByte(lead, '\t') >= 0 {
				col = bytes.IndexByte(lead, '\t') + 1
				hint = "YAML is indented with spaces, never tabs: this line is indented with a tab"
			} else if strings.Contains(msg, "mapping values are not allowed") {
				hint = secondColonHint(l, len(lead) > 0)
			}
		}
		line, col = pg.yamlPos(fm, line, col)
		pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: line, Col: col, Severity: diag.Error,
			Message: "malformed front matter: " + msg, Hint: hint})
		return nil
	}
	if len(root.Content) == 0 {
		return nil
	}
	return root.Content[0]
}

// secondColonHint is the hint for a front-matter line that YAML found a
// second ": " on: a value that holds one, to be quoted, or a key indented
// under the one above.
func secondColonHint(l []byte, indented bool) string {
	key, value, _ := bytes.Cut(bytes.TrimRight(l, "\r"), []byte(":"))
	v := string(value)
	if c := strings.Index(v, " #"); c >= 0 {
		v = v[:c] // a comment, not the value's
	}
	switch v = strings.TrimSpace(v); {
	case indented && !bytes.ContainsAny(bytes.TrimSpace(key), " \t"):
		return "start each key at the line's start: an indented line is read as part of the value above"
	case indented || bytes.ContainsAny(key, " #") || v == "" || v[0] == '"' || v[0] == '\'':
		return `put the whole value in quotes, for it holds ": "`
	case len(v) > 60:
		return `put the value in quotes, for it holds ": ": ` + string(key) + `: '…'`
	}
	// Single quotes take a backslash as written; a quote inside them is
	// written twice.
	return `put the value in quotes, for it holds ": ": ` + string(key) + `: '` + strings.ReplaceAll(v, "'", "''") + `'`
}

// forbiddenChar is the offset in src, and the character, of the first
// character HTML does not allow in a page that a parser would let through
// (a control character other than white space and NEL, or a
// noncharacter; NUL too, which Markdown and html/template turn into
// U+FFFD but the JSON of graph.json and JSON-LD kept as \u0000); -1 when
// there is none. It reads every file a build parses, so a byte that can
// start none of them (nearly every byte of text) is passed over by a table.
func forbiddenChar(src []byte) (int, rune) {
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !mayForbid[c] {
			continue
		}
		if c < utf8.RuneSelf {
			return i, rune(c)
		}
		r, _ := utf8.DecodeRune(src[i:])
		// NEL (U+0085) ends a line of front matter, as YAML reads it.
		if r >= 0x80 && r <= 0x9f && r != 0x85 || r >= 0xfdd0 && r <= 0xfdef || r&0xfffe == 0xfffe {
			return i, r
		}
	}
	return -1, 0
}

// mayForbid tells the bytes forbiddenChar looks at: the forbidden ASCII
// controls, and the first bytes of C1 controls (C2), of U+FDD0–U+FDEF and
// U+FFFE–U+FFFF (EF) and of the noncharacters of the other planes
// (F0–F4).
var mayForbid = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t' && c != '\n' && c != '\r' && c != '\f'
	}
	t[0x7f], t[0xc2], t[0xef] = true, true, true
	for c := 0xf0; c <= 0xf4; c++ {
		t[c] = true
	}
	return t
}()

// blankForbidden is src with every character forbiddenChar finds made
// spaces, as many as its bytes, so that no offset moves.
func blankForbidden(src []byte) []byte {
	out := bytes.Clone(src)
	for off, _ := forbiddenChar(out); off >= 0; {
		_, n := utf8.DecodeRune(out[off:])
		for k := range n {
			out[off+k] = ' '
		}
		next, _ := forbiddenChar(out[off+n:])
		if next < 0 {
			break
		}
		off += n + next
	}
	return out
}

// readable is a file as a page is read from it, the parse and the shed's
// second reading alike: lone CRs as line feeds, invalid UTF-8 as U+FFFD,
// characters a page may not hold as spaces. badUTF8 is the offset of the
// first invalid byte and forbid that of the first forbidden character r,
// in the text returned; -1 when there is none. src itself is returned
// when nothing needed changing.
func readable(src []byte) (out []byte, badUTF8, forbid int, r rune) {
	out, badUTF8 = src, -1
	if loneCR(out) {
		out = crToLF(out)
	}
	if !utf8.Valid(out) {
		for badUTF8 = 0; badUTF8 < len(out); {
			r, n := utf8.DecodeRune(out[badUTF8:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			badUTF8 += n
		}
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	if forbid, r = forbiddenChar(out); forbid >= 0 {
		out = blankForbidden(out)
	}
	return out, badUTF8, forbid, r
}

// loneCR tells whether src ends a line with a CR alone, as files saved
// on classic Mac OS do, and some tools still: CommonMark reads it as a
// line ending, and so must the front matter's reader and every position.
func loneCR(src []byte) bool {
	for i := bytes.IndexByte(src, '\r'); i >= 0; {
		if i+1 == len(src) || src[i+1] != '\n' {
			return true
		}
		j := bytes.IndexByte(src[i+1:], '\r')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// crToLF is src with every lone CR made a line feed, a byte for a byte,
// so that no offset moves.
func crToLF(src []byte) []byte {
	out := bytes.Clone(src)
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

// yamlFault is the YAML line and column of the mistake the YAML parser's
// message msg tells of at line, which it names without a column (and for
// a tab that breaks the indentation, as the line it was reading before):
//   - a tab in the indentation: at the tab, in that line or the two after;
//   - a character that cannot start a token: at an @ or ` that starts a
//     value on that line, else at a tab in its indentation;
//   - a mapping value where none may be: at the colon, the second of the
//     line (after key: value) or else the first (an indented key), quoted
//     text and comments skipped.
//
// Column 1 of line when none is found.
func yamlFault(text []byte, line int, msg string) (int, int) {
	var lines [][]byte
	for _, l := range yamlLines(text) {
		lines = append(lines, l)
	}
	if line < 1 || line > len(lines) {
		return line, 1
	}
	lines[0] = bytes.TrimPrefix(lines[0], []byte("\uFEFF")) // a column of its own (see yamlPos)
	col := func(l []byte, i int) int { return utf8.RuneCount(l[:i]) + 1 }
	tab := func(l []byte) int {
		indent := l[:len(l)-len(bytes.TrimLeft(l, " \t"))]
		return bytes.IndexByte(indent, '\t')
	}
	s := lines[line-1]
	switch {
	case strings.Contains(msg, "tab character"):
		for l := line; l <= min(line+2, len(lines)); l++ {
			if i := tab(lines[l-1]); i >= 0 {
				return l, col(lines[l-1], i)
			}
		}
	case strings.Contains(msg, "cannot start any token"):
		for i, c := range s {
			if (c == '@' || c == '`') && (i == 0 || bytes.ContainsRune([]byte(" [{,"), rune(s[i-1]))) {
				return line, col(s, i)
			}
		}
		if i := tab(s); i >= 0 {
			return line, col(s, i)
		}
	case strings.Contains(msg, "mapping values are not allowed"):
		var colons []int
		yamlPlain(s, func(i int) {
			if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
				colons = append(colons, i)
			}
		})
		if len(colons) > 0 {
			return line, col(s, colons[min(1, len(colons)-1)])
		}
	}
	return line, 1
}

// unclosedQuote is the offset in fm of a quote that starts a value (after
// "key: " or "- ") and that nothing after it closes, or -1.
func unclosedQuote(fm []byte) int {
	for start, line := range yamlLines(fm) {
		q := bytes.IndexAny(line, `"'`)
		if q < 0 {
			continue
		}
		before := strings.TrimSpace(string(line[:q]))
		if !strings.HasSuffix(before, ":") && !strings.HasSuffix(before, "-") || strings.Contains(before, "#") {
			continue
		}
		if q > 0 && line[q-1] != ' ' && line[q-1] != '\t' {
			continue
		}
		quote, rest := line[q], fm[start+q+1:]
		closed := false
		for i := 0; i < len(rest); i++ {
			switch {
			case quote == '"' && rest[i] == '\\':
				i++
			case quote == '\'' && rest[i] == '\'' && i+1 < len(rest) && rest[i+1] == '\'':
				i++
			case rest[i] == quote:
				closed = true
			}
			if closed {
				break
			}
		}
		if !closed {
			return start + q
		}
	}
	return -1
}

// unclosedFlow finds the first line of front matter, as YAML ends lines,
// that opens a [list] or {mapping} and does not close it: the offset in fm
// of the bracket it opens with and the bracket it lacks; -1 when every
// line closes what it opens. Quoted text and comments are skipped. Flow
// collections over several lines are valid YAML but rare in front matter,
// and only asked about once the YAML parser has failed.
func unclosedFlow(fm []byte) (off int, close byte) {
	for start, line := range yamlLines(fm) {
		var stack []int
		yamlPlain(line, func(i int) {
			switch c := line[i]; {
			case c == '[' || c == '{':
				stack = append(stack, i)
			case (c == ']' || c == '}') && len(stack) > 0:
				stack = stack[:len(stack)-1]
			}
		})
		if len(stack) > 0 {
			if line[stack[0]] == '{' {
				return start + stack[0], '}'
			}
			return start + stack[0], ']'
		}
	}
	return -1, 0
}

func (pg *Page) frontMatter(fm yamlText) {
	m, ok := quickFrontMatter(fm.text, pg.Section)
	if !ok {
		errs := len(pg.diags)
		if m = pg.yamlFrontMatter(fm); m == nil {
			if len(pg.diags) == errs { // empty, not malformed
				pg.required(nil, nil)
			}
			return
		}
	}
	if m.Kind != yaml.MappingNode {
		pg.fmError(m, fm, "write key: value pairs", "malformed front matter: expected a mapping of keys to values")
		return
	}
	seen := map[string]*yaml.Node{}
	values := map[string]*yaml.Node{}
	meant := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		// The last of two equal keys would win silently: draft: true, then
		// draft: false further down, would publish a draft.
		if first := seen[k.Value]; first != nil {
			pg.duplicateKey(k, first.Line, fm)
			if k.Value == "draft" {
				// Whether the page is a draft is the question itself, so
				// the error stands even when the page is skipped as one.
				pg.draftDiags = append(pg.draftDiags, pg.diags[len(pg.diags)-1])
			}
			continue
		}
		seen[k.Value], values[k.Value] = k, v
		if !known(pg.Section, k.Value) {
			if near := pg.unknownKey(k, fm); near != "" {
				meant[near] = true
			}
			continue
		}
		if k.Value == "params" {
			pg.params(v, fm)
			continue
		}
		pg.field(k.Value, v, fm)
	}
	pg.required(values, meant)
}

// params decodes the free keys under params:, a mapping.
func (pg *Page) params(v *yaml.Node, fm yamlText) {
	if v.Kind != yaml.MappingNode {
		pg.fmError(v, fm, "indent key: value lines below params:", "malformed front matter: params must be a mapping of keys to values")
		return
	}
	if pg.nestedDuplicates(v, fm) {
		return
	}
	if err := v.Decode(&pg.Params); err != nil {
		pg.fmError(v, fm, "", "malformed front matter: params: %s", pg.yamlMessage(fm, strings.TrimPrefix(err.Error(), "yaml: ")))
	}
}

// TagSlug is the folder of a tag's page: its letters and digits, of any
// script, lower-cased, with + and # kept so that C, C++ and C# stay three
// tags, and every other run of characters one dash. It is in NFC, so that
// a tag typed with a combining accent and one typed precomposed are one
// tag in one folder (macOS would make them one folder anyway), and at most
// maxTagSlug bytes, a file name's limit being 255. Links percent-encode
// what a URL path needs encoded.
func TagSlug(name string) string {
	slug := norm.NFC.String(markup.SlugifyKeeping(norm.NFC.String(name), func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || r == '+' || r == '#'
	}))
	if !strings.ContainsFunc(slug, func(r rune) bool { return !unicode.Is(unicode.M, r) && r != '-' }) {
		// Marks alone (the variation selector of an emoji, ❤️) name no
		// page a reader could see the name of.
		return ""
	}
	if len(slug) > maxTagSlug {
		// Two tags this makes one are reported as a collision, by slug.
		end := maxTagSlug
		for end > 0 && !utf8.RuneStart(slug[end]) {
			end--
		}
		slug = strings.TrimRight(slug[:end], "-")
	}
	return slug
}

// maxTagSlug is the most bytes of a tag's folder name.
const maxTagSlug = 200

// duplicateKey reports the key k given again after its first, on the front
// matter's line firstLine.
func (pg *Page) duplicateKey(k *yaml.Node, firstLine int, fm yamlText) {
	first, _ := pg.yamlPos(fm, firstLine, 1)
	pg.fmError(k, fm, fmt.Sprintf("the first is on line %d; keep one", first),
		"duplicate front-matter key %q", k.Value)
}

// nestedDuplicates reports keys given twice in a mapping anywhere inside v.
func (pg *Page) nestedDuplicates(v *yaml.Node, fm yamlText) bool {
	found := false
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > 100 { // aliases may nest without end; the decoder refuses those
			return
		}
		if n.Kind == yaml.MappingNode {
			seen := map[string]int{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if line, dup := seen[k.Value]; dup {
					pg.duplicateKey(k, line, fm)
					found = true
					continue
				}
				seen[k.Value] = k.Line
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(v, 0)
	return found
}

// field decodes a known key of the page's section; false for other keys.
func (pg *Page) field(key string, v *yaml.Node, fm yamlText) bool {
	// summary: *x is what &x marked (the alias bombs are refused before).
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	// text is a scalar's value, with the characters a page may not hold
	// that a YAML escape ("\x0b") wrote read as spaces (see forbiddenChar).
	text := func(n *yaml.Node) string {
		off, r := forbiddenChar([]byte(n.Value))
		if off < 0 {
			return n.Value
		}
		line, col := pg.yamlPos(fm, n.Line, n.Column)
		pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: line, Col: col, Severity: diag.Warning,
			Message: fmt.Sprintf("the character %U may not stand in a web page", r), Hint: "it is read as a space"})
		return string(blankForbidden([]byte(n.Value)))
	}
	str := func(dst *string) bool {
		if v.Kind != yaml.ScalarNode {
			pg.fmError(v, fm, "", "malformed front matter: %s must be text", key)
			return true
		}
		*dst = text(v)
		return true
	}
	vocab := func(dst *string, words []string, hint string) bool {
		var s string
		str(&s)
		if s == "" {
			return true // left empty: not set
		}
		if !slices.Contains(words, s) {
			h := hint
			if near := markup.Nearest(s, words); near != "" {
				h = "did you mean " + strconv.Quote(near) + "?"
			}
			pg.fmError(v, fm, h, "unknown %s %q", key, s)
			return true
		}
		*dst = s
		return true
	}
	// shown is str for words a page shows as written, which are not
	// Markdown: a mention, claim or link there would be shown as typed.
	shown := func(dst *string) bool {
		str(dst)
		for _, m := range []struct{ mark, end, hint string }{
			{"[[", "]]", "write the name, and mention it in the body, where [[…]] links"},
			{":claim[", "}", "mark the claim in the body"},
			{":caveat[", "}", "write the caveat in the body"},
			{"](", ")", "put the link in the body"},
		} {
			at := strings.Index(*dst, m.mark)
			if at < 0 {
				continue
			}
			if m.mark == "](" {
				// A link's words open with [; without one, "](" is not a link.
				if at = strings.LastIndexByte((*dst)[:at], '['); at < 0 {
					continue
				}
			}
			typed := (*dst)[at:]
			if end := strings.Index(typed, m.end); end >= 0 {
				typed = typed[:end+len(m.end)]
			}
			line, col := pg.yamlPos(fm, v.Line, v.Column)
			pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: line, Col: col, Severity: diag.Warning,
				Message: fmt.Sprintf("%s is plain text, not Markdown: %s is shown as typed", key, markup.Clip(typed)), Hint: m.hint})
			break
		}
		return true
	}
	list := func(dst *[]string) bool {
		switch v.Kind {
		case yaml.ScalarNode:
			// "tags: strike, talks" is one word to YAML, and would be one
			// tag: the list meant is written in brackets. Quoted, a comma
			// is the writer's own ("Washington, D.C.").
			if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 && strings.Contains(v.Value, ",") {
				var parts []string
				for part := range strings.SplitSeq(v.Value, ",") {
					parts = append(parts, strings.TrimSpace(part))
				}
				pg.fmError(v, fm, "write "+key+": ["+strings.Join(parts, ", ")+"], or quote a single one that holds a comma",
					"%s: %q is one %s, not a list", key, v.Value, cmp.Or(map[string]string{"tags": "tag", "aliases": "alias"}[key], "value"))
				return true
			}
			if v.Value != "" {
				*dst = []string{text(v)}
			}
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					pg.fmError(item, fm, "", "malformed front matter: %s must be a list of words", key)
					continue
				}
				*dst = append(*dst, text(item))
			}
		default:
			pg.fmError(v, fm, "write [a, b]", "malformed front matter: %s must be a list", key)
		}
		return true
	}
	ref := func(dst *markup.Ref) bool {
		var s string
		str(&s)
		*dst = markup.Ref{Name: s, Pos: pg.yamlOffset(fm, v.Line, v.Column)} // a file offset
		return true
	}
	date := func(dst *time.Time) bool {
		var s string
		str(&s)
		if s == "" {
			return true
		}
		for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				// Every page reads the zero time as "no date": kept,
				// it would vanish from the page and sort as oldest.
				if t.IsZero() {
					pg.fmError(v, fm, "write the real date, or leave date out", "date %q is the zero date, which pages read as no date", s)
					return true
				}
				*dst = t
				return true
			}
		}
		pg.fmError(v, fm, markup.DateHint(s, true), "invalid date %q", s)
		return true
	}
	switch pg.Section {
	case Home:
		switch key {
		case "title":
			return shown(&pg.Title)
		case "description":
			return shown(&pg.Description)
		case "language":
			var s string
			if str(&s); s == "" {
				return true
			}
			// The tag goes into <html lang>: it must be one a reader's
			// browser and a search engine can read, and is kept in its
			// canonical spelling (en-GB, not EN_gb).
			tag, err := language.Parse(s)
			if err != nil {
				pg.fmError(v, fm, markup.LanguageHint(s, "write a BCP 47 language tag such as en, en-GB or de"), "invalid language %q", s)
				return true
			}
			pg.Language = tag.String()
			return true
		case "raw_html":
			if v.Decode(&pg.RawHTML) != nil {
				pg.fmError(v, fm, "write true or false", "malformed front matter: raw_html must be true or false")
			}
			return true
		}
	case Briefings:
		switch key {
		case "title":
			return shown(&pg.Title)
		case "date":
			return date(&pg.Date)
		case "dateline":
			return shown(&pg.Dateline)
		case "summary":
			return shown(&pg.Summary)
		case "tags":
			list(&pg.Tags)
			items := v.Content
			if v.Kind == yaml.ScalarNode {
				items = []*yaml.Node{v}
			}
			// One position per tag list() kept, in step with it.
			for _, item := range items {
				if item.Kind == yaml.ScalarNode && (item.Value != "" || v.Kind == yaml.SequenceNode) {
					pg.tagPos = append(pg.tagPos, pg.yamlOffset(fm, item.Line, item.Column))
				}
			}
			return true
		case "draft":
			if v.Decode(&pg.Draft) != nil {
				pg.fmError(v, fm, "write true or false", "malformed front matter: draft must be true or false")
			}
			return true
		}
	case Actors:
		switch key {
		case "name":
			return str(&pg.Name)
		case "kind":
			return vocab(&pg.ActorKind, ActorKinds, "use one of: "+strings.Join(ActorKinds, ", "))
		case "role":
			return shown(&pg.Role)
		case "affiliation":
			return ref(&pg.Affiliation)
		case "aliases":
			return list(&pg.Aliases)
		}
	case Sources:
		switch key {
		case "title":
			return shown(&pg.Title)
		case "publisher":
			return ref(&pg.Publisher)
		case "date":
			return date(&pg.Date)
		case "url":
			str(&pg.SourceURL)
			// Published as the source's link: an address without its
			// scheme leads to a page of this site, and one that is not
			// the web's is blocked where it is shown.
			if pg.SourceURL != "" && !webAddress(pg.SourceURL) {
				line, col := pg.yamlPos(fm, v.Line, v.Column)
				pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: line, Col: col, Severity: diag.Warning,
					Message: fmt.Sprintf("url %q is not a web address", pg.SourceURL), Hint: "write it whole, starting with https://"})
			}
			return true
		case "reliability":
			return vocab(&pg.Reliability, []string{"A", "B", "C", "D", "E", "F"}, "the Admiralty reliability is a letter from A (completely reliable) to F (cannot be judged)")
		case "credibility":
			var s string
			if str(&s); s == "" {
				return true
			}
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 6 {
				pg.fmError(v, fm, "the Admiralty credibility is a digit from 1 (confirmed) to 6 (cannot be judged)", "unknown credibility %q", s)
				return true
			}
			pg.Credibility = n
			return true
		}
	}
	return false
}

// ActorKinds is the vocabulary of an actor's kind.
var ActorKinds = []string{"person", "organisation", "state", "group"}

// lineOffset is the file offset of a 1-based line and column, the inverse
// of position for ASCII text.
func (pg *Page) lineOffset(line, col int) int {
	if line < 1 || line > len(pg.lines) {
		return 0
	}
	// Counted from the nearest mark, as position does, so that many values
	// on one long line (tags: [a, b, …]) stay linear.
	want := pg.charsBefore(int(pg.lines[line-1])) + max(col, 1) - 1
	k, found := slices.BinarySearch(pg.marks, int32(want))
	if !found {
		k--
	}
	off, n := k*markEvery, int(pg.marks[k])
	for ; off < len(pg.src); off++ {
		if isCharStart(pg.src[off]) {
			if n == want {
				break
			}
			n++
		}
	}
	return off
}

// collect walks the body for annotation nodes and derives missing ids from
// the page id and the words, so they stay stable while the words do.
func (pg *Page) collect() {
	var inClaim *markup.Claim
	_ = ast.Walk(pg.tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *markup.Claim:
			if !entering {
				inClaim = nil
				return ast.WalkContinue, nil
			}
			inClaim = n
			pg.Claims = append(pg.Claims, n)
		case *markup.Wikilink:
			if entering {
				// A label is the author's words, typeset as the words
				// around it are (goldmark's typographer reads none of it).
				n.Label = Typeset(n.Label)
				pg.Wikilinks = append(pg.Wikilinks, n)
				if inClaim != nil {
					if pg.claimOf == nil {
						pg.claimOf = map[*markup.Wikilink]*markup.Claim{}
					}
					pg.claimOf[n] = inClaim
				}
			}
		case *markup.Caveat, *markup.InlineCaveat:
			if entering {
				pg.Caveats = append(pg.Caveats, n)
			}
		case *ast.FencedCodeBlock:
			// Language caches what it reads in the node on first call;
			// called now, while the page is its parser's alone, pages
			// rendering the same body at once (a briefing and a feed)
			// only read it.
			if entering {
				n.Language(pg.markdown)
			}
		case *ast.Link:
			if entering {
				pg.links = append(pg.links, pg.rootLink(n, &n.Destination, false))
			}
		case *ast.Image:
			if entering {
				pg.links = append(pg.links, pg.rootLink(n, &n.Destination, true))
			}
		case *ast.RawHTML:
			if entering {
				pg.links = append(pg.links, pageLink{raw: slices.Clone(n.Segments.Sliced(0, n.Segments.Len()))})
			}
		case *ast.HTMLBlock:
			if entering {
				segs := slices.Clone(n.Lines().Sliced(0, n.Lines().Len()))
				if n.HasClosure() {
					segs = append(segs, n.ClosureLine)
				}
				pg.links = append(pg.links, pageLink{raw: segs})
			}
		case *ast.Heading:
			if entering {
				if v, ok := n.AttributeString("id"); ok {
					if id, ok := v.([]byte); ok {
						pg.anchors = append(pg.anchors, string(id))
					}
				}
			}
		}
		return ast.WalkContinue, nil
	})
	// Ids are derived once every written id of the page is known, so that
	// a derived id never repeats one written further down, nor another
	// derived one: the words of "переговоры" and "2" gave b-2 twice.
	claims, caveats := newIDSet(), newIDSet()
	for _, n := range pg.Claims {
		claims.used[n.ID] = true
	}
	for _, n := range pg.Caveats {
		caveats.used[markup.Attrs(n).ID] = true
	}
	for _, n := range pg.Claims {
		if n.ID == "" {
			n.ID, n.AutoID = claims.autoID(pg.ID, PlainText(n, pg.markdown, nil)), true
			n.IDPos = n.Pos()
		}
	}
	for _, n := range pg.Caveats {
		if a := markup.Attrs(n); a.ID == "" {
			a.ID, a.AutoID = caveats.autoID(pg.ID+"-caveat", PlainText(n, pg.markdown, nil)), true
			a.IDPos = n.Pos()
		}
	}
}

// idSet is the ids of one kind taken in a page.
type idSet struct {
	used map[string]bool
	next map[string]int // the next number to try after a derived id's base
}

func newIDSet() idSet { return idSet{used: map[string]bool{}, next: map[string]int{}} }

// maxAutoID is the most bytes of a derived id before its number: with the
// number it stays within the 200 that an id written by hand may have, and
// far from a file name's limit of 255.
const maxAutoID = 190

// autoID derives an id from the prefix and the first words, numbered from
// 2 when the page already has it.
func (s idSet) autoID(prefix, words string) string {
	slug := markup.Slugify(words)
	// The first six words: the slug up to its sixth dash.
	for i, dashes := 0, 0; i < len(slug); i++ {
		if slug[i] == '-' {
			if dashes++; dashes == 6 {
				slug = slug[:i]
				break
			}
		}
	}
	if len(slug) > 48 {
		slug = strings.TrimRight(slug[:48], "-")
	}
	base := prefix
	if slug != "" {
		base += "-" + slug
	}
	if len(base) > maxAutoID {
		// The page id may be up to 200 bytes itself; it is ASCII unless
		// it is already an error, but cut at a character all the same.
		end := maxAutoID
		for end > 0 && !utf8.RuneStart(base[end]) {
			end--
		}
		base = strings.TrimRight(base[:end], "-")
	}
	id := base
	if s.used[id] {
		n := max(s.next[base], 2)
		for id = base + "-" + strconv.Itoa(n); s.used[id]; id = base + "-" + strconv.Itoa(n) {
			n++
		}
		s.next[base] = n + 1
	}
	s.used[id] = true
	return id
}

// PlainText is markup.PlainText: the text of a node's descendants, raw
// HTML left out, as ids are made of it.
func PlainText(n ast.Node, src []byte, link func(*markup.Wikilink) *markup.Link) string {
	return markup.PlainText(n, src, link)
}

// ShownText is the text of a node's descendants as the model's pages show
// it: raw HTML is words where it is shown as written (markup.ShownText).
func (m *Model) ShownText(n ast.Node, src []byte, link func(*markup.Wikilink) *markup.Link) string {
	if m.rawAsText() {
		return markup.ShownText(n, src, link)
	}
	return markup.PlainText(n, src, link)
}

// rawAsText reports whether the site shows raw HTML in Markdown as
// written, as text (not let through): it is then words of the text too.
func (m *Model) rawAsText() bool { return !m.RawHTML }
