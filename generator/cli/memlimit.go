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
	return available() / 4 * 3
}

// available is the memory the process may use: its cgroup's limit, else
// the machine's; 0 when that is unknown.
func available() int64 {
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
	return avail
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
//
// Where the heap is in huge pages (hugeHeap) it is Go's 100 below
// smallHeap too: releaseHeap then keeps what it frees, and at 150 the
// peak at 1,000 briefings grew from 95 MB to 100; at 100 it stays where
// it was, and the build takes no longer (the faults were what 150
// saved).
const (
	smallHeap   = 64 << 20
	smallHeapGC = 150
)

// smallPercent is GOGC below smallHeap.
func smallPercent() int {
	if heapHuge.Load() {
		return 100
	}
	return smallHeapGC
}

var tuneOnce sync.Once

// pacing is the process's collector pacing as tuneGC and releaseHeap set
// it; the finalizer of tuneGC's sentinel and the build both change it.
var pacing struct {
	sync.Mutex
	percent int    // GOGC to go back to: tuneGC's, or the one before releaseHeap
	reusing bool   // releaseHeap has set the pacing for the rest of a build
	limit   int64  // the memory limit releaseHeap set
	before  int64  // and the one before it did
	gen     uint64 // counts releaseHeap's settings, so that only its own undo undoes one
}

// tuneGC sets GOGC to smallPercent while the live heap is below smallHeap
// and to 100 above it, looking again after every collection: a value
// with a finalizer, made anew each time, is collected by each. While
// releaseHeap's pacing holds it leaves GOGC alone, and ends that pacing
// once the live heap is past two thirds of its limit: the collector then
// runs half again as often as at GOGC=100. (At half, where the two meet,
// it ended too soon: the heap a collection finds live counts what was
// made while it marked, and a build makes much.)
func tuneGC() {
	tuneOnce.Do(func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		pacing.Lock()
		pacing.percent = smallPercent()
		debug.SetGCPercent(pacing.percent)
		pacing.Unlock()
		var arm func()
		arm = func() {
			runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
				metrics.Read(sample)
				live, known := int64(0), sample[0].Value.Kind() == metrics.KindUint64
				if known {
					live = int64(sample[0].Value.Uint64())
				}
				p := 100
				if known && live < smallHeap {
					p = smallPercent()
				}
				pacing.Lock()
				switch {
				case pacing.reusing && 3*live > 2*pacing.limit:
					unpaceLocked()
				case p != pacing.percent && !pacing.reusing:
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
// does by itself, unless the heap is in huge pages (hugeHeap). When the
// live heap is large (above smallHeap, where tuneGC leaves Go's 100) and
// what the process had taken from the system is more than two and a half
// times it, the rest of the build may grow the heap back to that before
// collecting again: the memory limit is set there, and GOGC to reuseGC.
// Go's pacing collected at twice the live heap, below a peak already
// reached, once more while the files were listed (at 10,000 briefings
// 0.4 s of marking with 300 MB live); the build spends 2–6% less CPU
// (alternating runs), at the same peak. Below smallHeap the smallPercent
// of tuneGC already lets the heap grow as far, and the limit only added
// collections; so it did where what was taken is near twice the live
// heap, since the limit counts all of the runtime's memory, not only the
// heap. The limit is never raised, and tuneGC ends the pacing if the
// live heap grows past two thirds of it, so that a build whose rest
// holds more than its start does not collect without pause.
// It returns what undoes it, at the end of the build.
func releaseHeap() (undo func()) {
	s := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	metrics.Read(s)
	if heapHuge.Load() {
		// What is handed back comes back in 4 KiB pages, a fault each:
		// at 1,000 briefings 5,000 of them and a tenth of the build's
		// time, at 10,000 30,000; kept, the rest of the build reuses it,
		// and the peak is no higher (see smallHeapGC).
		runtime.GC()
	} else {
		debug.FreeOSMemory()
	}
	for _, m := range s {
		if m.Value.Kind() != metrics.KindUint64 {
			return func() {}
		}
	}
	taken := int64(s[0].Value.Uint64() - s[1].Value.Uint64())
	metrics.Read(s[2:])
	live := int64(s[2].Value.Uint64())
	if live < smallHeap || 2*taken < 5*live {
		return func() {}
	}
	pacing.Lock()
	defer pacing.Unlock()
	if pacing.reusing {
		return func() {} // another build in this process paces the collector
	}
	pacing.before = debug.SetMemoryLimit(-1)
	pacing.limit = min(taken, pacing.before)
	debug.SetMemoryLimit(pacing.limit)
	pacing.percent = debug.SetGCPercent(reuseGC)
	pacing.reusing = true
	pacing.gen++
	gen := pacing.gen
	return func() {
		pacing.Lock()
		defer pacing.Unlock()
		if pacing.reusing && pacing.gen == gen {
			unpaceLocked()
		}
	}
}

// unpaceLocked puts back the memory limit and GOGC releaseHeap found.
func unpaceLocked() {
	debug.SetMemoryLimit(pacing.before)
	debug.SetGCPercent(pacing.percent)
	pacing.reusing = false
}

// gcSentinel holds a pointer so that it is not made by the allocator for
// tiny objects, whose finalizers may never run.
type gcSentinel struct{ _ *byte }
