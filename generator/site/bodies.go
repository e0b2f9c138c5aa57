package site

import (
	"bytes"
	"io"
	"math"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	"briefing/generator/beneath"
	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Bodies keeps the bodies of briefings that ParseLean rendered while it
// parsed them, so that a build renders each body once, not once to check
// it and again, parsed anew, for its page. What the resolved site decides
// of a body (its claims' marks and cards, its caveats' labels, its
// wikilinks) is left as holes, filled in when the page is written (see
// markup.Renderer.Defer); the rest is written to a temporary file, not
// kept in memory: at 10,000 briefings it is 100 MB, and held in memory
// until the pages were written it raised the peak by 140 to 260 MB.
//
// A page shows what was rendered only while the model's base path, raw
// HTML setting and code cache are those it was rendered with; otherwise,
// or when the file cannot be read, the body is parsed again as before.
type Bodies struct {
	base   string
	code   *CodeCache
	drafts bool              // drafts are published
	raw    bool              // shows raw HTML: set by ParseLean from content/_index.md
	md     goldmark.Markdown // renders with holes; set by ParseLean

	f    *os.File
	name string
	end  atomic.Int64
	gone atomic.Bool // closed
}

// NewBodies makes the temporary file of bodies rendered for a site
// published at the base path base, highlighting code through code, with
// its drafts or without, in the system's folder for temporary files.
func NewBodies(base string, code *CodeCache, drafts bool) (*Bodies, error) {
	f, err := os.CreateTemp("", "briefing-bodies-*")
	if err != nil {
		return nil, err
	}
	s := &Bodies{base: base, code: code, drafts: drafts, f: f, name: f.Name()}
	// Gone from the folder at once where the system allows it, so that
	// a build killed part-way leaves nothing behind.
	if os.Remove(f.Name()) == nil {
		s.name = ""
	}
	return s, nil
}

// NewBodiesIn is NewBodies with the file made without a name on the
// file system of the folder dir (see beneath.TempFile), where it can be;
// else, and when dir is "", as NewBodies makes it. A build keeps it on
// the file system it writes the site to, with the site's other bytes,
// not in the system's folder, which may be a small tmpfs or another disk
// (at 1,000 briefings, with the output on a tmpfs and the system's folder
// on ext4, writing the bodies to ext4 was 3% of the build's time).
// Unnamed, it changes nothing in dir: a build that changes nothing
// writes nothing.
func NewBodiesIn(dir, base string, code *CodeCache, drafts bool) (*Bodies, error) {
	if dir != "" {
		if f, err := beneath.TempFile(dir); err == nil {
			return &Bodies{base: base, code: code, drafts: drafts, f: f}, nil
		}
	}
	return NewBodies(base, code, drafts)
}

// Close removes the file; a body rendered into it is parsed again from
// then on. A nil Bodies has nothing to close.
func (s *Bodies) Close() {
	if s == nil || s.gone.Swap(true) {
		return
	}
	_ = s.f.Close()
	if s.name != "" {
		_ = os.Remove(s.name)
	}
}

// use readies s for the pages parsed from files: raw HTML is shown as the
// home page says, which is parsed first for it.
func (s *Bodies) use(raw bool) {
	s.raw = raw
	s.md = newMarkdown(raw, nil, s.code, s.base, deferHole)
}

func (s *Bodies) put(b []byte) (int64, error) {
	at := s.end.Add(int64(len(b))) - int64(len(b))
	_, err := s.f.WriteAt(b, at)
	return at, err
}

// renderedBody is a body ParseLean rendered: n bytes at in its Bodies'
// file, with holes where the resolved site goes.
type renderedBody struct {
	store *Bodies
	at    int64
	n     int
	holes []hole
	wikis []wikiRef // the wikilinks the holes name
	toc   []tocHead // the headings a table of contents may show
}

// hole is where the HTML of n (entering or leaving it) goes: before the
// byte off of the rendered body. A wikilink's hole has no node but the
// index of what it says in the body's wikis: a wikilink resolves by what
// it says, and its node (176 bytes, 25 of them a briefing in the
// generated corpus) need not be kept for it (see Model.Shed).
type hole struct {
	off      int32
	wiki     int32
	n        ast.Node
	entering bool
}

// wikiRef is what a wikilink says, and whether it is among a link's words
// (markup.Wikilink.InLink).
type wikiRef struct {
	prefix, target, label string
	inLink                bool
}

// holeWriter is the util.BufWriter a body is rendered into with holes:
// the buffer is the destination, and the holes are recorded beside it.
type holeWriter struct {
	bytes.Buffer
	holes []hole
	wikis []wikiRef
}

func (w *holeWriter) Buffered() int { return 0 }
func (w *holeWriter) Flush() error  { return nil }

// deferHole is the Defer of the Markdown that renders bodies with holes.
func deferHole(w util.BufWriter, n ast.Node, entering bool) {
	hw := w.(*holeWriter)
	h := hole{off: int32(hw.Len()), n: n, entering: entering}
	if wl, ok := n.(*markup.Wikilink); ok {
		h.n, h.wiki = nil, int32(len(hw.wikis))
		hw.wikis = append(hw.wikis, wikiRef{wl.Prefix, wl.Target, wl.Label, wl.InLink})
	}
	hw.holes = append(hw.holes, h)
}

var holeWriters = sync.Pool{New: func() any { return new(holeWriter) }}

// wants reports whether the page's body is to be rendered while it is
// parsed: not a draft the site leaves out, nor a page whose errors fail
// the build, which would be rendered for nothing.
func (s *Bodies) wants(pg *Page) bool {
	if pg.tree == nil || pg.Draft && !s.drafts {
		return false
	}
	errs, _ := pg.diags.Count()
	return errs == 0
}

// renderBody renders the page's body into s, before its tree is pruned.
// A body that cannot be kept is parsed again when shown, as without s;
// so is one whose rendering panics (a chroma lexer has), to fail its page
// there, where a page's panic is caught and reported.
func (pg *Page) renderBody(s *Bodies) {
	defer func() { _ = recover() }()
	var toc []tocHead
	ok := true
	tocHeadings(pg.tree, func(n *ast.Heading, id string) {
		p := markup.RecordPlainText(n, pg.markdown)
		ok = ok && p != nil
		toc = append(toc, tocHead{level: n.Level, id: id, plain: p})
	})
	if !ok {
		return
	}
	w := holeWriters.Get().(*holeWriter)
	defer holeWriters.Put(w)
	w.Reset()
	w.holes, w.wikis = w.holes[:0], w.wikis[:0]
	if s.md.Renderer().Render(w, pg.markdown, pg.tree) != nil || w.Len() > math.MaxInt32 {
		return
	}
	at, err := s.put(w.Bytes())
	if err != nil {
		return
	}
	pg.rendered = &renderedBody{store: s, at: at, n: w.Len(), holes: slices.Clone(w.holes), wikis: slices.Clone(w.wikis), toc: toc}
	if w.Cap() > 1<<20 {
		*w = holeWriter{} // not to keep one huge body's buffer in the pool
	}
}

// rendered is what ParseLean rendered of the body of pg, when the model
// would render it the same; nil when the body is to be parsed again.
func (m *Model) rendered(pg *Page) *renderedBody {
	r := pg.rendered
	if r == nil || r.store.gone.Load() || r.store.base != m.BasePath || r.store.raw != m.RawHTML || r.store.code != m.opts.Code {
		return nil
	}
	return r
}

var bodyBufs = sync.Pool{New: func() any { return new([]byte) }}

// writeRendered writes the body r, its holes filled in as the model
// resolved them, and reports whether it could; it writes nothing when it
// could not.
func (m *Model) writeRendered(w io.Writer, r *renderedBody) bool {
	return m.writeRenderedAs(w, r, markup.Renderer{Resolver: &claimViews{Model: m}})
}

// writeRenderedAs is writeRendered with the holes filled by res.
func (m *Model) writeRenderedAs(w io.Writer, r *renderedBody, res markup.Renderer) bool {
	bp := bodyBufs.Get().(*[]byte)
	defer bodyBufs.Put(bp)
	if cap(*bp) < r.n {
		*bp = make([]byte, r.n)
	}
	html := (*bp)[:r.n]
	if _, err := r.store.f.ReadAt(html, r.at); err != nil {
		return false
	}
	withBufWriter(w, func(bw util.BufWriter) {
		prev := 0
		var wl markup.Wikilink // stands for each wikilink in turn
		for _, h := range r.holes {
			_, _ = bw.Write(html[prev:h.off])
			n := h.n
			if n == nil {
				ref := r.wikis[h.wiki]
				wl.Prefix, wl.Target, wl.Label, wl.InLink = ref.prefix, ref.target, ref.label, ref.inLink
				n = &wl
			}
			res.WriteDeferred(bw, n, h.entering)
			prev = int(h.off)
		}
		_, _ = bw.Write(html[prev:])
	})
	if cap(*bp) > 1<<20 {
		*bp = nil
	}
	return true
}

// Rendered reports whether the briefing's body was rendered while it was
// parsed (see Bodies), so that TOC and WriteHTML need not parse it again.
func (b *Briefing) Rendered() bool { return b.m.rendered(b.Page) != nil }

// claimViews resolves as its Model does, but a claim's view once for its
// opening and its closing, which come in nested pairs: half the views a
// body's claims cost, which were a twentieth of a build's time.
type claimViews struct {
	*Model
	open []claimView // the claims opened and not yet closed, innermost last
	// free are views of claims closed, whose slices the next view fills:
	// a view a claim, allocated anew, was a sixth of what writing the
	// pages allocated.
	free []*markup.ClaimView
}

type claimView struct {
	n *markup.Claim
	v *markup.ClaimView
}

// ClaimView implements markup.Resolver.
func (r *claimViews) ClaimView(n *markup.Claim) *markup.ClaimView {
	for i := len(r.open) - 1; i >= 0; i-- {
		if r.open[i].n == n {
			v := r.open[i].v
			r.open = slices.Delete(r.open, i, i+1)
			if v != nil {
				// Written by the caller before it asks for another.
				r.free = append(r.free, v)
			}
			return v
		}
	}
	var v *markup.ClaimView
	if k := len(r.free); k > 0 {
		v, r.free = r.free[k-1], r.free[:k-1]
	} else {
		v = new(markup.ClaimView)
	}
	if !r.Model.fillClaimView(v, n) {
		r.free = append(r.free, v)
		v = nil
	}
	r.open = append(r.open, claimView{n, v})
	return v
}
