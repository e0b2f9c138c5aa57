package site

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"briefing/generator/markup"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// goldmark v1.8 takes time quadratic in some shapes of input: a link
// destination is scanned to the end of the line again for every "](",
// footnote references are looked up in a list, very deep lists are walked
// for every line. A hostile file of a few hundred kilobytes would then hold
// a build for minutes. So every parse has a budget: past it, the parse is
// stopped at its next checkpoint (a block line read, an inline trigger
// character) and the file is an error.

// fileBudget is the time one file may take: far more than goldmark needs
// on a loaded machine (it parses tens of megabytes a second), far less
// than a stuck build.
func fileBudget(size int) time.Duration {
	return 2*time.Second + time.Duration(size>>10)*time.Millisecond
}

// buildBudget bounds the parse of a whole site: many hostile files, each
// within its own budget, must not add up to a stuck build either. Time
// spent rendering bodies while they are parsed (see Bodies) is not the
// parse's: it moves the deadline back.
type buildBudget struct {
	deadline  time.Time
	elsewhere atomic.Int64 // nanoseconds spent on other work, summed over the workers
}

func newBuildBudget(files []File) *buildBudget {
	total := 0
	for _, f := range files {
		total += len(f.Data)
	}
	return &buildBudget{deadline: time.Now().Add(10*time.Second + time.Duration(total>>10)*time.Millisecond)}
}

// spend records d of work that is not parsing, done since the deadline
// was set; summed over the workers, it gives the parse more than back.
func (b *buildBudget) spend(d time.Duration) { b.elsewhere.Add(int64(d)) }

// forFile is a file's budget: its own, cut to what is left of the site's,
// but never below what a sound file of its size needs.
func (b *buildBudget) forFile(size int) time.Duration {
	own := fileBudget(size)
	if left := time.Until(b.deadline) + time.Duration(b.elsewhere.Load()); left < own {
		return max(left, 100*time.Millisecond+time.Duration(size>>10)*time.Millisecond/10)
	}
	return own
}

// errStopped is what a parse past its budget panics with at a checkpoint.
var errStopped = errors.New("parse stopped: over budget")

var stopKey = parser.NewContextKey()

// stopFlag is the flag a parse's checkpoints read from its context.
func stopFlag(pc parser.Context) *atomic.Bool {
	f, _ := pc.Get(stopKey).(*atomic.Bool)
	return f
}

// checkpoint is an inline parser that never parses anything: it runs
// first on the characters goldmark's own inline parsers start at, and
// stops the parse when its budget is spent.
type checkpoint struct{}

// Trigger implements parser.InlineParser.
func (checkpoint) Trigger() []byte { return []byte("[]!*_~<`&\\:(") }

// Parse implements parser.InlineParser.
func (checkpoint) Parse(_ ast.Node, _ text.Reader, pc parser.Context) ast.Node {
	if f := stopFlag(pc); f != nil && f.Load() {
		panic(errStopped)
	}
	return nil
}

// stopReader is the block phase's checkpoint: every line read.
type stopReader struct {
	text.Reader
	stop *atomic.Bool
}

func (r stopReader) PeekLine() ([]byte, text.Segment) {
	if r.stop.Load() {
		panic(errStopped)
	}
	return r.Reader.PeekLine()
}

// slabPool is the markup.Slabs of one parse of many files, which their
// nodes share; nil for a parse of a few, whose nodes are allocated one
// by one. Never shared between two parses: an array of nodes lives while
// any node in it does, and a node, through its tree, keeps the nodes of
// its page in other arrays. In serve, where each save parses one page
// again, arrays shared from save to save kept every earlier version of
// the page: 20-40 KB a save at 2,000 briefings.
type slabPool = *sync.Pool

// slabsFor is the slabPool for a parse of n files.
func slabsFor(n int) slabPool {
	if n < minSlabFiles {
		return nil
	}
	return &sync.Pool{New: func() any { return new(markup.Slabs) }}
}

// minSlabFiles is how many files a parse takes for slabs to pay: below,
// arrays of 32 KB would mostly hold nothing.
const minSlabFiles = 256

// parseBody parses a body within budget; ok is false when it did not end
// in time, and the parse is then stopped, not left running.
func parseBody(mp parser.Parser, body []byte, budget time.Duration, slabs slabPool) (doc ast.Node, problems []markup.Problem, ok bool) {
	type result struct {
		doc      ast.Node
		problems []markup.Problem
	}
	stop := new(atomic.Bool)
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil && p != errStopped {
				panic(p)
			}
		}()
		pc := parser.NewContext()
		pc.Set(stopKey, stop)
		var s *markup.Slabs
		if slabs != nil {
			s = slabs.Get().(*markup.Slabs)
			markup.UseSlabs(pc, s)
		}
		doc := mp.Parse(stopReader{text.NewReader(body), stop}, parser.WithContext(pc))
		if slabs != nil {
			slabs.Put(s)
		}
		done <- result{doc, markup.Problems(pc)}
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.doc, r.problems, true
	case <-timer.C:
		stop.Store(true)
		return nil, nil, false
	}
}
