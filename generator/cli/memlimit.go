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

// tuneGC sets GOGC to smallHeapGC while the live heap is below smallHeap
// and to 100 above it, looking again after every collection: a value
// with a finalizer, made anew each time, is collected by each.
func tuneGC() {
	tuneOnce.Do(func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		percent := smallHeapGC
		debug.SetGCPercent(percent)
		var arm func()
		arm = func() {
			runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
				metrics.Read(sample)
				p := 100
				if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() < smallHeap {
					p = smallHeapGC
				}
				if p != percent {
					debug.SetGCPercent(p)
					percent = p
				}
				arm()
			})
		}
		arm()
	})
}

// gcSentinel holds a pointer so that it is not made by the allocator for
// tiny objects, whose finalizers may never run.
type gcSentinel struct{ _ *byte }
