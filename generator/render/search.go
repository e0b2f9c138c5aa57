package render

// The search index is built here, at build time, and read by
// static/js/search.js. Its design follows Pagefind's: a reader's query
// fetches a small manifest, then only the shards holding its words, then
// the display data of the few results it shows, so that what one query
// downloads stays bounded however large the site grows.
//
//   - search/manifest.json names the shards: each holds a contiguous run
//     of the sorted terms, and the manifest gives each shard's first term
//     and its size, so the script finds the shard of a word (and of the
//     words a typed prefix may complete to) by binary search.
//   - search/t/<hash>.json, a shard, maps each of its terms to where the
//     term occurs: for each kind of entry (briefing, claim, actor, source,
//     caveat) and each weight of field (a title weighs more than a body),
//     the set of entries, numbered in the model's order (newest or by
//     name). A set is written as whichever is shorter of a delta list and
//     a bitmap, so a word found in every claim costs at most one bit per
//     claim: a common word never pulls a huge list, and every match is
//     still found, so that words can be combined.
//   - search/f/<kind><n>.json, a fragment, holds what a result shows (its
//     path, title or words, date, status…) for fragGroup consecutive
//     entries of one kind: the script fetches the fragments of the results
//     it shows, not of every match.
//
// The terms are the words of the text, lower-cased, with diacritics
// removed (NFKD, then the combining marks dropped), split on whatever is
// not a letter, digit or mark; Chinese and Japanese characters, written
// without spaces, are each a term of their own. search.js tokenises the
// query and the text it highlights the same way.

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"briefing/generator/markup"
	"briefing/generator/site"

	"golang.org/x/text/unicode/norm"
)

// fragGroup is how many entries of a kind one fragment file holds.
const fragGroup = 8

// shardTarget is the size a shard is filled to before the next begins; a
// term whose entry alone is larger makes a shard of its own. Tests make it
// small, to split a small site.
var shardTarget = 24 << 10

// maxTermLen is the longest term indexed, in runes: longer words are
// hashes and addresses, not what a reader types.
const maxTermLen = 40

// Kinds of search entry, in the order the results page groups them. The
// letter names the kind in the index files.
var searchKinds = []struct {
	letter  byte
	section string
}{{'b', "briefings"}, {'c', "claims"}, {'a', "actors"}, {'s', "sources"}, {'v', "caveats"}}

// Field weights: what a title holds ranks above what a body holds.
const (
	weightBody  = 1
	weightMeta  = 2
	weightTitle = 3
)

var searchFiles = fileKind{
	kind:  "search-index",
	paths: searchPaths,
	match: searchMatch,
	write: writeSearchFile,
}

// isCJK reports whether r is written without spaces between words, so
// that each character is indexed as a term.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) }

// searchTerms calls fn with each term of s, in order.
func searchTerms(s string, fn func(term string)) {
	start := -1
	// Most words are ASCII, and most of those lower case: such a word is
	// its own term, and one with capitals is lower-cased, without being
	// read again to find out.
	ascii, upper := true, false
	flush := func(end int) {
		if start < 0 {
			return
		}
		switch w := s[start:end]; {
		case !ascii:
			foldTerms(w, fn)
		case upper:
			emitTerm(strings.ToLower(w), fn)
		case len(w) <= maxTermLen:
			fn(w)
		}
		start = -1
	}
	for i := 0; i < len(s); {
		// Most text is ASCII: its words are letters and digits, and
		// none of it is CJK.
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				if start < 0 {
					start, ascii, upper = i, true, false
				}
			case 'A' <= c && c <= 'Z':
				if start < 0 {
					start, ascii = i, true
				}
				upper = true
			default:
				flush(i)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			flush(i)
			foldTerms(s[i:i+n], fn)
		case isWordRune(r):
			if start < 0 {
				start = i
			}
			ascii = false
		default:
			flush(i)
		}
		i += n
	}
	flush(len(s))
}

