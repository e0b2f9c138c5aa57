package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"briefing/generator/beneath"
)

// Folders are the top folders a site is read from.
func Folders() []string { return []string{"content", "templates", "static"} }

// Folder is the folder that the top folder top of the site folder src
// stands for: src/top itself or, when that is a symbolic link, the folder
// it points to (links resolved), so that a monorepo can link content/ in
// from elsewhere.
// The error wraps fs.ErrNotExist only when there is nothing at src/top; a
// link to nothing or to a file, or a file in the folder's place, is another
// error, which says so.
func Folder(src, top string) (string, error) {
	p := filepath.Join(src, top)
	li, err := os.Lstat(p)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(p)
	if li.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("%s/ is a symbolic link to %s, which does not exist", top, target)
		case err != nil:
			return "", fmt.Errorf("%s/ is a symbolic link to %s, which cannot be read: %v", top, target, errors.Unwrap(err))
		case !st.IsDir():
			return "", fmt.Errorf("%s/ is a symbolic link to %s, which is a file, not a folder", top, target)
		}
		return filepath.EvalSymlinks(p)
	}
	if !li.IsDir() {
		return "", fmt.Errorf("%s is a file, not a folder", top)
	}
	return p, nil
}

// FS is a site folder opened for reading: only content/, templates/ and
// static/ are in it, each an os.Root of the folder it stands for (see
// Folder). So a top folder may be a symbolic link, but nothing below one
// can lead out of it, and nothing else of the disk can be read.
type FS struct {
	roots map[string]*os.Root
	dirs  map[string]*os.File // each root's folder, open to read below (see ReadFile)
	errs  map[string]error    // top folders that are there but unusable
}

// OpenFS opens the site folder src. A missing top folder is an empty one;
// one that is there but cannot be read fails every read below it with the
// reason, which Load reports as a diagnostic.
func OpenFS(src string) (*FS, error) {
	if st, err := os.Stat(src); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", src)
	}
	f := &FS{roots: map[string]*os.Root{}, dirs: map[string]*os.File{}, errs: map[string]error{}}
	for _, top := range Folders() {
		dir, err := Folder(src, top)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		var root *os.Root
		if err == nil {
			root, err = os.OpenRoot(dir)
		}
		if err != nil {
			f.errs[top] = err
			continue
		}
		f.roots[top] = root
		if d, err := root.Open("."); err == nil {
			f.dirs[top] = d
		}
	}
	return f, nil
}

// Close releases the folders.
func (f *FS) Close() error {
	var errs []error
	for _, r := range f.roots {
		errs = append(errs, r.Close())
	}
	for _, d := range f.dirs {
		errs = append(errs, d.Close())
	}
	return errors.Join(errs...)
}

// sub is the file system of name's top folder and name within it.
func (f *FS) sub(op, name string) (fs.FS, string, error) {
	_, sub, rest, err := f.top(op, name)
	return sub, rest, err
}

// top is sub with the name of the top folder.
func (f *FS) top(op, name string) (string, fs.FS, string, error) {
	if !fs.ValidPath(name) {
		return "", nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	top, rest, _ := strings.Cut(name, "/")
	if err := f.errs[top]; err != nil {
		return "", nil, "", &fs.PathError{Op: op, Path: name, Err: err}
	}
	r, ok := f.roots[top]
	if !ok {
		return "", nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	if rest == "" {
		rest = "."
	}
	return top, r.FS(), rest, nil
}

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	sub, rest, err := f.sub("open", name)
	if err != nil {
		return nil, err
	}
	file, err := sub.Open(rest)
	return file, rename(err, name)
}

// ReadFile implements fs.ReadFileFS.
func (f *FS) ReadFile(name string) ([]byte, error) {
	top, sub, rest, err := f.top("read", name)
	if err != nil {
		return nil, err
	}
	// A file is read below its folder in four system calls where the
	// kernel can (see package beneath), not the fourteen os.Root makes:
	// a third of loading a site. Any failure (a link, a file gone, a
	// kernel without the call) is asked again through the root, which
	// says what it is as it always has.
	if d := f.dirs[top]; d != nil {
		if b, err := beneath.ReadFile(int(d.Fd()), rest); err == nil {
			return b, nil
		}
	}
	b, err := fs.ReadFile(sub, rest)
	return b, rename(err, name)
}

// ReadDir implements fs.ReadDirFS.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	sub, rest, err := f.sub("readdir", name)
	if err != nil {
		return nil, err
	}
	es, err := fs.ReadDir(sub, rest)
	return es, rename(err, name)
}

// Stat implements fs.StatFS.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	sub, rest, err := f.sub("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := fs.Stat(sub, rest)
	if err != nil {
		return nil, rename(err, name)
	}
	if rest == "." {
		info = named{info, name}
	}
	return info, nil
}

// Lstat implements fs.ReadLinkFS. A top folder is what it stands for, link
// or not; below it, links are links.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	sub, rest, err := f.sub("lstat", name)
	if err != nil {
		return nil, err
	}
	if rest == "." {
		return f.Stat(name)
	}
	info, err := fs.Lstat(sub, rest)
	return info, rename(err, name)
}

// ReadLink implements fs.ReadLinkFS.
func (f *FS) ReadLink(name string) (string, error) {
	sub, rest, err := f.sub("readlink", name)
	if err != nil {
		return "", err
	}
	target, err := fs.ReadLink(sub, rest)
	return target, rename(err, name)
}

// rename puts the site-relative name into an error about a path inside a
// top folder, which names it relative to that folder.
func rename(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}

// named is a top folder's FileInfo under the folder's name, not ".".
type named struct {
	fs.FileInfo
	name string
}

func (n named) Name() string { return n.name }
