package render

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"briefing/generator/markup"
	"briefing/generator/site"
)

// The sitemap (sitemaps.org protocol 0.9) lists every published HTML page
// but the not-found page, each at its absolute address, with the date of
// its content where it has one: a briefing's, claim's or caveat's date, a
// source's, an actor's newest event's, a tag's newest briefing's, the
// site's newest briefing's for the home page and the briefings index.
// Pages of drafts (the briefing, its claims and caveats, a tag of drafts
// only) are left out even in a build with --drafts.
//
// The protocol caps a sitemap file at 50,000 URLs; a site of 10,000
// briefings has about 150,000 pages. Up to sitemapShard URLs, /sitemap.xml
// is the one sitemap; beyond, it is a sitemap index of the files
// /sitemaps/1.xml, /sitemaps/2.xml and on, each of sitemapShard URLs at
// most, so that no file is more than about a megabyte.
//
// /robots.txt allows every crawler everything and names the sitemap when
// the build knows its address (--base-url): robots.txt must give it whole.
// Crawlers read robots.txt only at the root of a host; a site published
// under a sub path has it copied there by whoever owns the root. A site's
// own static/robots.txt is published instead (see OwnReplaces).

// sitemapShard is the most URLs one sitemap file lists (a variable for
// the tests).
var sitemapShard = 10000

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemapURL is one entry of the sitemap.
type sitemapURL struct {
	loc     string // absolute
	lastmod time.Time
}

type lazySitemap struct {
	once sync.Once
	urls []sitemapURL
}

// sitemapURLs is the sitemap's entries, from ix when there is one.
func sitemapURLs(m *site.Model, ix *index) []sitemapURL {
	if ix == nil {
		return makeSitemap(m, nil)
	}
	ix.sitemap.once.Do(func() { ix.sitemap.urls = makeSitemap(m, ix) })
	return ix.sitemap.urls
}

// newestPublished is the date of the first briefing of bs (newest first)
// that is not a draft; false when all are.
func newestPublished(bs []*site.Briefing) (time.Time, bool) {
	for _, b := range bs {
		if !b.Draft {
			return b.Date, true
		}
	}
	return time.Time{}, false
}

func makeSitemap(m *site.Model, ix *index) []sitemapURL {
	if ix == nil {
		ix = newIndex(m)
	}
	newest, _ := newestPublished(m.Briefings)
	pages := ix.pages
	if pages == nil {
		pages = pagePaths(m, ix, 0)
	}
	out := make([]sitemapURL, 0, len(pages))
	for _, p := range pages {
		dir, ok := strings.CutSuffix(p, "index.html")
		if !ok {
			continue // 404.html, and any other page that is not a folder
		}
		// A tag's folder (and its later pages') is percent-encoded.
		u := sitemapURL{loc: m.AbsURL(escapePath(dir))}
		if _, _, later := cutPage(dir); later {
			out = append(out, u)
			continue
		}
		section, id, _ := strings.Cut(strings.TrimSuffix(dir, "/"), "/")
		keep := true
		switch {
		case dir == "" || dir == "briefings/":
			u.lastmod = newest
		case id == "" || strings.Contains(id, "/"):
		case section == "briefings":
			if b := m.Briefing(id); b != nil {
				keep, u.lastmod = !b.Draft, b.Date
			}
		case section == "claims":
			if c := m.Claim(id); c != nil {
				keep, u.lastmod = !c.Page.Draft, c.Date
			} else if len(ix.byStatus[id]) > 0 && slices.Contains(markup.Statuses, id) {
				u.lastmod = ix.byStatus[id][0].Date
			}
		case section == "caveats":
			if cv := m.Caveat(id); cv != nil {
				keep, u.lastmod = !cv.Page.Draft, cv.Date
			}
		case section == "sources":
			if s := m.Source(id); s != nil {
				u.lastmod = s.Date
			}
		case section == "actors":
			if a := m.Actor(id); a != nil {
				u.lastmod = newestEvent(a)
			}
		case section == "tags":
			if t := m.Tag(id); t != nil {
				u.lastmod, keep = newestPublished(t.Briefings)
			}
		}
		if keep {
			out = append(out, u)
		}
	}
	return out
}

// newestEvent is the date of the newest entry of a's timeline: each of
// its lists is newest first.
func newestEvent(a *site.Actor) time.Time {
	var t time.Time
	latest := func(d time.Time) {
		if d.After(t) {
			t = d
		}
	}
	if len(a.ClaimsBy) > 0 {
		latest(a.ClaimsBy[0].Date)
	}
	if len(a.ClaimsAbout) > 0 {
		latest(a.ClaimsAbout[0].Date)
	}
	if len(a.Mentioned) > 0 {
		latest(a.Mentioned[0].Date)
	}
	return t
}