// foldTerms folds one word of the text (a run of letters, digits and
// marks, or one CJK character) to the terms it gives: usually one, more
// when compatibility decomposition leaves something that is not a letter
// or digit inside it (½ gives 1 and 2).
func foldTerms(word string, fn func(string)) {
	if ascii(word) {
		emitTerm(strings.ToLower(word), fn)
		return
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(word) {
		switch {
		case unicode.IsMark(r):
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			r = unicode.ToLower(r)
			if s, ok := letterFolds[r]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(r)
			}
		default:
			emitTerm(b.String(), fn)
			b.Reset()
		}
	}
	emitTerm(b.String(), fn)
}

// letterFolds are the Latin letters that are a plain letter to a reader
// who types without them but that Unicode does not decompose, so that
// dropping marks leaves them as they are: "Işık" is found by "isik" as
// "café" is by "cafe", "Łódź" by "lodz", "Øresund" by "oresund"; and
// final sigma, found by the sigma typed anywhere. search.js holds the same
// table.
var letterFolds = map[rune]string{
	'ς': "σ", 'ı': "i", 'ø': "o", 'ł': "l", 'đ': "d", 'ħ': "h", 'ŧ': "t", 'ŋ': "n",
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d", 'ƒ': "f",
}

func emitTerm(t string, fn func(string)) {
	if t != "" && utf8.RuneCountInString(t) <= maxTermLen {
		fn(t)
	}
}

// SearchTerms is the terms of s in order, as the index and the search
// script see them.
func SearchTerms(s string) []string {
	var out []string
	searchTerms(s, func(t string) { out = append(out, t) })
	return out
}

// docTexts gives the texts of entry i of kind k by weight.
func docTexts(m *site.Model, kind byte, i int) (fields [4][]string) {
	names := func(as []*site.Actor) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	switch kind {
	case 'b':
		b := m.Briefings[i]
		fields[weightTitle] = []string{b.Title}
		fields[weightMeta] = append([]string{b.Summary, b.Dateline}, b.Tags...)
		fields[weightBody] = []string{markup.FoldSpace(b.AppendBodyText(nil))}
	case 'c':
		c := m.Claims[i]
		fields[weightTitle] = []string{c.Text()}
		fields[weightMeta] = names(c.By)
		fields[weightBody] = []string{c.Status}
	case 'a':
		a := m.Actors[i]
		fields[weightTitle] = append([]string{a.Name}, a.Aliases...)
		// A profile is found by its words, as a briefing is.
		fields[weightBody] = []string{a.Role, a.ActorKind, string(a.AppendBodyText(nil))}
	case 's':
		s := m.Sources[i]
		fields[weightTitle] = []string{s.Title}
		fields[weightMeta] = []string{s.PublisherName}
		fields[weightBody] = []string{string(s.AppendBodyText(nil))}
	case 'v':
		cv := m.Caveats[i]
		fields[weightTitle] = []string{cv.Text()}
		fields[weightBody] = names(cv.By)
	}
	return fields
}

// kindLen is how many entries of kind k m has.
func kindLen(m *site.Model, kind byte) int {
	switch kind {
	case 'b':
		return len(m.Briefings)
	case 'c':
		return len(m.Claims)
	case 'a':
		return len(m.Actors)
	case 's':
		return len(m.Sources)
	case 'v':
		return len(m.Caveats)
	}
	return 0
}

// searchIndex is the built index: the manifest and the shards by name.
type searchIndex struct {
	manifest []byte
	shards   map[string][]byte
	names    []string // shard names in term order
}

// lazySearch is the search index of one model, built when first asked
// for: a server that is never asked for a shard never builds it.
type lazySearch struct {
	once sync.Once
	ix   *searchIndex
}

func (ix *index) searchIndex(m *site.Model) *searchIndex {
	if ix == nil {
		return buildSearch(m, nil)
	}
	ix.search.once.Do(func() { ix.search.ix = buildSearch(m, ix.body) })
	return ix.search.ix
}

// postings is where one term occurs: per kind and weight, the entries in
// increasing order.
type postings struct {
	sets [5][4][]uint32
	size [4]int32 // while one kind's runs are merged, the length of each of its sets
}

