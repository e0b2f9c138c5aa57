package render

import (
	"encoding/json"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"briefing/generator/markup"
	"briefing/generator/site"

	"github.com/yuin/goldmark/ast"
)

// DescriptionMax is the most characters a page's description has: about
// what a search engine shows of one.
const DescriptionMax = 160

// Head is what a page's <head> says of the page to search engines, link
// previews and feed readers. The layout template (through the function
// "head") and the Go writer both take it from head, so that they say the
// same.
type Head struct {
	Title string // the <title>: the page's name and the site's
	Name  string // the page's own name, for link previews
	// Description is plain text from the page's own content, at most
	// DescriptionMax characters, cut at a word.
	Description string
	// URL is the page's canonical address, m.AbsURL of its path: absolute
	// when the build was given --base-url, from the domain root otherwise.
	// The not-found page, which a host serves at any address, has none and
	// asks not to be indexed.
	URL     string
	NoIndex bool
	Type    string // og:type: article for briefings and claims, website otherwise
	// Published is an article's date, YYYY-MM-DD, from its content.
	Published string
	Feeds     []Feed
	claim     *site.Claim // of a claim page, whose ClaimReview is JSONLD
	m         *site.Model
}

// JSONLD is a claim page's schema.org ClaimReview (see claimReview), or "".
func (h *Head) JSONLD() template.JS {
	if h.claim == nil {
		return ""
	}
	return claimReview(h.claim, h.m)
}

// Feed is an Atom feed a page links to with <link rel="alternate">.
type Feed struct {
	Href  string // with the base path
	Title string
}

// pageAbsURL is the absolute address of the page d: absURL of its URL
// when that is its path below the base as it is, which it is but for a
// tag's page with signs in its name.
func pageAbsURL(d *Data) string {
	m, p := d.Site, escapePath(d.Path)
	if rest, ok := strings.CutPrefix(d.URL, m.BasePath); ok && rest == p && p == d.Path {
		return absURL(m, d.URL)
	}
	return m.AbsURL(p)
}

// head is what the <head> of the page d says of it.
func head(d *Data, ix *index) *Head {
	h := new(Head)
	fillHead(h, d, ix, nil)
	return h
}

// fillHead makes h the head of the page d, its list of feeds in the one
// h holds: a writer fills one Head for every page it writes, with its
// cache of dates (nil for none).
func fillHead(h *Head, d *Data, ix *index, dates *dateCache) {
	m := d.Site
	*h = Head{Title: d.Title + " · " + m.Title, Name: d.Title, Type: "website",
		Description: description(d, ix), URL: pageAbsURL(d), Feeds: h.Feeds[:0]}
	switch d.Kind {
	case "home":
		h.Title, h.Name = m.Title, m.Title
	case "404":
		h.URL, h.NoIndex = "", true
	case "briefing":
		h.Type, h.Published = "article", isoDay(d.Briefing.Date, dates)
	case "claim":
		h.Type, h.Published = "article", isoDay(d.Claim.Date, dates)
		h.claim, h.m = d.Claim, m
	}
	// A feed (at output path p, linked as href) is linked only where the
	// build writes it, so that no page points at a file that is not there.
	feed := func(p, href, title string) {
		if lookup(m, ix, p) != nil {
			h.Feeds = append(h.Feeds, Feed{Href: href, Title: title})
		}
	}
	// The site's feed is always written (and looked up for every page,
	// it cost a page's worth of allocation each).
	h.Feeds = append(h.Feeds, Feed{Href: sitePath(m, "feed.xml"), Title: m.Title})
	switch {
	case d.Kind == "actor" && d.Actor != nil:
		feed("actors/"+d.Actor.ID+"/feed.xml", d.Actor.URL+"feed.xml", d.Actor.Name+" · "+m.Title)
	case d.Kind == "tag" && d.Tag != nil:
		feed("tags/"+d.Tag.Slug+"/feed.xml", d.Tag.URL+"feed.xml", "Tagged "+d.Tag.Name+" · "+m.Title)
	}
}

