package render

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"briefing/generator/site"
)

// Atom feeds (RFC 4287): /feed.xml carries the site's newest briefings,
// /actors/<id>/feed.xml those that mention an actor or carry its claims,
// and /tags/<tag>/feed.xml those of a tag, with their summaries and links
// (the site's feed alone carries the full text). Every actor and every tag has
// its feed, empty or not, so that its address is known before anything
// fills it.
//
// Every date in a feed comes from the content: an entry's published and
// updated are its briefing's date, a feed's updated is its newest entry's
// (or, for a feed with no entry, the site's newest briefing's; the Unix
// epoch for a site with none), so that building the same content twice
// gives the same bytes. Drafts are never in a feed, not even in a build
// with --drafts: a feed is read by people who were not meant to see them.
//
// Ids: with a base URL, an entry's id is the absolute URL of its briefing
// and a feed's the absolute URL of the feed, as most feeds do. Without
// one there is no absolute address to take them from, and a tag: URI
// (RFC 4151) would need a domain the site does not know it owns; the ids
// are then urn:uuid: names (RFC 9562 version 5, SHA-1) of the site's
// title and the page's path, valid and stable while neither changes.

// feedEntries is the most briefings a feed carries: enough for a reader
// that polls daily, small enough that a feed stays a few hundred KB.
const feedEntries = 20

var feedKind = fileKind{
	kind: "feed",
	// The site's feed carries its briefings whole (600 KB at 1,000
	// briefings); an actor's or a tag's, only links.
	spills: func(d *Data) bool { return d.Actor == nil && d.Tag == nil },
	paths: func(m *site.Model, _ *index, each int) []string {
		out := []string{"feed.xml"}
		for i, a := range m.Actors {
			if each > 0 && i >= each {
				break
			}
			out = append(out, "actors/"+a.ID+"/feed.xml")
		}
		for i, t := range m.Tags {
			if each > 0 && i >= each {
				break
			}
			out = append(out, "tags/"+t.Slug+"/feed.xml")
		}
		return out
	},
	match: func(m *site.Model, _ *index, out string) *Data {
		d := &Data{Site: m, Path: out, URL: m.BasePath + out}
		if out == "feed.xml" {
			d.Title = m.Title
			return d
		}
		dir, ok := strings.CutSuffix(out, "/feed.xml")
		if !ok {
			return nil
		}
		section, id, _ := strings.Cut(dir, "/")
		if strings.Contains(id, "/") {
			return nil
		}
		switch section {
		case "actors":
			if d.Actor = m.Actor(id); d.Actor != nil {
				d.Title = d.Actor.Name
				return d
			}
		case "tags":
			if d.Tag = m.Tag(id); d.Tag != nil {
				d.Title = "Tagged " + d.Tag.Name
				d.URL = d.Tag.URL + "feed.xml"
				return d
			}
		}
		return nil
	},
	write: writeFeed,
}

// feedBriefings is what the feed d carries: the newest published
// briefings of the site, the actor or the tag, newest first.
func feedBriefings(d *Data) []*site.Briefing {
	all := d.Site.Briefings
	switch {
	case d.Actor != nil:
		// Mentioned holds every briefing the actor appears in: named,
		// speaking, spoken about, or writing a caveat.
		all = d.Actor.Mentioned
	case d.Tag != nil:
		all = d.Tag.Briefings
	}
	var out []*site.Briefing
	for _, b := range all {
		if len(out) == feedEntries {
			break
		}
		if !b.Draft {
			out = append(out, b)
		}
	}
	return out
}

// absURL is the absolute address of u, a URL of the site with its base
// path (an entity's URL).
func absURL(m *site.Model, u string) string {
	if rest, ok := strings.CutPrefix(u, m.BasePath); ok && m.BaseURL == "" && !strings.HasPrefix(rest, "/") {
		return u // what AbsURL makes of rest, without joining it again
	}
	return m.AbsURL(strings.TrimPrefix(u, m.BasePath))
}

// atomID is the id of what the site shows at u (a URL with the base
// path): see the comment at the top of this file.
func atomID(m *site.Model, u string) string {
	if m.BaseURL != "" {
		return absURL(m, u)
	}
	// Version 5 UUID: SHA-1 of the URL namespace and the name.
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte("briefing:" + m.Title + ":" + strings.TrimPrefix(u, m.BasePath)))
	var id [16]byte
	copy(id[:], h.Sum(nil))
	id[6] = id[6]&0x0f | 0x50
	id[8] = id[8]&0x3f | 0x80
	x := hex.EncodeToString(id[:])
	return "urn:uuid:" + x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// atomDate is t as Atom writes dates (RFC 3339).
func atomDate(t time.Time) string { return t.Format(time.RFC3339) }

// siteTitle is the site's title, or a stand-in where a feed needs one.
func siteTitle(m *site.Model) string {
	if m.Title != "" {
		return m.Title
	}
	return "Briefings"
}

