package cli

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestHugeHeap: after hugeHeap, memory the heap grows into lies in a
// mapping advised for huge pages and is backed by them, and the block it
// advised was never touched: the process's peak resident memory did not
// grow by it, even where the runtime places it over memory it had used.
// It runs in a process of its own, whose heap no earlier build advised.
func TestHugeHeap(t *testing.T) {
	if heapPages() != "madvise" || strictOvercommit() || addressLimited() {
		t.Skip("transparent huge pages are not left to madvise here, overcommit is strict, or the address space is limited")
	}
	if raceDetector {
		t.Skip("the race detector touches the memory this test wants untouched")
	}
	if !inChild(t, "BRIEFING_TEST_HUGEHEAP", true) {
		return
	}
	// Memory used and freed, for the block to be placed over.
	dirty := make([]byte, 16<<20)
	for i := range dirty {
		dirty[i] = 1
	}
	runtime.KeepAlive(dirty)
	dirty = nil
	runtime.GC()

	before := peakKB(t)
	if !hugeHeap(2<<30, 1<<40) { // a block of 512 MiB
		t.Skip("hugeHeap declined")
	}
	debug.FreeOSMemory()
	if grew := peakKB(t) - before; grew > 64<<10 {
		t.Fatalf("the peak resident memory grew by %d MiB: the advised block was touched", grew>>10)
	}

	// Larger than the memory freed above, so that it cannot all lie
	// there: its end is in memory the heap had not used.
	b := make([]byte, 128<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	flags, huge := mappingOf(t, uintptr(unsafe.Pointer(&b[len(b)-1])))
	runtime.KeepAlive(b)
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Fatalf("the heap's new memory is in a mapping without MADV_HUGEPAGE (VmFlags: %s)", flags)
	}
	if huge == 0 {
		t.Log("the heap's new memory is in 4 KiB pages only: the system had no huge page to give")
	}
}

// peakKB is the process's peak resident memory so far, in KiB.
func peakKB(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// mappingOf returns the VmFlags and the AnonHugePages (KiB) of the
// mapping holding addr, from /proc/self/smaps.
func mappingOf(t *testing.T, addr uintptr) (flags string, hugeKB int64) {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			z, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				if in {
					break // the mapping after it
				}
				in = uint64(addr) >= a && uint64(addr) < z
				continue
			}
		}
		if !in {
			continue
		}
		switch fields[0] {
		case "AnonHugePages:":
			hugeKB, _ = strconv.ParseInt(fields[1], 10, 64)
		case "VmFlags:":
			flags = strings.Join(fields[1:], " ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if flags == "" {
		t.Fatalf("no mapping holds %#x", addr)
	}
	return flags, hugeKB
}

// TestReleaseKeepsHugePages: where the heap is in huge pages, the release
// after the shed collects but keeps what it frees (handed back, it would
// come back a 4 KiB fault a page); elsewhere it hands it back.
func TestReleaseKeepsHugePages(t *testing.T) {
	was := heapHuge.Load()
	t.Cleanup(func() { heapHuge.Store(was) })
	free := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
	for _, huge := range []bool{true, false} {
		heapHuge.Store(huge)
		garbage := make([]*[1 << 16]byte, 4*smallHeap>>16)
		for i := range garbage {
			garbage[i] = new([1 << 16]byte)
		}
		runtime.KeepAlive(garbage)
		garbage = nil
		releaseHeap()()
		metrics.Read(free)
		kept := free[0].Value.Uint64()
		if huge && kept < 3*smallHeap {
			t.Errorf("huge pages: %d MB kept of %d MB freed", kept>>20, 4*smallHeap>>20)
		}
		if !huge && kept >= smallHeap {
			t.Errorf("4 KiB pages: %d MB kept of %d MB freed", kept>>20, 4*smallHeap>>20)
		}
	}
}

// TestHugeHeapAddressLimit: under a limit on the address space (ulimit
// -v) the block is not asked for: the runtime stops the process when a
// mapping of the heap is refused. Run in a child process with the limit.
func TestHugeHeapAddressLimit(t *testing.T) {
	if !inChild(t, "BRIEFING_TEST_ASLIMIT", false) {
		return
	}
	// The Go runtime has mapped far less than this so far.
	lim := syscall.Rlimit{Cur: 3 << 30, Max: 3 << 30}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		t.Skip(err)
	}
	if hugeHeap(64<<30, 1<<40) { // a block of 2 GiB, were it asked for
		t.Fatal("hugeHeap advised a block under an address-space limit")
	}
}

// inChild reports whether this process is the one t runs itself in,
// with env set; if not, it runs t so and fails when that process fails,
// or, with mustPass, skips.
func inChild(t *testing.T, env string, mustPass bool) bool {
	t.Helper()
	if os.Getenv(env) == "1" {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), env+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || mustPass && !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("%v\n%s", err, out)
	}
	return false
}

// TestHugeHeapDisableTHP: GODEBUG=disablethp=1, Go's own way of keeping
// the heap out of huge pages, is heeded.
func TestHugeHeapDisableTHP(t *testing.T) {
	t.Setenv("GODEBUG", "disablethp=1")
	if mode := heapPages(); mode != "never" {
		t.Fatalf("with GODEBUG=disablethp=1 the heap's huge pages are %q, want never (no advice)", mode)
	}
}

// TestHugeHeapSmall: a block under 64 MiB is not asked for (a small
// site's faults cost little), and contentBytes, which sizes the block
// from the site, sums the files below a folder.
func TestHugeHeapSmall(t *testing.T) {
	if hugeHeap(64<<30, 32<<20) {
		t.Error("hugeHeap advised a block of 32 MiB")
	}
	dir := t.TempDir()
	for p, n := range map[string]int{"a.md": 1000, "sub/b.md": 2345, "sub/deeper/c.png": 10} {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n := contentBytes(dir); n != 3355 {
		t.Errorf("contentBytes = %d, want 3355", n)
	}
}

// TestBracketed: the setting chosen of transparent_hugepage/enabled, as
// heapPages reads it.
func TestBracketed(t *testing.T) {
	for in, want := range map[string]string{
		"always [madvise] never\n": "madvise",
		"[always] madvise never\n": "always",
		"always madvise [never]":   "never",
		"always madvise never":     "",
		"[always":                  "",
		"":                         "",
	} {
		if got := bracketed(in); got != want {
			t.Errorf("bracketed(%q) = %q, want %q", in, got, want)
		}
	}
}
