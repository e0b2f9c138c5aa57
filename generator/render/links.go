package render

import (
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
			hint := "link to a page of the site, such as /briefings/<slug>/, or put the file in static/"
			if l.Image {
				hint = "put the image in static/, e.g. static/" + strings.TrimPrefix(p, "/") + ", and link it from the site's root"
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
