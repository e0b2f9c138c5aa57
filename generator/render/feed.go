package render

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"net/url"
	"strings"
	"time"

	"briefing/generator/site"
)

// Atom feeds (RFC 4287): /feed.xml carries the site's newest briefings,
// /actors/<id>/feed.xml those that mention an actor or carry its claims,
// and /tags/<tag>/feed.xml those of a tag. Every actor and every tag has
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
				// The tag's folder is percent-encoded in a URL.
				d.URL = m.BasePath + "tags/" + url.PathEscape(d.Tag.Slug) + "/feed.xml"
				return d
			}
		}
		return nil
	},
	write: writeFeed,
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Links     []atomLink  `xml:"link"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	Link       atomLink       `xml:"link"`
	ID         string         `xml:"id"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    atomText       `xml:"content"`
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
	page := m.BasePath // the page the feed follows
	f := atomFeed{Title: siteTitle(m), Subtitle: m.Description, Generator: "briefing",
		Author: atomPerson{Name: siteTitle(m)}}
	switch {
	case d.Actor != nil:
		page = d.Actor.URL
		f.Title += ": " + d.Actor.Name
		f.Subtitle = "Briefings that mention " + d.Actor.Name
	case d.Tag != nil:
		page = d.Tag.URL
		f.Title += ": " + d.Tag.Name
		f.Subtitle = "Briefings tagged " + d.Tag.Name
	}
	f.ID = atomID(m, d.URL)
	f.Links = []atomLink{{Rel: "self", Type: "application/atom+xml", Href: absURL(m, d.URL)},
		{Rel: "alternate", Type: "text/html", Href: absURL(m, page)}}
	var updated time.Time
	switch {
	case len(bs) > 0:
		updated = bs[0].Date
	default:
		updated = time.Unix(0, 0).UTC()
		for _, b := range m.Briefings {
			if !b.Draft {
				updated = b.Date
				break
			}
		}
	}
	f.Updated = atomDate(updated)
	f.Entries = make([]atomEntry, len(bs))
	var body writer
	for i, b := range bs {
		e := &f.Entries[i]
		e.Title = b.Title
		e.Link = atomLink{Rel: "alternate", Type: "text/html", Href: absURL(m, b.URL)}
		e.ID = atomID(m, b.URL)
		e.Published = atomDate(b.Date)
		e.Updated = e.Published
		for _, a := range authors(b) {
			e.Authors = append(e.Authors, atomPerson{Name: a})
		}
		for _, t := range b.TagList {
			e.Categories = append(e.Categories, atomCategory{Term: t.Slug, Label: t.Name})
		}
		if b.Summary != "" {
			e.Summary = &atomText{Type: "text", Text: b.Summary}
		}
		// Written afresh, not kept: at 10,000 briefings the bodies of
		// every briefing some feed carries would be most of the memory.
		body.b = body.b[:0]
		b.WriteHTML(&body)
		e.Content = atomText{Type: "html", Text: string(body.b)}
	}
	w.raw(xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	w.raw("\n")
	return nil
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
