package markup

import (
	"bytes"
	"cmp"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gosimple/unidecode"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// attr is one key=value of a directive's {…} block.
type attr struct {
	Key    string
	Value  string
	KeyPos int
	ValPos int
	quoted bool
	// afterComma is set on an attribute that follows a value ending in a
	// comma (src=a, b): a list written with a space.
	afterComma bool
}

// wideEquals is the full-width equals sign, U+FF1D.
const wideEquals = "\uFF1D"

// attrText is the text of a {…} block that may span lines, with a map back
// to source offsets.
type attrText struct {
	buf    []byte
	starts []int // buf index where each piece starts
	srcs   []int // source offset of that piece
}

func newAttrText(src []byte, segs *text.Segments) attrText {
	n := segs.Len()
	t := attrText{starts: make([]int, 0, n), srcs: make([]int, 0, n)}
	if n == 1 {
		// One line, as nearly every block is: read in place, not copied.
		s := segs.At(0)
		t.buf = s.Value(src)
		t.starts, t.srcs = append(t.starts, 0), append(t.srcs, s.Start)
		return t
	}
	for i := range n {
		s := segs.At(i)
		t.starts = append(t.starts, len(t.buf))
		t.srcs = append(t.srcs, s.Start)
		t.buf = append(t.buf, s.Value(src)...)
	}
	return t
}

// pos is the source offset of buf[i]. The piece is found by binary search:
// an attribute block over many lines has one piece a line.
func (t attrText) pos(i int) int {
	// The last piece starting at or before i: an empty piece may share
	// its start with the next.
	k := sort.Search(len(t.starts), func(k int) bool { return t.starts[k] > i }) - 1
	if k < 0 {
		return 0
	}
	return t.srcs[k] + i - t.starts[k]
}

// colonQuote reports whether str[j] is the colon of key:"value", the key
// str[i:j] a word.
func colonQuote(str string, i, j int) bool {
	return j > i && j+1 < len(str) && str[j] == ':' && str[j+1] == '"' && str[j-1] != ':'
}

// parseAttrs splits the inside of {…}: #id, .class, key=value, key="quoted".
func parseAttrs(t attrText, pc parser.Context) []attr {
	// At most one attribute a run of spaces; their strings are cut from
	// one copy of the block, so a claim costs two allocations here, not
	// two an attribute.
	n := 1
	for _, c := range t.buf {
		if isSpace(c) {
			n++
		}
	}
	out := make([]attr, 0, min(n, 16))
	b := t.buf
	str := string(b)
	i := 0
	for i < len(b) {
		if isSpace(b[i]) {
			i++
			continue
		}
		start := i
		if b[i] == '#' || b[i] == '.' {
			j := i + 1
			for j < len(b) && !isSpace(b[j]) {
				j++
			}
			key := "id"
			if b[i] == '.' {
				key = "class"
			}
			out = append(out, attr{Key: key, Value: str[i+1 : j], KeyPos: t.pos(start), ValPos: t.pos(i + 1)})
			i = j
			continue
		}
		j := i
		for j < len(b) && !isSpace(b[j]) && b[j] != '=' && !strings.HasPrefix(str[j:], wideEquals) && !colonQuote(str, i, j) {
			j++
		}
		a := attr{Key: str[i:j], KeyPos: t.pos(start)}
		colon := colonQuote(str, i, j)
		if colon {
			// by:"Orlov Z": a colon for =, before a quoted value that
			// would otherwise be cut at its space (eachAttr mends by:orlov).
			hint := "write = for the colon after " + a.Key
			if end := strings.IndexByte(str[j+2:], '"'); end >= 0 && !strings.ContainsAny(str[j+2:j+2+end], "\r\n") {
				hint = "write " + a.Key + "=" + str[j+1:j+2+end+1]
			}
			report(pc, t.pos(j), hint, "attribute %q is written with : for =", a.Key)
		}
		// "by = orlov": one attribute written with spaces, not three.
		spaced := false
		if k := skipSpaces(b, j); j > i && k > j && k < len(b) && b[k] == '=' && skipSpaces(b, k+1) < len(b) {
			report(pc, t.pos(j), "write "+a.Key+"=value, with no space around =", "spaces around = after %q", a.Key)
			j, spaced = k, true
		}
		a.afterComma = len(out) > 0 && !out[len(out)-1].quoted && strings.HasSuffix(out[len(out)-1].Value, ",")
		if strings.HasPrefix(str[j:], wideEquals) {
			// A slip of a Chinese or Japanese keyboard, read as meant.
			report(pc, t.pos(j), "write = (an ASCII equals sign)", "attribute %q is followed by a full-width ＝", a.Key)
			j += len(wideEquals) - 1
		} else if !colon && (j >= len(b) || b[j] != '=') {
			a.ValPos = -1
			out = append(out, a)
			i = j
			continue
		}
		j++ // '=', or the colon
		if !spaced && j < len(b) && isSpace(b[j]) {
			// "by= orlov": a value after the space, not a key of its own.
			if k := skipSpaces(b, j); k < len(b) && a.Key != "" && bytes.IndexByte(b[k:nextSpace(b, k)], '=') < 0 {
				report(pc, t.pos(j), "write "+a.Key+"=value, with no space around =", "spaces around = after %q", a.Key)
				spaced = true
			}
		}
		if spaced {
			j = skipSpaces(b, j)
		}
		if j < len(b) && b[j] == '"' {
			k := j + 1
			for k < len(b) && b[k] != '"' {
				k++
			}
			if k >= len(b) {
				report(pc, t.pos(j), `close the value with another "`, "unterminated quoted value for %q", a.Key)
				return out
			}
			a.Value, a.ValPos, a.quoted = str[j+1:k], t.pos(j+1), true
			i = k + 1
		} else {
			k := j
			for k < len(b) && !isSpace(b[k]) {
				k++
			}
			a.Value, a.ValPos = str[j:k], t.pos(j)
			i = k
		}
		out = append(out, a)
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpaces is the index of the first byte at or after i in b that is
// not a space.
func skipSpaces(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// nextSpace is the index of the first space at or after i in b, or len(b).
func nextSpace(b []byte, i int) int {
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	return i
}

// refs is list, with a name written as a mention (by=[[orlov]]) read as
// the name, and reported.
func (a attr) refs(pc parser.Context) []Ref {
	refs := a.list()
	out := refs[:0]
	for _, r := range refs {
		if inner, ok := strings.CutPrefix(r.Name, "[["); ok {
			// [[actor:orlov|O]] names orlov.
			_, target, _ := splitWikilink(strings.TrimSuffix(inner, "]]"))
			meant := cmp.Or(target, "id")
			report(pc, r.Pos, "write "+a.Key+"="+meant+": an attribute names an id without [[ ]]", "%s=%s is written as a mention", a.Key, r.Name)
			if target == "" {
				continue
			}
			r.Name, r.Pos = target, r.Pos+strings.Index(r.Name, target)
		}
		out = append(out, r)
	}
	return out
}

// list splits a comma list; quoted values may hold one name with spaces.
func (a attr) list() []Ref {
	var refs []Ref
	off := 0
	for part := range strings.SplitSeq(a.Value, ",") {
		name := strings.TrimSpace(part)
		if name != "" {
			refs = append(refs, Ref{Name: name, Pos: a.ValPos + off + strings.Index(part, name)})
		}
		off += len(part) + 1
	}
	return refs
}

// DateHint is the hint for a date that did not parse: the form dates are
// written in, or, for one written so, that the day does not exist, or
// that its time is wrong (withTime: a front matter's date may have one)
// or not wanted (a claim's date= is a day).
func DateHint(s string, withTime bool) string {
	if len(s) >= 10 && dateShape.MatchString(s[:10]) {
		if _, err := time.Parse(time.DateOnly, s[:10]); err == nil && len(s) > 10 {
			if !withTime {
				return "write the day alone, " + s[:10] + ": a claim's date has no time"
			}
			return "the day is right, the time is not: write YYYY-MM-DDTHH:MM (hours 00 to 23, minutes 00 to 59), or the day alone"
		}
		return "there is no such day: months run from 01 to 12, and days to the month's last"
	}
	return "write dates as YYYY-MM-DD"
}

var dateShape = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// attrWords are the words a writer may reach for instead of an
// attribute's short name, which no spelling mistake would explain.
var attrWords = map[string]string{
	"source": "src", "sources": "src", "speaker": "by", "author": "by", "said": "by", "who": "by",
	"subject": "about", "language": "lang", "claim": "on", "claims": "on", "contradict": "contradicts",
	"support": "supports", "update": "updates", "when": "date", "of": "on", "about": "on",
}

var claimAttrs = []string{"id", "by", "src", "about", "status", "credibility", "likelihood", "confidence", "date", "contradicts", "supports", "updates", "lang"}
var caveatAttrs = []string{"id", "on", "by"}

// namedAttrs are the attributes whose values may be names, with spaces.
var namedAttrs = []string{"by", "src", "about", "on"}

// listAttrs are the attributes that take a comma list.
var listAttrs = []string{"by", "src", "about", "contradicts", "supports", "updates", "on"}

// checkKnown reports an unknown attribute, and a known one without a value
// unless it is in required: the caller reports those as missing, since an
// empty list of speakers is no better than none.
func checkKnown(a attr, known, required []string, directive string, pc parser.Context) bool {
	if slices.Contains(known, a.Key) {
		if slices.Contains(required, a.Key) {
			return true
		}
		if a.ValPos < 0 || (a.Value == "" && !a.quoted) {
			report(pc, a.KeyPos, "write "+a.Key+"=value", "attribute %q of %s has no value", a.Key, directive)
			return false
		}
		return true
	}
	hint := "known attributes: " + strings.Join(known, ", ")
	if a.afterComma && a.ValPos < 0 {
		hint = "a list holds no spaces: write the names with commas alone between them (src=a,b)"
	} else if near := Nearest(a.Key, known); near != "" {
		hint = "did you mean " + strconv.Quote(near) + "?"
	} else if word, ok := attrWords[a.Key]; ok && slices.Contains(known, word) {
		hint = "did you mean " + strconv.Quote(word) + "?"
	} else if key := vocabKey(a.Key); a.ValPos < 0 && key != "" && slices.Contains(known, key) {
		// A value without its name: {by=a disputed}.
		hint = "write " + key + "=" + a.Key
	}
	name := a.Key
	if a.Key == "class" {
		name = "." + a.Value
	}
	report(pc, a.KeyPos, hint, "unknown attribute %q on %s", name, directive)
	return false
}

// checkValue returns the word of vocab that a's value is, or reports it
// and returns false. The word is vocab's own string, not the value's
// copy: a site's claims share a few strings, which the render package
// groups by without reading their bytes.
func checkValue(a attr, vocab []string, pc parser.Context) (string, bool) {
	if i := slices.Index(vocab, a.Value); i >= 0 {
		return vocab[i], true
	}
	hint := "use one of: " + strings.Join(vocab, ", ")
	if near := Nearest(a.Value, vocab); near != "" {
		hint = "did you mean " + strconv.Quote(near) + "?"
	}
	report(pc, a.ValPos, hint, "unknown %s %q", a.Key, a.Value)
	return "", false
}

// maxSlug is the most bytes of a slug: a file name's limit is 255, and a
// derived id adds a number.
const maxSlug = 200

func setID(id *string, idPos *int, a attr, pc parser.Context) {
	if !IsSlug(a.Value) {
		if len(a.Value) > maxSlug && IsSlug(a.Value[:maxSlug]) {
			report(pc, a.ValPos, "shorten it", "id %q… is %d bytes long; an id has at most %d", a.Value[:40], len(a.Value), maxSlug)
			return
		}
		report(pc, a.ValPos, "try #"+Slugify(a.Value), "id %q is not a safe slug (lower-case letters, digits, - and _)", a.Value)
		return
	}
	*id, *idPos = a.Value, a.ValPos
}

// vocabKey is the attribute whose value word is (status for disputed,
// likelihood for unlikely, confidence for low), or "".
func vocabKey(word string) string {
	switch {
	case slices.Contains(Statuses, word):
		return "status"
	case slices.Contains(Likelihoods, word):
		return "likelihood"
	case slices.Contains(Confidences, word):
		return "confidence"
	}
	return ""
}

// wordsAfter is the value of attrs[i] and the words after it that are no
// attributes (no =, no known name): a value written with spaces, whole;
// and the index after its last word, i+1 when it has none.
func wordsAfter(attrs []attr, i int, known []string) (string, int) {
	j := i + 1
	for j < len(attrs) && bareWord(attrs[j], known) && !attrs[j].afterComma && vocabKey(attrs[j].Key) == "" {
		j++
	}
	return strings.Join(append([]string{attrs[i].Value}, keys(attrs[i+1:j])...), " "), j
}

// bareWord reports whether a is a word alone, no attribute: no =, no
// known name, no colon.
func bareWord(a attr, known []string) bool {
	return a.ValPos < 0 && a.Key != "" && !slices.Contains(known, a.Key) && !strings.Contains(a.Key, ":")
}

// keys is the keys of attrs: the words of those that are bare words.
func keys(attrs []attr) []string {
	out := make([]string, len(attrs))
	for i, a := range attrs {
		out[i] = a.Key
	}
	return out
}

// colonsForEquals reads "by:orlov", and "by: orlov" or by: "Ilse Maren"
// as YAML has them, as meant, with an error: not as words of the id
// before them or unknown attributes.
func colonsForEquals(attrs []attr, known []string, pc parser.Context) []attr {
	w := 0
	for i := 0; i < len(attrs); i++ {
		a := attrs[i]
		key, value, ok := strings.Cut(a.Key, ":")
		if ok && a.ValPos < 0 && slices.Contains(known, key) {
			next := i + 1
			switch {
			case value != "":
				report(pc, a.KeyPos+len(key), "write "+key+"="+value, "attribute %q is written with : for =", key)
				a = attr{Key: key, Value: value, KeyPos: a.KeyPos, ValPos: a.KeyPos + len(key) + 1}
			case next < len(attrs) && bareWord(attrs[next], known):
				v, end, at := attrs[next].Key, next, attrs[next].KeyPos
				if strings.HasPrefix(v, `"`) {
					// Quoted words, cut at their spaces: joined, unquoted.
					for end < len(attrs)-1 && attrs[end].ValPos < 0 && !(strings.HasSuffix(attrs[end].Key, `"`) && (end > next || len(v) > 1)) {
						end++
					}
					v, at = strings.Trim(strings.Join(keys(attrs[next:end+1]), " "), `"`), at+1
				}
				shown := v
				if strings.ContainsAny(v, " ") {
					shown = strconv.Quote(v)
				}
				report(pc, a.KeyPos+len(key), "write "+key+"="+shown, "attribute %q is written with : and a space for =", key)
				a = attr{Key: key, Value: v, KeyPos: a.KeyPos, ValPos: at, quoted: shown != v}
				i = end
			}
		}
		attrs[w] = a
		w++
	}
	return attrs[:w]
}

// namesWithSpaces reads "by=Example Ministry", a name with spaces not
// quoted, as meant (a name finds its actor as its id does), with one
// error; not when the value is an id (by=ilse-maren unlikely: a word
// astray, an unknown attribute).
func namesWithSpaces(attrs []attr, known []string, pc parser.Context) []attr {
	w := 0
	for i := 0; i < len(attrs); i++ {
		a := attrs[i]
		if a.ValPos >= 0 && !a.quoted && slices.Contains(namedAttrs, a.Key) && slices.Contains(known, a.Key) &&
			!strings.HasSuffix(a.Value, ",") && !IsSlug(a.Value) {
			if whole, j := wordsAfter(attrs, i, known); j > i+1 {
				report(pc, attrs[i+1].KeyPos-1, "put it in quotes: "+a.Key+"="+strconv.Quote(whole)+", or write its id", "the value of %q has spaces", a.Key)
				a.Value = whole
				i = j - 1
			}
		}
		attrs[w] = a
		w++
	}
	return attrs[:w]
}

// eachAttr calls fn for every known attribute given once, reporting the
// unknown and the repeated; the required are passed on even when empty.
func eachAttr(attrs []attr, known, required []string, directive string, pc parser.Context, fn func(a attr)) {
	// Mistakes of shape are mended first, each in one pass that writes
	// the attributes back in place (deleting as it went cost a long list
	// the square of its length).
	attrs = colonsForEquals(attrs, known, pc)
	attrs = namesWithSpaces(attrs, known, pc)
	seen := map[string]bool{}
	for i := 0; i < len(attrs); i++ {
		a := attrs[i]
		// "{#Talks going nowhere}": an id written with spaces, not an id
		// and two unknown attributes.
		if a.Key == "id" {
			if whole, j := wordsAfter(attrs, i, known); j > i+1 {
				report(pc, a.ValPos, "an id is one word: try #"+Slugify(whole), "id %q has spaces", whole)
				seen["id"] = true
				i = j - 1
				continue
			}
		}
		if !checkKnown(a, known, required, directive, pc) {
			continue
		}
		if seen[a.Key] {
			hint := "keep one of them"
			if slices.Contains(listAttrs, a.Key) {
				hint = "write the values once, as a comma list"
			}
			report(pc, a.KeyPos, hint, "attribute %q given twice", a.Key)
			continue
		}
		seen[a.Key] = true
		fn(a)
	}
}

func applyClaimAttrs(c *Claim, attrs []attr, pc parser.Context) {
	byPos := c.AttrPos
	eachAttr(attrs, claimAttrs, []string{"by"}, "claim", pc, func(a attr) {
		switch a.Key {
		case "id":
			setID(&c.ID, &c.IDPos, a, pc)
		case "by":
			c.By, byPos = a.refs(pc), a.KeyPos
		case "src":
			c.Src = a.refs(pc)
		case "about":
			c.About = a.refs(pc)
		case "contradicts":
			c.Contradicts = a.refs(pc)
		case "supports":
			c.Supports = a.refs(pc)
		case "updates":
			c.Updates = a.refs(pc)
		case "status":
			if v, ok := checkValue(a, Statuses, pc); ok {
				c.Status = v
			}
		case "likelihood":
			if v, ok := checkValue(a, Likelihoods, pc); ok {
				c.Likelihood = v
			}
		case "confidence":
			if v, ok := checkValue(a, Confidences, pc); ok {
				c.Confidence = v
			}
		case "credibility":
			n, err := strconv.Atoi(a.Value)
			if err != nil || n < 1 || n > 6 {
				report(pc, a.ValPos, "the Admiralty credibility is a digit from 1 (confirmed) to 6 (cannot be judged)", "unknown credibility %q", a.Value)
				return
			}
			c.Credibility = n
		case "date":
			t, err := time.Parse(time.DateOnly, a.Value)
			if err != nil {
				report(pc, a.ValPos, DateHint(a.Value, false), "invalid date %q", a.Value)
				return
			}
			if t.IsZero() {
				report(pc, a.ValPos, "write the real date, or leave date out", "date %q is the zero date, which pages read as no date", a.Value)
				return
			}
			c.Date = a.Value
		case "lang":
			setLang(c, a, pc)
		}
	})
	if c.Status == "" {
		c.Status = "unverified"
	}
	if len(c.By) == 0 {
		report(pc, byPos, "add by=actor-id: who made the claim", "claim has no speaker")
	}
}

func applyCaveatAttrs(c *CaveatAttrs, attrs []attr, pc parser.Context) {
	onPos := c.AttrPos
	eachAttr(attrs, caveatAttrs, []string{"on"}, "caveat", pc, func(a attr) {
		switch a.Key {
		case "id":
			setID(&c.ID, &c.IDPos, a, pc)
		case "on":
			c.On, onPos = a.refs(pc), a.KeyPos
		case "by":
			c.By = a.refs(pc)
		}
	})
	if len(c.On) == 0 {
		report(pc, onPos, "add on=claim-id (or on=a,b for several claims)", "caveat on no claim")
	}
}

// IsSlug reports whether s is safe as an id and a URL segment: lower-case
// ASCII letters and digits, with - and _ inside.
func IsSlug(s string) bool {
	if s == "" || len(s) > maxSlug {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '_') && i > 0:
		default:
			return false
		}
	}
	return true
}

// Slugify turns free text into a slug: lower case, runs of anything that
// is not a letter or digit become one '-'. Other scripts are transliterated
// to Latin letters first, and what has no Latin spelling is dropped, so that
// the result is always IsSlug (or empty).
func Slugify(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			// Other scripts are spelt in Latin letters (Переговоры gives
			// peregovory, Zoë zoe), so that a slug says what it names and
			// an id does not fall back to a position that shifts when
			// claims are added. ASCII text is left as it always was.
			s = unidecode.Unidecode(s)
			break
		}
	}
	return SlugifyKeeping(s, func(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) })
}

