package build_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"briefing/generator/build"
	"briefing/generator/render"
	"briefing/generator/site"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// find is the first element below n for which ok holds, or nil.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

// findAll is every element below n for which ok holds, in document order.
func findAll(n *html.Node, ok func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && ok(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, findAll(c, ok)...)
	}
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		} else {
			b.WriteString(textOf(c))
		}
	}
	return b.String()
}

// head is what a page's <head> says: its title, its <meta> by name or
// property, its <link>s by rel, and its JSON-LD scripts.
type head struct {
	lang, title string
	meta        map[string]string
	links       map[string][]*html.Node
	jsonLD      []string
	doc         *html.Node
}

func parseHead(t *testing.T, name string, data []byte) head {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	h := head{meta: map[string]string{}, links: map[string][]*html.Node{}, doc: doc}
	root := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Html })
	h.lang, _ = attr(root, "lang")
	hd := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Head })
	for _, n := range findAll(hd, func(*html.Node) bool { return true }) {
		switch n.DataAtom {
		case atom.Title:
			h.title = textOf(n)
		case atom.Meta:
			key, ok := attr(n, "name")
			if !ok {
				key, ok = attr(n, "property")
			}
			if ok {
				if _, dup := h.meta[key]; dup {
					t.Errorf("%s: <meta> %s given twice", name, key)
				}
				h.meta[key], _ = attr(n, "content")
			}
		case atom.Link:
			rel, _ := attr(n, "rel")
			h.links[rel] = append(h.links[rel], n)
		case atom.Script:
			if typ, _ := attr(n, "type"); typ == "application/ld+json" {
				h.jsonLD = append(h.jsonLD, textOf(n))
			}
		}
	}
	return h
}

// buildSample builds the sample site, at the domain root when baseURL is
// empty, and returns its files and model.
func buildSample(t *testing.T, baseURL string) (map[string][]byte, *site.Model) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	res := build.ToDir(build.Options{Src: "../..", Builtin: builtin, BaseURL: baseURL}, out)
	if res.Failed() {
		t.Fatal(res.Diags)
	}
	return tree(t, out), res.Model
}

// onePerKind is the first output path of every kind of page of m.
func onePerKind(m *site.Model) map[string]string {
	out := map[string]string{}
	for _, p := range render.Paths(m, 0) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if d := render.Lookup(m, p); d != nil && out[d.Kind] == "" {
			out[d.Kind] = p
		}
	}
	// A later page of a list, whose canonical address is its own.
	out["list page 2"] = ""
	for _, p := range render.Paths(m, 0) {
		if strings.Contains(p, "/page/2/") {
			out["list page 2"] = p
			break
		}
	}
	if out["list page 2"] == "" {
		delete(out, "list page 2")
	}
	return out
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// TestHeadMetadata builds the sample at the domain root and under a sub
// path and reads the head of one page of every kind: title, description,
// canonical address, Open Graph and Twitter card tags, lang, feed links,
// and the search box and method link of the layout.
func TestHeadMetadata(t *testing.T) {
	for _, tc := range []struct{ name, baseURL, base string }{
		{"root", "", "/"},
		{"sub-path", "https://example.org/sub/", "/sub/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, m := buildSample(t, tc.baseURL)
			pages := onePerKind(m)
			for _, kind := range render.Kinds {
				if pages[kind] == "" {
					t.Errorf("the sample has no page of kind %s", kind)
				}
			}
			for kind, p := range pages {
				data, ok := files[p]
				if !ok {
					t.Errorf("%s: %s was not built", kind, p)
					continue
				}
				h := parseHead(t, p, data)
				if h.lang != "en" {
					t.Errorf("%s: lang %q, want en", p, h.lang)
				}
				if !strings.Contains(h.title, m.Title) || strings.TrimSpace(h.title) == "" {
					t.Errorf("%s: title %q does not name the site", p, h.title)
				}
				desc := h.meta["description"]
				if n := utf8.RuneCountInString(desc); strings.TrimSpace(desc) == "" || n > render.DescriptionMax {
					t.Errorf("%s: description of %d characters: %q", p, n, desc)
				}
				if strings.ContainsAny(desc, "<>\n") {
					t.Errorf("%s: description is not one line of plain text: %q", p, desc)
				}
				// The page's own address: its folder, percent-encoded as
				// links to it are, below the base.
				dir := strings.TrimSuffix(p, "index.html")
				want := (&url.URL{Path: tc.base + dir}).EscapedPath()
				if tc.baseURL != "" {
					want = "https://example.org" + want
				}
				canon := h.links["canonical"]
				if kind == "404" {
					if len(canon) != 0 || h.meta["og:url"] != "" {
						t.Errorf("%s: the not-found page, served at any address, has a canonical address", p)
					}
					if h.meta["robots"] != "noindex" {
						t.Errorf("%s: robots %q, want noindex", p, h.meta["robots"])
					}
				} else {
					if len(canon) != 1 {
						t.Errorf("%s: %d canonical links", p, len(canon))
						continue
					}
					href, _ := attr(canon[0], "href")
					if href != want {
						t.Errorf("%s: canonical %q, want %q", p, href, want)
					}
					if tc.baseURL != "" && !strings.HasPrefix(href, tc.baseURL) {
						t.Errorf("%s: canonical %q is not absolute below %s", p, href, tc.baseURL)
					}
					if h.meta["og:url"] != href {
						t.Errorf("%s: og:url %q, canonical %q", p, h.meta["og:url"], href)
					}
				}
				wantType := "website"
				if kind == "briefing" || kind == "claim" {
					wantType = "article"
					if !isoDate.MatchString(h.meta["article:published_time"]) {
						t.Errorf("%s: article:published_time %q", p, h.meta["article:published_time"])
					}
				} else if _, ok := h.meta["article:published_time"]; ok {
					t.Errorf("%s: a %s page has a publication time", p, kind)
				}
				for key, want := range map[string]string{
					"og:type": wantType, "og:description": desc, "og:site_name": m.Title,
					"twitter:card": "summary",
				} {
					if h.meta[key] != want {
						t.Errorf("%s: %s %q, want %q", p, key, h.meta[key], want)
					}
				}
				// X reads og:title and og:description where its own are
				// missing: written twice they were 4% of a claim page.
				for _, key := range []string{"twitter:title", "twitter:description"} {
					if _, ok := h.meta[key]; ok {
						t.Errorf("%s: %s repeats og:", p, key)
					}
				}
				if strings.TrimSpace(h.meta["og:title"]) == "" {
					t.Errorf("%s: no og:title", p)
				}
				checkFeeds(t, files, m, p, kind, h, tc.base)
				checkLayout(t, p, h, tc.base)
			}
		})
	}
}

