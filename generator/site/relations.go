package site

import (
	"slices"
	"strings"

	"briefing/generator/markup"
)

// Relation is the claims related to one claim in one way.
type Relation struct {
	Kind   string // one of markup.RelationKinds
	Label  string // e.g. "Contradicted by"
	Claims []*Claim
}

// Relations are the claims this one contradicts, supports or updates and
// those that do so to it, in the order of markup.RelationKinds; kinds
// without claims are left out.
func (c *Claim) Relations() []Relation {
	var out []Relation
	for _, k := range markup.RelationKinds {
		if cs := c.related(k.Kind); len(cs) > 0 {
			out = append(out, Relation{Kind: k.Kind, Label: k.Label, Claims: cs})
		}
	}
	return out
}

// related is the claims related to c by kind, one of RelationKinds.
func (c *Claim) related(kind string) []*Claim {
	switch kind {
	case "contradicted-by":
		return c.ContradictedBy
	case "contradicts":
		return c.Contradicts
	case "updated-by":
		return c.UpdatedBy
	case "updates":
		return c.Updates
	case "supported-by":
		return c.SupportedBy
	case "supports":
		return c.Supports
	}
	return nil
}

// Related is Relations without the claim that updates this one when it is
// the only one: the line on the update (Newer) tells of it.
func (c *Claim) Related() []Relation {
	rels := c.Relations()
	for i, r := range rels {
		if r.Kind == "updated-by" && len(r.Claims) == 1 {
			return slices.Delete(rels, i, i+1)
		}
	}
	return rels
}

// before orders claims by when they were made, then by id.
func before(a, b *Claim) int {
	if d := a.Date.Compare(b.Date); d != 0 {
		return d
	}
	return strings.Compare(a.ID, b.ID)
}

// latest is the claim of cs made last, or nil.
func latest(cs []*Claim) *Claim {
	if len(cs) == 0 {
		return nil
	}
	return slices.MaxFunc(cs, before)
}

// Newer is the latest of the claims that update this one, or nil: what a
// reader of this claim is told to read instead.
func (c *Claim) Newer() *Claim { return latest(c.UpdatedBy) }

// Older is the latest of the claims this one updates, or nil.
func (c *Claim) Older() *Claim { return latest(c.Updates) }

// UpdateDate is the date of o, a claim updating c or updated by it, as a
// reader of c reads it: "23 Nov", with the year when it is not c's.
func (c *Claim) UpdateDate(o *Claim) string {
	if o.Date.IsZero() {
		return ""
	}
	if o.Date.Year() == c.Date.Year() {
		return o.Date.Format("2 Jan")
	}
	return o.Date.Format("2 Jan 2006")
}

// History is the chain of updates the claim is in, across briefings: every
// claim it updates or is updated by, and theirs in turn, oldest first; nil
// when the claim is in no chain. Updates may run in a circle (a mistake,
// but one a build must survive), so each claim is visited once.
func (c *Claim) History() []*Claim {
	if len(c.Updates) == 0 && len(c.UpdatedBy) == 0 {
		return nil
	}
	seen := map[*Claim]bool{c: true}
	out := []*Claim{c}
	for i := 0; i < len(out); i++ {
		for _, os := range [][]*Claim{out[i].Updates, out[i].UpdatedBy} {
			for _, o := range os {
				if !seen[o] {
					seen[o] = true
					out = append(out, o)
				}
			}
		}
	}
	slices.SortFunc(out, before)
	return out
}

// Lang is the BCP 47 tag of the claim's words, from its lang= attribute,
// or "".
func (c *Claim) Lang() string { return c.lang }

// Dir is the direction of the claim's words: rtl or ltr when its lang=
// says, else auto.
func (c *Claim) Dir() string { return markup.Direction(c.lang) }

// claimLink is a link to c, with its status for a badge.
func claimLink(c *Claim) markup.Link {
	return markup.Link{Href: c.URL, Text: c.Short(), Title: claimTitle(c), Kind: "claim", Status: c.Status, Lang: c.lang}
}

// dated is a link to o, a claim that updates c or is updated by it.
func (c *Claim) dated(o *Claim) *markup.Dated {
	if o == nil {
		return nil
	}
	d := &markup.Dated{Link: claimLink(o), Date: c.UpdateDate(o)}
	if !o.Date.IsZero() {
		d.ISODate = o.Date.Format("2006-01-02")
	}
	return d
}

// appendRelationViews appends the claim's relations, as its card lists
// them, to out, in the links out's elements past its length hold where
// they have room.
func (c *Claim) appendRelationViews(out []markup.Relation) []markup.Relation {
	for _, k := range markup.RelationKinds {
		cs := c.related(k.Kind)
		if len(cs) == 0 {
			continue
		}
		var links []markup.Link
		if len(out) < cap(out) {
			links = out[:len(out)+1][len(out)].Claims[:0]
		}
		for _, o := range cs {
			links = append(links, claimLink(o))
		}
		out = append(out, markup.Relation{Kind: k.Kind, Claims: links})
	}
	return out
}
