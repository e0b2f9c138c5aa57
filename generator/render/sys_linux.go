package render

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"

	"briefing/generator/beneath"
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

// oPath is O_PATH, which package syscall lacks on some platforms.
const oPath = 0x200000

// writeBeneath creates the new file rel below the folder fd d, following
// no symbolic link and not leaving d (beneath.Open), readable by everyone less the umask, and writes data to
// it through its bare descriptor: an os.File would cost a system call
// (fcntl) and a cleanup for the collector on each of 150,000 files.
func writeBeneath(d int, rel string, data []byte) error {
	fd, err := beneath.Open(d, rel, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL, 0o644, true)
	if err != nil {
		return err
	}
	for len(data) > 0 && err == nil {
		var n int
		n, err = syscall.Write(fd, data)
		switch {
		case err == syscall.EINTR:
			err = nil
		case err == nil && n == 0:
			err = io.ErrShortWrite
		case err == nil:
			data = data[n:]
		}
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	return err
}

// openFolder opens the folder rel below the folder fd d, as writeBeneath
// reaches it, for making folders in it with mkdirIn; closeFolder closes it.
func openFolder(d int, rel string) (int, error) {
	return beneath.Open(d, rel, oPath|syscall.O_DIRECTORY, 0, true)
}

func closeFolder(fd int) { _ = syscall.Close(fd) }

// openFileLimit is how many files the process may have open.
func openFileLimit() uint64 {
	var r syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r) != nil {
		return 0
	}
	return r.Cur
}

// mkdirIn makes the folder name in the folder fd d, 0755 less the umask.
func mkdirIn(d int, name string) error { return syscall.Mkdirat(d, name, 0o755) }