// checkFeeds: every feed a page links to is built, and every page links
// to the site's feed, an actor's page to the actor's and a tag's page to
// the tag's, where the build writes them.
func checkFeeds(t *testing.T, files map[string][]byte, m *site.Model, p, kind string, h head, base string) {
	t.Helper()
	var hrefs []string
	for _, l := range h.links["alternate"] {
		href, _ := attr(l, "href")
		typ, _ := attr(l, "type")
		title, _ := attr(l, "title")
		if typ != "application/atom+xml" || title == "" {
			t.Errorf("%s: feed link %q of type %q, title %q", p, href, typ, title)
		}
		target, err := url.PathUnescape(href)
		rel, ok := strings.CutPrefix(target, base)
		if err != nil || !ok {
			t.Errorf("%s: feed link %q is not below %s", p, href, base)
			continue
		}
		if _, built := files[rel]; !built {
			t.Errorf("%s: feed link %q leads nowhere", p, href)
		}
		hrefs = append(hrefs, rel)
	}
	d := render.Lookup(m, p)
	want := []string{"feed.xml"}
	switch kind {
	case "actor":
		want = append(want, "actors/"+d.Actor.ID+"/feed.xml")
	case "tag":
		want = append(want, "tags/"+d.Tag.Slug+"/feed.xml")
	}
	for _, f := range want {
		if _, built := files[f]; built && !slices.Contains(hrefs, f) {
			t.Errorf("%s: no link to the feed %s", p, f)
		}
	}
}

// checkLayout: the header's search box sends q to /search/, labelled; the
// footer links to /method/.
func checkLayout(t *testing.T, p string, h head, base string) {
	t.Helper()
	header := find(h.doc, func(n *html.Node) bool {
		c, _ := attr(n, "class")
		return n.DataAtom == atom.Header && c == "site-header"
	})
	form := find(header, func(n *html.Node) bool { return n.DataAtom == atom.Form })
	if form == nil {
		t.Errorf("%s: no search form in the header", p)
		return
	}
	action, _ := attr(form, "action")
	role, _ := attr(form, "role")
	method, hasMethod := attr(form, "method")
	if action != base+"search/" || role != "search" || hasMethod && !strings.EqualFold(method, "get") {
		t.Errorf("%s: search form action %q role %q method %q", p, action, role, method)
	}
	input := find(form, func(n *html.Node) bool {
		typ, _ := attr(n, "type")
		name, _ := attr(n, "name")
		return n.DataAtom == atom.Input && typ == "search" && name == "q"
	})
	label := find(form, func(n *html.Node) bool { return n.DataAtom == atom.Label })
	if input == nil || label == nil || find(label, func(n *html.Node) bool { return n == input }) == nil || strings.TrimSpace(textOf(label)) == "" {
		t.Errorf("%s: the search box is not a labelled input named q", p)
	}
	footer := find(h.doc, func(n *html.Node) bool {
		c, _ := attr(n, "class")
		return n.DataAtom == atom.Footer && c == "site-footer"
	})
	if find(footer, func(n *html.Node) bool { href, _ := attr(n, "href"); return href == base+"method/" }) == nil {
		t.Errorf("%s: the footer does not link to the method page", p)
	}
}

