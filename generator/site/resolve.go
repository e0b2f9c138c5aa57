package site

import (
	"cmp"
	"fmt"
	"iter"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"briefing/generator/diag"
	"briefing/generator/markup"

	"github.com/rivo/uniseg"

	"golang.org/x/text/unicode/norm"
)

// Options changes what Resolve includes and how it links.
type Options struct {
	Drafts   bool   // include draft briefings
	BasePath string // path prefix of every internal link, "/" or "/sub/path/"
	// BaseURL is the absolute URL the site is published at, ending in
	// BasePath, or "" when it is not known: see Model.AbsURL.
	BaseURL string
	// Track keeps what Update needs to change the model in place: the
	// names each page looked up and what it refers to. A server sets it;
	// a one-off build or check does not pay for it.
	Track bool
	// Code keeps highlighted code blocks across the builds given it, for
	// a server; nil highlights every block anew.
	Code *CodeCache
}

// resolver is the state of one Resolve or Update call.
type resolver struct {
	m *Model
	// diags are about no one page's references: duplicates, tags.
	diags diag.List
	// st is the page being resolved: what its references report, look up
	// and refer to is kept there, so that Update can withdraw it.
	st    *pageState
	track bool
}

// unknownRef is the error for a name that resolves to nothing, waiting
// for its did-you-mean hint until every diagnostic is in, so that which of
// them get one does not depend on scheduling.
type unknownRef struct {
	d    diag.Diagnostic
	what string // actor, claim, source, briefing or reference
	name string
}

// pageState is what one page put into the model: its entities, what
// resolving its references reported, and, when tracked, the names it
// looked up and the actors and sources it refers to.
type pageState struct {
	pg       *Page
	draft    bool // a skipped draft: it only refers
	briefing *Briefing
	actor    *Actor
	source   *Source
	claims   []*Claim  // registered, in order
	caveats  []*Caveat // registered, in order
	diags    diag.List
	unknowns []unknownRef
	keys     []refKey
	uses     []any // *Actor or *Source, once per reference
}

// refKey is a name looked up in one of the model's maps: ns is 'a' for
// actor ids, 'n' for lower-cased actor names, ids and aliases, 'c' for
// claims, 's' for sources and 'b' for briefings.
type refKey struct {
	ns   byte
	name string
}

// maxHints is how many unknown names get a did-you-mean hint: finding the
// nearest name costs a pass over every candidate, so a hint for each of
// thousands of unknown names among thousands of candidates would take
// minutes, and nobody reads that far before fixing the first ones.
const maxHints = 100

// candidates are the names a did-you-mean hint chooses from, each list made
// once, on the first unknown name of its kind.
type candidates struct {
	actors, claims, sources, briefings, all func() []string
}

func newCandidates(m *Model) *candidates {
	c := &candidates{
		actors: sync.OnceValue(func() []string {
			var names []string
			for _, a := range m.Actors {
				names = append(names, a.ID)
				names = append(names, a.Aliases...)
			}
			return names
		}),
		claims:    sync.OnceValue(func() []string { return keys(m.claims) }),
		sources:   sync.OnceValue(func() []string { return keys(m.sources) }),
		briefings: sync.OnceValue(func() []string { return keys(m.briefings) }),
	}
	c.all = sync.OnceValue(func() []string {
		// [[…]] finds an actor by its name too; an attribute is
		// better given the id.
		names := make([]string, 0, len(m.Actors))
		for _, a := range m.Actors {
			names = append(names, a.Name)
		}
		return slices.Concat(c.actors(), names, c.claims(), c.sources(), c.briefings())
	})
	return c
}

// of is the candidates for an unknown name of a kind.
func (c *candidates) of(what string) []string {
	switch what {
	case "actor":
		return c.actors()
	case "claim":
		return c.claims()
	case "source":
		return c.sources()
	case "briefing":
		return c.briefings()
	}
	return c.all()
}

// inParallel calls fn for 0 ≤ i < n in chunks on all cores. Each chunk has
// a resolver of its own, so fn may report freely; what it writes besides
// must belong to item i alone.
func (r *resolver) inParallel(n int, fn func(wr *resolver, i int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 128 || workers == 1 {
		for i := range n {
			fn(r, i)
		}
		return
	}
	chunk := (n + workers - 1) / workers
	rs := make([]*resolver, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min(n, (w+1)*chunk)
		wr := *r
		wr.diags = nil
		rs[w] = &wr
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fn(rs[w], i)
			}
		})
	}
	wg.Wait()
	for _, wr := range rs {
		r.diags = append(r.diags, wr.diags...)
	}
}

// Resolve builds the Model from parsed pages and reports every problem,
// sorted. Pages of skipped drafts count only as references, so that an actor
// named only in a draft is not reported unused.
func Resolve(pages []*Page, opts Options) (*Model, diag.List) {
	if opts.BasePath == "" {
		opts.BasePath = "/"
	}
	var nClaims, nCaveats int
	for _, pg := range pages {
		nClaims += len(pg.Claims)
		nCaveats += len(pg.Caveats)
	}
	m := &Model{BasePath: opts.BasePath, BaseURL: opts.BaseURL, opts: opts,
		briefings: make(map[string]*Briefing, len(pages)), actors: map[string]*Actor{}, sources: map[string]*Source{},
		claims: make(map[string]*Claim, nClaims), caveats: make(map[string]*Caveat, nCaveats),
		actorNames: map[string][]*Actor{},
		Claims:     make([]*Claim, 0, nClaims), Caveats: make([]*Caveat, 0, nCaveats)}
	r := &resolver{m: m, track: opts.Track}

	states := make([]*pageState, len(pages))
	var included []*pageState
	for i, pg := range pages {
		st := &pageState{pg: pg}
		states[i] = st
		if skippedDraft(pg, opts) {
			st.draft = true
			m.Drafts++
			continue
		}
		included = append(included, st)
	}

	r.register(included)
	// Each page is resolved on its own, on all cores; backlinks to other
	// entities are added afterwards, in order.
	r.inParallel(len(included), func(wr *resolver, i int) { wr.resolvePage(included[i]) })
	for _, a := range m.Actors {
		if a.Affiliate != nil {
			a.Affiliate.Members = append(a.Affiliate.Members, a)
		}
	}
	for _, s := range m.Sources {
		if s.PublisherActor != nil {
			s.PublisherActor.Published = append(s.PublisherActor.Published, s)
		}
	}
	for _, c := range m.Claims {
		if c.Briefing != nil {
			c.appear(c.Briefing)
		}
	}
	for _, cv := range m.Caveats {
		for _, c := range cv.On {
			c.Caveats = append(c.Caveats, cv)
			if cv.Briefing != nil {
				c.appear(cv.Briefing)
			}
		}
		for _, a := range cv.By {
			a.Caveats = append(a.Caveats, cv)
		}
	}
	for _, st := range included {
		if b := st.briefing; b != nil {
			for _, c := range b.linked {
				c.appear(b)
				c.linkedBy = append(c.linkedBy, b)
			}
		}
	}
	for _, st := range states {
		if st.draft {
			r.st = st
			r.refers(st.pg)
		}
	}
	r.st = nil
	dups := len(r.diags) > 0
	r.finish()
	m.md, m.away = markdown(m.RawHTML, m, m.opts.Code, m.BasePath), awayMarkdown(m.RawHTML, m, m.opts.Code, m.BasePath)
	if opts.Track {
		m.track = newTracker(states, dups, r.diags)
	}
	return m, m.assemble(slices.Values(states), r.diags)
}

