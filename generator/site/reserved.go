package site

import (
	"slices"

	"briefing/generator/diag"
)

// ReservedIDs reports the claims whose explicit id is one of names, which
// the published site keeps for pages of its own below /claims/ (the claims
// index narrowed by status): both would be written to one folder.
func (m *Model) ReservedIDs(names []string) diag.List {
	var out diag.List
	for _, c := range m.Claims {
		if slices.Contains(names, c.ID) {
			d := c.Page.diagAt(diag.Error, c.Page.bodyPos(c.Node.IDPos), "choose another id",
				"claim id %q is taken: /claims/%s/ lists the claims of that status", c.ID, c.ID)
			out = append(out, d)
		}
	}
	return out
}
