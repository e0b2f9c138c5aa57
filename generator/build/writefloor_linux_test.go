package build_test

import "syscall"

// floorDir is the write floor's output folder, open, for system calls
// relative to it.
type floorDir int

func openFloorDir(dir string) (floorDir, error) {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	return floorDir(fd), err
}

func (d floorDir) close() { _ = syscall.Close(int(d)) }

func (d floorDir) mkdir(rel string) error { return syscall.Mkdirat(int(d), rel, 0o755) }

func (d floorDir) write(rel string, data []byte) error {
	fd, err := syscall.Openat(int(d), rel, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		return err
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			_ = syscall.Close(fd)
			return err
		}
		data = data[n:]
	}
	return syscall.Close(fd)
}
