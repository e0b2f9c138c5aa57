package markup

import (
	"unsafe"

	"github.com/yuin/goldmark/parser"
)

// Slabs hold the nodes a parse makes that outlive its tree: claims,
// caveats and wikilinks, which a site keeps, in arrays of 32 KB and more,
// which the allocator gives spans of their own. Allocated one by one,
// each among the garbage of the parse that made it, a few of them kept
// every span they fell in: at 10,000 briefings, 200 MB of the heap was
// spans held by the nodes of a few pages each. A Slabs is for one
// goroutine at a time; the arrays live while any node in them does.
type Slabs struct {
	wikilinks slab[Wikilink]
	claims    slab[Claim]
	inline    slab[InlineCaveat]
	blocks    slab[Caveat]
}

type slab[T any] struct{ free []T }

func (s *slab[T]) next() *T {
	if len(s.free) == 0 {
		var zero T
		s.free = make([]T, 32<<10/unsafe.Sizeof(zero)+1)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

var slabsKey = parser.NewContextKey()

// UseSlabs makes the parse with context pc take its nodes from s.
func UseSlabs(pc parser.Context, s *Slabs) { pc.Set(slabsKey, s) }

func slabsOf(pc parser.Context) *Slabs {
	s, _ := pc.Get(slabsKey).(*Slabs)
	return s
}

func newWikilink(pc parser.Context) *Wikilink {
	if s := slabsOf(pc); s != nil {
		return s.wikilinks.next()
	}
	return &Wikilink{}
}

func newClaim(pc parser.Context) *Claim {
	if s := slabsOf(pc); s != nil {
		return s.claims.next()
	}
	return &Claim{}
}

func newInlineCaveat(pc parser.Context) *InlineCaveat {
	if s := slabsOf(pc); s != nil {
		return s.inline.next()
	}
	return &InlineCaveat{}
}

func newCaveat(pc parser.Context) *Caveat {
	if s := slabsOf(pc); s != nil {
		return s.blocks.next()
	}
	return &Caveat{}
}