// skippedDraft reports whether pg is a draft left out of the model.
func skippedDraft(pg *Page, opts Options) bool {
	return pg.Section == Briefings && pg.Draft && !opts.Drafts
}

// resolvePage resolves the references of one included page. It writes only
// to the page's own entities and state.
func (r *resolver) resolvePage(st *pageState) {
	r.st = st
	switch {
	case st.actor != nil:
		r.affiliation(st.actor)
	case st.source != nil:
		r.publisher(st.source)
	}
	for _, c := range st.claims {
		r.claim(c)
	}
	for _, cv := range st.caveats {
		r.caveat(cv)
	}
	r.wikilinks(st.pg, st.briefing)
	r.st = nil
}

// report keeps a diagnostic about the references of the page being
// resolved.
func (r *resolver) report(d diag.Diagnostic) {
	r.st.diags = append(r.st.diags, d)
}

// look notes a name a page's reference looked up, for Update to know whom
// a change of that name concerns.
func (r *resolver) look(ns byte, name string) {
	if r.track {
		r.st.keys = append(r.st.keys, refKey{ns, name})
	}
}

// use notes that the page being resolved refers to an actor or a source.
func (r *resolver) use(v any) {
	switch v := v.(type) {
	case *Actor:
		v.used.Store(true)
	case *Source:
		v.used.Store(true)
	default:
		return
	}
	if r.track {
		r.st.uses = append(r.st.uses, v)
	}
}

// assemble is every diagnostic of the model: each page's own and its
// references', extra, the unused actors and sources, and the unknown
// names with their hints, sorted.
func (m *Model) assemble(states iter.Seq[*pageState], extra diag.List) diag.List {
	var out diag.List
	var unknowns []unknownRef
	var drafts []*Page
	for st := range states {
		if st.draft {
			out = append(out, st.pg.draftDiags...)
			drafts = append(drafts, st.pg)
		} else {
			out = append(out, st.pg.diags...)
		}
		out = append(out, st.diags...)
		unknowns = append(unknowns, st.unknowns...)
	}
	out = append(out, extra...)
	markCircles(m.Claims)
	var mu sync.Mutex
	inChunks(len(m.Claims), func(lo, hi int) {
		var found diag.List
		for _, c := range m.Claims[lo:hi] {
			found = append(found, c.inconsistencies()...)
		}
		mu.Lock()
		out = append(out, found...) // in any order: sortDiags orders every field
		mu.Unlock()
	})
	for _, a := range m.Actors {
		if !a.used.Load() {
			out = append(out, unusedActor(a))
		}
	}
	for _, s := range m.Sources {
		if !s.used.Load() {
			out = append(out, unusedSource(s))
		}
	}
	if len(unknowns) > 0 {
		// A name in a skipped draft gets that hint instead; the last
		// draft, in path order, that has it.
		slices.SortFunc(drafts, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
		inDraft := map[string]string{}
		for _, pg := range drafts {
			inDraft[pg.ID] = pg.Path
			for _, c := range pg.Claims {
				inDraft[c.ID] = pg.Path
			}
		}
		var rest []unknownRef
		for _, u := range unknowns {
			if draft, ok := inDraft[strings.ToLower(u.name)]; ok && u.what != "actor" && u.what != "source" {
				u.d.Hint = "it is in the draft " + draft + "; publish it, or build with --drafts"
				out = append(out, u.d)
				continue
			}
			rest = append(rest, u)
		}
		out = append(out, hints(rest, newCandidates(m), m)...)
	}
	sortDiags(out)
	return out
}

// sortDiags sorts as diag.List.Sort does, then by hint, so that the order
// does not depend on the order the diagnostics were found in: Update finds
// them in another order than Resolve.
func sortDiags(l diag.List) {
	slices.SortFunc(l, func(a, b diag.Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.Message, b.Message), cmp.Compare(a.Hint, b.Hint))
	})
}

