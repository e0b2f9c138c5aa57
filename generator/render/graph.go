package render

import (
	_ "embed"
	"slices"
	"strings"
	"time"

	"briefing/generator/site"
)

// /graph.json is the whole claim graph for other tools: the site's
// briefings, actors, claims, sources and caveats, and the relations
// between claims, each once and by id, every list in the model's order.
// Its shape is the JSON Schema (draft 2020-12) graph.schema.json, which is
// published beside it at /graph.schema.json and named by its "$schema";
// "version" changes whenever a change to the shape could break a reader
// (a field removed or renamed, a meaning changed), and the schema with it.
//
// Drafts are left out even in a build with --drafts, as from the feeds
// and the sitemap: their briefings, the claims and caveats written in
// them, and the relations and caveat targets that lead to those claims.
// URLs are absolute when the build knows the site's address, else paths
// from the domain root.

// GraphVersion is the version of graph.json's shape.
const GraphVersion = 1

// GraphSchema is the JSON Schema of graph.json.
//
//go:embed graph.schema.json
var GraphSchema []byte

type graphDoc struct {
	Schema    string          `json:"$schema"`
	Version   int             `json:"version"`
	Site      graphSite       `json:"site"`
	Briefings []graphBriefing `json:"briefings"`
	Actors    []graphActor    `json:"actors"`
	Claims    []graphClaim    `json:"claims"`
	Sources   []graphSource   `json:"sources"`
	Caveats   []graphCaveat   `json:"caveats"`
	Relations []graphRelation `json:"relations"`
}

type graphSite struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Language    string `json:"language"`
	URL         string `json:"url"`
}

type graphBriefing struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Date     string   `json:"date,omitempty"`
	Dateline string   `json:"dateline,omitempty"`
	Summary  string   `json:"summary,omitempty"`
	Tags     []string `json:"tags"`
	URL      string   `json:"url"`
}

type graphActor struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind,omitempty"`
	Role        string   `json:"role,omitempty"`
	Affiliation string   `json:"affiliation,omitempty"`
	Aliases     []string `json:"aliases"`
	URL         string   `json:"url"`
}

type graphClaim struct {
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	Lang        string   `json:"lang,omitempty"`
	Speakers    []string `json:"speakers"`
	Subjects    []string `json:"subjects"`
	Status      string   `json:"status"`
	Grade       string   `json:"grade,omitempty"`
	Reliability string   `json:"reliability,omitempty"`
	Credibility int      `json:"credibility,omitempty"`
	Likelihood  string   `json:"likelihood,omitempty"`
	Confidence  string   `json:"confidence,omitempty"`
	Date        string   `json:"date,omitempty"`
	Briefing    string   `json:"briefing,omitempty"`
	Sources     []string `json:"sources"`
	URL         string   `json:"url"`
}

type graphSource struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Publisher      string `json:"publisher,omitempty"`
	PublisherActor string `json:"publisherActor,omitempty"`
	Date           string `json:"date,omitempty"`
	Link           string `json:"link,omitempty"`
	Reliability    string `json:"reliability,omitempty"`
	Credibility    int    `json:"credibility,omitempty"`
	URL            string `json:"url"`
}

type graphCaveat struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	By       []string `json:"by"`
	On       []string `json:"on"`
	Date     string   `json:"date,omitempty"`
	Briefing string   `json:"briefing,omitempty"`
	URL      string   `json:"url"`
}

type graphRelation struct {
	From string `json:"from"`
	To   string `json:"to"`
	Type string `json:"type"`
}

var graphKind = fileKind{
	kind:  "graph",
	paths: func(*site.Model, *index, int) []string { return []string{"graph.json"} },
	match: func(m *site.Model, _ *index, out string) *Data {
		if out != "graph.json" {
			return nil
		}
		return &Data{Site: m, Path: out, URL: m.BasePath + out}
	},
	write: func(w *writer, d *Data) error {
		if w.spill == nil {
			w.b = appendGraph(w.b, d.Site)
			return nil
		}
		o := jsonObject{b: w.b, text: true, out: w}
		graphTo(&o, d.Site)
		w.b = append(o.end(), '\n')
		return nil
	},
	spills: func(*Data) bool { return true },
}

var graphSchemaKind = fileKind{
	kind:  "graph-schema",
	paths: func(*site.Model, *index, int) []string { return []string{"graph.schema.json"} },
	match: func(m *site.Model, _ *index, out string) *Data {
		if out != "graph.schema.json" {
			return nil
		}
		return &Data{Site: m, Path: out, URL: m.BasePath + out}
	},
	write: func(w *writer, _ *Data) error {
		w.b = append(w.b, GraphSchema...)
		return nil
	},
}

