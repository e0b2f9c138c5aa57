package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"briefing/generator/diag"
)

// inconsistencies are the warnings for relations that the statuses at
// their two ends contradict: two corroborated claims that contradict each
// other, a refuted claim supporting a corroborated one or the other way
// round; claims updating each other in a circle. One of the two statuses is likely out of date, and a reader would
// be told both that a thing is established and that what it contradicts
// is. Each is reported once, on the claim that states the relation.
func (c *Claim) inconsistencies() diag.List {
	var out diag.List
	warn := func(other *Claim, msg, hint string) {
		out = append(out, c.Page.diagAt(diag.Warning, c.Page.bodyPos(c.Node.Pos()), hint,
			"claim %q is %s but %s claim %q, which is %s", c.ID, c.Status, msg, other.ID, other.Status))
	}
	for _, o := range c.Contradicts {
		if c.Status == "corroborated" && o.Status == "corroborated" {
			warn(o, "contradicts", "two corroborated claims cannot contradict each other; is one of them disputed or refuted now?")
		}
	}
	if len(c.circle) > 0 {
		ids := make([]string, len(c.circle))
		for i, o := range c.circle {
			ids[i] = strconv.Quote(o.ID)
		}
		list := strings.Join(ids[:len(ids)-1], ", ") + " and " + ids[len(ids)-1]
		out = append(out, c.Page.diagAt(diag.Warning, c.Page.bodyPos(c.Node.Pos()),
			"an update names the older claim it replaces, so updates cannot run in a circle: drop updates= from the claim that came first",
			"claims %s update each other in a circle, so none of them is the latest", list))
	}
	for _, o := range c.Updates {
		// A claim dated by a standing source (a union's page cited for
		// days) takes the source's date, and its update would be shown
		// as older than what it updates.
		if !c.Date.IsZero() && c.Date.Before(o.Date) {
			out = append(out, c.Page.diagAt(diag.Warning, c.Page.bodyPos(c.Node.Pos()),
				"a claim is dated by its date=, else by its first source's date, else by its briefing's: give it date=YYYY-MM-DD",
				"claim %q updates %q but is dated %s, before it (%s)", c.ID, o.ID, c.Date.Format(time.DateOnly), o.Date.Format(time.DateOnly)))
		}
	}
	for _, o := range c.Supports {
		switch {
		case c.Status == "refuted" && o.Status == "corroborated":
			warn(o, "supports", "a refuted claim lends no support; drop supports= or review the statuses")
		case c.Status == "corroborated" && o.Status == "refuted":
			warn(o, "supports", "a claim a corroborated one supports is hardly refuted; review the statuses")
		}
	}
	return out
}

// markCircles finds the circles of updates among claims (a updates b, b
// updates a; or a, b and c round), each strongly connected set of two or
// more claims once, and keeps it on its claim of the lowest id, for
// inconsistencies to report; every other claim's is cleared. Only a claim
// that both updates and is updated can be in one, so the search (Tarjan's,
// without recursion) starts from those alone: a site's few.
func markCircles(claims []*Claim) {
	type state struct{ index, low int }
	seen := map[*Claim]*state{}
	var stack []*Claim
	onStack := map[*Claim]bool{}
	inCircle := func(c *Claim) bool { return len(c.Updates) > 0 && len(c.UpdatedBy) > 0 }
	type frame struct {
		c    *Claim
		next int
	}
	// Cleared first: a search from one claim marks another, later in
	// claims, that its own turn must not clear.
	for _, c := range claims {
		c.circle = nil
	}
	for _, root := range claims {
		if !inCircle(root) || seen[root] != nil {
			continue
		}
		frames := []frame{{c: root}}
		seen[root] = &state{len(seen), len(seen)}
		stack, onStack[root] = append(stack, root), true
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			if f.next < len(f.c.Updates) {
				o := f.c.Updates[f.next]
				f.next++
				if !inCircle(o) {
					continue
				}
				if st := seen[o]; st == nil {
					seen[o] = &state{len(seen), len(seen)}
					stack, onStack[o] = append(stack, o), true
					frames = append(frames, frame{c: o})
				} else if onStack[o] {
					seen[f.c].low = min(seen[f.c].low, st.index)
				}
				continue
			}
			st := seen[f.c]
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				parent := seen[frames[len(frames)-1].c]
				parent.low = min(parent.low, st.low)
			}
			if st.low != st.index {
				continue
			}
			i := len(stack) - 1
			for stack[i] != f.c {
				i--
			}
			set := slices.Clone(stack[i:])
			for _, o := range set {
				delete(onStack, o)
			}
			stack = stack[:i]
			if len(set) > 1 {
				slices.SortFunc(set, func(a, b *Claim) int { return cmp.Compare(a.ID, b.ID) })
				set[0].circle = set
			}
		}
	}
}