func writeFeed(w *writer, d *Data) error {
	m := d.Site
	bs := feedBriefings(d)
	title, subtitle, page := siteTitle(m), m.Description, m.BasePath // page: what the feed follows
	switch {
	case d.Actor != nil:
		title, subtitle, page = title+": "+d.Actor.Name, "Briefings that mention "+d.Actor.Name, d.Actor.URL
	case d.Tag != nil:
		title, subtitle, page = title+": "+d.Tag.Name, "Briefings tagged "+d.Tag.Name, d.Tag.URL
	}
	withDrafts := d.Actor == nil && d.Tag == nil && slices.ContainsFunc(m.Briefings, func(b *site.Briefing) bool { return b.Draft })
	var bodies func(io.Writer, *site.Briefing) // made for the first body
	updated := time.Unix(0, 0).UTC()
	if len(bs) > 0 {
		updated = bs[0].Date
	} else if t, ok := newestPublished(m.Briefings); ok {
		updated = t
	}
	w.raw(xml.Header + `<feed xmlns="http://www.w3.org/2005/Atom">` + "\n")
	w.xmlElem("  ", "title", title)
	if subtitle != "" {
		w.xmlElem("  ", "subtitle", subtitle)
	}
	w.atomLink("  ", "self", "application/atom+xml", absURL(m, d.URL))
	w.atomLink("  ", "alternate", "text/html", absURL(m, page))
	w.xmlElem("  ", "id", atomID(m, d.URL))
	w.xmlElem("  ", "updated", atomDate(updated))
	w.raw("  <author>\n")
	w.xmlElem("    ", "name", siteTitle(m))
	w.raw("  </author>\n  <generator>briefing</generator>\n")
	for _, b := range bs {
		w.raw("  <entry>\n")
		w.xmlElem("    ", "title", b.Title)
		w.atomLink("    ", "alternate", "text/html", absURL(m, b.URL))
		w.xmlElem("    ", "id", atomID(m, b.URL))
		w.xmlElem("    ", "published", atomDate(b.Date))
		w.xmlElem("    ", "updated", atomDate(b.Date))
		for _, a := range authors(b) {
			w.raw("    <author>\n")
			w.xmlElem("      ", "name", a)
			w.raw("    </author>\n")
		}
		for _, t := range b.TagList {
			w.raw(`    <category term="`)
			w.b = appendXML(w.b, t.Slug, true)
			w.raw(`" label="`)
			w.b = appendXML(w.b, t.Name, true)
			w.raw("\"/>\n")
		}
		if b.Summary != "" {
			w.raw(`    <summary type="text">`)
			w.b = appendXML(w.b, b.Summary, false)
			w.raw("</summary>\n")
		}
		// The site's feed carries each briefing whole; an actor's or a
		// tag's links to it, or every briefing would be copied into a feed
		// for each of its actors and tags (250 MB at 10,000 briefings).
		// Not in a build with drafts: a published body's claim cards and
		// links name the claims of drafts that relate to its own (a draft
		// that contradicts one), and the feed's readers were not meant to
		// see them; its entries then carry their summaries only.
		if d.Actor == nil && d.Tag == nil && !withDrafts {
			// The body's own fragment links (a heading's, a footnote's)
			// are to the briefing's page, not to the feed.
			w.raw(`    <content type="html" xml:base="`)
			w.b = appendXML(w.b, absURL(m, b.URL), true)
			w.raw(`">`)
			if bodies == nil {
				bodies = m.FeedBodies()
			}
			w.b = appendFeedContent(w.b, b, bodies)
			w.raw("</content>\n")
		}
		w.raw("  </entry>\n")
		w.spillPoint()
	}
	w.raw("</feed>\n")
	return nil
}

// xmlElem writes <name>text</name> on a line of its own.
func (w *writer) xmlElem(indent, name, text string) {
	w.raw(indent + "<" + name + ">")
	w.b = appendXML(w.b, text, false)
	w.raw("</" + name + ">\n")
}

func (w *writer) atomLink(indent, rel, typ, href string) {
	w.raw(indent + `<link rel="` + rel + `" type="` + typ + `" href="`)
	w.b = appendXML(w.b, href, true)
	w.raw("\"/>\n")
}

// appendFeedContent appends the briefing's body to dst, XML-escaped, as
// body writes it. Only the site's feed carries bodies, each once, so
// nothing is kept.
func appendFeedContent(dst []byte, b *site.Briefing, body func(io.Writer, *site.Briefing)) []byte {
	var w writer
	body(&w, b)
	return appendXML(dst, string(w.b), false)
}

// appendXML appends s to dst escaped as XML character data, or as an
// attribute value in double quotes when attr is set, as encoding/xml's
// EscapeText does but for newlines and tabs in text, which stay as they
// are: every character XML does not allow (and every byte that is not
// UTF-8) becomes U+FFFD, a carriage return a reference (a parser would
// turn it into a newline), and in an attribute, tabs and newlines too
// (a parser would turn them into spaces).
func appendXML(dst []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				esc = "&amp;"
			case c == '<':
				esc = "&lt;"
			case c == '>':
				esc = "&gt;"
			case c == '"' && attr:
				esc = "&#34;"
			case c == '\r':
				esc = "&#xD;"
			case c == '\n' && attr:
				esc = "&#xA;"
			case c == '\t' && attr:
				esc = "&#x9;"
			case c < 0x20 && c != '\n' && c != '\t':
				esc = "\uFFFD"
			}
		} else {
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && width == 1 || !isXMLChar(r) {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			dst = append(dst, s[last:i]...)
			dst = append(dst, esc...)
			last = i + width
		}
		i += width
	}
	return append(dst, s[last:]...)
}

// isXMLChar reports whether XML 1.0 allows the character r (above ASCII).
func isXMLChar(r rune) bool {
	return r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// authors are the names the briefing's front matter gives as author
// under params: (one name or a list); a briefing has no author field of
// its own.
func authors(b *site.Briefing) []string {
	v := b.Params["author"]
	if params, ok := b.Params["params"].(map[string]any); ok && params["author"] != nil {
		v = params["author"]
	}
	switch v := v.(type) {
	case string:
		if v != "" {
			return []string{v}
		}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