// kindPostings is where one term occurs among a run of entries of one
// kind, as one worker gathers it.
type kindPostings struct {
	sets [4][]uint32
	// last is the entry last added, plus one: an entry is kept only at
	// the heaviest weight it has the term at, which comes first.
	last uint32
}

// docTerms calls add with each term of entry i of kind k and the weight
// of the field it is in, the heaviest first, as docTexts gives them. A
// briefing's body is gathered into *buf, which is reused from entry to
// entry, so the term add receives may lie in it, good only until add
// returns; or, when body holds the briefing's terms, taken from there.
func docTerms(m *site.Model, body []bodyTerms, kind byte, i int, buf *[]byte, add func(w int, term string)) {
	text := func(w int, s string) { searchTerms(s, func(t string) { add(w, t) }) }
	if kind != 'b' {
		fields := docTexts(m, kind, i)
		for w := weightTitle; w >= weightBody; w-- {
			for _, s := range fields[w] {
				text(w, s)
			}
		}
		return
	}
	b := m.Briefings[i]
	text(weightTitle, b.Title)
	text(weightMeta, b.Summary)
	text(weightMeta, b.Dateline)
	for _, t := range b.Tags {
		text(weightMeta, t)
	}
	if i < len(body) && body[i].ok {
		for t := range strings.SplitSeq(body[i].terms, " ") {
			if t != "" {
				add(weightBody, t)
			}
		}
		return
	}
	// The words of PlainText, without folding its white space, which
	// separates terms as the single spaces it would leave do.
	*buf = b.AppendBodyText((*buf)[:0])
	text(weightBody, unsafe.String(unsafe.SliceData(*buf), len(*buf)))
}

// bodyTerms is the terms of a briefing's body, each once, in the order
// they first occur, separated by spaces (a term never holds one); ok when
// they were gathered (see Renderer.Shed).
type bodyTerms struct {
	terms string
	ok    bool
}

// termSeen is the terms one worker has met, each with the number of the
// body it last met it in: a body's terms are gathered each once without
// a set of its own.
type termSeen struct {
	last map[string]*uint32
	body uint32
	buf  []byte
}

var termSeens = sync.Pool{New: func() any { return &termSeen{last: map[string]*uint32{}} }}

// gatherBodyTerms is the terms of b's body, for the search index.
func gatherBodyTerms(b *site.Briefing) bodyTerms {
	s := termSeens.Get().(*termSeen)
	defer termSeens.Put(s)
	if len(s.last) > 1<<17 {
		clear(s.last) // a worker's vocabulary, not every word of a huge site
	}
	s.body++
	s.buf = b.AppendBodyText(s.buf[:0])
	var out []byte
	searchTerms(unsafe.String(unsafe.SliceData(s.buf), len(s.buf)), func(t string) {
		last := s.last[t]
		if last == nil {
			// t may lie in buf, which the next body reuses.
			last = new(uint32)
			s.last[strings.Clone(t)] = last
		}
		if *last == s.body {
			return
		}
		*last = s.body
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = append(out, t...)
	})
	if cap(s.buf) > 1<<20 {
		s.buf = nil
	}
	return bodyTerms{terms: string(out), ok: true}
}

// Shed is Model.Shed for a build whose pages r renders. The search index
// is made after it, from the terms of each briefing's body gathered here
// while the body's source is still held: made before it, the index held
// every source (100 MB at 10,000 briefings) and its own working maps at
// once, the highest the heap rose in a build.
func (r *Renderer) Shed(m *site.Model, read func(path string) ([]byte, error)) {
	body := make([]bodyTerms, len(m.Briefings))
	m.Shed(read, func(i int) { body[i] = gatherBodyTerms(m.Briefings[i]) })
	r.ix.body = body
}

// searchChunk is how many entries of a kind one worker indexes at a time:
// enough that the runs' own maps, merged in entry order, hold each common
// word a few times, not once per entry. A variable for tests.
var searchChunk = 512

