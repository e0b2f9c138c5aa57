package render

import (
	"io/fs"
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