// escapePath percent-encodes each segment of the site path p, as a tag's
// URL is: a tag's folder may hold any character, "#" and "?" among them.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// clip is s as one line of plain text of at most n characters, cut after
// a whole word.
func clip(s string, n int) string {
	return site.Cut(markup.FoldString(s), n)
}

// description is what the page d says of itself in search results and
// link previews: plain text from its own content, at most DescriptionMax
// characters. A later page of a list says which page it is.
func description(d *Data, ix *index) string {
	m := d.Site
	var s string
	switch d.Kind {
	case "home":
		s = m.Description
		if s == "" && m.Intro != nil {
			doc, src := m.Doc(m.Intro)
			s = firstParagraph(m, doc, src)
		}
	case "briefings":
		s = "Every briefing of " + m.Title + ", newest first."
	case "briefing":
		b := d.Briefing
		s = b.Summary
		if strings.TrimSpace(s) == "" {
			doc, src := d.BriefingDoc()
			s = firstParagraph(m, doc, src)
		}
		if strings.TrimSpace(s) == "" {
			s = b.Title + ", " + formatDate(b.Date, dateLayout) + "."
		}
	case "actors":
		s = "The people, organisations, states and groups in the briefings of " + m.Title + ", by kind."
	case "actor":
		s = actorDescription(d.Actor)
	case "claims":
		if d.Status == "" {
			s = "Every claim recorded in " + m.Title + ", with its status, speaker and Admiralty grade."
		} else {
			var n int
			if ix != nil {
				n = len(ix.byStatus[d.Status])
			} else {
				n = len(withStatus(d.Status, m.Claims))
			}
			s = plural(n, d.Status+" claim", d.Status+" claims") + " in " + m.Title + ". " + capitalize(statusText[d.Status])
		}
	case "claim":
		return claimDescription(d.Claim)
	case "sources":
		s = "Every source cited in " + m.Title + ", with its publisher, date and Admiralty grade."
	case "source":
		s = sourceDescription(d.Source)
	case "caveats":
		s = "Every analyst caveat in " + m.Title + ", with the claims it qualifies."
	case "caveat":
		s = "Analyst caveat: " + d.Caveat.Text()
	case "tags":
		var b strings.Builder
		b.WriteString("The briefings of " + m.Title + " by tag: ")
		for i, t := range m.Tags {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.Name + " (" + strconv.Itoa(len(t.Briefings)) + ")")
			if b.Len() > 4*DescriptionMax { // enough to be cut
				break
			}
		}
		s = b.String() + "."
	case "tag":
		s = plural(len(d.Tag.Briefings), "briefing", "briefings") + " tagged “" + d.Tag.Name + "” in " + m.Title + "."
	case "404":
		s = "Nothing is published at this address."
	case "search":
		s = "Search the briefings, claims, actors, sources and caveats of " + m.Title + "."
	case "method":
		s = "How to read " + m.Title + ": what a claim's status means, the Admiralty grades of sources and of information, and the terms of likelihood and confidence."
	}
	if strings.TrimSpace(s) == "" {
		s = m.Description
	}
	if strings.TrimSpace(s) == "" {
		s = m.Title
	}
	if d.Pager.Number > 1 {
		tail := " (page " + strconv.Itoa(d.Pager.Number) + " of " + strconv.Itoa(d.Pager.Total) + ")"
		return clip(s, DescriptionMax-utf8.RuneCountInString(tail)) + tail
	}
	return clip(s, DescriptionMax)
}

