package render

import (
	"encoding/xml"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"briefing/generator/site"
)

// modelAt loads the site in dir as published at baseURL ("" for a build
// that was not told its address).
func modelAt(t *testing.T, dir, baseURL string, drafts bool) *site.Model {
	t.Helper()
	base := "/"
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil {
			t.Fatal(err)
		}
		base = u.EscapedPath()
	}
	files, err := site.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := site.Resolve(site.Parse(files.Content), site.Options{BasePath: base, BaseURL: baseURL, Drafts: drafts})
	return m
}

// file renders the generated file at p, which must exist.
func file(t *testing.T, m *site.Model, p string) []byte {
	t.Helper()
	r, diags := New(m, builtin, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	data, ok, err := r.Page(m, p)
	if !ok || err != nil {
		t.Fatalf("%s: ok %v, %v", p, ok, err)
	}
	return data
}

// The Atom feed as a reader parses it.
type parsedFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  []string `xml:"author>name"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		Title string `xml:"title"`
		Link  struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		ID        string `xml:"id"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Summary   string `xml:"summary"`
		Content   struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

func parseFeed(t *testing.T, data []byte) parsedFeed {
	t.Helper()
	var f parsedFeed
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatalf("not an Atom feed: %v\n%s", err, data)
	}
	return f
}

// checkFeed holds the feed at p to carry want, newest first, each entry
// with its briefing's fields and dates, at absolute addresses below
// baseURL.
func checkFeed(t *testing.T, m *site.Model, p string, want []*site.Briefing) {
	t.Helper()
	f := parseFeed(t, file(t, m, p))
	if f.Title == "" || len(f.Author) == 0 || f.Author[0] == "" {
		t.Errorf("%s: no title or author", p)
	}
	self, alternate := "", ""
	for _, l := range f.Links {
		switch l.Rel {
		case "self":
			self = l.Href
		case "alternate":
			alternate = l.Href
		}
	}
	abs := func(u string) bool { return strings.HasPrefix(u, m.BaseURL) && strings.HasPrefix(u, "https://") }
	if !abs(self) || !abs(alternate) || self != m.BaseURL+escapeSegments(p) {
		t.Errorf("%s: self %q, alternate %q", p, self, alternate)
	}
	if f.ID != self {
		t.Errorf("%s: id %q, want %q", p, f.ID, self)
	}
	if len(want) > feedEntries {
		want = want[:feedEntries]
	}
	if len(f.Entries) != len(want) {
		t.Fatalf("%s: %d entries, want %d", p, len(f.Entries), len(want))
	}
	if len(want) > 0 && f.Updated != want[0].Date.Format(time.RFC3339) {
		t.Errorf("%s: updated %s, want the newest entry's %s", p, f.Updated, want[0].Date.Format(time.RFC3339))
	}
	for i, e := range f.Entries {
		b := want[i]
		if e.Title != b.Title || e.Summary != b.Summary {
			t.Errorf("%s: entry %d is %q (%q), want %q (%q)", p, i, e.Title, e.Summary, b.Title, b.Summary)
		}
		if e.Link.Href != m.BaseURL+"briefings/"+b.ID+"/" || e.ID != e.Link.Href || e.Link.Rel != "alternate" {
			t.Errorf("%s: entry %d links to %q with id %q", p, i, e.Link.Href, e.ID)
		}
		date := b.Date.Format(time.RFC3339)
		if e.Published != date || e.Updated != date {
			t.Errorf("%s: entry %d dated %s, %s; want %s", p, i, e.Published, e.Updated, date)
		}
		// The site's feed carries the whole text, an actor's or a tag's
		// the summary and link alone, and so does the site's in a build
		// with drafts, whose claims a published body's cards name.
		drafts := slices.ContainsFunc(m.Briefings, func(b *site.Briefing) bool { return b.Draft })
		if whole := p == "feed.xml" && !drafts; !whole && e.Content.Text != "" {
			t.Errorf("%s: entry %d has content: %.200q", p, i, e.Content.Text)
		} else if whole && (e.Content.Type != "html" || !strings.Contains(e.Content.Text, "</p>")) {
			t.Errorf("%s: entry %d has no HTML content: %.200q", p, i, e.Content.Text)
		} else if !whole && e.Content.Text != "" {
			t.Errorf("%s: entry %d carries the whole text", p, i)
		}
		// A feed reader shows no stylesheet: cards and relation marks,
		// which only it kept out of the words, are not there; a claim's
		// status follows its words.
		if strings.Contains(e.Content.Text, "claim-card") || strings.Contains(e.Content.Text, "rel-icon") {
			t.Errorf("%s: entry %d carries claim cards or relation marks", p, i)
		}
		for _, c := range b.Claims {
			if e.Content.Text != "" && !strings.Contains(e.Content.Text, "\">["+c.Status) {
				t.Errorf("%s: entry %d does not give claim %s's status after its words", p, i, c.ID)
			}
		}
		if len(e.Categories) != len(b.TagList) {
			t.Errorf("%s: entry %d has %d categories, want %d", p, i, len(e.Categories), len(b.TagList))
		}
	}
}