func (r *resolver) register(states []*pageState) {
	m := r.m
	for _, st := range states {
		switch pg := st.pg; pg.Section {
		case Home:
			m.setIntro(pg)
		case Briefings:
			if prev, ok := m.briefings[pg.ID]; ok {
				r.duplicate("briefing slug", pg.ID, prev.Page.diagAt(diag.Error, 0, "", ""), pg.diagAt(diag.Error, 0, "", ""))
				continue
			}
			st.briefing = m.newBriefing(pg)
			m.briefings[pg.ID] = st.briefing
			m.Briefings = append(m.Briefings, st.briefing)
		case Actors:
			st.actor = m.newActor(pg)
			m.actors[pg.ID] = st.actor
			m.Actors = append(m.Actors, st.actor)
			m.addNames(st.actor)
		case Sources:
			st.source = m.newSource(pg)
			m.sources[pg.ID] = st.source
			m.Sources = append(m.Sources, st.source)
		}
	}
	if m.Intro == nil {
		// No home page: the defaults, as when serve's update removes it
		// (a page said lang="" where serve said "en").
		m.setIntro(nil)
	}
	// Claims and caveats only after every page is known, so that a duplicate
	// is reported the same way whichever file was parsed first. They are
	// made on all cores, then entered in page order.
	type made struct {
		claims  []*Claim
		caveats []*Caveat
	}
	all := make([]made, len(states))
	r.inParallel(len(states), func(_ *resolver, i int) {
		st := states[i]
		if st.pg.Section == Briefings && st.briefing == nil {
			return // a duplicate slug, reported above
		}
		all[i].claims, all[i].caveats = m.newEntities(st.pg, st.briefing)
	})
	for i, st := range states {
		pg := st.pg
		for _, c := range all[i].claims {
			if prev, ok := m.claims[c.ID]; ok {
				d1, d2 := prev.Page.diagAt(diag.Error, prev.Page.bodyPos(prev.Node.IDPos), "", ""), pg.diagAt(diag.Error, pg.bodyPos(c.Node.IDPos), "", "")
				if prev.Node.AutoID || c.Node.AutoID {
					r.sameAutoID("claims", c.ID, d1, d2)
				} else {
					r.duplicate("claim id", c.ID, d1, d2)
				}
				continue
			}
			m.claims[c.ID] = c
			m.Claims = append(m.Claims, c)
			st.claims = append(st.claims, c)
			if c.Briefing != nil {
				c.Briefing.Claims = append(c.Briefing.Claims, c)
			}
		}
		for _, cv := range all[i].caveats {
			if prev, ok := m.caveats[cv.ID]; ok {
				d1, d2 := prev.Page.diagAt(diag.Error, prev.Page.bodyPos(prev.Attrs.IDPos), "", ""), pg.diagAt(diag.Error, pg.bodyPos(cv.Attrs.IDPos), "", "")
				if prev.Attrs.AutoID || cv.Attrs.AutoID {
					r.sameAutoID("caveats", cv.ID, d1, d2)
				} else {
					r.duplicate("caveat id", cv.ID, d1, d2)
				}
				continue
			}
			m.caveats[cv.ID] = cv
			m.Caveats = append(m.Caveats, cv)
			st.caveats = append(st.caveats, cv)
			if cv.Briefing != nil {
				cv.Briefing.Caveats = append(cv.Briefing.Caveats, cv)
			}
		}
	}
}

// setIntro makes pg the home page; nil is none.
func (m *Model) setIntro(pg *Page) {
	m.Intro, m.Title, m.Description, m.Language, m.RawHTML = pg, "", "", "", false
	if pg != nil {
		m.Title, m.Description, m.Language, m.RawHTML = pg.Title, pg.Description, pg.Language, pg.RawHTML
	}
	if m.Title == "" {
		m.Title = "Briefings"
	}
	if m.Language == "" {
		m.Language = "en"
	}
}

func (m *Model) newBriefing(pg *Page) *Briefing {
	return &Briefing{Page: pg, URL: m.BasePath + "briefings/" + pg.ID + "/", m: m, unix: pg.Date.Unix(),
		Claims: make([]*Claim, 0, len(pg.Claims)), Caveats: make([]*Caveat, 0, len(pg.Caveats))}
}

func (m *Model) newActor(pg *Page) *Actor {
	return &Actor{Page: pg, URL: m.BasePath + "actors/" + pg.ID + "/", m: m, sortKey: strings.ToLower(pg.Name)}
}

func (m *Model) newSource(pg *Page) *Source {
	return &Source{Page: pg, URL: m.BasePath + "sources/" + pg.ID + "/", m: m, sortKey: strings.ToLower(pg.Title),
		ReliabilityText: ReliabilityText[pg.Reliability], CredibilityText: CredibilityText[pg.Credibility],
		web: webAddress(pg.SourceURL)}
}

// webAddress reports whether s is a whole address on the web: http or
// https, with a host. A source's url: is linked only then (see Source.Web),
// and parsing warns of one that is not.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// nameKey is a name as names are looked up: composed (NFC) and in lower
// case, so that "Zoë" typed as an e and a combining diaeresis, as some
// keyboards and copies from PDFs give it, finds the actor named "Zoë".
func nameKey(name string) string {
	return strings.ToLower(norm.NFC.String(name))
}

// actorKeys are the names an actor is found by, as nameKey gives them.
func actorKeys(pg *Page) []string {
	var out []string
	for _, name := range append([]string{pg.ID, pg.Name}, pg.Aliases...) {
		if key := nameKey(name); !slices.Contains(out, key) {
			out = append(out, key)
		}
	}
	return out
}

// addNames enters an actor under its names, each list in the order of
// the actors' files, as Resolve enters them.
func (m *Model) addNames(a *Actor) {
	for _, key := range actorKeys(a.Page) {
		as := m.actorNames[key]
		i, _ := slices.BinarySearchFunc(as, a.Path, func(x *Actor, p string) int { return strings.Compare(x.Path, p) })
		m.actorNames[key] = slices.Insert(as, i, a)
	}
}

// newEntities makes the claims and caveats of a page, of briefing b or of
// none.
func (m *Model) newEntities(pg *Page, b *Briefing) ([]*Claim, []*Caveat) {
	claims, caveats := make([]*Claim, len(pg.Claims)), make([]*Caveat, len(pg.Caveats))
	// In one array each, as the markup's nodes are (see markup.Slabs).
	cs, cvs := make([]Claim, len(pg.Claims)), make([]Caveat, len(pg.Caveats))
	for k, n := range pg.Claims {
		claims[k] = &cs[k]
		cs[k] = Claim{ID: n.ID, URL: m.BasePath + "claims/" + n.ID + "/", Node: n, Page: pg, Briefing: b,
			Status: n.Status, lang: n.Lang, Likelihood: n.Likelihood, Confidence: n.Confidence, m: m}
	}
	for k, n := range pg.Caveats {
		a := markup.Attrs(n)
		caveats[k] = &cvs[k]
		cvs[k] = Caveat{ID: a.ID, URL: m.BasePath + "caveats/" + a.ID + "/", Node: n, Attrs: a, Page: pg,
			Briefing: b, Date: pg.Date, m: m, seq: k, unix: pg.Date.Unix()}
	}
	return claims, caveats
}

func (r *resolver) duplicate(what, id string, d1, d2 diag.Diagnostic) {
	d1.Message = fmt.Sprintf("duplicate %s %q", what, id)
	d2.Message = d1.Message
	d1.Hint = "also defined at " + d2.Where() + "; ids must be unique across the site"
	d2.Hint = "first defined at " + d1.Where() + "; ids must be unique across the site"
	r.diags = append(r.diags, d1, d2)
}

