package beneath

import (
	"errors"
	"os"
	"syscall"
	"unsafe"
)

// openHow is struct open_how of openat2(2).
type openHow struct {
	flags, mode, resolve uint64
}

const (
	sysOpenat2        = 437 // the same on every Linux but MIPS, where it is ENOSYS
	resolveNoSymlinks = 0x04
	resolveBeneath    = 0x08
)

// Open opens rel below the folder fd d, or creates it, with flags (and
// O_CLOEXEC) and perm, and fails rather than leave d on the way, or
// follow a symbolic link at all when noLinks is set. An old kernel
// without openat2 answers errors.ErrUnsupported (ENOSYS is it).
func Open(d int, rel string, flags int, perm uint32, noLinks bool) (int, error) {
	p, err := syscall.BytePtrFromString(rel)
	if err != nil {
		return -1, err
	}
	how := openHow{flags: uint64(flags | syscall.O_CLOEXEC), mode: uint64(perm), resolve: resolveBeneath}
	if noLinks {
		how.resolve |= resolveNoSymlinks
	}
	for {
		fd, _, errno := syscall.Syscall6(sysOpenat2, uintptr(d), uintptr(unsafe.Pointer(p)), uintptr(unsafe.Pointer(&how)), unsafe.Sizeof(how), 0, 0)
		// EAGAIN: a rename elsewhere raced the walk; it may be tried again.
		if errno == syscall.EINTR || errno == syscall.EAGAIN {
			continue
		}
		if errno == syscall.EPERM {
			// What some container sandboxes answer for a system call they
			// do not know; the caller's way round reports a real EPERM.
			return -1, errors.ErrUnsupported
		}
		if errno != 0 {
			return -1, errno
		}
		return int(fd), nil
	}
}

// ReadFile reads the regular file rel below the folder fd d whole,
// following no symbolic link (see Open): what os.ReadFile reads, in four
// system calls. Anything but a regular file is errors.ErrUnsupported.
func ReadFile(d int, rel string) ([]byte, error) {
	fd, err := Open(d, rel, syscall.O_RDONLY, 0, true)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, err
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, errors.ErrUnsupported
	}
	// One byte more than its size, as os.ReadFile reads, to meet the end
	// without growing when the file has not grown.
	b := make([]byte, 0, st.Size+1)
	for {
		n, err := syscall.Read(fd, b[len(b):cap(b)])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, err
		case n == 0:
			return b, nil
		}
		b = b[:len(b)+n]
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// oTmpfile is O_TMPFILE (with O_DIRECTORY, as the kernel wants it), which
// package syscall lacks.
const oTmpfile = 0x400000 | syscall.O_DIRECTORY

// TempFile makes a file without a name on the file system of the folder
// dir (O_TMPFILE), open to read and write: no listing of dir shows it, dir
// itself does not change, and it goes when it is closed, however the
// process ends. A file system without unnamed files answers
// errors.ErrUnsupported.
func TempFile(dir string) (*os.File, error) {
	fd, err := syscall.Open(dir, oTmpfile|syscall.O_RDWR|syscall.O_CLOEXEC, 0o600)
	switch {
	case err == syscall.EOPNOTSUPP || err == syscall.EISDIR || err == syscall.EINVAL || err == syscall.ENOSYS:
		return nil, errors.ErrUnsupported
	case err != nil:
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	return os.NewFile(uintptr(fd), dir+"/(unnamed)"), nil
}
