package site

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"briefing/generator/diag"
	"briefing/generator/markup"
)

// signature is everything Resolve reads from a page but its words: front
// matter, ids, attributes and link targets, in order. Two parses of a file
// with the same signature differ only in prose, so they resolve alike.
func (pg *Page) signature() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%q|%s|%q|%q|%q|%v|%q|%q|%q|%q|%q|%q|%q|%q|%q|%d|%v|%q\n",
		pg.Section, pg.ID, pg.Title, pg.Date, pg.Dateline, pg.Summary, pg.Tags, pg.Draft,
		pg.Name, pg.ActorKind, pg.Role, pg.Affiliation.Name, pg.Aliases, pg.Publisher.Name,
		pg.SourceURL, pg.Reliability, pg.Description, pg.Credibility, pg.RawHTML, pg.Language)
	for _, k := range slices.Sorted(maps.Keys(pg.Params)) {
		fmt.Fprintf(&b, "param %q=%#v\n", k, pg.Params[k])
	}
	refs := func(rs []markup.Ref) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Name
		}
		return out
	}
	for _, c := range pg.Claims {
		fmt.Fprintf(&b, "claim %q %v %q %q %q %q %q %d %q %q %q %q %q\n", c.ID, c.AutoID, refs(c.By), refs(c.Src),
			refs(c.About), c.Status, c.Likelihood, c.Credibility, c.Confidence, c.Date,
			refs(c.Contradicts), refs(c.Supports), refs(c.Updates))
	}
	for _, n := range pg.Caveats {
		a := markup.Attrs(n)
		fmt.Fprintf(&b, "caveat %q %q %q\n", a.ID, refs(a.On), refs(a.By))
	}
	for _, w := range pg.Wikilinks {
		in := ""
		if c := pg.claimOf[w]; c != nil {
			in = c.ID
		}
		fmt.Fprintf(&b, "link %q %q %q\n", w.Prefix, w.Target, in)
	}
	return b.String()
}

// Patch swaps new parses of pages into m in place of old ones when only
// their words changed: same signature, no problems of their own. It is what
// makes the commonest edit cheapest; anything else needs Update or Resolve. It
// returns every diagnostic Resolve would give about the new pages (all
// warnings, since m resolved without errors; the caller drops the old
// pages' own) and whether it patched; when it did not, m is unchanged.
//
// Patch writes to m: nothing may read m while it runs.
func (m *Model) Patch(old, new []*Page) (diag.List, bool) {
	swaps := make([]func(), len(old))
	for i := range old {
		o, n := old[i], new[i]
		if n.Path != o.Path || len(n.diags) > 0 || o.signature() != n.signature() {
			return nil, false
		}
		// What Update keeps of the page's references holds positions:
		// only warnings about claims without a source, made again below.
		if t := m.track; t != nil {
			st := t.pages[o.Path]
			// Any other warning (a reference to a claim in a draft) is
			// not made again: the page is updated instead.
			noSource := 0
			for _, node := range o.Claims {
				if len(node.Src) == 0 {
					noSource++
				}
			}
			if st == nil || st.pg != o || len(st.unknowns) > 0 || len(st.diags) != noSource ||
				slices.ContainsFunc(st.diags, func(d diag.Diagnostic) bool { return d.Severity == diag.Error }) {
				return nil, false
			}
		}
		// Only a page the model holds: not a skipped draft, not a duplicate.
		switch o.Section {
		case Briefings:
			b := m.briefings[o.ID]
			if b == nil || b.Page != o {
				return nil, false
			}
			swaps[i] = func() { b.Page = n }
		case Actors:
			a := m.actors[o.ID]
			if a == nil || a.Page != o {
				return nil, false
			}
			swaps[i] = func() { a.Page = n }
		case Sources:
			s := m.sources[o.ID]
			if s == nil || s.Page != o {
				return nil, false
			}
			swaps[i] = func() { s.Page = n }
		case Home:
			if m.Intro != o {
				return nil, false
			}
			swaps[i] = func() { m.Intro = n }
		default:
			return nil, false
		}
	}
	var diags diag.List
	for i, n := range new {
		swaps[i]()
		// Whether anything refers to the page is in the references, which
		// did not change, so the old page's answer is the new one's.
		switch n.Section {
		case Actors:
			if a := m.actors[n.ID]; !a.used.Load() {
				diags = append(diags, unusedActor(a))
			}
		case Sources:
			if s := m.sources[n.ID]; !s.used.Load() {
				diags = append(diags, unusedSource(s))
			}
		}
		var own diag.List
		for _, node := range n.Claims {
			c := m.claims[node.ID]
			c.Node, c.Page = node, n
			// The statuses did not change, or this would be no patch; the
			// warnings are the model's (assemble), not the page's own, so
			// they stay out of the tracker's.
			diags = append(diags, c.inconsistencies()...)
			if len(node.Src) == 0 {
				own = append(own, n.diagAt(diag.Warning, n.bodyPos(node.Pos()), "add src=source-id", "claim %q has no source", c.ID))
			}
		}
		diags = append(diags, own...)
		if t := m.track; t != nil {
			st := t.pages[n.Path]
			st.pg, st.diags = n, own
			t.note(st)
		}
		for _, node := range n.Caveats {
			cv := m.caveats[markup.Attrs(node).ID]
			cv.Node, cv.Attrs, cv.Page = node, markup.Attrs(node), n
		}
	}
	// Words changed, so anything rendered from words may have: the lazily
	// rendered Markdown and texts of the whole site start again.
	m.forget()
	diags.Sort()
	return diags, true
}

// unusedActor is the warning for an actor nothing refers to, from Resolve
// and Patch alike.
func unusedActor(a *Actor) diag.Diagnostic {
	return diag.Diagnostic{Path: a.Path, Line: 1, Col: 1, Severity: diag.Warning,
		Message: fmt.Sprintf("actor %q is not referred to by anything", a.ID),
		Hint:    "mention it with [[" + a.ID + "]], or remove the file"}
}

// unusedSource is the warning for a source nothing cites, from Resolve and
// Patch alike.
func unusedSource(s *Source) diag.Diagnostic {
	return diag.Diagnostic{Path: s.Path, Line: 1, Col: 1, Severity: diag.Warning,
		Message: fmt.Sprintf("source %q is not referred to by anything", s.ID),
		Hint:    "cite it with src=" + s.ID + " on a claim, or remove the file"}
}
