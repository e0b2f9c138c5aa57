package render

import (
	"path"
	"strings"

	"briefing/generator/diag"
	"briefing/generator/markup"
	"briefing/generator/site"
)

// maxLinkHints is how many broken links to a page get a "did you mean"
// hint: each costs an edit distance to every id of its section, and a
// thousand broken links cost no more than a hundred.
const maxLinkHints = 100

// linkCheck is the state of one BrokenLinks call: what it looked up once
// and may need again.
type linkCheck struct {
	m       *site.Model
	static  map[string][]byte
	anchors map[*site.Briefing]map[string]bool
	ids     map[string][]string // a section's page ids
	hints   int
}

// BrokenLinks reports, as warnings, the links and images of the site's
// Markdown that lead into the site but to nothing there: neither a page
// the build makes (Lookup, the one map of paths to pages) nor a static
// file; and links to a claim, caveat or heading of a briefing that the
// briefing does not have. static is every static file by path below
// static/ (StaticFiles).
func BrokenLinks(m *site.Model, static map[string][]byte) diag.List {
	c := &linkCheck{m: m, static: static, anchors: map[*site.Briefing]map[string]bool{}, ids: map[string][]string{}}
	var out diag.List
	for _, l := range m.Links() {
		if d := c.check(l); d != nil {
			out = append(out, *d)
		}
	}
	return out
}

func (c *linkCheck) exists(p string) bool {
	if _, ok := c.static[p]; ok {
		return true
	}
	return Lookup(c.m, p) != nil
}

// check is the warning about l, or nil when it leads somewhere.
func (c *linkCheck) check(l site.Link) *diag.Diagnostic {
	broken := func(why, hint string) *diag.Diagnostic {
		d := l.Broken(why, hint)
		return &d
	}
	if l.Outside {
		return broken("it climbs above the site's root", "write the path from the site's root instead, such as /claims/<id>/")
	}
	p := l.Target.Path
	file := p
	if p == "" || strings.HasSuffix(p, "/") {
		file = p + "index.html"
	}
	switch {
	case c.exists(file):
	case !strings.HasSuffix(p, "/") && c.exists(p+"/index.html"):
		return broken("it names the folder of a page without its final slash", "write /"+p+"/, which works from any host and from disk")
	default:
		hint := c.missingHint(l, p)
		if rest, ok := strings.CutPrefix(p, "static/"); ok && c.exists(rest) {
			// static/ is the site's root, not a folder of it.
			hint = "write /" + rest + ": the files of static/ are published at the site's root"
		}
		return broken("no page or static file is there", hint)
	}
	if f := l.Target.Fragment; f != "" {
		return c.checkFragment(l, f)
	}
	return nil
}

// checkFragment checks a fragment that names an id a briefing's Markdown
// makes (claim-…, caveat-…, a heading's sec-…) on that briefing's page,
// and one that names a heading of it without sec-; other fragments and
// other pages are not looked into.
func (c *linkCheck) checkFragment(l site.Link, f string) *diag.Diagnostic {
	id, ok := strings.CutPrefix(l.Target.Path, "briefings/")
	id, ok2 := strings.CutSuffix(id, "/")
	if !ok || !ok2 || strings.Contains(id, "/") {
		return nil
	}
	b := c.m.Briefing(id)
	if b == nil {
		return nil
	}
	anchors := c.anchors[b]
	if anchors == nil {
		anchors = b.Anchors()
		c.anchors[b] = anchors
	}
	if !strings.HasPrefix(f, "claim-") && !strings.HasPrefix(f, "caveat-") && !strings.HasPrefix(f, markup.HeadingIDPrefix) {
		// #background, as Hugo would name "## Background": the heading
		// is there, under its own id. Any other fragment may be one the
		// page's template makes.
		if anchors[markup.HeadingIDPrefix+f] && !layoutID(f) {
			d := l.Broken("the briefing "+id+" has no id "+f+"; its heading's id is "+markup.HeadingIDPrefix+f,
				"write #"+markup.HeadingIDPrefix+f+": headings' ids begin with "+markup.HeadingIDPrefix)
			return &d
		}
		return nil
	}
	if anchors[f] {
		return nil
	}
	d := l.Broken("the briefing "+id+" has no claim, caveat or heading with the id "+f,
		"claims are claim-<id>, caveats caveat-<id>, headings "+markup.HeadingIDPrefix+"<their words>")
	return &d
}

// layoutID reports whether id is one the built-in pages give their own
// elements (main, site-title, toc-title, h-…, f-…, search-…, nb-…,
// kind-…, status-…; TestLayoutIDs holds the templates to it): a link to
// it works, whatever heading shares its words.
func layoutID(id string) bool {
	switch id {
	case "main", "site-title", "toc-title":
		return true
	}
	for _, p := range []string{"h-", "f-", "search-", "nb-", "kind-", "status-"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// missingHint is what to do about a link to p, where nothing is: the
// page of the same section whose id is nearest, where one is near
// enough; else to put a file in static/, or to link to a page.
func (c *linkCheck) missingHint(l site.Link, p string) string {
	section, rest, _ := strings.Cut(p, "/")
	id, _, _ := strings.Cut(rest, "/")
	// Only a page's own path: a file below an existing page's folder is
	// no typo of the page.
	if id != "" && p == section+"/"+id+"/" && c.hints < maxLinkHints {
		ids, ok := c.ids[section]
		if !ok {
			ids = sectionIDs(c.m, section)
			c.ids[section] = ids
		}
		if len(ids) > 0 {
			c.hints++
			if near := markup.Nearest(id, ids); near != "" && near != id {
				return "did you mean /" + section + "/" + near + "/?"
			}
		}
	}
	if l.Image || strings.Contains(path.Base(p), ".") {
		return "put the file at static/" + p + ", or correct the path"
	}
	return "link to a page of the site, such as /briefings/<slug>/, or to a file in static/"
}

// sectionIDs are the ids of the pages of a section, nil for any other
// folder.
func sectionIDs(m *site.Model, section string) []string {
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
	return ids
}
