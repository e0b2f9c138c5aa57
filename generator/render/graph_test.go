package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"briefing/generator/corpus"
	"briefing/generator/site"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// graphSchema compiles graph.schema.json, checked against the draft
// 2020-12 meta-schema, with formats (date, uri-reference) asserted.
func graphSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(GraphSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("graph.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("graph.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestGraphSchema validates graph.json of the sample site, of a generated
// corpus and of a site of hostile values against the schema, checks that
// every id it refers to is in it and that no draft is, and that the
// schema refuses what it should.
func TestGraphSchema(t *testing.T) {
	sch := graphSchema(t)
	gen := t.TempDir()
	if err := corpus.Write(gen, 120, 5); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, base string
		drafts          bool
	}{
		{"sample", "../..", "https://example.org/", false},
		{"sample-drafts-no-base-url", "../..", "", true},
		{"sample-sub-path", "../..", "https://example.org/sub/path/", true},
		{"hostile", hostileSite(t), "https://example.org/a%20b/", true},
		{"corpus", gen, "https://example.org/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := modelAt(t, tc.dir, tc.base, tc.drafts)
			data := file(t, m, "graph.json")
			if err := validate(sch, data); err != nil {
				t.Fatalf("graph.json does not follow its schema: %v", err)
			}
			var g graphDoc
			if err := json.Unmarshal(data, &g); err != nil {
				t.Fatal(err)
			}
			checkGraph(t, m, &g)
			if got := file(t, m, "graph.schema.json"); !bytes.Equal(got, GraphSchema) {
				t.Error("the published schema is not the repository's")
			}
			if g.Schema != m.AbsURL("graph.schema.json") {
				t.Errorf("$schema is %q", g.Schema)
			}
		})
	}
	// The schema can fail: each change below breaks it.
	m := modelAt(t, "../..", "https://example.org/", false)
	good := string(file(t, m, "graph.json"))
	for _, bad := range []struct{ old, new string }{
		{`"version":1`, `"version":2`},
		{`"status":"disputed"`, `"status":"maybe"`},
		{`"type":"contradicts"`, `"type":"refutes"`},
		{`"kind":"person"`, `"kind":"robot"`},
		{`"reliability":"A"`, `"reliability":"G"`},
		{`"date":"2026-11-24"`, `"date":"24 November 2026"`},
		{`"speakers":[`, `"extra":1,"speakers":[`},
		{`"text":`, `"words":`},
		{`"lang":"ru"`, `"lang":"Russian language"`},
		{`"language":"en",`, ``},
	} {
		if !strings.Contains(good, bad.old) {
			t.Fatalf("graph.json has no %s", bad.old)
		}
		if validate(sch, []byte(strings.Replace(good, bad.old, bad.new, 1))) == nil {
			t.Errorf("the schema accepts %s", bad.new)
		}
	}
	// A private-use tag is one the site keeps (language.Parse takes it).
	if err := validate(sch, []byte(strings.Replace(good, `"lang":"ru"`, `"lang":"x-klingon"`, 1))); err != nil {
		t.Errorf("the schema refuses a private-use tag: %v", err)
	}
}