// escapeSegments percent-encodes each segment of the slash path p.
func escapeSegments(p string) string {
	parts := strings.Split(p, "/")
	for i := range parts {
		parts[i] = url.PathEscape(parts[i])
	}
	return strings.Join(parts, "/")
}

func publishedOnly(bs []*site.Briefing) []*site.Briefing {
	return slices.DeleteFunc(slices.Clone(bs), func(b *site.Briefing) bool { return b.Draft })
}

// TestFeeds reads the site's, every actor's and every tag's feed of the
// sample site and of one whose values need escaping, at a domain root and
// under a sub path, with the drafts built.
func TestFeeds(t *testing.T) {
	for _, tc := range []struct {
		name, dir, base string
		drafts          bool
	}{
		{"sample", "../..", "https://example.org/", true},
		{"sample-published", "../..", "https://example.org/", false},
		{"sample-sub-path", "../..", "https://example.org/sub/path/", true},
		{"hostile", hostileSite(t), "https://example.org/a%20b/", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := modelAt(t, tc.dir, tc.base, tc.drafts)
			if slices.ContainsFunc(m.Briefings, func(b *site.Briefing) bool { return b.Draft }) != tc.drafts {
				t.Fatal("the site has no draft to leave out")
			}
			checkFeed(t, m, "feed.xml", publishedOnly(m.Briefings))
			some := false
			for _, a := range m.Actors {
				checkFeed(t, m, "actors/"+a.ID+"/feed.xml", publishedOnly(a.Mentioned))
				some = some || len(a.Mentioned) > 0
			}
			for _, tag := range m.Tags {
				checkFeed(t, m, "tags/"+tag.Slug+"/feed.xml", publishedOnly(tag.Briefings))
			}
			if !some || len(m.Tags) == 0 {
				t.Error("no actor or tag feed with entries")
			}
		})
	}
}

// TestFeedDraftsAndDates: the newest briefing is a draft; the feed is
// dated by the newest published one, and the ids without a base URL are
// the same on every build.
func TestFeedDraftsAndDates(t *testing.T) {
	m := modelAt(t, "../..", "", true)
	if !m.Briefings[0].Draft {
		t.Fatal("the sample's newest briefing is no longer a draft")
	}
	data := file(t, m, "feed.xml")
	f := parseFeed(t, data)
	if want := publishedOnly(m.Briefings)[0].Date.Format(time.RFC3339); f.Updated != want {
		t.Errorf("updated %s, want %s", f.Updated, want)
	}
	for _, e := range f.Entries {
		if strings.Contains(e.Link.Href, m.Briefings[0].ID) {
			t.Errorf("the draft %s is in the feed", m.Briefings[0].ID)
		}
		if !strings.HasPrefix(e.Link.Href, "/briefings/") || !strings.HasPrefix(e.ID, "urn:uuid:") || len(e.ID) != len("urn:uuid:")+36 {
			t.Errorf("without a base URL: link %q, id %q", e.Link.Href, e.ID)
		}
	}
	again := modelAt(t, "../..", "", true)
	if string(file(t, again, "feed.xml")) != string(data) {
		t.Error("two builds give two feeds")
	}
	// An actor that nothing mentions still has a feed, dated by the site.
	if Lookup(m, "actors/nobody/feed.xml") != nil || Lookup(m, "tags/nope/feed.xml") != nil || Lookup(m, "actors/a/b/feed.xml") != nil {
		t.Error("a feed of no actor or tag")
	}
}

type parsedURLSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"url"`
}

type parsedIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

// TestSitemap holds the sitemap to every published page at its absolute
// address, dated by its content, and checks robots.txt.
func TestSitemap(t *testing.T) {
	for _, base := range []string{"https://example.org/", "https://example.org/sub/path/"} {
		m := modelAt(t, "../..", base, true)
		var got parsedURLSet
		if err := xml.Unmarshal(file(t, m, "sitemap.xml"), &got); err != nil {
			t.Fatal(err)
		}
		locs := map[string]string{}
		for _, u := range got.URLs {
			if !strings.HasPrefix(u.Loc, base) {
				t.Errorf("%s is not below %s", u.Loc, base)
			}
			if _, dup := locs[u.Loc]; dup {
				t.Errorf("%s twice", u.Loc)
			}
			locs[u.Loc] = u.Lastmod
		}
		pages := 0
		for _, p := range Paths(m, 0) {
			dir, ok := strings.CutSuffix(p, "index.html")
			if !ok {
				continue
			}
			lastmod, listed := locs[base+dir]
			draft := false
			if b := m.Briefing(strings.TrimSuffix(strings.TrimPrefix(dir, "briefings/"), "/")); b != nil {
				draft = b.Draft
				if !draft && lastmod != b.Date.Format(time.DateOnly) {
					t.Errorf("%s: lastmod %q, want %s", dir, lastmod, b.Date.Format(time.DateOnly))
				}
			}
			if c := m.Claim(strings.TrimSuffix(strings.TrimPrefix(dir, "claims/"), "/")); c != nil {
				draft = c.Page.Draft
				if !draft && lastmod != c.Date.Format(time.DateOnly) {
					t.Errorf("%s: lastmod %q, want %s", dir, lastmod, c.Date.Format(time.DateOnly))
				}
			}
			if listed == draft {
				t.Errorf("%s: listed %v, draft %v", dir, listed, draft)
			}
			if listed {
				pages++
			}
		}
		if pages != len(got.URLs) || pages < 40 {
			t.Errorf("%d pages listed of %d entries", pages, len(got.URLs))
		}
		if robots := string(file(t, m, "robots.txt")); robots != "User-agent: *\nAllow: /\n\nSitemap: "+base+"sitemap.xml\n" {
			t.Errorf("robots.txt:\n%s", robots)
		}
	}
	if robots := string(file(t, modelAt(t, "../..", "", false), "robots.txt")); strings.Contains(robots, "Sitemap") {
		t.Errorf("robots.txt names a sitemap it cannot give the address of:\n%s", robots)
	}
}

// TestSitemapShards: beyond one file's worth of URLs, sitemap.xml is an
// index of files that together list every page once.
func TestSitemapShards(t *testing.T) {
	defer func(n int) { sitemapShard = n }(sitemapShard)
	sitemapShard = 7
	m := modelAt(t, "../..", "https://example.org/sub/", false)
	all := sitemapURLs(m, nil)
	var idx parsedIndex
	if err := xml.Unmarshal(file(t, m, "sitemap.xml"), &idx); err != nil {
		t.Fatal(err)
	}
	if want := (len(all) + 6) / 7; len(idx.Sitemaps) != want || want < 2 {
		t.Fatalf("%d sitemaps, want %d", len(idx.Sitemaps), want)
	}
	var locs []string
	for i, s := range idx.Sitemaps {
		p, ok := strings.CutPrefix(s.Loc, "https://example.org/sub/")
		if !ok || !slices.Contains(Paths(m, 0), p) {
			t.Fatalf("sitemap %d at %s is not a file of the site", i, s.Loc)
		}
		var set parsedURLSet
		if err := xml.Unmarshal(file(t, m, p), &set); err != nil {
			t.Fatal(err)
		}
		if len(set.URLs) > 7 || len(set.URLs) == 0 {
			t.Errorf("%s: %d URLs", p, len(set.URLs))
		}
		for _, u := range set.URLs {
			locs = append(locs, u.Loc)
		}
	}
	if len(locs) != len(all) {
		t.Errorf("%d URLs in the shards, want %d", len(locs), len(all))
	}
	for i := range all {
		if i < len(locs) && locs[i] != all[i].loc {
			t.Fatalf("URL %d is %s, want %s", i, locs[i], all[i].loc)
		}
	}
	for _, p := range []string{"sitemaps/0.xml", "sitemaps/01.xml", "sitemaps/99.xml", "sitemaps/x.xml"} {
		if Lookup(m, p) != nil {
			t.Errorf("%s is a file", p)
		}
	}
}

// FuzzAppendXML: what appendXML writes, as text and as an attribute
// value, encoding/xml reads back as the string given, with every
// character XML does not allow as U+FFFD.
func FuzzAppendXML(f *testing.F) {
	for _, s := range []string{"", "plain", `a & b < c > d "e" 'f'`, "line\nbreak\ttab\rcr", "\x00\x01\x1f\x7f", "é 日本 \U0001F600",
		"\xff\xfe broken", "\uFFFE\uFFFF\uD7FF\uE000", "]]> <![CDATA[", "&amp; &#34;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := `<a x="` + string(appendXML(nil, s, true)) + `">` + string(appendXML(nil, s, false)) + `</a>`
		var got struct {
			X    string `xml:"x,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(doc), &got); err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		want := []rune{}
		for i, r := range s {
			if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") || !(r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && isXMLChar(r)) {
				r = utf8.RuneError
			}
			want = append(want, r)
		}
		if got.X != string(want) || got.Text != string(want) {
			t.Errorf("%q reads back as %q and %q", s, got.X, got.Text)
		}
	})
}
