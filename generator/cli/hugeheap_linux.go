package cli

import (
	"bytes"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// hugeHeap asks Linux to back the heap a build is about to grow into
// with transparent huge pages, where the system leaves that to each
// program (transparent_hugepage/enabled is "madvise", Debian's and
// Ubuntu's default; see heapPages). Go's runtime does not ask for them
// for its heap.
//
// Every 4 KiB page a build touches first is a page fault, and on a
// virtual machine a fault is paid twice, by the guest and by the host:
// on the 2-core VM this project is measured on, 15 µs a page, against
// 0.3 µs a page in 2 MiB pages (256 MiB touched, alternating runs). A
// build of 1,000 briefings took 27,000 faults, a fifth of its CPU; of
// 10,000, 220,000. With this they take 10,000 and 40,000, and 4,700 and
// 8,700 once releaseHeap keeps what it frees: the build of 1,000 takes a
// fifth less time (0.77–0.80 s against 0.97–1.03, alternating runs), of
// 10,000 a tenth to a third less (7.9–9.5 s against 9.4–14.3 on this
// noisy machine). Its peak grew by 1–2 MB at 1,000 (90–93 MB → 91–94)
// and 5–15 at 10,000: a huge page is resident whole once touched (with
// a block of 2 GiB whatever the site, 94–98 at 1,000: the runtime's
// tables for the block).
//
// The runtime maps the heap as it grows, and a mapping made after an
// madvise does not carry it; so it allocates a block as large as the
// heap may grow (want bytes, but no more than a quarter of avail, the
// memory the process may use, half its memory limit, or 2 GiB), which
// makes the runtime map it, advises it and drops it: what the build
// allocates next is placed in it, lowest address first. The caller then
// hands it back to the system (debug.FreeOSMemory), so that it counts
// for nothing in what the build is known to hold (releaseHeap's pacing
// reads that); never touched, it never was resident, and the advice
// stays with the mapping. The caller asks for it where the system gives
// huge pages to advised memory (heapPages). Where the system cannot do it
// (strict overcommit, a 32-bit address space, or a limit on the
// process's address space or data, where a large mapping may be refused
// and the runtime would stop) it does nothing, nor for a block under 64
// MiB; it reports whether it did it.
func hugeHeap(avail, want int64) bool {
	if strconv.IntSize < 64 || avail <= 0 || strictOvercommit() || addressLimited() {
		return false
	}
	size := min(want, avail/4, debug.SetMemoryLimit(-1)/2, 2<<30)
	if size < 64<<20 {
		return false // the faults of so small a heap cost little
	}
	advise(int(size))
	return true
}

// advise allocates size bytes, advises the huge pages they cover, and
// drops them. The bytes come from strings.Builder.Grow, which does not
// clear them: a []byte of make is cleared, touching every page, when
// the runtime places it over memory it used before (one build in six at
// 10,000 briefings, which then faulted in 2 GiB).
func advise(size int) {
	var sb strings.Builder
	sb.Grow(size)
	sb.WriteByte(0) // the one byte touched: the block's address
	first := unsafe.Pointer(unsafe.StringData(sb.String()))
	const huge = 2 << 20
	p := uintptr(first)
	beg := (p + huge - 1) &^ (huge - 1)
	end := (p + uintptr(sb.Cap())) &^ (huge - 1)
	if beg < end {
		b := unsafe.Slice((*byte)(unsafe.Add(first, beg-p)), end-beg)
		_ = syscall.Madvise(b, madvHugePage) // advice: a refusal changes nothing
	}
	runtime.KeepAlive(&sb)
}

// madvHugePage is MADV_HUGEPAGE, the same on every Linux.
const madvHugePage = 14

// heapPages is how the system gives the heap transparent huge pages:
// "madvise" to memory a program advises, "always" to all memory (RHEL's
// default), "never" (also where GODEBUG=disablethp=1 asks Go to keep the
// heap out of them), "" when unknown.
func heapPages() string {
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return "never"
	}
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return ""
	}
	return bracketed(string(b))
}

// bracketed is the word of s in square brackets, the one chosen of a
// sysfs setting's choices.
func bracketed(s string) string {
	_, rest, ok := strings.Cut(s, "[")
	if !ok {
		return ""
	}
	word, _, ok := strings.Cut(rest, "]")
	if !ok {
		return ""
	}
	return word
}

// strictOvercommit reports whether the system refuses mappings beyond
// what it can back (vm.overcommit_memory = 2).
func strictOvercommit() bool {
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err != nil || string(bytes.TrimSpace(b)) == "2"
}

// addressLimited reports whether the process's address space or data
// segment is limited (ulimit -v, ulimit -d): a Go process maps more than
// it uses, and a block of the heap's size may not fit under the limit.
func addressLimited() bool {
	for _, res := range []int{syscall.RLIMIT_AS, syscall.RLIMIT_DATA} {
		var l syscall.Rlimit
		if err := syscall.Getrlimit(res, &l); err != nil || l.Cur != math.MaxUint64 {
			return true
		}
	}
	return false
}
