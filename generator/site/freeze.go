package site

import (
	"bytes"
	"slices"

	"briefing/generator/markup"
)

// FreezeIDs returns the source of pg with each derived claim and caveat id
// written into its attribute block as #id, and how many it wrote. A
// derived id comes from the words, so editing them would move the page to
// a new URL and break every link to the old one; written, the id stays
// whatever the words become. The ids written are the ones the page has
// now, so nothing published moves. A page that is not valid UTF-8 is left
// as it is.
func FreezeIDs(pg *Page) ([]byte, int) {
	type insert struct {
		at   int
		text string
	}
	var ins []insert
	add := func(attrPos int, id string, block bool) {
		at := pg.bodyOff + attrPos
		if at < 0 || at >= len(pg.src) {
			return
		}
		switch {
		case pg.src[at] == '{' && at+1 < len(pg.src) && pg.src[at+1] == '}':
			ins = append(ins, insert{at + 1, "#" + id})
		case pg.src[at] == '{':
			ins = append(ins, insert{at + 1, "#" + id + " "})
		case block:
			// :::caveat with no attributes: they go after the name.
			if i := bytes.Index(pg.src[at:], []byte("caveat")); i >= 0 {
				ins = append(ins, insert{at + i + len("caveat"), "{#" + id + "}"})
			}
		}
	}
	for _, c := range pg.Claims {
		if c.AutoID {
			add(c.AttrPos, c.ID, false)
		}
	}
	for _, n := range pg.Caveats {
		if a := markup.Attrs(n); a.AutoID {
			_, block := n.(*markup.Caveat)
			add(a.AttrPos, a.ID, block)
		}
	}
	file := pg.src
	if pg.saved != nil {
		file = pg.saved // of src's length: no offset moved
	}
	if len(ins) == 0 {
		return file, 0
	}
	slices.SortFunc(ins, func(a, b insert) int { return b.at - a.at })
	out := slices.Clone(file)
	for _, in := range ins {
		out = slices.Insert(out, in.at, []byte(in.text)...)
	}
	return out, len(ins)
}