// firstParagraph is the plain text of the first paragraph of a body,
// parsed as doc from src.
func firstParagraph(m *site.Model, doc ast.Node, src []byte) string {
	if doc == nil {
		return ""
	}
	for top := doc.FirstChild(); top != nil; top = top.NextSibling() {
		n := top
		if n.Kind() == markup.KindQualified {
			n = n.FirstChild() // a paragraph with the caveats moved beside it
		}
		if n.Kind() == ast.KindParagraph {
			if s := m.ShownText(n, src, m.WikilinkLink); strings.TrimSpace(s) != "" {
				return s
			}
		}
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// claimDescription is the claim's status and speakers, then as much of
// its wording as fits, in quotation marks that are always closed.
func claimDescription(c *site.Claim) string {
	lead := capitalize(c.Status) + " claim"
	if len(c.By) > 0 {
		names := make([]string, len(c.By))
		for i, a := range c.By {
			names[i] = a.Name
		}
		lead += " by " + strings.Join(names, ", ")
	}
	lead = clip(lead, DescriptionMax/2)
	room := DescriptionMax - utf8.RuneCountInString(lead) - utf8.RuneCountInString(": “”")
	return lead + ": “" + clip(c.Text(), room) + "”"
}

func actorDescription(a *site.Actor) string {
	s := a.Name
	kind := a.ActorKind
	if kind == "" {
		kind = "actor"
	}
	if a.Role != "" {
		s += ", " + a.Role + " (" + kind + ")."
	} else {
		s += " (" + kind + ")."
	}
	var record []string
	if n := len(a.ClaimsBy); n > 0 {
		record = append(record, plural(n, "claim", "claims")+" made")
	}
	if n := len(a.ClaimsAbout); n > 0 {
		record = append(record, plural(n, "claim", "claims")+" about them")
	}
	if n := len(a.Mentioned); n > 0 {
		record = append(record, "mentioned in "+plural(n, "briefing", "briefings"))
	}
	if len(record) > 0 {
		s += " " + capitalize(strings.Join(record, ", ")) + "."
	}
	return s
}

func sourceDescription(s *site.Source) string {
	out := s.Title
	if s.PublisherName != "" {
		out += ", published by " + s.PublisherName
	}
	if !s.Date.IsZero() {
		out += " on " + formatDate(s.Date, dateLayout)
	}
	out += "."
	if g := s.DefaultGrade(); g.String() != "" {
		out += " Graded " + g.String() + " (" + g.Title() + ")."
	}
	return out + " Backs " + plural(len(s.Claims), "claim", "claims") + "."
}

// statusRating places each claim status on the scale of a schema.org
// Rating, from worstRating 1 to bestRating 4, ordered by how far the
// evidence bears the claim out: refuted (shown false), disputed
// (contradicted, unsettled), unverified (nothing for or against it yet),
// corroborated (backed by independent sources). The status itself is the
// rating's alternateName, which is what readers of the markup show.
var statusRating = map[string]int{"refuted": 1, "disputed": 2, "unverified": 3, "corroborated": 4}

const worstRating, bestRating = 1, 4

// Types of the ClaimReview JSON-LD, in the order schema.org lists their
// properties' use.
type (
	ldThing struct {
		Type string `json:"@type"`
		Name string `json:"name,omitempty"`
		URL  string `json:"url,omitempty"`
	}
	ldWork struct {
		Type          string   `json:"@type"`
		Name          string   `json:"name,omitempty"`
		URL           string   `json:"url,omitempty"`
		DatePublished string   `json:"datePublished,omitempty"`
		Publisher     *ldThing `json:"publisher,omitempty"`
	}
	ldRating struct {
		Type          string `json:"@type"`
		RatingValue   int    `json:"ratingValue,omitempty"`
		BestRating    int    `json:"bestRating,omitempty"`
		WorstRating   int    `json:"worstRating,omitempty"`
		AlternateName string `json:"alternateName"`
	}
	ldClaim struct {
		Type string `json:"@type"`
		// Author is one ldThing, or a list of them for a claim made by
		// several actors together.
		Author        any      `json:"author,omitempty"`
		DatePublished string   `json:"datePublished,omitempty"`
		Appearance    []ldWork `json:"appearance,omitempty"`
	}
	ldClaimReview struct {
		Context       string   `json:"@context"`
		Type          string   `json:"@type"`
		URL           string   `json:"url"`
		ClaimReviewed string   `json:"claimReviewed"`
		ItemReviewed  ldClaim  `json:"itemReviewed"`
		ReviewRating  ldRating `json:"reviewRating"`
		Author        ldThing  `json:"author"`
		DatePublished string   `json:"datePublished,omitempty"`
	}
)

// ldActorType is the schema.org type of an actor of a kind: states speak
// through their governments; an actor of no kind is only a Thing.
var ldActorType = map[string]string{"person": "Person", "organisation": "Organization",
	"group": "Organization", "state": "GovernmentOrganization"}

// claimReview is the schema.org ClaimReview of c, as JSON fit to stand
// inside <script type="application/ld+json">.
//
// It is safe there unescaped, and is therefore given to the template as
// template.JS (which html/template writes as it is in a script): json.Marshal
// writes <, > and & as \u003c, \u003e and \u0026 (and U+2028, U+2029 as
// escapes), so no value can close the script element or open a comment in
// it, whatever an author wrote. Escaped again as a string, it would be a
// JSON string, not the object.
func claimReview(c *site.Claim, m *site.Model) template.JS {
	return template.JS(appendClaimReview(make([]byte, 0, 1024), c, m, nil))
}

// appendClaimReview appends claimReview's JSON to b, its dates through
// dates when it is not nil.
func appendClaimReview(b []byte, c *site.Claim, m *site.Model, dates *dateCache) []byte {
	// The bytes of json.Marshal, without its reflection (see jsonappend.go).
	review := claimReviewOf(c, m, dates)
	data, ok := review.appendJSON(b)
	if !ok {
		data = b // what was appended is cut off
		j, err := json.Marshal(review)
		if err == nil { // only plain strings and numbers: cannot fail
			data = append(data, j...)
		}
	}
	return data
}

// claimReviewOf is the ClaimReview of c, to be written as JSON.
func claimReviewOf(c *site.Claim, m *site.Model, dates *dateCache) ldClaimReview {
	thing := func(a *site.Actor) ldThing {
		t := ldActorType[a.ActorKind]
		if t == "" {
			t = "Thing"
		}
		return ldThing{Type: t, Name: a.Name, URL: absURL(m, a.URL)}
	}
	item := ldClaim{Type: "Claim", DatePublished: isoDay(c.Date, dates)}
	switch len(c.By) {
	case 0:
	case 1:
		item.Author = thing(c.By[0])
	default:
		as := make([]ldThing, len(c.By))
		for i, a := range c.By {
			as[i] = thing(a)
		}
		item.Author = as
	}
	// Where the claim was made: its sources' originals (or their pages
	// here, for a source with no web address), else the briefing reporting
	// it.
	for _, s := range c.Sources {
		w := ldWork{Type: "CreativeWork", Name: s.Title, DatePublished: isoDay(s.Date, dates)}
		// Only a web address is one a search engine can follow.
		if s.Web() {
			w.URL = s.SourceURL
		} else {
			w.URL = absURL(m, s.URL)
		}
		if s.PublisherName != "" {
			w.Publisher = &ldThing{Type: "Organization", Name: s.PublisherName}
			if p := s.PublisherActor; p != nil {
				*w.Publisher = thing(p)
			}
		}
		item.Appearance = append(item.Appearance, w)
	}
	if len(item.Appearance) == 0 && c.Briefing != nil {
		b := c.Briefing
		item.Appearance = []ldWork{{Type: "CreativeWork", Name: b.Title,
			URL: absURL(m, b.URL), DatePublished: isoDay(b.Date, dates)}}
	}
	review := ldClaimReview{
		Context: "https://schema.org", Type: "ClaimReview",
		URL:           absURL(m, c.URL),
		ClaimReviewed: markup.FoldString(c.Text()),
		ItemReviewed:  item,
		ReviewRating:  ldRating{Type: "Rating", AlternateName: c.Status},
		Author:        ldThing{Type: "Organization", Name: m.Title, URL: m.AbsURL("")},
		DatePublished: isoDay(c.Date, dates),
	}
	if v, ok := statusRating[c.Status]; ok {
		review.ReviewRating.RatingValue, review.ReviewRating.BestRating, review.ReviewRating.WorstRating = v, bestRating, worstRating
	}
	// The review is published with the briefing that records the claim.
	if b := c.Briefing; b != nil && !b.Date.IsZero() {
		review.DatePublished = isoDay(b.Date, dates)
	}
	return review
}

// isoDay is t as time.DateOnly, "" for the zero time, through dates when
// it is not nil.
func isoDay(t time.Time, dates *dateCache) string {
	switch {
	case t.IsZero():
		return ""
	case dates == nil:
		return t.Format(time.DateOnly)
	}
	return dates.text(t, time.DateOnly)
}