// sameAutoID reports two claims or caveats with the same id when at least
// one of the ids was derived, not written: "duplicate id" would send the
// author looking for an id nobody wrote. Derived ids are unique within a
// page, but briefing a's "b c" and briefing a-b's "c" both give a-b-c.
func (r *resolver) sameAutoID(what, id string, d1, d2 diag.Diagnostic) {
	d1.Message = fmt.Sprintf("two %s have the id %q", what, id)
	d2.Message = d1.Message
	const why = "; an id left out is made from the briefing's slug and the words: give one of them an #id"
	d1.Hint = "the other is at " + d2.Where() + why
	d2.Hint = "the other is at " + d1.Where() + why
	r.diags = append(r.diags, d1, d2)
}

// unknown reports a name that resolves to nothing; the nearest candidate
// is added as a hint when the model's diagnostics are assembled.
func (r *resolver) unknown(pg *Page, off int, what, name string) {
	d := pg.diagAt(diag.Error, off, "", "unknown %s %q", what, name)
	r.st.unknowns = append(r.st.unknowns, unknownRef{d: d, what: what, name: name})
}

// hints gives the first maxHints unknown names, in the order diagnostics
// are printed, the nearest candidate as a hint (each name looked up once),
// and returns them all.
func hints(us []unknownRef, cands *candidates, m *Model) diag.List {
	slices.SortStableFunc(us, func(a, b unknownRef) int {
		return cmp.Or(cmp.Compare(a.d.Path, b.d.Path), cmp.Compare(a.d.Line, b.d.Line),
			cmp.Compare(a.d.Col, b.d.Col), cmp.Compare(a.d.Message, b.d.Message))
	})
	near := map[[2]string]string{}
	out := make(diag.List, 0, len(us))
	for i := range us {
		u := &us[i]
		if i < maxHints {
			key := [2]string{u.what, u.name}
			n, ok := near[key]
			if !ok {
				of := cands.of(u.what)
				n = markup.Nearest(u.name, of)
				if n == "" {
					n = nearByWords(u.name, of, u.what == "briefing")
				}
				near[key] = n
			}
			if n != "" {
				u.d.Hint = "did you mean " + strconv.Quote(n) + "?"
			} else {
				u.d.Hint = otherKind(m, u.what, u.name)
			}
		}
		out = append(out, u.d)
	}
	return out
}

// nearByWords is the one candidate that holds name as whole words at its
// start or end ("port authority" for "the port authority"), or, among
// briefings, the one of the same day as a slug that starts with a date
// ("2026-11-27-haixing-ships" for "2026-11-27-haixing-diverts"); "" when
// none or several do.
func nearByWords(name string, cands []string, briefings bool) string {
	lower := strings.ToLower(strings.TrimSpace(name))
	if lower == "" {
		return ""
	}
	day := ""
	if briefings && len(lower) > 11 && lower[10] == '-' {
		if _, err := time.Parse(time.DateOnly, lower[:10]); err == nil {
			day = lower[:11]
		}
	}
	last, first := " "+lower, lower+" "
	found := ""
	for _, c := range cands {
		lc := strings.ToLower(c)
		if strings.HasSuffix(lc, last) || strings.HasPrefix(lc, first) || day != "" && strings.HasPrefix(lc, day) {
			if found != "" && found != c {
				return ""
			}
			found = c
		}
	}
	return found
}

// otherKind is the hint for a name that is no what (actor, source, claim,
// briefing) but is another kind of thing: where that kind is named. Else,
// for an actor or a source, the file to add; else nothing.
func otherKind(m *Model, what, name string) string {
	id := strings.ToLower(name) // as ids are looked up
	q := strconv.Quote(name)
	isActor := m.actors[id] != nil || len(m.actorNames[nameKey(strings.TrimSpace(name))]) > 0
	switch {
	case what != "actor" && isActor:
		return q + " is an actor: actors are named in by=, about= and [[" + name + "]]"
	case what != "source" && m.sources[id] != nil:
		return q + " is a source: sources are named in src= and [[source:" + name + "]]"
	case what != "claim" && m.claims[id] != nil:
		return q + " is a claim: claims are named in on=, contradicts=, supports=, updates= and [[claim:" + name + "]]"
	case what != "briefing" && m.briefings[id] != nil:
		return q + " is a briefing: link to it with [[briefing:" + name + "]]"
	case what == "actor" && markup.IsSlug(name):
		return "add it as content/actors/" + name + ".md (briefing new actor " + name + ")"
	case (what == "actor" || what == "reference") && strings.ContainsAny(name, " ") && markup.Slugify(name) != "":
		// A person's name, most likely: one not yet in the site.
		return "if it is an actor not yet in the site, add it as content/actors/" + markup.Slugify(name) + ".md (briefing new actor " + strconv.Quote(name) + ")"
	case what == "source" && markup.IsSlug(name):
		return "add it as content/sources/" + name + ".md (briefing new source " + name + ")"
	}
	return ""
}

// lookupActor finds an actor by id, then by id, alias or name in any case;
// several actors sharing the name come back as the second result.
func (m *Model) lookupActor(name string, look func(byte, string)) (*Actor, []*Actor) {
	// Found by its id, the answer depends on nothing else: a change to
	// an actor's names concerns only the pages that named it by them.
	if look != nil {
		look('a', name)
	}
	if a, ok := m.actors[name]; ok {
		return a, nil
	}
	key := nameKey(strings.TrimSpace(name))
	if look != nil {
		look('n', key)
	}
	found := m.actorNames[key]
	if len(found) == 1 {
		return found[0], nil
	}
	return nil, found
}

// actors resolves a list of actor references in pg; off converts a ref
// position to a file offset.
func (r *resolver) actors(pg *Page, refs []markup.Ref, off func(int) int) []*Actor {
	var out []*Actor
	for _, ref := range refs {
		a, many := r.m.lookupActor(ref.Name, r.look)
		switch {
		case a != nil:
			r.use(a)
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		case len(many) > 1:
			r.report(pg.diagAt(diag.Error, off(ref.Pos), "use the actor id: "+actorIDs(many),
				"ambiguous actor %q: it names %d actors", ref.Name, len(many)))
		default:
			r.unknown(pg, off(ref.Pos), "actor", ref.Name)
		}
	}
	return out
}

func actorIDs(as []*Actor) string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	slices.Sort(ids)
	return strings.Join(ids, " or ")
}

// affiliation links an actor to the actor it is affiliated with; the
// caller adds it to that actor's members.
func (r *resolver) affiliation(a *Actor) {
	a.Affiliate = nil
	if a.Affiliation.Name == "" {
		return
	}
	got := r.actors(a.Page, []markup.Ref{a.Affiliation}, func(p int) int { return p })
	if len(got) == 1 && got[0] != a {
		a.Affiliate = got[0]
	}
}