// buildSearch makes the search index of m, with the terms of briefings'
// bodies from body where it has them.
func buildSearch(m *site.Model, body []bodyTerms) *searchIndex {
	terms := map[string]*postings{}
	for ki, k := range searchKinds {
		n := kindLen(m, k.letter)
		// Tokenising is the costly part (the whole text of every
		// briefing), so it runs on all cores, each run of entries into a
		// map of its own; the runs are merged in entry order, which keeps
		// every set sorted.
		runs := make([]map[string]*kindPostings, (n+searchChunk-1)/searchChunk)
		site.Parallel(len(runs), func(r int) {
			local := map[string]*kindPostings{}
			var buf []byte
			for i := r * searchChunk; i < min(n, (r+1)*searchChunk); i++ {
				id := uint32(i) + 1
				docTerms(m, body, k.letter, i, &buf, func(w int, t string) {
					p := local[t]
					if p == nil {
						// t may lie in buf, which the next entry reuses.
						p = &kindPostings{}
						local[strings.Clone(t)] = p
					}
					if p.last == id {
						return
					}
					p.last = id
					p.sets[w] = append(p.sets[w], id-1)
				})
			}
			runs[r] = local
		})
		// Each set is made at its length, counted first: grown run by
		// run, the sets of common terms were copied over and over, a
		// sixth of what the search index allocated. A set in one run
		// only is the run's own, which is done with it.
		for _, local := range runs {
			for t, lp := range local {
				p := terms[t]
				if p == nil {
					p = &postings{}
					terms[t] = p
				}
				for w, set := range lp.sets {
					p.size[w] += int32(len(set))
				}
			}
		}
		for _, local := range runs {
			for t, lp := range local {
				p := terms[t]
				for w, set := range lp.sets {
					switch n := int(p.size[w]); {
					case len(set) == 0:
					case p.sets[ki][w] != nil:
						p.sets[ki][w] = append(p.sets[ki][w], set...)
					case n == len(set):
						p.sets[ki][w], p.size[w] = set, 0
					default:
						p.sets[ki][w], p.size[w] = append(make([]uint32, 0, n), set...), 0
					}
				}
			}
		}
	}
	sorted := make([]string, 0, len(terms))
	for t := range terms {
		sorted = append(sorted, t)
	}
	slices.Sort(sorted)

	six := &searchIndex{shards: map[string][]byte{}}
	type shardInfo struct {
		first string
		name  string
		size  int
	}
	var infos []shardInfo
	var cur []byte
	first := ""
	flush := func() {
		if len(cur) == 0 {
			return
		}
		cur = append(cur, '}', '\n')
		sum := sha256.Sum256(cur)
		name := hex.EncodeToString(sum[:5])
		six.shards[name] = cur
		six.names = append(six.names, name)
		infos = append(infos, shardInfo{first, name, len(cur)})
		cur = nil
	}
	var entry []byte
	for _, t := range sorted {
		entry = appendTermEntry(entry[:0], t, terms[t])
		if len(cur) > 0 && len(cur)+len(entry) > shardTarget {
			flush()
		}
		if len(cur) == 0 {
			first = t
			cur = append(cur, '{')
		} else {
			cur = append(cur, ",\n"...)
		}
		cur = append(cur, entry...)
	}
	flush()

	var b []byte
	b = append(b, `{"version":1,"group":`...)
	b = strconv.AppendInt(b, fragGroup, 10)
	b = append(b, `,"counts":{`...)
	for i, k := range searchKinds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"', k.letter, '"', ':')
		b = strconv.AppendInt(b, int64(kindLen(m, k.letter)), 10)
	}
	b = append(b, "},\n\"shards\":["...)
	for i, s := range infos {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '[')
		b = appendJSONString(b, s.first)
		b = append(b, ',', '"')
		b = append(b, s.name...)
		b = append(b, '"', ',')
		b = strconv.AppendInt(b, int64(s.size), 10)
		b = append(b, ']')
	}
	b = append(b, "]}\n"...)
	six.manifest = b
	return six
}

