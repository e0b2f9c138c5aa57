package render

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"briefing/generator/site"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// resolve makes a model of files, at base.
func resolve(t *testing.T, base string, files map[string]string) *site.Model {
	t.Helper()
	var fs []site.File
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fs = append(fs, site.File{Path: name, Data: []byte(files[name])})
	}
	m, diags := site.Resolve(site.Parse(fs), site.Options{BasePath: base})
	if errs, _ := diags.Count(); errs > 0 {
		t.Fatal(diags)
	}
	return m
}

// bothWays renders the page at p natively and by its template, wants the
// same bytes, and returns them.
func bothWays(t *testing.T, m *site.Model, p string) []byte {
	t.Helper()
	r, diags := New(m, builtin, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	ref, _ := New(m, builtin, nil)
	ref.native = nil
	got, gok, gerr := r.Page(m, p)
	want, wok, werr := ref.Page(m, p)
	if !gok || !wok || gerr != nil || werr != nil {
		t.Fatalf("%s: %v %v %v %v", p, gok, wok, gerr, werr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from its template:\n%s", p, firstDiff(got, want))
	}
	return got
}

// TestClaimReviewEscapes: words and names that would close the script or
// open a comment stay inside the JSON-LD, which still reads back as the
// claim's wording.
func TestClaimReviewEscapes(t *testing.T) {
	// Code spans keep their text, tags and all, in the plain wording.
	words := "it's `</script><script>alert(1)</script>` & `<!--` \u2028 \"q\""
	m := resolve(t, "/a+b/", map[string]string{
		"content/_index.md":   "---\ntitle: T </script>\n---\n",
		"content/actors/a.md": "---\nname: \"A </SCRIPT> <!--\"\nkind: state\n---\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-11-25\n---\n" +
			":claim[" + words + "]{#c by=a}\n",
	})
	page := bothWays(t, m, "claims/c/index.html")
	// One for the JSON-LD, one for the layout's cards.js.
	if n := bytes.Count(bytes.ToLower(page), []byte("</script")); n != 2 {
		t.Errorf("the page has %d ends of scripts, want 2", n)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var scripts []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.DataAtom == atom.Script && n.FirstChild != nil {
			scripts = append(scripts, n.FirstChild.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(scripts) != 1 {
		t.Fatalf("%d scripts", len(scripts))
	}
	var r struct {
		ClaimReviewed string
		ItemReviewed  struct {
			Author struct {
				Type string `json:"@type"`
				Name string
			}
			Appearance []struct{ Name string }
		}
		Author struct{ Name string }
	}
	if err := json.Unmarshal([]byte(scripts[0]), &r); err != nil {
		t.Fatalf("%v\n%s", err, scripts[0])
	}
	want := strings.Join(strings.Fields(m.Claim("c").Text()), " ")
	if r.ClaimReviewed != want || !strings.Contains(r.ClaimReviewed, "</script><script>alert(1)") {
		t.Errorf("claimReviewed %q, want %q", r.ClaimReviewed, want)
	}
	if r.ItemReviewed.Author.Name != "A </SCRIPT> <!--" || r.ItemReviewed.Author.Type != "GovernmentOrganization" {
		t.Errorf("author %+v", r.ItemReviewed.Author)
	}
	if r.Author.Name != "T </script>" {
		t.Errorf("review author %q", r.Author.Name)
	}
	// Without a source, the claim appears in its briefing.
	if len(r.ItemReviewed.Appearance) != 1 || r.ItemReviewed.Appearance[0].Name != "B" {
		t.Errorf("appearance %+v", r.ItemReviewed.Appearance)
	}
}

// TestHeadFeeds: where the build writes the site's, an actor's and a tag's
// feeds, their pages link to them at the addresses links to the actor and
// the tag use.
func TestHeadFeeds(t *testing.T) {
	saved := fileKinds
	t.Cleanup(func() { fileKinds = saved })
	// A stand-in for the feeds, which the feed kinds write.
	fileKinds = append(slices.Clone(fileKinds), fileKind{kind: "test-feed",
		paths: func(*site.Model, *index, int) []string { return nil },
		match: func(m *site.Model, _ *index, out string) *Data {
			section, rest, _ := strings.Cut(out, "/")
			id, file, _ := strings.Cut(rest, "/")
			if out == "feed.xml" || file == "feed.xml" && (section == "actors" && m.Actor(id) != nil || section == "tags" && m.Tag(id) != nil) {
				return &Data{Site: m}
			}
			return nil
		},
		write: func(*writer, *Data) error { return nil }})
	m := resolve(t, "/s p/", map[string]string{
		"content/_index.md":      "---\ntitle: T\n---\n",
		"content/actors/a.md":    "---\nname: A & B\nkind: person\n---\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-11-25\ntags: [\"c#\", Zoë]\n---\n:claim[x]{by=a}\n",
	})
	for _, tc := range []struct {
		page  string
		feeds []string
	}{
		{"index.html", []string{"/s p/feed.xml"}},
		{"actors/a/index.html", []string{"/s p/feed.xml", "/s p/actors/a/feed.xml"}},
		{"tags/" + m.Tags[0].Slug + "/index.html", []string{"/s p/feed.xml", m.Tags[0].URL + "feed.xml"}},
		{"tags/" + m.Tags[1].Slug + "/index.html", []string{"/s p/feed.xml", m.Tags[1].URL + "feed.xml"}},
	} {
		d := lookup(m, nil, tc.page)
		var got []string
		for _, f := range head(d, nil).Feeds {
			got = append(got, f.Href)
		}
		if !slices.Equal(got, tc.feeds) {
			t.Errorf("%s links to %q, want %q", tc.page, got, tc.feeds)
		}
		page := bothWays(t, m, tc.page)
		if n := bytes.Count(page, []byte(`rel="alternate" type="application/atom+xml"`)); n != len(tc.feeds) {
			t.Errorf("%s has %d feed links, want %d", tc.page, n, len(tc.feeds))
		}
	}
	if !strings.Contains(m.Tags[0].URL, "%23") {
		t.Errorf("the tag c# is at %s", m.Tags[0].URL)
	}
}

// TestDescriptions: every page of a site of hostile values and long words
// has a description of one line, at most DescriptionMax characters; a
// claim's names its status and speaker and closes its quotation.
func TestDescriptions(t *testing.T) {
	long := strings.Repeat("very long words of a claim ", 20)
	m := resolve(t, "/", map[string]string{
		"content/_index.md":   "---\ntitle: T\n---\nThe intro\nin two lines.\n",
		"content/actors/a.md": "---\nname: " + strings.Repeat("Name ", 40) + "\nkind: person\nrole: R\n---\n",
		"content/actors/b.md": "---\nname: B\nkind: person\n---\n",
		"content/briefings/brief.md": "---\ntitle: B\ndate: 2026-11-25\ntags: [t]\n---\n" +
			":claim[" + long + "]{#c by=a,b status=disputed}\n\n:claim[x]{#d by=b}\n",
		"content/briefings/no-summary.md": "---\ntitle: N\ndate: 2026-11-24\n---\n\n# Heading\n\nFirst *para*\ngraph [[b]].\n",
	})
	got := map[string]string{}
	for _, p := range Paths(m, 0) {
		d := lookup(m, nil, p)
		if fileKindOf(d.Kind) != nil {
			continue
		}
		s := description(d, nil)
		got[p] = s
		if n := utf8.RuneCountInString(s); n == 0 || n > DescriptionMax || strings.ContainsAny(s, "\n\t") || strings.Contains(s, "  ") {
			t.Errorf("%s: description of %d characters: %q", p, n, s)
		}
	}
	for p, want := range map[string]string{
		"index.html":                      "The intro in two lines.",
		"briefings/no-summary/index.html": "First para graph B.",
		"claims/d/index.html":             "Unverified claim by B: “x”",
		"actors/b/index.html":             "B (person). 2 claims made, mentioned in 2 briefings.",
		"tags/t/index.html":               "1 briefing tagged “t” in T.",
	} {
		if got[p] != want {
			t.Errorf("%s: description %q, want %q", p, got[p], want)
		}
	}
	c := got["claims/c/index.html"]
	if !strings.HasPrefix(c, "Disputed claim by Name Name") || !strings.HasSuffix(c, "…”") {
		t.Errorf("long claim: %q", c)
	}
}

// TestHeadLaterPage: a later page of a list is its own canonical address,
// and its description says which page it is.
func TestHeadLaterPage(t *testing.T) {
	files := map[string]string{"content/_index.md": "---\ntitle: T\n---\n"}
	for i := range PerPage + 1 {
		files["content/briefings/b"+strconv.Itoa(i)+".md"] = "---\ntitle: B\ndate: 2026-11-25\nsummary: S\n---\n"
	}
	m := resolve(t, "/", files)
	m.BaseURL = "https://example.org/"
	h := head(lookup(m, nil, "briefings/page/2/index.html"), nil)
	if h.URL != "https://example.org/briefings/page/2/" {
		t.Errorf("canonical %q", h.URL)
	}
	if !strings.HasSuffix(h.Description, "(page 2 of 2)") || h.Title != "Briefings, page 2 · T" {
		t.Errorf("title %q, description %q", h.Title, h.Description)
	}
}