// checkGraph holds g to m: every entity m publishes once, no draft, and
// every reference to an entity that g holds.
func checkGraph(t *testing.T, m *site.Model, g *graphDoc) {
	t.Helper()
	ids := func(n int, id func(i int) string) map[string]bool {
		out := map[string]bool{}
		for i := range n {
			if out[id(i)] {
				t.Errorf("%s twice", id(i))
			}
			out[id(i)] = true
		}
		return out
	}
	briefings := ids(len(g.Briefings), func(i int) string { return g.Briefings[i].ID })
	actors := ids(len(g.Actors), func(i int) string { return g.Actors[i].ID })
	claims := ids(len(g.Claims), func(i int) string { return g.Claims[i].ID })
	sources := ids(len(g.Sources), func(i int) string { return g.Sources[i].ID })
	ids(len(g.Caveats), func(i int) string { return g.Caveats[i].ID })
	refs := func(what string, set map[string]bool, list ...string) {
		for _, id := range list {
			if !set[id] {
				t.Errorf("%s %q is not in the graph", what, id)
			}
		}
	}
	for _, b := range m.Briefings {
		if briefings[b.ID] == b.Draft {
			t.Errorf("briefing %s: in the graph %v, draft %v", b.ID, briefings[b.ID], b.Draft)
		}
	}
	for _, c := range m.Claims {
		if claims[c.ID] == c.Page.Draft {
			t.Errorf("claim %s: in the graph %v, draft %v", c.ID, claims[c.ID], c.Page.Draft)
		}
	}
	if len(actors) != len(m.Actors) || len(sources) != len(m.Sources) {
		t.Errorf("%d actors and %d sources, want %d and %d", len(actors), len(sources), len(m.Actors), len(m.Sources))
	}
	for _, a := range g.Actors {
		if a.Affiliation != "" {
			refs("affiliation", actors, a.Affiliation)
		}
	}
	for _, c := range g.Claims {
		refs("speaker", actors, c.Speakers...)
		refs("subject", actors, c.Subjects...)
		refs("source", sources, c.Sources...)
		if c.Briefing != "" {
			refs("briefing", briefings, c.Briefing)
		}
		if want := m.Claim(c.ID).Text(); c.Text != want {
			t.Errorf("claim %s: text %q, want %q", c.ID, c.Text, want)
		}
		if want := m.Claim(c.ID).Lang(); c.Lang != want {
			t.Errorf("claim %s: lang %q, want %q", c.ID, c.Lang, want)
		}
	}
	for _, cv := range g.Caveats {
		refs("caveat author", actors, cv.By...)
		refs("caveated claim", claims, cv.On...)
	}
	if g.Site.Language != m.Language || m.Language == "" {
		t.Errorf("the site's language is %q, want %q", g.Site.Language, m.Language)
	}
	relations := 0
	for _, r := range g.Relations {
		refs("related claim", claims, r.From, r.To)
	}
	for _, c := range m.Claims {
		if claims[c.ID] {
			for _, to := range [][]*site.Claim{c.Contradicts, c.Supports, c.Updates} {
				for _, o := range to {
					if claims[o.ID] {
						relations++
					}
				}
			}
		}
	}
	if relations != len(g.Relations) {
		t.Errorf("%d relations, want %d", len(g.Relations), relations)
	}
}

// graphOf is graph.json as one value, for encoding/json to write.
func graphOf(m *site.Model) *graphDoc {
	g := &graphDoc{Schema: m.AbsURL("graph.schema.json"), Version: GraphVersion, Site: graphSiteOf(m),
		Briefings: []graphBriefing{}, Actors: []graphActor{}, Claims: []graphClaim{}, Sources: []graphSource{},
		Caveats: []graphCaveat{}, Relations: []graphRelation{}}
	for _, b := range m.Briefings {
		if !b.Draft {
			g.Briefings = append(g.Briefings, graphBriefingOf(m, b))
		}
	}
	for _, a := range m.Actors {
		g.Actors = append(g.Actors, graphActorOf(m, a))
	}
	for _, c := range m.Claims {
		if published(c) {
			g.Claims = append(g.Claims, graphClaimOf(m, c))
		}
		relations(c, func(r graphRelation) { g.Relations = append(g.Relations, r) })
	}
	for _, s := range m.Sources {
		g.Sources = append(g.Sources, graphSourceOf(m, s))
	}
	for _, cv := range m.Caveats {
		if !cv.Page.Draft {
			g.Caveats = append(g.Caveats, graphCaveatOf(m, cv))
		}
	}
	return g
}

// TestGraphAppend holds the hand-written graph.json to the bytes an
// encoding/json Encoder without HTML escaping writes of the same value,
// on every test site, with drafts and without, with a base URL and
// without (its strings, on every escape, by FuzzJSONString).
func TestGraphAppend(t *testing.T) {
	for _, tc := range testSites(t, 40) {
		for _, baseURL := range []string{"", "https://example.org"} {
			m, _ := modelOf(t, tc.dir, tc.base, tc.drafts)
			if baseURL != "" {
				m.BaseURL = baseURL + tc.base
			}
			want := encodeText(t, graphOf(m))
			if got := appendGraph(nil, m); !bytes.Equal(got, want) {
				t.Errorf("%s %s: graph.json differs from encoding/json's:\n%s", tc.name, baseURL, firstDiff(got, want))
			}
		}
	}
}
