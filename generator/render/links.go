package render

import (
	"path"
	"strings"

	"briefing/generator/diag"
	"briefing/generator/markup"
	"briefing/generator/site"
)

// BrokenLinks reports, as warnings, the links and images of the site's
// Markdown that lead into the site but to nothing there: neither a page
// the build makes (Lookup, the one map of paths to pages) nor a
// static file; and links to a claim, caveat or heading of a briefing
// that the briefing does not have. static is every static file by path
// below static/ (StaticFiles).
func BrokenLinks(m *site.Model, static map[string][]byte) diag.List {
	var out diag.List
	exists := func(p string) bool {
		if _, ok := static[p]; ok {
			return true
		}
		return Lookup(m, p) != nil
	}
	for _, l := range m.Links() {
		if l.Outside {
			out = append(out, l.Broken("it climbs above the site's root",
				"write the path from the site's root instead, such as /claims/<id>/"))
			continue
		}
		p := l.Target.Path
		file := p
		if p == "" || strings.HasSuffix(p, "/") {
			file = p + "index.html"
		}
		switch {
		case exists(file):
		case !strings.HasSuffix(p, "/") && exists(p+"/index.html"):
			out = append(out, l.Broken("it names the folder of a page without its final slash",
				"write /"+p+"/, which works from any host and from disk"))
			continue
		default:
			hint := missingHint(m, l, p)
			if rest, ok := strings.CutPrefix(p, "static/"); ok && exists(rest) {
				// static/ is the site's root, not a folder of it.
				hint = "write /" + rest + ": the files of static/ are published at the site's root"
			}
			out = append(out, l.Broken("no page or static file is there", hint))
			continue
		}
		if f := l.Target.Fragment; f != "" {
			if d := checkFragment(m, l, f); d != nil {
				out = append(out, *d)
			}
		}
	}
	return out
}

// checkFragment checks a fragment that names an id a briefing's Markdown
// makes (claim-…, caveat-…, a heading's sec-…) on that briefing's page;
// other fragments and other pages are not looked into.
func checkFragment(m *site.Model, l site.Link, f string) *diag.Diagnostic {
	id, ok := strings.CutPrefix(l.Target.Path, "briefings/")
	id, ok2 := strings.CutSuffix(id, "/")
	if !ok || !ok2 || strings.Contains(id, "/") {
		return nil
	}
	b := m.Briefing(id)
	if b == nil || !strings.HasPrefix(f, "claim-") && !strings.HasPrefix(f, "caveat-") && !strings.HasPrefix(f, markup.HeadingIDPrefix) {
		return nil
	}
	if b.HasAnchor(f) {
		return nil
	}
	d := l.Broken("the briefing "+id+" has no claim, caveat or heading with the id "+f,
		"claims are claim-<id>, caveats caveat-<id>, headings "+markup.HeadingIDPrefix+"<their words>")
	return &d
}

// missingHint is what to do about a link to p, where nothing is: the
// page of the same section whose id is nearest, where one is near
// enough; else to put a file in static/, or to link to a page.
func missingHint(m *site.Model, l site.Link, p string) string {
	section, rest, _ := strings.Cut(p, "/")
	id, _, _ := strings.Cut(rest, "/")
	var ids []string
	switch section {
	case "briefings":
		for _, b := range m.Briefings {
			ids = append(ids, b.ID)
		}
	case "actors":
		for _, a := range m.Actors {
			ids = append(ids, a.ID)
		}
	case "claims":
		for _, c := range m.Claims {
			ids = append(ids, c.ID)
		}
	case "sources":
		for _, s := range m.Sources {
			ids = append(ids, s.ID)
		}
	case "caveats":
		for _, c := range m.Caveats {
			ids = append(ids, c.ID)
		}
	case "tags":
		for _, t := range m.Tags {
			ids = append(ids, t.Slug)
		}
	}
	// Only a page's own path: a file below an existing page's folder is
	// no typo of the page.
	if id != "" && p == section+"/"+id+"/" {
		if near := markup.Nearest(id, ids); near != "" && near != id {
			return "did you mean /" + section + "/" + near + "/?"
		}
	}
	if l.Image || strings.Contains(path.Base(p), ".") {
		return "put the file at static/" + p + ", or correct the path"
	}
	return "link to a page of the site, such as /briefings/<slug>/, or to a file in static/"
}
