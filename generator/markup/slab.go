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

// newNode is a new node of a parse with context pc: from the slab of the
// parse's Slabs that of picks, or allocated on its own without them.
func newNode[T any](pc parser.Context, of func(*Slabs) *slab[T]) *T {
	if s := slabsOf(pc); s != nil {
		return of(s).next()
	}
	return new(T)
}
