//go:build !linux

package cli

// hugeHeap does nothing where there is no madvise(MADV_HUGEPAGE); see
// the Linux one.
func hugeHeap(avail, want int64) bool { return false }

// heapPages is "" where there are no transparent huge pages.
func heapPages() string { return "" }