// isoDate is t as a date of graph.json, or "" for the zero time.
func isoDate(t time.Time) string { return formatDate(t, time.DateOnly) }

func actorIDs(as []*site.Actor) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// published reports whether c is not written in a draft.
func published(c *site.Claim) bool { return !c.Page.Draft }

// appendGraph appends the graph.json of m: the bytes an encoding/json
// Encoder without HTML escaping writes of graphOf(m) (TestGraphAppend
// holds them to it), written an entry at a time. The whole document, its
// values and the encoder's buffer, was 150 MB at 10,000 briefings, held
// while the first pages were rendered, when the heap was at its largest.
func appendGraph(b []byte, m *site.Model) []byte {
	// Room for all of it at once, as entries of the generated corpus
	// take: grown by doubling, it was twice its 46 MB in garbage.
	b = slices.Grow(b, 480*len(m.Claims)+400*(len(m.Briefings)+len(m.Caveats))+300*(len(m.Actors)+len(m.Sources)))
	o := jsonObject{b: b, text: true}
	graphTo(&o, m)
	return append(o.end(), '\n')
}

// graphTo adds the members of graph.json of m to o.
func graphTo(o *jsonObject, m *site.Model) {
	o.str("$schema", m.AbsURL("graph.schema.json"))
	o.int("version", GraphVersion)
	o.key("site")
	o.b = graphSiteOf(m).appendJSON(o.b)
	jsonList(o, "briefings", func(add func(graphBriefing)) {
		for _, b := range m.Briefings {
			if !b.Draft {
				add(graphBriefingOf(m, b))
			}
		}
	})
	jsonList(o, "actors", func(add func(graphActor)) {
		for _, a := range m.Actors {
			add(graphActorOf(m, a))
		}
	})
	jsonList(o, "claims", func(add func(graphClaim)) {
		for _, c := range m.Claims {
			if published(c) {
				add(graphClaimOf(m, c))
			}
		}
	})
	jsonList(o, "sources", func(add func(graphSource)) {
		for _, s := range m.Sources {
			add(graphSourceOf(m, s))
		}
	})
	jsonList(o, "caveats", func(add func(graphCaveat)) {
		for _, cv := range m.Caveats {
			if !cv.Page.Draft {
				add(graphCaveatOf(m, cv))
			}
		}
	})
	jsonList(o, "relations", func(add func(graphRelation)) {
		for _, c := range m.Claims {
			relations(c, add)
		}
	})
}

func graphSiteOf(m *site.Model) graphSite {
	return graphSite{Title: m.Title, Description: m.Description, Language: m.Language, URL: m.AbsURL("")}
}

func graphBriefingOf(m *site.Model, b *site.Briefing) graphBriefing {
	tags := make([]string, len(b.TagList))
	for i, t := range b.TagList {
		tags[i] = t.Name
	}
	return graphBriefing{ID: b.ID, Title: b.Title, Date: isoDate(b.Date),
		Dateline: b.Dateline, Summary: b.Summary, Tags: tags, URL: absURL(m, b.URL)}
}

func graphActorOf(m *site.Model, a *site.Actor) graphActor {
	ga := graphActor{ID: a.ID, Name: a.Name, Kind: a.ActorKind, Role: a.Role,
		Aliases: append([]string{}, a.Aliases...), URL: absURL(m, a.URL)}
	if a.Affiliate != nil {
		ga.Affiliation = a.Affiliate.ID
	}
	return ga
}

func graphClaimOf(m *site.Model, c *site.Claim) graphClaim {
	gc := graphClaim{ID: c.ID, Text: c.Text(), Lang: c.Lang(), Speakers: actorIDs(c.By), Subjects: actorIDs(c.About),
		Status: c.Status, Grade: c.Grade.String(), Reliability: c.Grade.Reliability, Credibility: c.Grade.Credibility,
		Likelihood: c.Likelihood, Confidence: c.Confidence, Date: isoDate(c.Date),
		Sources: make([]string, len(c.Sources)), URL: absURL(m, c.URL)}
	for i, s := range c.Sources {
		gc.Sources[i] = s.ID
	}
	if c.Briefing != nil {
		gc.Briefing = c.Briefing.ID
	}
	return gc
}

