package render

// The claims filter's index is built here and read by static/js/claims.js,
// which narrows the claims index by actor, grade, tag and date (the status
// is the page's own: /claims/<status>/). The list is paginated and a site
// may hold 100,000 claims, so the script cannot filter the page it is on;
// it reads the whole site's claims from two kinds of file, so that what a
// query downloads stays small however the site grows:
//
//   - claims/filter.json holds what is filtered on, as columns of one
//     entry per claim in the order of the claims index (newest first):
//     status, grade, date, speakers and the tags of the claim's briefing,
//     with the actors and tags named once in tables of their own. It has
//     no words, so it stays small (see TestClaimsFilterSize).
//   - claims/filter-<k>.json holds what a listed claim shows that the
//     index does not (its id, its wording cut for lists, its grade's
//     title) for filterChunk consecutive claims: the script fetches the
//     chunks of the claims it shows, not of every match.
//
// The ".json" names cannot be a claim's folder, since claim ids are slugs.

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"briefing/generator/markup"
	"briefing/generator/site"
)

// filterChunk is how many claims one claims/filter-<k>.json holds.
const filterChunk = 25

var claimsFilterFiles = fileKind{
	kind: "claims-filter",
	paths: func(m *site.Model, ix *index, each int) []string {
		out := []string{"claims/filter.json"}
		n := (len(m.Claims) + filterChunk - 1) / filterChunk
		if each > 0 {
			n = min(n, each)
		}
		for k := range n {
			out = append(out, "claims/filter-"+strconv.Itoa(k)+".json")
		}
		return out
	},
	match: func(m *site.Model, ix *index, out string) *Data {
		name, ok := strings.CutPrefix(out, "claims/")
		if !ok {
			return nil
		}
		d := &Data{Site: m, Path: out, URL: m.BasePath + out, File: name}
		if name == "filter.json" {
			return d
		}
		if _, ok := filterChunkOf(m, name); ok {
			return d
		}
		return nil
	},
	write: func(w *writer, d *Data) error {
		if d.File == "filter.json" {
			w.b = append(w.b, w.ix.claimsFilter(d.Site)...)
			return nil
		}
		k, _ := filterChunkOf(d.Site, d.File)
		w.b = appendFilterChunk(w.b, d.Site, k)
		return nil
	},
}

// filterChunkOf parses "filter-<k>.json", a chunk m has.
func filterChunkOf(m *site.Model, name string) (int, bool) {
	num, ok := strings.CutPrefix(name, "filter-")
	if !ok {
		return 0, false
	}
	num, ok = strings.CutSuffix(num, ".json")
	k, err := strconv.Atoi(num)
	if !ok || err != nil || k < 0 || strconv.Itoa(k) != num || k*filterChunk >= len(m.Claims) {
		return 0, false
	}
	return k, true
}

// claimsFilter is the file claims/filter.json of m, made once per index.
func (ix *index) claimsFilter(m *site.Model) []byte {
	if ix == nil {
		return buildClaimsFilter(m)
	}
	ix.filter.once.Do(func() { ix.filter.b = buildClaimsFilter(m) })
	return ix.filter.b
}

// lazyFilter is claims/filter.json, made when first asked for.
type lazyFilter struct {
	once sync.Once
	b    []byte
}

// ClaimsFilter is the content of claims/filter.json. Each column has one
// entry per claim, in the order of the claims index.
type ClaimsFilter struct {
	// Statuses are the statuses Status counts in.
	Statuses []string `json:"statuses"`
	// Actors are the speakers of the claims, by name: id and name.
	Actors [][2]string `json:"actors"`
	// Tags are the tags of the claims' briefings, by slug: slug and name.
	Tags [][2]string `json:"tags"`
	// Reliability and Credibility are the grades' letters and digits,
	// each with its meaning, for the script's choices.
	Reliability [][2]string `json:"reliability"`
	Credibility [][2]string `json:"credibility"`
	// Chunk is how many claims each claims/filter-<k>.json holds: claim
	// i is entry i%Chunk of file i/Chunk.
	Chunk int `json:"chunk"`
	// Status holds a claim's status as one digit, its index in Statuses.
	Status string `json:"status"`
	// Grade holds two characters a claim: the source's reliability, A–F,
	// and the information's credibility, 1–6, each "-" when not known.
	Grade string `json:"grade"`
	// Day is each claim's date: for the first the number of days since
	// 1 January 1970, for each later one how many days older it is than
	// the one before (the claims are newest first); null when undated.
	Day []*int `json:"day"`
	// By is each claim's speakers, indexes in Actors.
	By [][]int `json:"by"`
	// Tag is the tags of each claim's briefing, indexes in Tags.
	Tag [][]int `json:"tag"`
}

