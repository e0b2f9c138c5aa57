//go:build !linux

package cli

// hugeHeap does nothing where there is no madvise(MADV_HUGEPAGE); see
// the Linux one.
func hugeHeap(avail, want int64) bool { return false }

// thpAlways is false where there are no transparent huge pages.
func thpAlways() bool { return false }
