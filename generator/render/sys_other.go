//go:build !linux

package render

import (
	"errors"
	"io/fs"
	"os"
)

// ctime falls back to the modification time where the inode's change time
// is not at hand.
func ctime(st fs.FileInfo) int64 { return st.ModTime().UnixNano() }

// lock does nothing where flock is not at hand.
func lock(*os.File) error { return nil }

// writable is not asked where access(2) is not at hand.
func writable(string) error { return nil }

// writeBeneath is not at hand: the caller goes through its os.Root.
func writeBeneath(int, string, []byte) error { return errors.ErrUnsupported }

// openFolder is not at hand: the caller goes through its os.Root.
func openFolder(int, string) (int, error) { return -1, errors.ErrUnsupported }

func closeFolder(int) {}

// openFileLimit is not asked: no folder is kept open (see openFolder).
func openFileLimit() uint64 { return 0 }

// mkdirIn is not at hand: the caller goes through its os.Root.
func mkdirIn(int, string) error { return errors.ErrUnsupported }
