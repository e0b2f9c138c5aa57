package render

import (
	_ "embed"
	"encoding/json"
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
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(graph(d.Site))
	},
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

// graph is the graph.json of m.
func graph(m *site.Model) *graphDoc {
	g := &graphDoc{Schema: m.AbsURL("graph.schema.json"), Version: GraphVersion,
		Site:      graphSite{Title: m.Title, Description: m.Description, URL: m.AbsURL("")},
		Briefings: make([]graphBriefing, 0, len(m.Briefings)), Actors: make([]graphActor, 0, len(m.Actors)),
		Claims: make([]graphClaim, 0, len(m.Claims)), Sources: make([]graphSource, 0, len(m.Sources)),
		Caveats: make([]graphCaveat, 0, len(m.Caveats)), Relations: []graphRelation{}}
	for _, b := range m.Briefings {
		if b.Draft {
			continue
		}
		tags := make([]string, len(b.TagList))
		for i, t := range b.TagList {
			tags[i] = t.Name
		}
		g.Briefings = append(g.Briefings, graphBriefing{ID: b.ID, Title: b.Title, Date: isoDate(b.Date),
			Dateline: b.Dateline, Summary: b.Summary, Tags: tags, URL: absURL(m, b.URL)})
	}
	for _, a := range m.Actors {
		ga := graphActor{ID: a.ID, Name: a.Name, Kind: a.ActorKind, Role: a.Role,
			Aliases: append([]string{}, a.Aliases...), URL: absURL(m, a.URL)}
		if a.Affiliate != nil {
			ga.Affiliation = a.Affiliate.ID
		}
		g.Actors = append(g.Actors, ga)
	}
	for _, c := range m.Claims {
		if !published(c) {
			continue
		}
		gc := graphClaim{ID: c.ID, Text: c.Text(), Speakers: actorIDs(c.By), Subjects: actorIDs(c.About),
			Status: c.Status, Grade: c.Grade.String(), Reliability: c.Grade.Reliability, Credibility: c.Grade.Credibility,
			Likelihood: c.Likelihood, Confidence: c.Confidence, Date: isoDate(c.Date),
			Sources: make([]string, len(c.Sources)), URL: absURL(m, c.URL)}
		for i, s := range c.Sources {
			gc.Sources[i] = s.ID
		}
		if c.Briefing != nil {
			gc.Briefing = c.Briefing.ID
		}
		g.Claims = append(g.Claims, gc)
		for _, rel := range []struct {
			typ string
			to  []*site.Claim
		}{{"contradicts", c.Contradicts}, {"supports", c.Supports}, {"updates", c.Updates}} {
			for _, to := range rel.to {
				if published(to) {
					g.Relations = append(g.Relations, graphRelation{From: c.ID, To: to.ID, Type: rel.typ})
				}
			}
		}
	}
	for _, s := range m.Sources {
		gs := graphSource{ID: s.ID, Title: s.Title, Publisher: s.PublisherName, Date: isoDate(s.Date),
			Link: s.SourceURL, Reliability: s.Reliability, Credibility: s.Credibility, URL: absURL(m, s.URL)}
		if s.PublisherActor != nil {
			gs.PublisherActor = s.PublisherActor.ID
		}
		g.Sources = append(g.Sources, gs)
	}
	for _, cv := range m.Caveats {
		if cv.Page.Draft {
			continue
		}
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
		g.Caveats = append(g.Caveats, gc)
	}
	return g
}
