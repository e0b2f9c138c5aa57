package site

import (
	"fmt"
	"slices"

	"briefing/generator/diag"
)

// ReservedIDs reports the claims whose explicit id is one of names, which
// the published site keeps for pages of its own below /claims/ (the claims
// index narrowed by status), and the briefings, claims, caveats and sources
// whose id is "page", the folder of their index's later pages: both would
// be written to one folder.
func (m *Model) ReservedIDs(names []string) diag.List {
	var out diag.List
	const page = "page"
	taken := func(section string) string {
		return "/" + section + "/page/2/ and on are the later pages of the " + section + " index"
	}
	// Looked up by id, not by a pass over every claim: serve asks on
	// every edit.
	for _, name := range names {
		if c := m.claims[name]; c != nil {
			out = append(out, c.Page.diagAt(diag.Error, c.Page.bodyPos(c.Node.IDPos), "choose another id",
				"claim id %q is taken: /claims/%s/ lists the claims of that status", c.ID, c.ID))
		}
	}
	if c := m.claims[page]; c != nil && !slices.Contains(names, page) {
		out = append(out, c.Page.diagAt(diag.Error, c.Page.bodyPos(c.Node.IDPos), "choose another id",
			"claim id %q is taken: %s", c.ID, taken("claims")))
	}
	if cv := m.caveats[page]; cv != nil {
		out = append(out, cv.Page.diagAt(diag.Error, cv.Page.bodyPos(cv.Attrs.IDPos), "choose another id",
			"caveat id %q is taken: %s", cv.ID, taken("caveats")))
	}
	file := func(pg *Page, kind, section string) {
		out = append(out, diag.Diagnostic{Path: pg.Path, Line: 1, Col: 1, Severity: diag.Error,
			Message: fmt.Sprintf("%s id %q is taken: %s", kind, page, taken(section)), Hint: "rename the file"})
	}
	if b := m.Briefing(page); b != nil {
		file(b.Page, "briefing", "briefings")
	}
	if s := m.Source(page); s != nil {
		file(s.Page, "source", "sources")
	}
	return out
}
