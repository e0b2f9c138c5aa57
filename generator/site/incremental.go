package site

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"briefing/generator/diag"
	"briefing/generator/markup"
)

// A server resolving a whole site again for every edit that changes a
// reference takes hundreds of milliseconds at ten thousand briefings.
// Update instead withdraws what the changed pages put into the model and
// applies what they put in now. The pages whose references looked up a
// name whose meaning changed (an entity of a changed page) are resolved
// again too; every list that one of them was in or now is in is sorted
// again, and the lists made of lists (where a claim appears, whom a
// briefing mentions) are made again for what they touched. The result is
// what Resolve gives for the same pages: the serve tests compare the two
// after random edits.

// tracker is what Update needs to change a model in place.
type tracker struct {
	pages map[string]*pageState   // every page of the model, by path
	refs  map[refKey][]*pageState // the pages that looked each name up
	// loud are the pages with something to report, and the skipped drafts
	// (whose names unknown references are told of): all that assembling
	// the diagnostics needs to look at.
	loud map[*pageState]bool
	dups bool      // duplicate ids, which only Resolve reports
	tags diag.List // tags spelt two ways
}

func newTracker(states []*pageState, dups bool, global diag.List) *tracker {
	t := &tracker{pages: make(map[string]*pageState, len(states)), refs: map[refKey][]*pageState{},
		loud: map[*pageState]bool{}, dups: dups}
	if !dups {
		t.tags = global
	}
	for _, st := range states {
		t.pages[st.pg.Path] = st
		t.index(st)
		t.note(st)
		for _, v := range st.uses {
			addUse(v, 1)
		}
	}
	return t
}

// index enters the names a page looked up, each once.
func (t *tracker) index(st *pageState) {
	slices.SortFunc(st.keys, func(a, b refKey) int { return cmp.Or(cmp.Compare(a.ns, b.ns), strings.Compare(a.name, b.name)) })
	st.keys = slices.Compact(st.keys)
	for _, k := range st.keys {
		t.refs[k] = append(t.refs[k], st)
	}
}

// note keeps loud up to date with a page resolved anew.
func (t *tracker) note(st *pageState) {
	if st.draft || len(st.pg.diags) > 0 || len(st.diags) > 0 || len(st.unknowns) > 0 {
		t.loud[st] = true
	} else {
		delete(t.loud, st)
	}
}

func (t *tracker) unindex(st *pageState) {
	for _, k := range st.keys {
		ps := t.refs[k]
		if i := slices.Index(ps, st); i >= 0 {
			ps[i] = ps[len(ps)-1]
			ps = ps[:len(ps)-1]
		}
		if len(ps) == 0 {
			delete(t.refs, k)
		} else {
			t.refs[k] = ps
		}
	}
	st.keys = nil
}

func addUse(v any, n int) {
	switch v := v.(type) {
	case *Actor:
		v.uses += n
	case *Source:
		v.uses += n
	}
}

// entityKeys adds the names the entities of pg are found by; an actor
// kept by Update is found by its id as before.
func entityKeys(pg *Page, draft, kept bool, keys map[refKey]bool) {
	if draft {
		return
	}
	switch pg.Section {
	case Briefings:
		keys[refKey{'b', pg.ID}] = true
	case Actors:
		if !kept {
			keys[refKey{'a', pg.ID}] = true
		}
		for _, k := range actorKeys(pg) {
			keys[refKey{'n', k}] = true
		}
	case Sources:
		keys[refKey{'s', pg.ID}] = true
	}
	for _, n := range pg.Claims {
		keys[refKey{'c', n.ID}] = true
	}
}

