package render

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// ctime is when the file's inode last changed, in Unix nanoseconds: unlike
// the modification time, no tool can set it back (cp -p, rsync -t, touch).
func ctime(st fs.FileInfo) int64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ctim.Nano()
	}
	return st.ModTime().UnixNano()
}

// lock takes the folder d for this process until d is closed (or the
// process ends, however it ends), so that two builds never stage into,
// or clean up after, each other.
func lock(d *os.File) error {
	err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

// writable tells whether this process may add and remove entries in the
// folder dir: asked before the first file is renamed into place, so that a
// folder made read-only, or a read-only file system, fails the build
// before any file changes rather than halfway through.
func writable(dir string) error {
	return syscall.Access(dir, 0x2|0x1) // W_OK | X_OK
}
