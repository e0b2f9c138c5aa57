package render

import (
	"strconv"
	"unicode/utf8"
)

// Hand-written JSON for what every page or many files carry: json.Marshal
// found each field of the ClaimReview of 100,000 claim pages by
// reflection, and allocated for each string of the search fragments. The
// bytes are encoding/json's own (TestJSONAppend holds them to it): HTML's
// <, > and & escaped, as the ClaimReview stands in a script element.

const jsonHex = "0123456789abcdef"

// jsonSafe tells the bytes a JSON string holds as they are, without
// escapes and with them for HTML ([1]): ASCII but for controls, " and \\.
// A table, as for HTML text: most of what is written is such bytes.
var jsonSafe = func() (safe [2][256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		if c != '"' && c != '\\' {
			safe[0][c] = true
			safe[1][c] = c != '<' && c != '>' && c != '&'
		}
	}
	return safe
}()

// appendJSONString appends s as json.Marshal writes a string.
func appendJSONString(b []byte, s string) []byte { return appendJSONStr(b, s, true) }

// appendJSONStr appends s as encoding/json writes a string, escaping
// HTML's <, > and & when html is set (as json.Marshal does), else not (as
// an Encoder with SetEscapeHTML(false)).
func appendJSONStr(b []byte, s string, html bool) []byte {
	b = append(b, '"')
	start := 0
	safe := &jsonSafe[0]
	if html {
		safe = &jsonSafe[1]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if safe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonObject appends the members of one JSON object, leaving out those
// json's omitempty would.
type jsonObject struct {
	b    []byte
	n    int
	text bool // strings as an Encoder with SetEscapeHTML(false) writes them
	// out, when not nil, is the writer of a file written in pieces: a
	// long list is cut between its entries (see writer.cut).
	out *writer
}

func (o *jsonObject) key(k string) {
	if o.n == 0 {
		o.b = append(o.b, '{')
	} else {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = appendJSONStr(o.b, k, !o.text)
	o.b = append(o.b, ':')
}

func (o *jsonObject) str(k, v string) {
	o.key(k)
	o.b = appendJSONStr(o.b, v, !o.text)
}

// appender is a value that appends itself as JSON.
type appender interface{ appendJSON(b []byte) []byte }

// jsonList appends the member k of o, the list of what each calls add with.
// It is a function, not a method, so that T need not be boxed in an
// interface: a graph.json entry boxed was 24 MB of garbage at 10,000
// briefings.
func jsonList[T appender](o *jsonObject, k string, each func(add func(T))) {
	o.key(k)
	o.b = append(o.b, '[')
	n := 0
	each(func(v T) {
		if n > 0 {
			o.b = append(o.b, ',')
		}
		n++
		o.b = v.appendJSON(o.b)
		if o.out != nil {
			o.b = o.out.cut(o.b)
		}
	})
	o.b = append(o.b, ']')
}

// strs is a list of strings, [] when it has none.
func (o *jsonObject) strs(k string, vs []string) {
	o.key(k)
	o.b = append(o.b, '[')
	for i, v := range vs {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendJSONStr(o.b, v, !o.text)
	}
	o.b = append(o.b, ']')
}

func (o *jsonObject) int(k string, v int) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

// strOmit is str, for a field tagged omitempty.
func (o *jsonObject) strOmit(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *jsonObject) intOmit(k string, v int) {
	if v != 0 {
		o.int(k, v)
	}
}

func (o *jsonObject) end() []byte {
	if o.n == 0 {
		return append(o.b, '{', '}')
	}
	return append(o.b, '}')
}

func (t ldThing) appendJSON(b []byte) []byte {
	o := jsonObject{b: b}
	o.str("@type", t.Type)
	o.strOmit("name", t.Name)
	o.strOmit("url", t.URL)
	return o.end()
}

func (w ldWork) appendJSON(b []byte) []byte {
	o := jsonObject{b: b}
	o.str("@type", w.Type)
	o.strOmit("name", w.Name)
	o.strOmit("url", w.URL)
	o.strOmit("datePublished", w.DatePublished)
	if w.Publisher != nil {
		o.key("publisher")
		o.b = w.Publisher.appendJSON(o.b)
	}
	return o.end()
}

func (r ldRating) appendJSON(b []byte) []byte {
	o := jsonObject{b: b}
	o.str("@type", r.Type)
	o.intOmit("ratingValue", r.RatingValue)
	o.intOmit("bestRating", r.BestRating)
	o.intOmit("worstRating", r.WorstRating)
	o.str("alternateName", r.AlternateName)
	return o.end()
}

// appendJSON writes Author as json.Marshal writes the any it holds: nil,
// one ldThing or a list of them (claimReview puts nothing else there).
func (c ldClaim) appendJSON(b []byte) ([]byte, bool) {
	o := jsonObject{b: b}
	o.str("@type", c.Type)
	switch a := c.Author.(type) {
	case nil:
	case ldThing:
		o.key("author")
		o.b = a.appendJSON(o.b)
	case []ldThing:
		o.key("author")
		if a == nil {
			o.b = append(o.b, "null"...)
			break
		}
		o.b = append(o.b, '[')
		for i, t := range a {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			o.b = t.appendJSON(o.b)
		}
		o.b = append(o.b, ']')
	default:
		return nil, false
	}
	o.strOmit("datePublished", c.DatePublished)
	if len(c.Appearance) > 0 {
		o.key("appearance")
		o.b = append(o.b, '[')
		for i, w := range c.Appearance {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			o.b = w.appendJSON(o.b)
		}
		o.b = append(o.b, ']')
	}
	return o.end(), true
}

// appendJSON is json.Marshal(r); ok is false for an author of a type
// claimReview does not make.
func (r ldClaimReview) appendJSON(b []byte) (_ []byte, ok bool) {
	o := jsonObject{b: b}
	o.str("@context", r.Context)
	o.str("@type", r.Type)
	o.str("url", r.URL)
	o.str("claimReviewed", r.ClaimReviewed)
	o.key("itemReviewed")
	if o.b, ok = r.ItemReviewed.appendJSON(o.b); !ok {
		return nil, false
	}
	o.key("reviewRating")
	o.b = r.ReviewRating.appendJSON(o.b)
	o.key("author")
	o.b = r.Author.appendJSON(o.b)
	o.strOmit("datePublished", r.DatePublished)
	return o.end(), true
}