// update is the state of one Update call: the entities whose lists it
// touched, to be sorted or made again.
type update struct {
	m        *Model
	claims   map[*Claim]bool
	briefs   map[*Briefing]bool
	actors   map[*Actor]bool
	sources  map[*Source]bool
	resolved map[*Claim]bool // resolved again or new: their dates may have changed

	// kept are the actors of changed pages that stay the same objects:
	// an actor's page edited, its id the same, so that the hundreds of
	// pages that name it by its id need not be resolved again.
	kept     map[string]*Actor // by path
	resorted []*Actor          // kept, with another name to be sorted by

	newBriefs  []*Briefing
	newActors  []*Actor
	newSources []*Source
	newCaveats []*Caveat
	// What leaves the model's lists.
	goneClaims  []*Claim // of the pages changed
	reclaimed   []*Claim // of the pages resolved again
	newClaims   []*Claim
	unlisted    bool // goneClaims are out of m.Claims already
	goneBriefs  []*Briefing
	goneActors  []*Actor
	goneSources []*Source
	goneCaveats []*Caveat
}

// Update changes m into the model of its pages with changes made: each
// path to its new page, or to nil when the file is gone. It returns every
// diagnostic of the new model, as Resolve gives them for the same pages,
// and the changes that bring m back to what it was. It returns false, and
// leaves m as it was, when m was resolved without Options.Track, or has or
// would have duplicate ids, which only Resolve reports.
//
// Update writes to m: nothing may read m while it runs.
func (m *Model) Update(changes map[string]*Page) (diag.List, map[string]*Page, bool) {
	t := m.track
	if t == nil || t.dups {
		return nil, nil, false
	}
	undo := map[string]*Page{}
	for p, pg := range changes {
		var old *Page
		if st := t.pages[p]; st != nil {
			old = st.pg
		}
		if old != pg {
			undo[p] = old
		}
	}
	if !m.unique(changes, undo) {
		return nil, nil, false
	}
	u := &update{m: m, claims: map[*Claim]bool{}, briefs: map[*Briefing]bool{}, actors: map[*Actor]bool{},
		sources: map[*Source]bool{}, resolved: map[*Claim]bool{}}

	// Every page that looked up a name of an entity a changed page held,
	// or holds now, is resolved again: the name may mean another entity
	// now, or none.
	names := map[refKey]bool{}
	u.kept = map[string]*Actor{}
	var again []*pageState // unchanged pages resolved again
	seen := map[*pageState]bool{}
	for p := range undo {
		st, pg := t.pages[p], changes[p]
		kept := st != nil && st.actor != nil && pg != nil && pg.Section == Actors
		if kept {
			u.kept[p] = st.actor
			// The sources it published show its name.
			for _, s := range st.actor.Published {
				if ps := t.pages[s.Path]; !seen[ps] && !changedPath(undo, s.Path) {
					seen[ps] = true
					again = append(again, ps)
				}
			}
		}
		if st != nil {
			entityKeys(st.pg, st.draft, kept, names)
		}
		if pg != nil {
			entityKeys(pg, skippedDraft(pg, m.opts), kept, names)
		}
	}
	for _, k := range slices.SortedFunc(maps.Keys(names), func(a, b refKey) int {
		return cmp.Or(cmp.Compare(a.ns, b.ns), strings.Compare(a.name, b.name))
	}) {
		for _, st := range t.refs[k] {
			if _, changed := undo[st.pg.Path]; !changed && !seen[st] {
				seen[st] = true
				again = append(again, st)
			}
		}
	}

	for p := range undo {
		if st := t.pages[p]; st != nil {
			u.withdraw(st, true)
			t.unindex(st)
			u.unregister(st)
			delete(t.pages, p)
			delete(t.loud, st)
		}
	}
	for _, st := range again {
		u.withdraw(st, false)
		t.unindex(st)
		st.diags, st.unknowns, st.uses = nil, nil, nil
	}
	u.unlist()
	var fresh []*pageState
	for p := range undo {
		if pg := changes[p]; pg != nil {
			st := &pageState{pg: pg, draft: skippedDraft(pg, m.opts)}
			t.pages[p] = st
			u.register(st)
			fresh = append(fresh, st)
		}
	}
	r := &resolver{m: m, track: true}
	for _, st := range slices.Concat(fresh, again) {
		if st.draft {
			r.st = st
			r.refers(st.pg)
			r.st = nil
		} else {
			r.resolvePage(st)
		}
		u.apply(st)
		t.index(st)
		t.note(st)
	}

	u.lists()
	u.appearances()
	u.briefings()
	for _, a := range m.Actors {
		a.Cited = len(a.ClaimsBy) + len(a.ClaimsAbout) + len(a.Mentioned)
		a.used.Store(a.uses > 0)
	}
	for _, s := range m.Sources {
		s.used.Store(s.uses > 0)
	}
	if !u.retag() {
		t.tags = m.tags()
	}
	m.md, m.away = markdown(m.RawHTML, m, m.opts.Code, m.BasePath), awayMarkdown(m.RawHTML, m, m.opts.Code, m.BasePath)
	m.forget()
	return m.assemble(maps.Keys(t.loud), t.tags), undo, true
}

