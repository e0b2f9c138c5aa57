package render

import (
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"briefing/generator/markup"
	"briefing/generator/site"
)

// A claim page shows the claim's neighbourhood, the claims it contradicts,
// supports or updates and those that do so to it, as an SVG drawn here at
// build time, so that it needs no script: the claims that act on this one
// on the left, the claim in the middle, the claims it acts on on the
// right, an arrow from each claim to the claim it acts on, labelled with
// how. Every other claim is a link to its page. The template function
// neighbourhood and the claim page's Go writer both call neighbourhood, so
// the two give the same bytes.
//
// The SVG is a role="group" with a label that says what it shows, not a
// role="img": the children of an image are presentational, and links
// inside one are links no screen reader can reach. Colours come from the
// stylesheet's classes; without it, lines and text take currentColor and
// boxes are not filled, readable on any background.

// nbMax is the most related claims the diagram shows; the rest are named
// only by their number (the lists below it name them all).
const nbMax = 12

// The geometry of the diagram, in user units.
const (
	nbWidth  = 680 // of the whole drawing
	nbNodeW  = 170 // of a claim's box
	nbNodeH  = 54
	nbPitch  = 66  // from one row to the next
	nbCentre = 255 // left edge of the middle box
	nbRight  = nbWidth - nbNodeW
	nbChars  = 25 // characters on one line of a box
)

// nbNode is one claim around the middle, with how it relates.
type nbNode struct {
	c     *site.Claim
	verbs []string
}

// nbGroup gathers the claims of several relations into one node per
// claim, in the order given, without c itself.
func nbGroup(c *site.Claim, rels []nbRel) []nbNode {
	var out []nbNode
	at := map[*site.Claim]int{}
	for _, r := range rels {
		for _, o := range r.cs {
			if o == c {
				continue
			}
			if i, ok := at[o]; ok {
				out[i].verbs = append(out[i].verbs, r.verb)
				continue
			}
			at[o] = len(out)
			out = append(out, nbNode{c: o, verbs: []string{r.verb}})
		}
	}
	return out
}

type nbRel struct {
	verb string
	cs   []*site.Claim
}

// neighbourhood is the SVG of c's neighbourhood in a figure, or nothing
// when c has no related claim.
func neighbourhood(c *site.Claim) template.HTML {
	w := &writer{}
	writeNeighbourhood(w, c)
	return template.HTML(w.b)
}

// writeNeighbourhood appends what neighbourhood gives to w: a claim page
// draws it straight into the page.
func writeNeighbourhood(w *writer, c *site.Claim) {
	in := nbGroup(c, []nbRel{{"contradicts", c.ContradictedBy}, {"supports", c.SupportedBy}, {"updates", c.UpdatedBy}})
	out := nbGroup(c, []nbRel{{"contradicts", c.Contradicts}, {"supports", c.Supports}, {"updates", c.Updates}})
	if len(in)+len(out) == 0 {
		return
	}
	hidden := 0
	if len(in)+len(out) > nbMax {
		nl := min(len(in), max(nbMax/2, nbMax-len(out)))
		nr := min(len(out), nbMax-nl)
		hidden = len(in) + len(out) - nl - nr
		in, out = in[:nl], out[:nr]
	}
	rows := max(len(in), len(out), 1)
	height := rows*nbPitch - (nbPitch - nbNodeH) + 4
	midY := height / 2
	// A side without claims is cut off the drawing.
	left, right := 0, nbWidth
	if len(in) == 0 {
		left = nbCentre - 2
	}
	if len(out) == 0 {
		right = nbCentre + nbNodeW + 2
	}
	// Drawn at 5/4 of its units, so that its 12-unit text reads at the
	// size of the page's small print.
	w.raw(`<figure class="neighbourhood"><svg class="nb" width="`)
	w.int((right - left) * 5 / 4)
	w.raw(`" height="`)
	w.int(height * 5 / 4)
	w.raw(`" viewBox="`)
	w.int(left)
	w.raw(" 0 ")
	w.int(right - left)
	w.raw(" ")
	w.int(height)
	w.raw(`" role="group" aria-label="`)
	w.text(nbLabel(c))
	w.raw(`"><defs><marker id="nb-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path class="nb-head" d="M0 0L10 5L0 10z" fill="currentColor"/></marker></defs>`)
	// Edges first, so that boxes are drawn over their ends.
	column := func(nodes []nbNode, x int, incoming bool) {
		top := 2 + (rows-len(nodes))*nbPitch/2
		for i, n := range nodes {
			y := top + i*nbPitch + nbNodeH/2
			x1, y1, x2, y2 := x+nbNodeW, y, nbCentre, midY
			if !incoming {
				x1, y1, x2, y2 = nbCentre+nbNodeW, midY, x, y
			}
			w.raw(`<line class="nb-edge" x1="`)
			w.int(x1)
			w.raw(`" y1="`)
			w.int(y1)
			w.raw(`" x2="`)
			w.int(x2)
			w.raw(`" y2="`)
			w.int(y2)
			w.raw(`" stroke="currentColor" marker-end="url(#nb-arrow)"/>`)
			// The label sits at the middle of its edge, one line a verb.
			lx, ly := (x1+x2)/2, (y1+y2)/2-(len(n.verbs)-1)*6
			for j, v := range n.verbs {
				w.raw(`<text class="nb-label" x="`)
				w.int(lx)
				w.raw(`" y="`)
				w.int(ly + j*12 + 4)
				w.raw(`" text-anchor="middle" fill="currentColor">`)
				w.text(v)
				w.raw(`</text>`)
			}
		}
	}
	column(in, 1, true)
	column(out, nbRight-1, false)
	boxes := func(nodes []nbNode, x int, incoming bool) {
		top := 2 + (rows-len(nodes))*nbPitch/2
		for i, n := range nodes {
			w.raw(`<a href="`)
			w.url(n.c.URL)
			w.raw(`"><title>`)
			who := "Claim that " + strings.Join(n.verbs, " and ") + " this one: "
			if !incoming {
				who = "Claim this one " + strings.Join(n.verbs, " and ") + ": "
			}
			w.text(who + n.c.Short() + " (" + nbMeta(n.c) + ")")
			w.raw(`</title>`)
			nbBox(w, n.c, x, top+i*nbPitch, "")
			w.raw(`</a>`)
		}
	}
	boxes(in, 1, true)
	nbBox(w, c, nbCentre, midY-nbNodeH/2, " nb-self")
	boxes(out, nbRight-1, false)
	w.raw(`</svg><figcaption>Arrows run from a claim to the claim it contradicts, supports or updates.`)
	if hidden > 0 {
		w.raw(" And ")
		w.int(hidden)
		w.raw(" more, listed below.")
	}
	w.raw(`</figcaption></figure>`)
}