// epochDay is the number of days from 1 January 1970 to t's date.
func epochDay(t time.Time) int {
	y, mo, d := t.Date()
	return int(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func buildClaimsFilter(m *site.Model) []byte {
	f := ClaimsFilter{Statuses: markup.Statuses, Chunk: filterChunk, Actors: [][2]string{}, Tags: [][2]string{},
		Day: make([]*int, len(m.Claims)), By: make([][]int, len(m.Claims)), Tag: make([][]int, len(m.Claims))}
	for _, r := range "ABCDEF" {
		f.Reliability = append(f.Reliability, [2]string{string(r), site.ReliabilityText[string(r)]})
	}
	for c := 1; c <= 6; c++ {
		f.Credibility = append(f.Credibility, [2]string{strconv.Itoa(c), site.CredibilityText[c]})
	}
	// Only the actors who speak and the tags that have claims are named.
	actorIx, tagIx := map[*site.Actor]int{}, map[*site.Tag]int{}
	for _, c := range m.Claims {
		for _, a := range c.By {
			actorIx[a] = -1
		}
		if c.Briefing != nil {
			for _, t := range c.Briefing.TagList {
				tagIx[t] = -1
			}
		}
	}
	for _, a := range m.Actors {
		if _, ok := actorIx[a]; ok {
			actorIx[a] = len(f.Actors)
			f.Actors = append(f.Actors, [2]string{a.ID, a.Name})
		}
	}
	for _, t := range m.Tags {
		if _, ok := tagIx[t]; ok {
			tagIx[t] = len(f.Tags)
			f.Tags = append(f.Tags, [2]string{t.Slug, t.Name})
		}
	}
	var status, grade strings.Builder
	prev, dated := 0, false
	for i, c := range m.Claims {
		status.WriteByte(byte('0' + max(0, slices.Index(markup.Statuses, c.Status))))
		r, cr := c.Grade.Reliability, byte('-')
		if r == "" {
			r = "-"
		}
		if c.Grade.Credibility > 0 {
			cr = byte('0' + c.Grade.Credibility)
		}
		grade.WriteString(r)
		grade.WriteByte(cr)
		if !c.Date.IsZero() {
			day := epochDay(c.Date)
			v := day
			if dated {
				v = prev - day
			}
			f.Day[i], prev, dated = &v, day, true
		}
		f.By[i] = []int{}
		for _, a := range c.By {
			f.By[i] = append(f.By[i], actorIx[a])
		}
		f.Tag[i] = []int{}
		if c.Briefing != nil {
			for _, t := range c.Briefing.TagList {
				f.Tag[i] = append(f.Tag[i], tagIx[t])
			}
		}
	}
	f.Status, f.Grade = status.String(), grade.String()
	b, _ := json.Marshal(f)
	return append(b, '\n')
}

// appendFilterChunk writes claims/filter-<k>.json: a JSON array with, for
// each of its claims, an array of its id, its wording as lists show it
// and its grade's title.
func appendFilterChunk(b []byte, m *site.Model, k int) []byte {
	b = append(b, '[')
	for i := k * filterChunk; i < min(len(m.Claims), (k+1)*filterChunk); i++ {
		c := m.Claims[i]
		if i > k*filterChunk {
			b = append(b, ",\n"...)
		}
		b = append(b, '[')
		b = appendJSONString(b, c.ID)
		b = append(b, ',')
		b = appendJSONString(b, c.Short())
		b = append(b, ',')
		b = appendJSONString(b, c.Grade.Title())
		b = append(b, ']')
	}
	return append(b, "]\n"...)
}

// claimsFilter writes what claims.html has below the status links: the
// filter's form, hidden until claims.js shows it, the list, and the
// script.
func (w *writer) claimsFilter(d *Data) {
	w.raw(`<div class="claims-filter" data-base="`)
	// html/template reads a data- attribute as text, not as a URL.
	w.text(sitePath(w.m, ""))
	w.raw(`" data-status="`)
	w.text(d.Status)
	w.raw("\" hidden>\n" + claimsFilterForm)
	w.raw("<div class=\"claims-page\">\n")
	w.claimList(d.Claims)
	w.pager(d.Pager)
	w.raw("\n</div>\n<script src=\"")
	w.link("js/claims.js")
	w.raw("\" defer></script>\n")
}

// claimsFilterForm is the part of claims.html that does not vary.
const claimsFilterForm = `<details>
<summary>Narrow by actor, grade, tag or date</summary>
<form class="claims-filter-form" method="get">
<p class="field"><label for="f-actor">Said by</label>
<select id="f-actor" name="actor"><option value="">anyone</option></select></p>
<p class="field"><label for="f-reliability">Source reliability</label>
<select id="f-reliability" name="reliability"><option value="">any</option></select></p>
<p class="field"><label for="f-credibility">Credibility</label>
<select id="f-credibility" name="credibility"><option value="">any</option></select></p>
<p class="field"><label for="f-tag">Tag</label>
<select id="f-tag" name="tag"><option value="">any</option></select></p>
<p class="field"><label for="f-from">From</label>
<input id="f-from" name="from" type="date"></p>
<p class="field"><label for="f-to">To</label>
<input id="f-to" name="to" type="date"></p>
<p class="field actions"><button type="reset">Clear</button></p>
</form>
</details>
<p class="filter-status" role="status" aria-live="polite"></p>
</div>
<noscript><p class="meta">Narrowing by actor, grade, tag or date needs JavaScript; the status links above work without it.</p></noscript>
`
