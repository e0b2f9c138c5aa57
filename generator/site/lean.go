package site

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"briefing/generator/markup"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/zeebo/xxh3"
)

// prune drops the tree of the page's body but for what the model resolves:
// its claims, caveats and wikilinks are taken out of the tree, each whole
// with what it holds, so that nothing the model keeps reaches the rest.
func (pg *Page) prune() {
	if pg.tree == nil {
		return
	}
	var out []ast.Node
	_ = ast.Walk(pg.tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *markup.Claim, *markup.Caveat, *markup.InlineCaveat, *markup.Wikilink:
			out = append(out, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range out {
		n.Parent().RemoveChild(n.Parent(), n)
	}
	pg.tree, pg.lean = nil, true
}

// Doc is the parsed body of pg and the source its segments point into:
// the tree kept since parsing, or, for a briefing parsed by ParseLean,
// the body parsed anew on each call (and read again after Shed), which
// the caller owns. Its claims and caveats stand for the ones the model
// resolved (see markup.Claim.Origin), its links lead where the first
// parse made them lead, and a page that renders it shows what the kept
// tree would have shown.
func (m *Model) Doc(pg *Page) (ast.Node, []byte) {
	if !pg.lean {
		return pg.tree, pg.markdown
	}
	body := m.source(pg)
	doc := m.md.Parser().Parse(text.NewReader(body))
	claims, caveats := 0, 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		// The same body gives the same tree, so the nth claim of this
		// one is the nth the first parse collected; its links are made
		// to lead where the first parse made them lead.
		switch n := n.(type) {
		case *ast.Link:
			pg.root(&n.Destination)
		case *ast.Image:
			pg.root(&n.Destination)
		case *markup.Claim:
			if claims < len(pg.Claims) {
				n.Origin = pg.Claims[claims]
				n.ID, n.AutoID, n.IDPos = n.Origin.ID, n.Origin.AutoID, n.Origin.IDPos
			}
			claims++
		case *markup.Caveat, *markup.InlineCaveat:
			if caveats < len(pg.Caveats) {
				a, origin := markup.Attrs(n), markup.Attrs(pg.Caveats[caveats])
				a.ID, a.AutoID, a.IDPos, a.Origin = origin.ID, origin.AutoID, origin.IDPos, origin
			}
			caveats++
		case *markup.Wikilink:
			n.Label = Typeset(n.Label) // as collect typesets it
		}
		return ast.WalkContinue, nil
	})
	return doc, body
}

// Shed lets a build's model forget what rendering no longer needs of the
// briefings parsed by ParseLean, once every check that reports a position
// has run: their sources, line tables and recorded text, and the words of
// their claims and caveats, whose text and HTML it keeps instead
// (rendering them first). Model.Doc reads a source again through read
// (the site's files by slash path) when a page shows the body, and stops
// the page when the file changed since it was parsed. At 10,000
// briefings it is 130 MB of the 400 MB the model held while the pages
// were rendered, a third of what the collector walked.
//
// A shed model is rendered, not resolved again: it is no model for Update.
//
// each, when not nil, is called with the index in Briefings of every
// briefing shed, on all cores, while its source is still held: what else
// is made of the body (the search index's terms) is taken there.
func (m *Model) Shed(read func(path string) ([]byte, error), each func(i int)) {
	m.read = read
	m.track = nil // Update refuses it: the attributes it would read again go
	var pages []int
	for i, b := range m.Briefings {
		if b.lean && !b.shed {
			pages = append(pages, i)
		}
	}
	// Every text first: a claim's text reads the words of the claims it
	// links to, which may stand on a page shed at the same time.
	Parallel(len(pages), func(k int) {
		b := m.Briefings[pages[k]]
		for _, c := range b.Claims {
			c.Text()
			c.flatText()
			c.Words()
		}
		for _, cv := range b.Caveats {
			cv.Text()
			cv.HTML()
		}
		if r := b.rendered; r != nil {
			b.readTOC(r.toc)
		}
		if each != nil {
			each(pages[k])
		}
	})
	Parallel(len(pages), func(k int) {
		b := m.Briefings[pages[k]]
		pg := b.Page
		// What the resolve read of the attributes goes too: a shed model
		// is rendered, never resolved again.
		for _, n := range pg.Claims {
			n.RemoveChildren(n)
			n.By, n.Src, n.About, n.Contradicts, n.Supports, n.Updates = nil, nil, nil, nil, nil, nil
		}
		for _, n := range pg.Caveats {
			n.RemoveChildren(n)
			a := markup.Attrs(n)
			a.On, a.By = nil, nil
		}
		// A claim's flat text is its text unless its words link to a
		// claim: kept once, not twice.
		for _, c := range b.Claims {
			if c.flat.s == c.text.s {
				c.flat.s = c.text.s
			}
		}
		// The resolve is done with the wikilinks' nodes; the holes of the
		// rendered body say what they say.
		pg.Wikilinks, pg.claimOf = nil, nil
		pg.bodySum = xxh3.Hash(pg.markdown)
		pg.src, pg.saved, pg.markdown, pg.lines, pg.marks, pg.plain = nil, nil, nil, nil, nil, nil
		pg.shed = true
	})
}

// source is the body of pg, read again if Shed dropped it.
func (m *Model) source(pg *Page) []byte {
	if !pg.shed {
		return pg.markdown
	}
	src, err := m.read(pg.Path)
	if err == nil {
		src, _, _, _ = readable(src) // as parsing read it
	}
	if err == nil && (pg.bodyOff > len(src) || xxh3.Hash(src[pg.bodyOff:]) != pg.bodySum) {
		err = errors.New("it changed while the site was built from it; build again")
	}
	if err != nil {
		// Recovered by the renderer, which fails the page: the site
		// would show a body other than the one it was checked with.
		panic(&SourceError{Path: pg.Path, Err: err})
	}
	return src[pg.bodyOff:]
}

// SourceError is a content file that could not be read again, or had
// changed, when a page of a shed model showed it (see Model.Shed).
type SourceError struct {
	Path string
	Err  error
}

func (e *SourceError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *SourceError) Unwrap() error { return e.Err }

// Parallel calls fn with each of 0 to n-1, on all cores, and returns when
// every call has.
//
// The workers take the next number from a counter, in increasing order:
// fed through a channel, the goroutine feeding it was a third runnable
// goroutine on two cores, and every handover a wake-up.
func Parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// InChunks calls fn with each i-th range [lo, hi) of size that together
// cover [0, n), on all cores: a pass over every claim of a large site
// reads memory of its own for each, and serve makes such passes on every
// edit.
func InChunks(n, size int, fn func(i, lo, hi int)) {
	Parallel((n+size-1)/size, func(i int) { fn(i, i*size, min((i+1)*size, n)) })
}

// inChunks is InChunks in ranges of chunkSize.
func inChunks(n int, fn func(lo, hi int)) {
	InChunks(n, chunkSize, func(_, lo, hi int) { fn(lo, hi) })
}

// chunkSize is the length of inChunks' ranges; tests make it small, so
// that the race detector sees sites of a few hundred claims in many.
var chunkSize = 4096
