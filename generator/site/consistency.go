package site

import (
	"slices"
	"time"

	"briefing/generator/diag"
)

// inconsistencies are the warnings for relations that the statuses at
// their two ends contradict: two corroborated claims that contradict each
// other, a refuted claim supporting a corroborated one or the other way
// round; two claims updating each other. One of the two statuses is likely out of date, and a reader would
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
	for _, o := range c.Updates {
		// Reported once, on the claim of the lower id.
		if c.ID < o.ID && slices.Contains(o.Updates, c) {
			out = append(out, c.Page.diagAt(diag.Warning, c.Page.bodyPos(c.Node.Pos()),
				"the later claim updates the earlier one; drop updates= from the earlier",
				"claims %q and %q update each other", c.ID, o.ID))
		}
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