// relations calls fn with each relation from the published claim c to a
// published claim.
func relations(c *site.Claim, fn func(graphRelation)) {
	if !published(c) {
		return
	}
	for _, rel := range []struct {
		typ string
		to  []*site.Claim
	}{{"contradicts", c.Contradicts}, {"supports", c.Supports}, {"updates", c.Updates}} {
		for _, to := range rel.to {
			if published(to) {
				fn(graphRelation{From: c.ID, To: to.ID, Type: rel.typ})
			}
		}
	}
}

func graphSourceOf(m *site.Model, s *site.Source) graphSource {
	gs := graphSource{ID: s.ID, Title: s.Title, Publisher: s.PublisherName, Date: isoDate(s.Date),
		Link: s.SourceURL, Reliability: s.Reliability, Credibility: s.Credibility, URL: absURL(m, s.URL)}
	if s.PublisherActor != nil {
		gs.PublisherActor = s.PublisherActor.ID
	}
	return gs
}

func graphCaveatOf(m *site.Model, cv *site.Caveat) graphCaveat {
	gc := graphCaveat{ID: cv.ID, Text: strings.TrimSpace(cv.Text()), By: actorIDs(cv.By), On: []string{},
		Date: isoDate(cv.Date), URL: absURL(m, cv.URL)}
	for _, c := range cv.On {
		if published(c) {
			gc.On = append(gc.On, c.ID)
		}
	}
	if cv.Briefing != nil {
		gc.Briefing = cv.Briefing.ID
	}
	return gc
}

// The appendJSON methods write a value as encoding/json writes it without
// HTML escaping (see appendGraph).

func (g graphSite) appendJSON(b []byte) []byte {
	o := jsonObject{b: b, text: true}
	o.str("title", g.Title)
	o.strOmit("description", g.Description)
	o.str("language", g.Language)
	o.str("url", g.URL)
	return o.end()
}

func (g graphBriefing) appendJSON(b []byte) []byte {
	o := jsonObject{b: b, text: true}
	o.str("id", g.ID)
	o.str("title", g.Title)
	o.strOmit("date", g.Date)
	o.strOmit("dateline", g.Dateline)
	o.strOmit("summary", g.Summary)
	o.strs("tags", g.Tags)
	o.str("url", g.URL)
	return o.end()
}

func (g graphActor) appendJSON(b []byte) []byte {
	o := jsonObject{b: b, text: true}
	o.str("id", g.ID)
	o.str("name", g.Name)
	o.strOmit("kind", g.Kind)
	o.strOmit("role", g.Role)
	o.strOmit("affiliation", g.Affiliation)
	o.strs("aliases", g.Aliases)
	o.str("url", g.URL)
	return o.end()
}

func (g graphClaim) appendJSON(b []byte) []byte {
	o := jsonObject{b: b, text: true}
	o.str("id", g.ID)
	o.str("text", g.Text)
	o.strOmit("lang", g.Lang)
	o.strs("speakers", g.Speakers)
	o.strs("subjects", g.Subjects)
	o.str("status", g.Status)
	o.strOmit("grade", g.Grade)
	o.strOmit("reliability", g.Reliability)
	o.intOmit("credibility", g.Credibility)
	o.strOmit("likelihood", g.Likelihood)
	o.strOmit("confidence", g.Confidence)
	o.strOmit("date", g.Date)
	o.strOmit("briefing", g.Briefing)
	o.strs("sources", g.Sources)
	o.str("url", g.URL)
	return o.end()
}

func (g graphSource) appendJSON(b []byte) []byte {
	o := jsonObject{b: b, text: true}
	o.str("id", g.ID)
	o.str("title", g.Title)
	o.strOmit("publisher", g.Publisher)
	o.strOmit("publisherActor", g.PublisherActor)
	o.strOmit("date", g.Date)
	o.strOmit("link", g.Link)
	o.strOmit("reliability", g.Reliability)
	o.intOmit("credibility", g.Credibility)
	o.str("url", g.URL)
	return o.end()
}

func (g graphCaveat) appendJSON(b []byte) []byte {
	o := jsonObject{b: b, text: true}
	o.str("id", g.ID)
	o.str("text", g.Text)
	o.strs("by", g.By)
	o.strs("on", g.On)
	o.strOmit("date", g.Date)
	o.strOmit("briefing", g.Briefing)
	o.str("url", g.URL)
	return o.end()
}

func (g graphRelation) appendJSON(b []byte) []byte {
	o := jsonObject{b: b, text: true}
	o.str("from", g.From)
	o.str("to", g.To)
	o.str("type", g.Type)
	return o.end()
}