// unique reports whether the changed pages give no briefing slug, claim id
// or caveat id that another page has.
func (m *Model) unique(changes, undo map[string]*Page) bool {
	changed := func(p string) bool { _, ok := undo[p]; return ok }
	seen := map[refKey]bool{}
	taken := func(ns byte, id, holder string, held bool) bool {
		k := refKey{ns, id}
		if seen[k] || held && !changed(holder) {
			return true
		}
		seen[k] = true
		return false
	}
	for p := range undo {
		pg := changes[p]
		if pg == nil || skippedDraft(pg, m.opts) {
			continue
		}
		if pg.Section == Briefings {
			b := m.briefings[pg.ID]
			if taken('b', pg.ID, pathOf(b), b != nil) {
				return false
			}
		}
		for _, n := range pg.Claims {
			c := m.claims[n.ID]
			if c != nil && taken('c', n.ID, c.Page.Path, true) || c == nil && taken('c', n.ID, "", false) {
				return false
			}
		}
		for _, n := range pg.Caveats {
			id := markup.Attrs(n).ID
			cv := m.caveats[id]
			if cv != nil && taken('v', id, cv.Page.Path, true) || cv == nil && taken('v', id, "", false) {
				return false
			}
		}
	}
	return true
}

func changedPath(undo map[string]*Page, p string) bool {
	_, ok := undo[p]
	return ok
}

func pathOf(b *Briefing) string {
	if b == nil {
		return ""
	}
	return b.Path
}

// withdraw takes what a page's references put into other entities' lists
// out of them.
func (u *update) withdraw(st *pageState, changed bool) {
	for _, v := range st.uses {
		addUse(v, -1)
	}
	if st.draft {
		return
	}
	for _, c := range st.claims {
		u.claims[c] = true
		u.edges(c, func(l *[]*Claim) { *l = remove(*l, c) })
		if changed {
			u.goneClaims = append(u.goneClaims, c)
		} else {
			c.prevUnix = c.unix
			u.reclaimed = append(u.reclaimed, c)
		}
	}
	for _, cv := range st.caveats {
		for _, c := range cv.On {
			c.Caveats = remove(c.Caveats, cv)
			u.claims[c] = true
		}
		for _, a := range cv.By {
			a.Caveats = remove(a.Caveats, cv)
			u.actors[a] = true
		}
	}
	if b := st.briefing; b != nil {
		for _, c := range b.linked {
			c.linkedBy = remove(c.linkedBy, b)
			u.claims[c] = true
		}
		u.briefs[b] = true
	}
	if a := st.actor; a != nil && a.Affiliate != nil {
		a.Affiliate.Members = remove(a.Affiliate.Members, a)
		u.actors[a.Affiliate] = true
	}
	if s := st.source; s != nil && s.PublisherActor != nil {
		s.PublisherActor.Published = remove(s.PublisherActor.Published, s)
		u.actors[s.PublisherActor] = true
	}
}