// appendTermEntry appends "term":["b3L…",…]: for each kind and weight the
// term has entries at, the kind's letter, the weight and the set.
func appendTermEntry(b []byte, t string, p *postings) []byte {
	b = appendJSONString(b, t)
	b = append(b, ':', '[')
	n := 0
	for ki, k := range searchKinds {
		for w := weightTitle; w >= weightBody; w-- {
			set := p.sets[ki][w]
			if len(set) == 0 {
				continue
			}
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = append(b, '"', k.letter, byte('0'+w))
			b = appendSet(b, set)
			b = append(b, '"')
		}
	}
	return append(b, ']')
}

// b64 is the alphabet of sets: URL-safe base64, nothing JSON escapes.
const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// appendSet writes the increasing ids as the shorter of "L" and the gaps
// between them (each gap minus one, in base-32 digits low first, a digit
// of 32 or more meaning more follow) and "B" and a bitmap (six ids a
// character, the lowest bit the lowest id).
func appendSet(b []byte, ids []uint32) []byte {
	listLen := 0
	prev := int64(-1)
	for _, id := range ids {
		gap := int64(id) - prev - 1
		prev = int64(id)
		listLen++
		for gap >= 32 {
			gap >>= 5
			listLen++
		}
	}
	bitmapLen := int(ids[len(ids)-1])/6 + 1
	if bitmapLen < listLen {
		b = append(b, 'B')
		start := len(b)
		for range bitmapLen {
			b = append(b, 0)
		}
		for _, id := range ids {
			b[start+int(id)/6] |= 1 << (id % 6)
		}
		for i := start; i < len(b); i++ {
			b[i] = b64[b[i]]
		}
		return b
	}
	b = append(b, 'L')
	prev = -1
	for _, id := range ids {
		gap := int64(id) - prev - 1
		prev = int64(id)
		for gap >= 32 {
			b = append(b, b64[32+gap&31])
			gap >>= 5
		}
		b = append(b, b64[gap])
	}
	return b
}

// decodeSet reads a set appendSet wrote: for tests, and as the reference
// search.js follows.
func decodeSet(s string) []uint32 {
	var out []uint32
	if s == "" {
		return nil
	}
	kind, s := s[0], s[1:]
	if kind == 'B' {
		for i := 0; i < len(s); i++ {
			v := strings.IndexByte(b64, s[i])
			for j := range 6 {
				if v&(1<<j) != 0 {
					out = append(out, uint32(i*6+j))
				}
			}
		}
		return out
	}
	prev, gap, shift := int64(-1), int64(0), 0
	for i := 0; i < len(s); i++ {
		v := int64(strings.IndexByte(b64, s[i]))
		if v >= 32 {
			gap |= (v - 32) << shift
			shift += 5
			continue
		}
		gap |= v << shift
		prev += gap + 1
		out = append(out, uint32(prev))
		gap, shift = 0, 0
	}
	return out
}

// searchPaths lists the index's files: the manifest, the shards and the
// fragments. A sample (each > 0) lists none: they come from no template.
func searchPaths(m *site.Model, ix *index, each int) []string {
	if each > 0 {
		return nil
	}
	six := ix.searchIndex(m)
	out := []string{"search/manifest.json"}
	for _, name := range six.names {
		out = append(out, "search/t/"+name+".json")
	}
	for _, k := range searchKinds {
		n := kindLen(m, k.letter)
		for g := 0; g*fragGroup < n; g++ {
			out = append(out, "search/f/"+string(k.letter)+strconv.Itoa(g)+".json")
		}
	}
	return out
}

func searchMatch(m *site.Model, ix *index, out string) *Data {
	rest, ok := strings.CutPrefix(out, "search/")
	if !ok {
		return nil
	}
	d := &Data{Site: m, Path: out, URL: m.BasePath + out, File: rest}
	if rest == "manifest.json" {
		return d
	}
	if name, ok := strings.CutPrefix(rest, "t/"); ok {
		name, ok = strings.CutSuffix(name, ".json")
		if !ok || len(name) != 10 || strings.Trim(name, "0123456789abcdef") != "" {
			return nil
		}
		if _, ok := ix.searchIndex(m).shards[name]; !ok {
			return nil
		}
		return d
	}
	if name, ok := strings.CutPrefix(rest, "f/"); ok {
		kind, g, ok := fragmentOf(m, name)
		if !ok || kind == 0 || g < 0 {
			return nil
		}
		return d
	}
	return nil
}