// publisher links a source to the actor that published it; the caller
// adds it to what that actor published.
func (r *resolver) publisher(s *Source) {
	s.PublisherName, s.PublisherActor = s.Publisher.Name, nil
	if s.Publisher.Name == "" {
		return
	}
	// A publisher is an actor id or free text; only a match links.
	if a, _ := r.m.lookupActor(s.Publisher.Name, r.look); a != nil {
		r.use(a)
		s.PublisherActor = a
		s.PublisherName = a.Name
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (r *resolver) claims(pg *Page, refs []markup.Ref) []*Claim {
	var out []*Claim
	for _, ref := range refs {
		key := strings.ToLower(ref.Name)
		r.look('c', key)
		c, ok := r.m.claims[key]
		if !ok {
			r.unknown(pg, pg.bodyPos(ref.Pos), "claim", ref.Name)
			continue
		}
		r.draftRef(pg, pg.bodyPos(ref.Pos), "claim", ref.Name, c.Page)
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// claim resolves a claim's references; what they gave before is replaced.
func (r *resolver) claim(c *Claim) {
	pg, n := c.Page, c.Node
	c.Sources, c.Grade, c.Date = nil, Grade{}, time.Time{}
	c.By = r.actors(pg, n.By, pg.bodyPos)
	c.About = r.actors(pg, n.About, pg.bodyPos)
	for _, ref := range n.Src {
		key := strings.ToLower(ref.Name)
		r.look('s', key)
		s, ok := r.m.sources[key]
		if !ok {
			r.unknown(pg, pg.bodyPos(ref.Pos), "source", ref.Name)
			continue
		}
		r.use(s)
		if !slices.Contains(c.Sources, s) {
			c.Sources = append(c.Sources, s)
		}
	}
	if len(n.Src) == 0 {
		r.report(pg.diagAt(diag.Warning, pg.bodyPos(n.Pos()), "add src=source-id",
			"claim %q has no source", c.ID))
	}
	c.Contradicts = r.claims(pg, n.Contradicts)
	c.Supports = r.claims(pg, n.Supports)
	c.Updates = r.claims(pg, n.Updates)
	if slices.Contains(c.Contradicts, c) || slices.Contains(c.Supports, c) || slices.Contains(c.Updates, c) {
		r.report(pg.diagAt(diag.Error, pg.bodyPos(n.Pos()), "", "claim %q relates to itself", c.ID))
	}
	// Date: the claim's own, else its first source's, else the page's.
	switch {
	case n.Date != "":
		c.Date, _ = time.Parse(time.DateOnly, n.Date)
	case len(c.Sources) > 0 && !c.Sources[0].Date.IsZero():
		c.Date = c.Sources[0].Date
	default:
		c.Date = pg.Date
	}
	// Grade: the most reliable source's letter; the claim's credibility,
	// else that source's default.
	c.Credibility = n.Credibility
	var best *Source
	for _, s := range c.Sources {
		if s.Reliability != "" && (best == nil || s.Reliability < best.Reliability) {
			best = s
		}
	}
	if best == nil && len(c.Sources) > 0 {
		best = c.Sources[0]
	}
	if best != nil {
		c.Grade.Reliability = best.Reliability
		if c.Credibility == 0 {
			c.Credibility = best.Credibility
			c.Grade.Default = best.Credibility > 0
		}
	}
	c.Grade.Credibility = c.Credibility
	c.unix = c.Date.Unix()
}

func (r *resolver) caveat(cv *Caveat) {
	pg := cv.Page
	cv.On = r.claims(pg, cv.Attrs.On)
	cv.By = r.actors(pg, cv.Attrs.By, pg.bodyPos)
}

// target is what one wikilink names.
type target struct {
	kind string
	v    any
}

// targets appends to out everything a wikilink may name; one means it
// resolves. Callers pass a small array's slice, so that nothing is
// allocated for the usual single target. look, when not nil, is told
// every name looked up.
func (m *Model) targets(w *markup.Wikilink, out []target, look func(byte, string)) []target {
	name := w.Target
	lower := strings.ToLower(name)
	if w.Prefix == "" || w.Prefix == "actor" {
		a, many := m.lookupActor(name, look)
		if a != nil {
			out = append(out, target{"actor", a})
		}
		for _, x := range many {
			out = append(out, target{"actor", x})
		}
	}
	if w.Prefix == "" || w.Prefix == "claim" {
		if look != nil {
			look('c', lower)
		}
		if c, ok := m.claims[lower]; ok {
			out = append(out, target{"claim", c})
		}
	}
	if w.Prefix == "" || w.Prefix == "source" {
		if look != nil {
			look('s', lower)
		}
		if s, ok := m.sources[lower]; ok {
			out = append(out, target{"source", s})
		}
	}
	if w.Prefix == "" || w.Prefix == "briefing" {
		if look != nil {
			look('b', lower)
		}
		if b, ok := m.briefings[lower]; ok {
			out = append(out, target{"briefing", b})
		}
	}
	return out
}

// wikilinks resolves a page's wikilinks. What they name is kept on the
// page's briefing b, if it is one, for the lists that depend on all pages:
// the actors and sources it mentions, the claims it links to. It writes
// only to the page's own briefing and claims.
func (r *resolver) wikilinks(pg *Page, b *Briefing) {
	if b != nil {
		b.wlActors, b.wlSources, b.linked = nil, nil, nil
	}
	for _, w := range pg.Wikilinks {
		if w.Target == "" {
			continue
		}
		var buf [4]target
		ts := r.m.targets(w, buf[:0], r.look)
		off := pg.bodyPos(w.Pos())
		switch {
		case len(ts) == 0:
			what := "reference"
			switch w.Prefix {
			case "actor", "claim", "source", "briefing":
				what = w.Prefix
			}
			r.unknown(pg, off, what, w.Target)
			continue
		case len(ts) > 1:
			var alts []string
			for _, t := range ts {
				id := ""
				switch v := t.v.(type) {
				case *Actor:
					id = v.ID
				case *Claim:
					id = v.ID
				case *Source:
					id = v.ID
				case *Briefing:
					id = v.ID
				}
				alts = append(alts, "[["+t.kind+":"+id+"]]")
			}
			r.report(pg.diagAt(diag.Error, off, "write "+strings.Join(alts, " or "),
				"ambiguous reference %q: it names %d things", w.Target, len(ts)))
			continue
		}
		t := ts[0]
		r.use(t.v)
		switch v := t.v.(type) {
		case *Actor:
			if b != nil && !slices.Contains(b.wlActors, v) {
				b.wlActors = append(b.wlActors, v)
			}
			if n := pg.claimOf[w]; n != nil {
				if c := r.m.claims[n.ID]; c != nil && c.Node == n && !slices.Contains(c.About, v) {
					c.About = append(c.About, v)
				}
			}
		case *Claim:
			r.draftRef(pg, off, "claim", w.Target, v.Page)
			if b != nil && !slices.Contains(b.linked, v) {
				b.linked = append(b.linked, v)
			}
		case *Source:
			if b != nil && !slices.Contains(b.wlSources, v) {
				b.wlSources = append(b.wlSources, v)
			}
		case *Briefing:
			r.draftRef(pg, off, "briefing", w.Target, v.Page)
		}
	}
}

// draftRef warns of a published page's reference to what only a draft
// holds: a build with drafts (serve, --drafts) finds it, and the build
// that publishes the site fails on it, as "it is in the draft" says there.
func (r *resolver) draftRef(pg *Page, off int, what, name string, target *Page) {
	if pg.Draft || !target.Draft {
		return
	}
	r.report(pg.diagAt(diag.Warning, off, "publish the draft first, or refer to it once it is published",
		"%s %q is in the draft %s: the site built without drafts fails on this", what, name, target.Path))
}

// refers notes what a skipped draft refers to, without reporting anything.
func (r *resolver) refers(pg *Page) {
	var names []string
	for _, n := range pg.Claims {
		for _, refs := range [][]markup.Ref{n.By, n.About} {
			for _, ref := range refs {
				names = append(names, ref.Name)
			}
		}
		for _, ref := range n.Src {
			key := strings.ToLower(ref.Name)
			r.look('s', key)
			if s, ok := r.m.sources[key]; ok {
				r.use(s)
			}
		}
	}
	for _, n := range pg.Caveats {
		for _, ref := range markup.Attrs(n).By {
			names = append(names, ref.Name)
		}
	}
	for _, name := range names {
		if a, _ := r.m.lookupActor(name, r.look); a != nil {
			r.use(a)
		}
	}
	for _, w := range pg.Wikilinks {
		var buf [4]target
		if ts := r.m.targets(w, buf[:0], r.look); len(ts) == 1 {
			r.use(ts[0].v)
		}
	}
}

func (r *resolver) mention(b *Briefing, a *Actor) {
	if !slices.Contains(b.Actors, a) {
		b.Actors = append(b.Actors, a)
	}
}

// finish fills the lists that depend on everything above. The site-wide
// lists are sorted once, and every per-entity list is filled by walking
// them in order, so it comes out sorted without a sort of its own: output
// does not depend on map order or scheduling, and large sites stay fast.
func (r *resolver) finish() {
	m := r.m
	var wg sync.WaitGroup
	wg.Go(func() { sortNewest(m.Claims, func(c *Claim) (time.Time, string) { return c.Date, c.ID }) })
	wg.Go(func() { sortNewest(m.Caveats, func(c *Caveat) (time.Time, string) { return c.Date, c.ID }) })
	sortNewest(m.Briefings, func(b *Briefing) (time.Time, string) { return b.Date, b.ID })
	slices.SortFunc(m.Actors, actorOrder)
	slices.SortFunc(m.Sources, sourceOrder)
	wg.Wait()
	for i, a := range m.Actors {
		a.rank = i
	}
	byRank := func(a, b *Actor) int { return a.rank - b.rank }
	for i, b := range m.Briefings {
		b.rank = i
		b.Actors, b.Sources = slices.Clone(b.wlActors), slices.Clone(b.wlSources)
	}

	for _, c := range m.Claims {
		for _, a := range c.By {
			a.ClaimsBy = append(a.ClaimsBy, c)
		}
		for _, a := range c.About {
			a.ClaimsAbout = append(a.ClaimsAbout, c)
		}
		for _, s := range c.Sources {
			s.Claims = append(s.Claims, c)
		}
		for _, o := range c.Contradicts {
			o.ContradictedBy = append(o.ContradictedBy, c)
		}
		for _, o := range c.Supports {
			o.SupportedBy = append(o.SupportedBy, c)
		}
		for _, o := range c.Updates {
			o.UpdatedBy = append(o.UpdatedBy, c)
		}
		if c.Briefing != nil {
			for _, o := range c.Contradicts {
				o.appear(c.Briefing)
			}
			for _, o := range c.Supports {
				o.appear(c.Briefing)
			}
			for _, o := range c.Updates {
				o.appear(c.Briefing)
			}
		}
	}
	for _, c := range m.Claims {
		// Where the claim is written first, then oldest to newest.
		home := c.Briefing
		slices.SortFunc(c.AppearsIn, func(a, b *Briefing) int {
			switch {
			case a == home:
				return -1
			case b == home:
				return 1
			}
			return b.rank - a.rank
		})
		for _, b := range c.AppearsIn {
			b.appearing = append(b.appearing, c)
			if b != home {
				b.Cited = append(b.Cited, c)
			} else {
				// A claim names its speakers and subjects only where it
				// is written: a briefing that cites, answers or updates
				// it does not mention them.
				for _, a := range c.By {
					r.mention(b, a)
				}
				for _, a := range c.About {
					r.mention(b, a)
				}
			}
			for _, s := range c.Sources {
				if !slices.Contains(b.Sources, s) {
					b.Sources = append(b.Sources, s)
				}
			}
		}
	}
	for _, cv := range m.Caveats {
		if cv.Briefing != nil {
			for _, a := range cv.By {
				r.mention(cv.Briefing, a)
			}
		}
	}
	r.inParallel(len(m.Briefings), func(_ *resolver, i int) {
		b := m.Briefings[i]
		slices.SortFunc(b.Actors, byRank)
		slices.SortFunc(b.Sources, func(x, y *Source) int { return cmp.Compare(x.ID, y.ID) })
	})
	for _, b := range m.Briefings {
		for _, a := range b.Actors {
			a.Mentioned = append(a.Mentioned, b)
		}
	}
	r.diags = append(r.diags, m.tags()...)
	for _, a := range m.Actors {
		slices.SortFunc(a.Members, byRank)
		slices.SortFunc(a.Published, func(x, y *Source) int { return cmp.Compare(x.ID, y.ID) })
		a.Cited = len(a.ClaimsBy) + len(a.ClaimsAbout) + len(a.Mentioned)
	}
}

// tags groups the briefings by tag, in the order of m.Briefings, and
// reports tags spelt two ways.
func (m *Model) tags() diag.List {
	var diags diag.List
	tags := map[string]*Tag{}
	for _, b := range m.Briefings {
		b.TagList = nil
		for k, name := range b.Tags {
			slug := b.tagSlugs[k]
			if slug == "" {
				continue
			}
			t := tags[slug]
			if t == nil {
				t = &Tag{Name: name, Slug: slug, URL: m.BasePath + "tags/" + url.PathEscape(slug) + "/",
					first: b.Page, firstPos: b.tagPos[k]}
				tags[slug] = t
			} else if t.Name != name && !strings.EqualFold(t.Name, name) {
				line, _ := t.first.position(t.firstPos)
				diags = append(diags, b.diagAt(diag.Error, b.tagPos[k],
					fmt.Sprintf("spell the tag one way: %q is in %s:%d", t.Name, t.first.Path, line),
					"tags %q and %q would both be written to tags/%s/", name, t.Name, slug))
			}
			if !slices.Contains(b.TagList, t) {
				t.Briefings = append(t.Briefings, b)
				b.TagList = append(b.TagList, t)
			}
		}
	}
	m.Tags = nil
	for _, slug := range keys(tags) {
		m.Tags = append(m.Tags, tags[slug])
	}
	return diags
}

// sortNewest sorts by date, newest first, then id, through a compact copy
// of the keys: on a large site the items are spread over the heap, and
// sorting pointers to them is slow for the cache misses.
func sortNewest[T any](items []T, key func(T) (time.Time, string)) {
	type k struct {
		day  int64
		id   string
		item T
	}
	keys := make([]k, len(items))
	for i, it := range items {
		d, id := key(it)
		keys[i] = k{d.Unix(), id, it}
	}
	slices.SortFunc(keys, func(a, b k) int { return cmp.Or(cmp.Compare(b.day, a.day), strings.Compare(a.id, b.id)) })
	for i := range keys {
		items[i] = keys[i].item
	}
}

// appear notes that the claim appears in b.
func (c *Claim) appear(b *Briefing) {
	if !slices.Contains(c.AppearsIn, b) {
		c.AppearsIn = append(c.AppearsIn, b)
	}
}

// Grade is the source's default grade, e.g. B3.
func (s *Source) Grade() string {
	return s.DefaultGrade().String()
}

// actorTitle is an actor's role and kind, as far as it has them.
func actorTitle(a *Actor) string {
	switch {
	case a.Role == "":
		return a.ActorKind
	case a.ActorKind == "":
		return a.Role
	}
	return a.Role + " · " + a.ActorKind
}

func claimTitle(c *Claim) string {
	var by []string
	for _, a := range c.By {
		by = append(by, a.Name)
	}
	t := c.Status
	if len(by) > 0 {
		t = strings.Join(by, ", ") + " · " + t
	}
	if g := c.Grade.String(); g != "" {
		t += " · " + g
	}
	return t
}

func actorLinks(as []*Actor) []markup.Link {
	var out []markup.Link
	for _, a := range as {
		out = append(out, actorLink(a))
	}
	return out
}

func actorLink(a *Actor) markup.Link {
	return markup.Link{Href: a.URL, Text: a.Name, Title: actorTitle(a), Kind: "actor"}
}

func claimLinks(cs []*Claim) []markup.Link {
	var out []markup.Link
	for _, c := range cs {
		out = append(out, markup.Link{Href: c.URL, Text: c.Short(), Title: claimTitle(c), Kind: "claim", Lang: c.lang})
	}
	return out
}

// Short is the claim's words cut to a length fit for a link.
func (c *Claim) Short() string {
	c.Text()
	return c.text.short
}

// Cut shortens s to at most max characters, "…" included, after the last
// whole word that fits: the render package cuts page descriptions with it.
func Cut(s string, max int) string { return cut(s, max) }

// cut shortens s to at most max characters, "…" included, after the last
// whole word that fits (inside a word only when the first word alone is too
// long). It reads no further than max characters into s, so that cutting
// the words of a long claim for each of many links to it stays cheap.
func cut(s string, max int) string {
	n, end := 0, len(s)
	for i := range s {
		if n == max-1 {
			end = i
		}
		if n == max {
			head := s[:end]
			if s[end] != ' ' {
				if sp := strings.LastIndexByte(head, ' '); sp > 0 {
					head = head[:sp]
				} else {
					// Only the character at end decides whether end
					// is a break: a cluster that goes on past it (a
					// letter with thousands of marks) is not read.
					_, size := utf8.DecodeRuneInString(s[end:])
					head = s[:lastBreak(s[:end+size], end)]
				}
			}
			return strings.TrimSpace(head) + "…"
		}
		n++
	}
	return s
}

// lastBreak is the last place at or before end where s may be cut
// between two characters as a reader sees them: not between a letter and
// its accent, nor inside an emoji made of several code points. Only a
// word longer than a cut (Chinese, Japanese or Thai written without
// spaces, a run of emoji) comes here, so the cost of reading s from its
// start is paid rarely.
func lastBreak(s string, end int) int {
	at, state := 0, -1
	for rest := s; rest != ""; {
		var cluster string
		cluster, rest, _, state = uniseg.StepString(rest, state)
		if at+len(cluster) > end {
			break
		}
		at += len(cluster)
	}
	return at
}

// DefaultGrade is the source's reliability with the credibility it gives
// its claims unless a claim sets its own.
func (s *Source) DefaultGrade() Grade {
	return Grade{Reliability: s.Reliability, Credibility: s.Credibility}
}

// SourceGrade is the grade the claim has from one of its sources.
func (c *Claim) SourceGrade(s *Source) Grade {
	if cred := c.Node.Credibility; cred != 0 {
		return Grade{Reliability: s.Reliability, Credibility: cred}
	}
	return Grade{Reliability: s.Reliability, Credibility: s.Credibility, Default: s.Credibility > 0}
}

// ClaimView implements markup.Resolver. Views are made when a page is
// rendered, so a server that renders one page makes only that page's.
func (m *Model) ClaimView(n *markup.Claim) *markup.ClaimView {
	v := new(markup.ClaimView)
	if !m.fillClaimView(v, n) {
		return nil // a duplicate, reported elsewhere
	}
	return v
}

// fillClaimView makes v the view of n, in the slices v already holds
// where they have room, and reports whether n is a claim the model
// resolved.
func (m *Model) fillClaimView(v *markup.ClaimView, n *markup.Claim) bool {
	if n.Origin != nil {
		n = n.Origin
	}
	c := m.claims[n.ID]
	if c == nil || c.Node != n {
		return false
	}
	by, sources, caveats, notes, rels := v.By[:0], v.Sources[:0], v.Caveats[:0], v.Notes[:0], v.Relations[:0]
	*v = markup.ClaimView{Href: c.URL, Anchor: "claim-" + c.ID, Status: c.Status,
		Grade: c.Grade.String(), GradeTitle: c.Grade.Title(), Likelihood: c.Likelihood, Confidence: c.Confidence}
	for _, a := range c.By {
		by = append(by, actorLink(a))
	}
	for _, s := range c.Sources {
		sources = append(sources, markup.Link{Href: s.URL, Text: s.Title, Title: c.SourceGrade(s).String(), Kind: "source"})
	}
	for _, cv := range c.Caveats {
		caveats = append(caveats, markup.Link{Href: cv.URL, Text: cv.Short(), Kind: "caveat"})
	}
	if c.Briefing != nil {
		notes = c.Briefing.appendNotes(notes, c.Sources)
	}
	v.By, v.Sources, v.Caveats, v.Notes = nilIfEmpty(by), nilIfEmpty(sources), nilIfEmpty(caveats), nilIfEmpty(notes)
	v.Relations = nilIfEmpty(c.appendRelationViews(rels))
	v.Newer, v.Older = c.dated(c.Newer()), c.dated(c.Older())
	v.Lang, v.Dir = c.Lang(), c.Dir()
	return true
}

// nilIfEmpty is s, or nil when it is empty, as appending to nil left it.
func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// CaveatView implements markup.Resolver.
func (m *Model) CaveatView(n *markup.CaveatAttrs) *markup.CaveatView {
	if n.Origin != nil {
		n = n.Origin
	}
	cv := m.caveats[n.ID]
	if cv == nil || cv.Attrs != n {
		return nil
	}
	return &markup.CaveatView{Anchor: "caveat-" + cv.ID, Href: cv.URL, On: claimLinks(cv.On), By: actorLinks(cv.By)}
}

// WikilinkLink implements markup.Resolver. Links are looked up when a page
// is rendered, and a link to a claim reads the claim's words only then:
// its flat text, in which links to claims read as their ids, because claims
// may link to each other, or to themselves, and the words of one must not
// wait on the words of another.
func (m *Model) WikilinkLink(n *markup.Wikilink) *markup.Link {
	return m.link(n, (*Claim).flatText)
}

// flatLink is WikilinkLink for flat text: a claim reads as its id.
func (m *Model) flatLink(n *markup.Wikilink) *markup.Link {
	return m.link(n, func(c *Claim) string { return c.ID })
}

func (m *Model) link(n *markup.Wikilink, claimText func(*Claim) string) *markup.Link {
	var buf [4]target
	ts := m.targets(n, buf[:0], nil)
	if len(ts) != 1 {
		return nil
	}
	switch v := ts[0].v.(type) {
	case *Actor:
		// By its id, an actor is shown by its name; by an alias or its
		// name, as the writer wrote it ("[[APL]] said", not the
		// authority's full name in the middle of their sentence).
		text, title := v.Name, actorTitle(v)
		if !strings.EqualFold(n.Target, v.ID) {
			text = n.Target
			if !strings.EqualFold(n.Target, v.Name) && nameKey(n.Target) != nameKey(v.Name) { // the hover says who
				title = strings.TrimSuffix(v.Name+" · "+title, " · ")
			}
		}
		return &markup.Link{Href: v.URL, Text: text, Title: title, Kind: "actor"}
	case *Claim:
		// Cut, as everywhere a claim is a link: a claim may be long, and
		// linked to many times. The title is taken by who said it, so the
		// whole words are on the claim's page only.
		return &markup.Link{Href: v.URL, Text: cut(claimText(v), 80), Title: claimTitle(v), Kind: "claim", Status: v.Status, Lang: v.lang}
	case *Source:
		return &markup.Link{Href: v.URL, Text: v.Title, Title: v.Grade(), Kind: "source"}
	case *Briefing:
		return &markup.Link{Href: v.URL, Text: v.Title, Title: v.Date.Format("2 January 2006"), Kind: "briefing"}
	}
	return nil
}

// Text is the claim's words as plain text.
func (c *Claim) Text() string {
	// Short is asked for wherever the claim is listed, so it is cut once.
	c.text.once.Do(func() {
		c.text.s = c.m.ShownText(c.Node, c.Page.markdown, c.m.WikilinkLink)
		c.text.short = cut(c.text.s, 80)
	})
	return c.text.s
}

// flatText is Text with the claims its words link to read as their ids: it
// depends on no other claim's words, so Text never waits on itself.
func (c *Claim) flatText() string {
	c.flat.once.Do(func() { c.flat.s = c.m.ShownText(c.Node, c.Page.markdown, c.m.flatLink) })
	return c.flat.s
}

// Text is the caveat's words as plain text.
func (cv *Caveat) Text() string {
	cv.text.once.Do(func() {
		cv.text.s = cv.m.ShownText(cv.Node, cv.Page.markdown, cv.m.WikilinkLink)
		cv.text.short = cut(cv.text.s, 60)
	})
	return cv.text.s
}

// Short is the caveat's words cut to a length fit for a link.
func (cv *Caveat) Short() string {
	cv.Text()
	return cv.text.short
}

// Briefing returns the briefing with the slug, or nil.
func (m *Model) Briefing(slug string) *Briefing { return m.briefings[slug] }

// Actor returns the actor with the id, or nil.
func (m *Model) Actor(id string) *Actor { return m.actors[id] }

// Source returns the source with the id, or nil.
func (m *Model) Source(id string) *Source { return m.sources[id] }

// Claim returns the claim with the id, or nil.
func (m *Model) Claim(id string) *Claim { return m.claims[id] }

// Tag returns the tag with the slug, or nil.
func (m *Model) Tag(slug string) *Tag {
	i, found := slices.BinarySearchFunc(m.Tags, slug, func(t *Tag, s string) int { return strings.Compare(t.Slug, s) })
	if !found {
		return nil
	}
	return m.Tags[i]
}

// Caveat returns the caveat with the id, or nil.
func (m *Model) Caveat(id string) *Caveat { return m.caveats[id] }