// apply puts what a page's references give into other entities' lists.
func (u *update) apply(st *pageState) {
	for _, v := range st.uses {
		addUse(v, 1)
	}
	if st.draft {
		return
	}
	for _, c := range st.claims {
		u.claims[c] = true
		u.resolved[c] = true
		u.edges(c, func(l *[]*Claim) { *l = insert(*l, c, claimOrder) })
	}
	for _, cv := range st.caveats {
		for _, c := range cv.On {
			c.Caveats = insert(c.Caveats, cv, writtenOrder)
			u.claims[c] = true
		}
		for _, a := range cv.By {
			a.Caveats = insert(a.Caveats, cv, writtenOrder)
			u.actors[a] = true
		}
	}
	if b := st.briefing; b != nil {
		for _, c := range b.linked {
			c.linkedBy = append(c.linkedBy, b)
			u.claims[c] = true
		}
		u.briefs[b] = true
	}
	if a := st.actor; a != nil && a.Affiliate != nil {
		a.Affiliate.Members = insert(a.Affiliate.Members, a, actorOrder)
		u.actors[a.Affiliate] = true
	}
	if s := st.source; s != nil && s.PublisherActor != nil {
		s.PublisherActor.Published = insert(s.PublisherActor.Published, s, byID)
		u.actors[s.PublisherActor] = true
	}
}

// edges calls fn on every list of another entity that c is in by its own
// references, and notes those entities touched.
func (u *update) edges(c *Claim, fn func(*[]*Claim)) {
	for _, a := range c.By {
		fn(&a.ClaimsBy)
		u.actors[a] = true
	}
	for _, a := range c.About {
		fn(&a.ClaimsAbout)
		u.actors[a] = true
	}
	for _, s := range c.Sources {
		fn(&s.Claims)
		u.sources[s] = true
	}
	for _, o := range c.Contradicts {
		fn(&o.ContradictedBy)
		u.claims[o] = true
	}
	for _, o := range c.Supports {
		fn(&o.SupportedBy)
		u.claims[o] = true
	}
	for _, o := range c.Updates {
		fn(&o.UpdatedBy)
		u.claims[o] = true
	}
}

// insert adds v to l, which is in order, in its place.
func insert[T any](l []T, v T, order func(a, b T) int) []T {
	i, _ := slices.BinarySearchFunc(l, v, order)
	return slices.Insert(l, i, v)
}

func remove[T comparable](l []T, v T) []T {
	if i := slices.Index(l, v); i >= 0 {
		return slices.Delete(l, i, i+1)
	}
	return l
}

// unregister takes a page's entities out of the model.
func (u *update) unregister(st *pageState) {
	m := u.m
	if st.draft {
		m.Drafts--
		return
	}
	switch pg := st.pg; pg.Section {
	case Home:
		if m.Intro == pg {
			m.setIntro(nil)
		}
	case Briefings:
		if b := st.briefing; b != nil {
			b.dead = true
			delete(m.briefings, b.ID)
			u.goneBriefs = append(u.goneBriefs, b)
			u.briefs[b] = true
		}
	case Actors:
		a := st.actor
		if u.kept[a.Path] != a {
			a.dead = true
			delete(m.actors, a.ID)
			u.goneActors = append(u.goneActors, a)
		}
		for _, key := range actorKeys(a.Page) {
			if as := remove(m.actorNames[key], a); len(as) > 0 {
				m.actorNames[key] = as
			} else {
				delete(m.actorNames, key)
			}
		}
	case Sources:
		st.source.dead = true
		delete(m.sources, st.source.ID)
		u.goneSources = append(u.goneSources, st.source)
	}
	for _, c := range st.claims {
		c.dead = true
		delete(m.claims, c.ID)
		u.claims[c] = true
	}
	for _, cv := range st.caveats {
		cv.dead = true
		delete(m.caveats, cv.ID)
		u.goneCaveats = append(u.goneCaveats, cv)
	}
}