// fragmentOf parses "<kind><n>.json", a fragment m has.
func fragmentOf(m *site.Model, name string) (kind byte, group int, ok bool) {
	name, ok = strings.CutSuffix(name, ".json")
	if !ok || len(name) < 2 {
		return 0, 0, false
	}
	kind = name[0]
	g, err := strconv.Atoi(name[1:])
	if err != nil || g < 0 || strconv.Itoa(g) != name[1:] || g*fragGroup >= kindLen(m, kind) {
		return 0, 0, false
	}
	return kind, g, true
}

func writeSearchFile(w *writer, d *Data) error {
	switch {
	case d.File == "manifest.json":
		w.b = append(w.b, w.ix.searchIndex(d.Site).manifest...)
	case strings.HasPrefix(d.File, "t/"):
		name := strings.TrimSuffix(strings.TrimPrefix(d.File, "t/"), ".json")
		w.b = append(w.b, w.ix.searchIndex(d.Site).shards[name]...)
	default:
		kind, g, _ := fragmentOf(d.Site, strings.TrimPrefix(d.File, "f/"))
		w.b = appendFragment(w.b, d.Site, kind, g)
	}
	return nil
}

// fragmentCut is the most characters of a claim's or caveat's words a
// result shows.
const fragmentCut = 280

// appendFragment writes the display data of group g of kind: a JSON array
// with an array of strings per entry, its path below the base first.
//
//	briefing: path, title, date, dateline, summary
//	claim:    path, words, status, grade, speakers, date
//	actor:    path, name, kind, role, aliases
//	source:   path, title, publisher, grade
//	caveat:   path, words, authors, date, briefing title
func appendFragment(b []byte, m *site.Model, kind byte, g int) []byte {
	rel := func(u string) string { return strings.TrimPrefix(u, m.BasePath) }
	names := func(as []*site.Actor) string {
		var s []string
		for _, a := range as {
			s = append(s, a.Name)
		}
		return strings.Join(s, ", ")
	}
	b = append(b, '[')
	for i := g * fragGroup; i < min(kindLen(m, kind), (g+1)*fragGroup); i++ {
		if i > g*fragGroup {
			b = append(b, ",\n"...)
		}
		var f []string
		switch kind {
		case 'b':
			x := m.Briefings[i]
			f = []string{rel(x.URL), x.Title, formatDate(x.Date, "2006-01-02"), x.Dateline, x.Summary}
		case 'c':
			x := m.Claims[i]
			f = []string{rel(x.URL), cutRunes(x.Text(), fragmentCut), x.Status, x.Grade.String(), names(x.By), formatDate(x.Date, "2006-01-02")}
		case 'a':
			x := m.Actors[i]
			f = []string{rel(x.URL), x.Name, x.ActorKind, x.Role, strings.Join(x.Aliases, ", ")}
		case 's':
			x := m.Sources[i]
			f = []string{rel(x.URL), x.Title, x.PublisherName, x.DefaultGrade().String()}
		case 'v':
			x := m.Caveats[i]
			title := ""
			if x.Briefing != nil {
				title = x.Briefing.Title
			}
			f = []string{rel(x.URL), cutRunes(x.Text(), fragmentCut), names(x.By), formatDate(x.Date, "2006-01-02"), title}
		}
		b = append(b, '[')
		for j, s := range f {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		b = append(b, ']')
	}
	return append(b, "]\n"...)
}

// cutRunes is s cut to at most n runes and "…", at a word boundary, as
// claims are cut wherever they are listed.
func cutRunes(s string, n int) string { return site.Cut(s, n+1) }