// nbBox draws the box of claim c with its top left corner at x, y.
func nbBox(w *writer, c *site.Claim, x, y int, class string) {
	w.raw(`<g class="nb-node nb-`)
	w.text(c.Status)
	w.raw(class)
	w.raw(`" transform="translate(`)
	w.int(x)
	w.raw(" ")
	w.int(y)
	w.raw(`)"><rect width="`)
	w.int(nbNodeW)
	w.raw(`" height="`)
	w.int(nbNodeH)
	w.raw(`" rx="4" fill="none" stroke="currentColor"/>`)
	for i, line := range wrapWords(c.Text(), nbChars, 2) {
		w.raw(`<text x="8" y="`)
		w.int(17 + i*14)
		w.raw(`" fill="currentColor">`)
		w.text(line)
		w.raw(`</text>`)
	}
	w.raw(`<text class="nb-meta" x="8" y="46" fill="currentColor">`)
	w.text(nbMeta(c))
	w.raw(`</text></g>`)
}

// nbMeta is a claim's status and grade.
func nbMeta(c *site.Claim) string {
	if g := c.Grade.String(); g != "" {
		return c.Status + " · " + g
	}
	return c.Status
}

// nbLabel says what the diagram shows, for screen readers.
func nbLabel(c *site.Claim) string {
	var parts []string
	for _, r := range []struct {
		verb string
		cs   []*site.Claim
	}{
		{"contradicts", c.Contradicts}, {"is contradicted by", c.ContradictedBy},
		{"supports", c.Supports}, {"is supported by", c.SupportedBy},
		{"updates", c.Updates}, {"is updated by", c.UpdatedBy},
	} {
		if n := len(r.cs); n > 0 {
			s := r.verb + " " + strconv.Itoa(n) + " claim"
			if n > 1 {
				s += "s"
			}
			parts = append(parts, s)
		}
	}
	return "Diagram of related claims: this claim " + strings.Join(parts, ", ") + "."
}

// wrapWords breaks s into at most lines lines at most width columns wide,
// between words where it can, and ends the last with "…" when s does not
// fit. A Chinese or Japanese character takes two columns, as it is drawn
// twice as wide as a Latin letter, and a line of them breaks anywhere
// between two.
func wrapWords(s string, width, lines int) []string {
	var out []string
	s = markup.FoldString(s)
	for len(out) < lines && s != "" {
		if textWidth(s) <= width {
			out = append(out, s)
			break
		}
		last := len(out) == lines-1
		end := widthAt(s, width)
		if last {
			end = widthAt(s, width-1) // room for the ellipsis
		}
		cut := end
		if s[end] != ' ' && !wideBreak(s, end) {
			if sp := strings.LastIndexByte(s[:end], ' '); sp > 0 {
				cut = sp
			}
		}
		line := strings.TrimSpace(s[:cut])
		s = strings.TrimSpace(s[cut:])
		if last {
			line += "…"
		}
		out = append(out, line)
	}
	return out
}

// wideBreak tells whether s may break at i, between two characters of
// which one is two columns wide: Chinese and Japanese break between any
// two characters.
func wideBreak(s string, i int) bool {
	if s[i] < utf8.RuneSelf && s[i-1] < utf8.RuneSelf {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i:])
	return uniseg.StringWidth(string(before)) == 2 || uniseg.StringWidth(string(after)) == 2
}

// widthAt is the byte offset in s of the first character past n columns,
// at the start of its grapheme cluster, or len(s). The first is always
// taken, so that a line holds something.
func widthAt(s string, n int) int {
	if ascii(s) {
		return min(n, len(s))
	}
	g := uniseg.NewGraphemes(s)
	w := 0
	for g.Next() {
		w += g.Width()
		if start, _ := g.Positions(); w > n && start > 0 {
			return start
		}
	}
	return len(s)
}

// textWidth is how many columns s takes (see wrapWords); a claim's words
// are mostly ASCII, measured without finding their graphemes, on each of
// a hundred thousand claim pages.
func textWidth(s string) int {
	if ascii(s) {
		return len(s)
	}
	return uniseg.StringWidth(s)
}

// ascii tells whether s is ASCII alone, which is measured and folded
// without Unicode's tables.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
