package site

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"briefing/generator/diag"
)

// File is one file read from the site folder.
type File struct {
	Path string // slash path relative to the site folder
	Data []byte
}

// Files is everything a build reads from a site folder.
type Files struct {
	Content   []File            // content/**/*.md, sorted by path
	Templates map[string][]byte // templates/**, keyed by path below templates/
	Static    map[string][]byte // static/**, keyed by path below static/
	Diags     diag.List
}

// Load reads content/, templates/ and static/ from fsys, which is an FS
// from OpenFS (whose top folders may be links) or any other fs.FS. A missing
// folder is an empty one. Symbolic links below the top folders are not
// followed but reported, so nothing outside them can be read even through
// an os.DirFS; editor temp files are skipped.
func Load(fsys fs.FS) (*Files, error) {
	f := &Files{Templates: map[string][]byte{}, Static: map[string][]byte{}}
	err := walk(fsys, "content", func(p string, data []byte) {
		if strings.HasSuffix(p, ".md") {
			f.Content = append(f.Content, File{Path: p, Data: data})
		}
	}, &f.Diags)
	if err != nil {
		return nil, err
	}
	if err := walk(fsys, "templates", func(p string, data []byte) {
		f.Templates[strings.TrimPrefix(p, "templates/")] = data
	}, &f.Diags); err != nil {
		return nil, err
	}
	if err := walk(fsys, "static", func(p string, data []byte) {
		f.Static[strings.TrimPrefix(p, "static/")] = data
	}, &f.Diags); err != nil {
		return nil, err
	}
	sort.Slice(f.Content, func(i, j int) bool { return f.Content[i].Path < f.Content[j].Path })
	return f, nil
}

// LoadPath reads what is at p now: the file, or every file below the
// folder, with Load's rules. Nothing there gives no files and no error.
func LoadPath(fsys fs.FS, p string) ([]File, diag.List, error) {
	if Skipped(p) {
		return nil, nil, nil
	}
	var files []File
	var diags diag.List
	err := walk(fsys, p, func(q string, data []byte) {
		files = append(files, File{Path: q, Data: data})
	}, &diags)
	return files, diags, err
}

// Ignored reports whether a file name is an editor's temp, swap, lock or
// backup file, or a version-control or desktop folder's: what nobody means
// to publish, and what changes on every keystroke.
func Ignored(name string) bool {
	switch name {
	case "4913", ".git", ".svn", ".hg", ".DS_Store", "Thumbs.db":
		return true
	}
	for _, prefix := range []string{".#", ".~lock.", ".goutputstream-"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	for _, suffix := range []string{"~", ".swp", ".swx", ".swo", ".tmp", ".kate-swp"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return strings.Contains(name, "___jb_") || len(name) > 1 && name[0] == '#' && name[len(name)-1] == '#'
}

// Skipped reports whether a site-relative path is left out of the site: an
// Ignored name anywhere in it, or a hidden one outside static/, where
// .well-known/, .nojekyll and .htaccess are meant for the host.
func Skipped(p string) bool {
	top, _, _ := strings.Cut(p, "/")
	for part := range strings.SplitSeq(p, "/") {
		if Ignored(part) || top != "static" && strings.HasPrefix(part, ".") && part != "." {
			return true
		}
	}
	return false
}

func walk(fsys fs.FS, root string, fn func(p string, data []byte), diags *diag.List) error {
	info, err := fs.Lstat(fsys, root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		// A top folder that is there but unusable, such as a link to
		// nothing, must not pass for an empty one.
		*diags = append(*diags, diag.Diagnostic{Path: root, Severity: diag.Error, Message: reason(err)})
		return nil
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		*diags = append(*diags, symlinkDiag(root))
		return nil
	}
	// The walk only lists; the files are read after it, on several
	// goroutines: reading ten thousand files one by one is a third of a
	// check.
	var paths []string
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked: the next event says so
			}
			return err
		}
		if p != root && Skipped(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			*diags = append(*diags, symlinkDiag(p))
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			*diags = append(*diags, diag.Diagnostic{Path: p, Severity: diag.Warning,
				Message: "not a regular file (a pipe, socket or device): left out"})
			return nil
		}
		if ext := path.Ext(p); strings.HasPrefix(p, "content/") && ext != ".md" &&
			(strings.EqualFold(ext, ".md") || strings.EqualFold(ext, ".markdown")) {
			*diags = append(*diags, diag.Diagnostic{Path: p, Severity: diag.Warning,
				Message: "Markdown not named .md: not published", Hint: "rename it to " + strings.TrimSuffix(path.Base(p), ext) + ".md"})
			return nil
		}
		if strings.HasPrefix(p, "content/") && strings.HasSuffix(p, ".md") {
			if info, err := d.Info(); err == nil && info.Size() > MaxContentFile {
				*diags = append(*diags, diag.Diagnostic{Path: p, Severity: diag.Error,
					Message: fmt.Sprintf("the file is %.1f MB; a content file may be at most %d MB", float64(info.Size())/1e6, MaxContentFile>>20),
					Hint:    "split it into several briefings"})
				return nil
			}
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return err
	}
	datas, errs := make([][]byte, len(paths)), make([]error, len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(paths), 2*runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(paths); i = int(next.Add(1) - 1) {
				datas[i], errs[i] = fs.ReadFile(fsys, paths[i])
			}
		})
	}
	wg.Wait()
	for i, p := range paths {
		if errors.Is(errs[i], fs.ErrNotExist) {
			continue
		}
		if errs[i] != nil {
			// One unreadable file is one diagnostic, not the end of the load.
			*diags = append(*diags, diag.Diagnostic{Path: p, Severity: diag.Error, Message: "cannot read the file: " + reason(errs[i])})
			continue
		}
		fn(p, datas[i])
	}
	return nil
}

// MaxContentFile is the largest content file read, in bytes. Parsed
// Markdown takes tens of times its size in memory, so one runaway file (a
// log pasted in, a generated dump) would otherwise take the whole machine;
// a long briefing is some 50 KB.
const MaxContentFile = 8 << 20

// reason is the OS's word for what went wrong, without the path that the
// diagnostic names anyway.
func reason(err error) string {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func symlinkDiag(p string) diag.Diagnostic {
	return diag.Diagnostic{Path: p, Severity: diag.Error,
		Message: "symbolic links are not followed", Hint: "copy the file into the site folder"}
}
