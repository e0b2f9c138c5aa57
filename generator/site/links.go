package site

import (
	"fmt"

	"briefing/generator/diag"
	"briefing/generator/markup"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Link is a link or image written in the Markdown of a published page
// that leads into the site: root-relative, relative, or to a fragment.
type Link struct {
	Page  *Page
	Dest  string // as written, after goldmark's unescaping
	Image bool
	// Target is where it leads: a path below the site's root and a
	// fragment. Outside is set instead for a relative link that climbs
	// above the root.
	Target  markup.LinkTarget
	Outside bool
	pos     int // file offset of the link's first character
}

// pageLink is a link, an image or raw HTML of a page's body, read when it
// was parsed, so that checking links needs no tree.
type pageLink struct {
	dest    string // of a link or image, as the page links to it
	written string // dest as written, when parsing made it a path from the root (see markup.Rooted)
	image   bool
	pos     int            // body offset of the link, or of the nearest node around it that has one
	raw     []text.Segment // of raw HTML, instead of the above
}

// root makes the relative destination *dest of a link or image a path
// from the site's root, and returns it as written; "" when it was not
// relative and stays as it is.
func (pg *Page) root(dest *[]byte) (written string) {
	if rooted, ok := markup.Rooted(PagePath(pg), string(*dest)); ok {
		written = string(*dest)
		*dest = []byte(rooted)
	}
	return written
}

// rootLink roots the link or image n (see root) and returns it as a
// pageLink.
func (pg *Page) rootLink(n ast.Node, dest *[]byte, image bool) pageLink {
	written := pg.root(dest)
	return pageLink{dest: string(*dest), written: written, image: image, pos: linkPos(n)}
}

// PagePath is where a page is published, below the site's root:
// "briefings/b/", "actors/a/", "sources/s/", "" for the home page.
func PagePath(pg *Page) string {
	switch pg.Section {
	case Home:
		return ""
	case Briefings, Actors, Sources:
		return string(pg.Section) + "/" + pg.ID + "/"
	}
	return ""
}

// Links lists the links into the site of every published page's
// Markdown (the home page's, the briefings', actors' and sources'), in
// the order of the model's lists and of each page, and those of its raw
// HTML when the site shows raw HTML. Links to other hosts, with a scheme
// (https:, mailto:) and empty ones are left out.
func (m *Model) Links() []Link {
	var out []Link
	if m.Intro != nil {
		out = m.pageLinks(out, m.Intro)
	}
	for _, b := range m.Briefings {
		out = m.pageLinks(out, b.Page)
	}
	for _, a := range m.Actors {
		out = m.pageLinks(out, a.Page)
	}
	for _, s := range m.Sources {
		out = m.pageLinks(out, s.Page)
	}
	return out
}

func (m *Model) pageLinks(out []Link, pg *Page) []Link {
	if len(pg.links) == 0 {
		return out // most pages: serve asks on every edit
	}
	at := PagePath(pg)
	add := func(dest, written string, image bool, pos int) {
		t, internal, outside := markup.InternalTarget(at, dest)
		if written == "" {
			written = dest
		}
		if internal {
			out = append(out, Link{Page: pg, Dest: written, Image: image, Target: t, Outside: outside, pos: pg.bodyPos(max(pos, 0))})
		}
	}
	for _, l := range pg.links {
		switch {
		case l.raw != nil:
			if m.RawHTML {
				rawLinks(pg.markdown, l.raw, func(dest string, image bool, pos int) { add(dest, "", image, pos) })
			}
		default:
			add(l.dest, l.written, l.image, l.pos)
		}
	}
	return out
}

// linkPos is the body offset of a link, or of the nearest enclosing node
// that has one.
func linkPos(n ast.Node) int {
	pos := n.Pos()
	for p := n.Parent(); pos < 0 && p != nil; p = p.Parent() {
		pos = p.Pos()
	}
	return pos
}

// rawLinks calls add with every URL of raw HTML made of segs of body, and
// the body offset of its tag.
func rawLinks(body []byte, segs []text.Segment, add func(dest string, image bool, pos int)) {
	var raw []byte
	starts := make([]int, 0, len(segs)) // offset in raw of each segment
	for _, seg := range segs {
		starts = append(starts, len(raw))
		raw = append(raw, seg.Value(body)...)
	}
	for _, l := range markup.RawHTMLLinks(raw) {
		i := 0
		for i+1 < len(starts) && starts[i+1] <= l.Off {
			i++
		}
		add(l.Dest, l.Image, segs[i].Start+l.Off-starts[i])
	}
}

// Broken is the warning that l leads nowhere, for why (e.g. "no page or
// file is there") and a hint.
func (l Link) Broken(why, hint string) diag.Diagnostic {
	what := "link"
	if l.Image {
		what = "image"
	}
	return l.Page.diagAt(diag.Warning, l.pos, hint, "%s %s leads nowhere: %s", what, quoteDest(l.Dest), why)
}

func quoteDest(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// Anchors are the ids of the elements of the briefing's page that its
// own Markdown makes: its claims' anchors and cards, its caveats' anchors
// and its headings' ids. The layout's ids are not among them. It is made
// anew at each call.
func (b *Briefing) Anchors() map[string]bool {
	ids := map[string]bool{}
	for _, c := range b.Claims {
		ids["claim-"+c.ID] = true
		ids["claim-"+c.ID+"-card"] = true
	}
	for _, cv := range b.Caveats {
		ids["caveat-"+cv.ID] = true
	}
	for _, id := range b.anchors {
		ids[id] = true
	}
	return ids
}

// Anchor is the id of the caveat's element on its briefing's page.
func (cv *Caveat) Anchor() string { return "caveat-" + cv.ID }

// caveatListed is how many of the claims a caveat is on a list of caveats
// names. Every claim's page lists its caveats: one caveat on each of a
// long briefing's claims, naming them all on each of their pages, grew
// the site with the square of the claims (2,000 claims: 243 MB).
const caveatListed = 5

// Listed is the claims a list of caveats names for the caveat: the first
// few of On. Its own page names them all.
func (cv *Caveat) Listed() []*Claim {
	n := min(len(cv.On), caveatListed)
	return cv.On[:n:n] // an append to it must not write into On
}

// Unlisted is how many of the claims the caveat is on Listed leaves out.
func (cv *Caveat) Unlisted() int { return len(cv.On) - len(cv.Listed()) }