// sitemapShards is how many files the sitemap's entries take beyond
// /sitemap.xml: none while they fit in one.
func sitemapShards(n int) int {
	if n <= sitemapShard {
		return 0
	}
	return (n + sitemapShard - 1) / sitemapShard
}

var sitemapKind = fileKind{
	kind:   "sitemap",
	spills: func(*Data) bool { return true },
	paths: func(m *site.Model, ix *index, _ int) []string {
		out := []string{"sitemap.xml"}
		for i := range sitemapShards(len(sitemapURLs(m, ix))) {
			out = append(out, "sitemaps/"+strconv.Itoa(i+1)+".xml")
		}
		return out
	},
	match: func(m *site.Model, ix *index, out string) *Data {
		d := &Data{Site: m, Path: out, URL: m.BasePath + out}
		if out == "sitemap.xml" {
			return d
		}
		name, ok := strings.CutPrefix(out, "sitemaps/")
		if !ok {
			return nil
		}
		num, ok := strings.CutSuffix(name, ".xml")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 1 || strconv.Itoa(n) != num || n > sitemapShards(len(sitemapURLs(m, ix))) {
			return nil
		}
		d.File = num
		return d
	},
	write: func(w *writer, d *Data) error {
		urls := sitemapURLs(d.Site, w.ix)
		w.raw(xml.Header)
		shards := sitemapShards(len(urls))
		if d.File == "" && shards > 0 {
			w.raw(`<sitemapindex xmlns="` + sitemapNS + `">` + "\n")
			for i := range shards {
				part := urls[i*sitemapShard : min((i+1)*sitemapShard, len(urls))]
				var newest time.Time
				for _, u := range part {
					if u.lastmod.After(newest) {
						newest = u.lastmod
					}
				}
				w.sitemapEntry("sitemap", d.Site.AbsURL("sitemaps/"+strconv.Itoa(i+1)+".xml"), newest)
			}
			w.raw("</sitemapindex>\n")
			return nil
		}
		if d.File != "" {
			n, _ := strconv.Atoi(d.File)
			urls = urls[(n-1)*sitemapShard : min(n*sitemapShard, len(urls))]
		}
		w.raw(`<urlset xmlns="` + sitemapNS + `">` + "\n")
		for _, u := range urls {
			w.sitemapEntry("url", u.loc, u.lastmod)
			w.spillPoint()
		}
		w.raw("</urlset>\n")
		return nil
	},
}

// sitemapEntry writes <el><loc>loc</loc><lastmod>…</lastmod></el>.
func (w *writer) sitemapEntry(el, loc string, lastmod time.Time) {
	w.raw("<")
	w.raw(el)
	w.raw("><loc>")
	// An address is escaped already, all but always: then it is written
	// as it is, not copied to be escaped, once for each of 150,000 pages.
	if plainXML(loc) {
		w.raw(loc)
	} else {
		_ = xml.EscapeText(w, []byte(loc))
	}
	w.raw("</loc>")
	if !lastmod.IsZero() {
		w.raw("<lastmod>")
		w.isodate(lastmod)
		w.raw("</lastmod>")
	}
	w.raw("</")
	w.raw(el)
	w.raw(">\n")
}

// plainXML reports whether xml.EscapeText leaves s as it is: printable
// ASCII without the five characters it escapes.
func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= utf8.RuneSelf, c == '"', c == '\'', c == '&', c == '<', c == '>':
			return false
		}
	}
	return true
}

// OwnReplaces reports whether a site's own static file at the output path
// p replaces the file the build would generate there, rather than
// colliding with it: robots.txt, which a site may well want to write
// itself, for crawlers the default lets in.
func OwnReplaces(p string) bool { return p == "robots.txt" }

var robotsKind = fileKind{
	kind: "robots",
	paths: func(*site.Model, *index, int) []string {
		return []string{"robots.txt"}
	},
	match: func(m *site.Model, _ *index, out string) *Data {
		if out != "robots.txt" {
			return nil
		}
		return &Data{Site: m, Path: out, URL: m.BasePath + out}
	},
	write: func(w *writer, d *Data) error {
		w.raw("User-agent: *\nAllow: /\n")
		if d.Site.BaseURL != "" {
			w.raw("\nSitemap: " + d.Site.AbsURL("sitemap.xml") + "\n")
		}
		return nil
	},
}