// TestClaimReview reads the JSON-LD of every claim page of the sample,
// built under a sub path, as JSON and checks its fields against the model.
func TestClaimReview(t *testing.T) {
	files, m := buildSample(t, "https://example.org/sub/")
	if len(m.Claims) == 0 {
		t.Fatal("the sample has no claims")
	}
	for _, c := range m.Claims {
		p := strings.TrimPrefix(c.URL, m.BasePath) + "index.html"
		h := parseHead(t, p, files[p])
		if len(h.jsonLD) != 1 {
			t.Fatalf("%s: %d JSON-LD scripts", p, len(h.jsonLD))
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(h.jsonLD[0]), &r); err != nil {
			t.Fatalf("%s: JSON-LD: %v\n%s", p, err, h.jsonLD[0])
		}
		get := func(v any, keys ...string) any {
			for _, k := range keys {
				obj, _ := v.(map[string]any)
				v = obj[k]
			}
			return v
		}
		canon, _ := attr(h.links["canonical"][0], "href")
		date := c.Date.Format("2006-01-02")
		if c.Briefing != nil {
			date = c.Briefing.Date.Format("2006-01-02")
		}
		for _, f := range []struct {
			keys []string
			want any
		}{
			{[]string{"@context"}, "https://schema.org"},
			{[]string{"@type"}, "ClaimReview"},
			{[]string{"url"}, canon},
			{[]string{"claimReviewed"}, strings.Join(strings.Fields(c.Text()), " ")},
			{[]string{"datePublished"}, date},
			{[]string{"author", "@type"}, "Organization"},
			{[]string{"author", "name"}, m.Title},
			{[]string{"reviewRating", "@type"}, "Rating"},
			{[]string{"reviewRating", "alternateName"}, c.Status},
			{[]string{"reviewRating", "bestRating"}, 4.0},
			{[]string{"reviewRating", "worstRating"}, 1.0},
			{[]string{"itemReviewed", "@type"}, "Claim"},
			{[]string{"itemReviewed", "datePublished"}, c.Date.Format("2006-01-02")},
		} {
			if got := get(r, f.keys...); got != f.want {
				t.Errorf("%s: %s is %#v, want %#v", p, strings.Join(f.keys, "."), got, f.want)
			}
		}
		if v, _ := get(r, "reviewRating", "ratingValue").(float64); v < 1 || v > 4 {
			t.Errorf("%s: ratingValue %v is off the scale", p, v)
		}
		// The speakers, one object or a list of them.
		var authors []any
		switch a := get(r, "itemReviewed", "author").(type) {
		case []any:
			authors = a
		case map[string]any:
			authors = []any{a}
		}
		if len(authors) != len(c.By) {
			t.Errorf("%s: %d authors, the claim has %d speakers", p, len(authors), len(c.By))
		}
		for i, a := range authors {
			if i >= len(c.By) {
				break
			}
			typ := get(a, "@type")
			if get(a, "name") != c.By[i].Name || typ != "Person" && typ != "Organization" && typ != "GovernmentOrganization" && typ != "Thing" {
				t.Errorf("%s: author %v, want %s", p, a, c.By[i].Name)
			}
			if c.By[i].ActorKind == "person" && typ != "Person" {
				t.Errorf("%s: %s is a person, typed %v", p, c.By[i].Name, typ)
			}
		}
		apps, _ := get(r, "itemReviewed", "appearance").([]any)
		if len(apps) == 0 || (len(c.Sources) > 0 && len(apps) != len(c.Sources)) {
			t.Errorf("%s: %d appearances for %d sources", p, len(apps), len(c.Sources))
		}
		for _, a := range apps {
			u, _ := get(a, "url").(string)
			if get(a, "@type") != "CreativeWork" || !strings.HasPrefix(u, "http") {
				t.Errorf("%s: appearance %v", p, a)
			}
		}
	}
}
