package cli

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
)

// memoryLimit is the soft memory limit a command runs under when
// GOMEMLIMIT does not say: three quarters of the memory the process may
// use (its cgroup's limit, else the machine's), 0 when that is unknown.
//
// It is no tighter, because a limit near a site's live heap makes the
// collector run without pause: at 20,000 generated briefings (live heap
// about 800 MB) a fixed 1 GiB made a build take 55 s instead of 27 s.
// Below it, Go's own GOGC=100 lets the heap grow to twice what is live,
// so that memory grows with the site and time stays linear; the limit
// only keeps a site too large for the machine from being killed, by
// collecting more often as it nears it.
func memoryLimit() int64 {
	avail := int64(0)
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(f); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n < 1<<50 {
				avail = n
				break
			}
		}
	}
	if total := memTotal(); total > 0 && (avail == 0 || total < avail) {
		avail = total
	}
	return avail / 4 * 3
}

// memTotal is the machine's memory from /proc/meminfo, 0 when unknown.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			if f := strings.Fields(rest); len(f) == 2 && f[1] == "kB" {
				if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return n << 10
				}
			}
		}
	}
	return 0
}

// smallHeap is the live heap below which the collector lets the heap grow
// by smallHeapGC percent of it before collecting again, not Go's 100.
//
// At GOGC=100 a small site's build collects a heap of a few tens of MB
// every few tens of MB it allocates: thirteen collections at 1,000
// briefings, a tenth of its CPU. At 150 it makes nine and takes 5% less
// time, for 4-5 MB more at its peak (91 MB against 87). Above smallHeap,
// where a large site's heap peaks, the collector is Go's own, so that
// the peak stays twice the live heap (at 10,000 briefings, 510 MB).
const (
	smallHeap   = 64 << 20
	smallHeapGC = 150
)

var tuneOnce sync.Once

// pacing is the process's collector pacing as tuneGC and releaseHeap set
// it; the finalizer of tuneGC's sentinel and the build both change it.
var pacing struct {
	sync.Mutex
	percent int   // GOGC as tuneGC last set it
	reusing bool  // releaseHeap has set the pacing for the rest of a build
	limit   int64 // the memory limit before it did
}

// tuneGC sets GOGC to smallHeapGC while the live heap is below smallHeap
// and to 100 above it, looking again after every collection: a value
// with a finalizer, made anew each time, is collected by each.
func tuneGC() {
	tuneOnce.Do(func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		pacing.Lock()
		pacing.percent = smallHeapGC
		debug.SetGCPercent(pacing.percent)
		pacing.Unlock()
		var arm func()
		arm = func() {
			runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
				metrics.Read(sample)
				p := 100
				if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() < smallHeap {
					p = smallHeapGC
				}
				pacing.Lock()
				if p != pacing.percent && !pacing.reusing {
					debug.SetGCPercent(p)
					pacing.percent = p
				}
				pacing.Unlock()
				arm()
			})
		}
		arm()
	})
}

// reuseGC is GOGC for the rest of a large build once releaseHeap has set
// a memory limit at what the heap had already taken: the limit paces the
// collector, and this only keeps it from waiting for the limit when the
// live heap is a small part of it.
const reuseGC = 400

// releaseHeap is build.Options.Release for the command line: it collects
// and hands back to the system what the collection frees, as the build
// does by itself, and when the live heap is large (above smallHeap, where
// tuneGC leaves Go's 100) it lets the rest of the build grow the heap back
// to what the process had already taken from the system before
// collecting again, and no further: the memory limit is set there, and
// GOGC to reuseGC. Go's pacing collected at twice the live heap, below
// that, twice more while the pages were written (at 10,000 briefings,
// about 0.4 s of marking each with 300 MB live); now once, and the build
// takes 4% less time, its peak unchanged (646 MB). Below smallHeap the
// 150% of tuneGC already lets the heap grow as far, and the limit only
// added collections. The limit is never raised, and is at least twice
// the live heap, so that a build whose rest holds more than its start
// does not collect without pause.
func releaseHeap() {
	s := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	metrics.Read(s)
	taken := int64(s[0].Value.Uint64() - s[1].Value.Uint64())
	debug.FreeOSMemory()
	metrics.Read(s)
	live := int64(s[2].Value.Uint64())
	if live < smallHeap {
		return
	}
	limit := max(taken, 2*live)
	pacing.Lock()
	defer pacing.Unlock()
	if pacing.reusing {
		return // another build in this process has
	}
	pacing.limit = debug.SetMemoryLimit(-1)
	if limit < pacing.limit {
		debug.SetMemoryLimit(limit)
	}
	pacing.percent = debug.SetGCPercent(reuseGC)
	pacing.reusing = true
}

// restoreHeap undoes releaseHeap at the end of the build.
func restoreHeap() {
	pacing.Lock()
	defer pacing.Unlock()
	if pacing.reusing {
		debug.SetMemoryLimit(pacing.limit)
		debug.SetGCPercent(pacing.percent)
		pacing.reusing = false
	}
}

// gcSentinel holds a pointer so that it is not made by the allocator for
// tiny objects, whose finalizers may never run.
type gcSentinel struct{ _ *byte }