// register enters a page's entities into the model, as Resolve's register
// does.
func (u *update) register(st *pageState) {
	m, pg := u.m, st.pg
	if st.draft {
		m.Drafts++
		return
	}
	switch pg.Section {
	case Home:
		m.setIntro(pg)
	case Briefings:
		st.briefing = m.newBriefing(pg)
		m.briefings[pg.ID] = st.briefing
		u.briefs[st.briefing] = true
		u.newBriefs = append(u.newBriefs, st.briefing)
	case Actors:
		if a := u.kept[pg.Path]; a != nil {
			st.actor, a.Page = a, pg
			if key := strings.ToLower(pg.Name); key != a.sortKey {
				a.sortKey = key
				u.resorted = append(u.resorted, a)
				for _, b := range a.Mentioned {
					u.briefs[b] = true
				}
			}
		} else {
			st.actor = m.newActor(pg)
			m.actors[pg.ID] = st.actor
			u.newActors = append(u.newActors, st.actor)
		}
		m.addNames(st.actor)
		u.actors[st.actor] = true
	case Sources:
		st.source = m.newSource(pg)
		m.sources[pg.ID] = st.source
		u.sources[st.source] = true
		u.newSources = append(u.newSources, st.source)
	}
	st.claims, st.caveats = m.newEntities(pg, st.briefing)
	for _, c := range st.claims {
		m.claims[c.ID] = c
		u.claims[c] = true
		u.newClaims = append(u.newClaims, c)
		if c.Briefing != nil {
			c.Briefing.Claims = append(c.Briefing.Claims, c)
		}
	}
	for _, cv := range st.caveats {
		m.caveats[cv.ID] = cv
		u.newCaveats = append(u.newCaveats, cv)
		if cv.Briefing != nil {
			cv.Briefing.Caveats = append(cv.Briefing.Caveats, cv)
		}
	}
}

// The orders of the model's lists, as Resolve sorts them.
func briefingOrder(a, b *Briefing) int {
	return cmp.Or(cmp.Compare(b.unix, a.unix), strings.Compare(a.ID, b.ID))
}

func claimOrder(a, b *Claim) int {
	return cmp.Or(cmp.Compare(b.unix, a.unix), strings.Compare(a.ID, b.ID))
}

func caveatOrder(a, b *Caveat) int {
	return cmp.Or(cmp.Compare(b.unix, a.unix), strings.Compare(a.ID, b.ID))
}

// writtenOrder is the order caveats are written in: by file, then in the
// file.
func writtenOrder(a, b *Caveat) int {
	return cmp.Or(strings.Compare(a.Page.Path, b.Page.Path), cmp.Compare(a.seq, b.seq))
}

func actorOrder(a, b *Actor) int {
	return cmp.Or(strings.Compare(a.sortKey, b.sortKey), strings.Compare(a.ID, b.ID))
}

func sourceOrder(a, b *Source) int {
	return cmp.Or(strings.Compare(a.sortKey, b.sortKey), strings.Compare(a.ID, b.ID))
}

func byID(a, b *Source) int { return strings.Compare(a.ID, b.ID) }

// merge is list without the items drop says go, and with add, in order;
// list is in order already.
func merge[T any](list []T, drop func(T) bool, add []T, order func(a, b T) int) []T {
	list = slices.DeleteFunc(list, drop)
	if len(add) == 0 {
		return list
	}
	slices.SortFunc(add, order)
	// Each item added is found by a binary search, and the runs of list
	// between them copied whole: few comparisons for a long list.
	out := make([]T, 0, len(list)+len(add))
	for _, v := range add {
		i, _ := slices.BinarySearchFunc(list, v, order)
		out = append(append(out, list[:i]...), v)
		list = list[i:]
	}
	return append(out, list...)
}