// SlugifyKeeping is Slugify with the runes kept chosen by keep.
func SlugifyKeeping(s string, keep func(rune) bool) string {
	var b strings.Builder
	b.Grow(len(s)) // a slug is no longer than the text: one allocation
	dash := false
	for _, r := range strings.ToLower(s) {
		if keep(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// Nearest returns the candidate closest to s by edit distance when it is
// close enough to be a likely typo, else "".
func Nearest(s string, candidates []string) string {
	n := len([]rune(s))
	// One edit turns any short word into any other, so short words get a
	// suggestion only when they differ in case alone.
	limit := min(3, n/3)
	if n >= 3 {
		limit = max(1, limit)
	}
	best, bestD := "", limit+1
	rs := []rune(strings.ToLower(s))
	var rc []rune
	for _, c := range candidates {
		// Lengths that differ by more than the limit cannot be within it;
		// on a large site this skips nearly every candidate cheaply.
		if d := utf8.RuneCountInString(c) - n; d > limit || -d > limit {
			continue
		}
		rc = append(rc[:0], []rune(strings.ToLower(c))...)
		d := distance(rs, rc, bestD)
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the edit distance of a and b, or some number above bound
// once it is sure to be above it: a row's least value never shrinks in
// later rows, and giving up there keeps a look-up among many candidates of
// the same length cheap. Up to bound, the value is exact, for the tie-break.
func distance(ra, rb []rune, bound int) int {
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		least := i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			least = min(least, cur[j])
		}
		if least > bound {
			return least
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