// lists brings the model's own lists up to date: without what went, with
// what came, and with the claims resolved again where their dates now put
// them.
func (u *update) lists() {
	m := u.m
	m.Briefings = relist(m.Briefings, u.goneBriefs, u.newBriefs, briefingOrder, func(b *Briefing) bool { return b.dead })
	for i, b := range m.Briefings {
		b.rank = i
	}
	if len(u.resorted) > 0 {
		m.Actors = slices.DeleteFunc(m.Actors, func(a *Actor) bool { return slices.Contains(u.resorted, a) })
		u.newActors = append(u.newActors, u.resorted...)
	}
	m.Actors = relist(m.Actors, u.goneActors, u.newActors, actorOrder, func(a *Actor) bool { return a.dead })
	for i, a := range m.Actors {
		a.rank = i
	}
	m.Sources = relist(m.Sources, u.goneSources, u.newSources, sourceOrder, func(s *Source) bool { return s.dead })
	m.Caveats = relist(m.Caveats, u.goneCaveats, u.newCaveats, caveatOrder, func(cv *Caveat) bool { return cv.dead })
	// A claim resolved again moves when its date changed with its
	// source's.
	cs, moved := slices.Clone(u.newClaims), false
	for _, c := range u.reclaimed {
		if c.unix != c.prevUnix {
			c.moved, moved = true, true
			cs = append(cs, c)
		}
	}
	if !u.unlisted || moved || len(cs) > fewItems {
		m.Claims = merge(m.Claims, func(c *Claim) bool { return c.dead || c.moved }, cs, claimOrder)
	} else {
		for _, c := range cs {
			m.Claims = insert(m.Claims, c, claimOrder)
		}
	}
	for _, c := range cs {
		c.moved = false
	}
}

// unlist takes the claims of the pages withdrawn out of m.Claims one by
// one, when they are few: before they are resolved again, while their
// dates are still those they are listed by.
func (u *update) unlist() {
	if len(u.goneClaims) > fewItems {
		return
	}
	m := u.m
	for _, g := range u.goneClaims {
		if i, found := slices.BinarySearchFunc(m.Claims, g, claimOrder); found && m.Claims[i] == g {
			m.Claims = slices.Delete(m.Claims, i, i+1)
		}
	}
	u.unlisted = true
}

// fewItems is how many items are taken out of a list and put in one by
// one, each a binary search and a move of what follows; more are merged
// in one pass.
const fewItems = 64

// relist is list, in order, without gone and with add.
func relist[T comparable](list, gone, add []T, order func(a, b T) int, dead func(T) bool) []T {
	if len(gone)+len(add) > fewItems {
		return merge(list, dead, add, order)
	}
	for _, v := range gone {
		if i, found := slices.BinarySearchFunc(list, v, order); found && list[i] == v {
			list = slices.Delete(list, i, i+1)
		}
	}
	for _, v := range add {
		list = insert(list, v, order)
	}
	return list
}

// appearances makes again where each touched claim appears, and keeps
// each briefing's list of the claims that appear in it in step.
func (u *update) appearances() {
	for c := range u.claims {
		if c.dead {
			for _, b := range c.AppearsIn {
				b.appearing = remove(b.appearing, c)
				u.briefs[b] = true
			}
			continue
		}
		now := c.appearances()
		for _, b := range c.AppearsIn {
			if !slices.Contains(now, b) {
				b.appearing = remove(b.appearing, c)
			}
			u.briefs[b] = true
		}
		for _, b := range now {
			if !slices.Contains(c.AppearsIn, b) {
				b.appearing = append(b.appearing, c)
			}
			u.briefs[b] = true
		}
		c.AppearsIn = now
	}
}

// appearances is where the claim appears: where it is written first, then
// oldest to newest, as Resolve's finish orders them.
func (c *Claim) appearances() []*Briefing {
	var out []*Briefing
	add := func(b *Briefing) {
		if b != nil && !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	add(c.Briefing)
	for _, cv := range c.Caveats {
		add(cv.Briefing)
	}
	for _, b := range c.linkedBy {
		add(b)
	}
	for _, os := range [][]*Claim{c.ContradictedBy, c.SupportedBy, c.UpdatedBy} {
		for _, o := range os {
			add(o.Briefing)
		}
	}
	home := c.Briefing
	slices.SortFunc(out, func(a, b *Briefing) int {
		switch {
		case a == home:
			return -1
		case b == home:
			return 1
		}
		return briefingOrder(b, a)
	})
	return out
}

// briefings makes again the claims cited in, and the actors and sources
// mentioned in, each touched briefing, and keeps each actor's list of the
// briefings mentioning it in step.
func (u *update) briefings() {
	for b := range u.briefs {
		if b.dead {
			for _, a := range b.Actors {
				a.Mentioned = remove(a.Mentioned, b)
				u.actors[a] = true
			}
			continue
		}
		old := b.Actors
		b.Cited, b.Actors, b.Sources = nil, slices.Clone(b.wlActors), slices.Clone(b.wlSources)
		mention := func(as []*Actor) {
			for _, a := range as {
				if !slices.Contains(b.Actors, a) {
					b.Actors = append(b.Actors, a)
				}
			}
		}
		for _, c := range b.appearing {
			if c.Briefing != b {
				b.Cited = append(b.Cited, c)
			} else {
				// As resolve: only where the claim is written.
				mention(c.By)
				mention(c.About)
			}
			for _, s := range c.Sources {
				if !slices.Contains(b.Sources, s) {
					b.Sources = append(b.Sources, s)
				}
			}
		}
		for _, cv := range b.Caveats {
			mention(cv.By)
		}
		slices.SortFunc(b.Cited, claimOrder)
		slices.SortFunc(b.Actors, actorOrder)
		slices.SortFunc(b.Sources, byID)
		for _, a := range old {
			if !slices.Contains(b.Actors, a) {
				a.Mentioned = remove(a.Mentioned, b)
				u.actors[a] = true
			}
		}
		for _, a := range b.Actors {
			if !slices.Contains(old, a) {
				a.Mentioned = insert(a.Mentioned, b, briefingOrder)
				u.actors[a] = true
			}
		}
	}
}

// retag keeps the tags when every briefing changed keeps its tags and its
// date, so its place in each tag's list: the new briefing takes the old
// one's place. It reports false, having changed nothing, otherwise.
func (u *update) retag() bool {
	if len(u.m.track.tags) > 0 || len(u.newBriefs) != len(u.goneBriefs) {
		return false
	}
	old := map[string]*Briefing{}
	for _, b := range u.goneBriefs {
		old[b.Path] = b
	}
	for _, b := range u.newBriefs {
		o := old[b.Path]
		if o == nil || o.unix != b.unix || !slices.Equal(o.Tags, b.Tags) || !slices.Equal(o.tagSlugs, b.tagSlugs) {
			return false
		}
	}
	for _, b := range u.newBriefs {
		o := old[b.Path]
		b.TagList = o.TagList
		for _, t := range o.TagList {
			if i := slices.Index(t.Briefings, o); i >= 0 {
				t.Briefings[i] = b
			}
			if t.first.Path == b.Path {
				t.first, t.firstPos = b.Page, b.tagPos[slices.Index(b.tagSlugs, t.Slug)]
			}
		}
	}
	return true
}

// forget drops everything rendered lazily: words changed, and with them
// any link text, anywhere.
func (m *Model) forget() {
	m.intro = lazyHTML{}
	for _, b := range m.Briefings {
		b.body = lazyHTML{}
	}
	for _, a := range m.Actors {
		a.body = lazyHTML{}
	}
	for _, s := range m.Sources {
		s.body = lazyHTML{}
	}
	inChunks(len(m.Claims), func(lo, hi int) {
		for _, c := range m.Claims[lo:hi] {
			c.words, c.text, c.flat = lazyHTML{}, lazyText{}, lazyText{}
		}
	})
	inChunks(len(m.Caveats), func(lo, hi int) {
		for _, cv := range m.Caveats[lo:hi] {
			cv.body, cv.text = lazyHTML{}, lazyText{}
		}
	})
}
