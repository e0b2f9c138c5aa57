package render

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/zeebo/xxh3"

	"briefing/generator/site"
)

// Manifest is the file, at the top of an output folder, that lists every
// file a build wrote there: the files a later build may replace or remove.
const Manifest = ".briefing-manifest"

// TempPrefix starts the name of every temporary file or folder a build makes
// in its output folder. Whatever bears it there belongs to a build that
// did not finish and is removed by the next one.
const TempPrefix = ".briefing-tmp-"

// manifestHeader starts a manifest's text. Version 1 summed files with
// SHA-256; its files are still known as the last build's, and compared
// byte for byte once.
const (
	manifestHeader   = "briefing manifest 2"
	manifestHeaderV1 = "briefing manifest 1"
)

// reserved reports whether the output path p is under a name the build
// keeps for itself at the top of its output: the manifest and its
// temporary files. top is that name.
func reserved(p string) (top string, ok bool) {
	top, _, _ = strings.Cut(p, "/")
	return top, top == Manifest || strings.HasPrefix(top, TempPrefix)
}

// errLocked is the answer of lock when another build holds the folder.
var errLocked = errors.New("another build is writing into it")

// Out is an output folder brought up to date in place. Emit compares each
// file with what the folder holds and stages only the changed ones, whole,
// in a temporary folder inside the output; the files a reader sees change
// only in Commit, one rename each, so a build that fails or is killed
// before then leaves them as they were. Staging on disk keeps memory flat
// however large the site.
//
// A file whose top folder the output did not hold when the build began
// (all of them, for a new or empty output) is staged at its own path in
// a copy of the tree, and Commit moves each such top folder into place
// with one rename instead of one per file: at 80,000 files, the rename
// of every file through a Root was most of the writing.
type Out struct {
	dir    string   // as the user named it, for messages
	force  bool     // files the last build did not write may be replaced
	root   *os.Root // every write goes through it: nothing lands outside
	held   *os.File // the folder, locked while this build writes in it
	made   string   // the topmost folder this build made, "" if none
	old    map[string]entry
	oldSum fileSum         // of the manifest's text, to skip rewriting it unchanged
	since  int64           // the manifest's modification time, Unix nanoseconds
	held0  map[string]bool // the names at the top of the folder when the build began

	mu      sync.Mutex
	cur     map[string]entry  // every file of this build
	lines   []manifestLine    // see manifestLines
	order   []int32           // see manifestLines
	staged  map[string]string // path → staged file below stage
	stage   string            // staging folder, made on the first change
	stageF  *os.File          // stage, open
	stageFd int               // its descriptor
	dirs    sync.Map          // folders below stage asked for twice, so as not to ask again
	// folders are descriptors of folders below stage, kept open to make
	// folders in (see mkdir); nfolders counts the ones opened, and keep
	// is how many may be kept.
	folders  sync.Map
	nfolders atomic.Int32
	keep     int32
	n        int
	err      error // the first write error; it ends staging
}

// entry is what the manifest knows of one file. A file of that size that
// has not changed since the manifest was written (its ctime is older) is
// trusted to hold the bytes of sum, so an unchanged file is compared
// without being read. The manifest holds no times, so that two builds of
// the same content give the same bytes, manifest included.
type entry struct {
	sum  fileSum
	size int64
}

// fileSum is the XXH3-128 of a file's bytes. It tells a file the last build
// wrote from one changed since, not an adversary's collision (whoever can
// write the content can change the site anyway); at 1.6 GB of pages it
// takes a tenth of the CPU SHA-256 took (1 s of 30 at 10,000 briefings).
type fileSum [16]byte

func sumOf(data []byte) fileSum { return xxh3.Hash128(data).Bytes() }

// OpenOut prepares to update the folder dir, creating it if need be (0755
// less the umask). A folder that holds files but no manifest was not made
// by a build and is refused unless force is set, because the build would
// then replace files that are not its own. Temporary files left by a
// killed build are removed. name is how dir is shown in messages.
func OpenOut(dir, name string, force bool) (*Out, error) {
	o := &Out{dir: name, force: force, cur: map[string]entry{}, staged: map[string]string{}, held0: map[string]bool{},
		keep: keptFolders(openFileLimit())}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		o.made = dir
		for {
			parent := filepath.Dir(o.made)
			if _, err := os.Lstat(parent); !errors.Is(err, fs.ErrNotExist) {
				break
			}
			o.made = parent
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, fmt.Errorf("refusing to write into %s: it is a file, not a folder", name)
	}
	if o.root, err = os.OpenRoot(dir); err != nil {
		return nil, err
	}
	if o.held, err = os.Open(dir); err == nil {
		err = lock(o.held)
	}
	if err != nil {
		o.close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("refusing to write into %s: %w", name, err)
		}
		return nil, err
	}
	entries, err := fs.ReadDir(o.root.FS(), ".")
	if err != nil {
		o.close()
		return nil, err
	}
	var debris, others []string
	manifest := false
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), TempPrefix):
			debris = append(debris, e.Name())
		case e.Name() == Manifest:
			manifest = true
		default:
			others = append(others, e.Name())
			o.held0[e.Name()] = true
		}
	}
	if !manifest && len(others) > 0 && !force {
		o.close()
		return nil, fmt.Errorf("refusing to write into %s: it holds files (%s) but no %s, so a build did not make it; build with --force to write into it anyway, keeping the files that are not the build's",
			name, strings.Join(others[:min(len(others), 3)], ", "), Manifest)
	}
	for _, d := range debris {
		if err := o.root.RemoveAll(d); err != nil {
			o.close()
			return nil, err
		}
	}
	if manifest {
		if err := o.readManifest(); err != nil {
			o.close()
			return nil, fmt.Errorf("%s: %v; remove it and build with --force", filepath.Join(name, Manifest), err)
		}
	}
	return o, nil
}

func (o *Out) readManifest() error {
	f, err := o.root.Open(Manifest)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	o.since = st.ModTime().UnixNano()
	o.old, o.oldSum, err = readManifest(f)
	return err
}

// Emit stages the file at slash path p unless the folder already holds
// these bytes. A write error is kept, not returned: it is the disk's, not
// the page's, and is reported once by Err.
//
// Emit may be called from several goroutines at once. It keeps no
// reference to data once it returns, so the caller may reuse or change
// the buffer then (a renderer that pools its buffers does).
func (o *Out) Emit(p string, data []byte) error {
	if err := checkPath(p); err != nil {
		return err
	}
	if o.Err() != nil {
		return nil
	}
	e := entry{sum: sumOf(data), size: int64(len(data))}
	fresh := o.fresh(p)
	if !fresh {
		keep, err := o.same(p, e, data)
		if err != nil {
			o.fail(p, err)
			return nil
		}
		if keep {
			o.mu.Lock()
			o.cur[p] = e
			o.mu.Unlock()
			return nil
		}
	}
	name, err := o.write(p, fresh, data)
	if err != nil {
		o.fail(p, err)
		return nil
	}
	o.mu.Lock()
	o.cur[p], o.staged[p] = e, name
	o.mu.Unlock()
	return nil
}

// Expect tells o how many files the build is about to emit, before it
// emits any: the maps of what it wrote are made that large at once, not
// grown under its lock while the pages are written (at 1,000 briefings
// that growth was a hundredth of a build's CPU).
func (o *Out) Expect(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.cur) == 0 && len(o.staged) == 0 {
		o.cur, o.staged = make(map[string]entry, n), make(map[string]string, n)
	}
}

// checkPath refuses a path no output file may have.
func checkPath(p string) error {
	if !filepath.IsLocal(filepath.FromSlash(p)) || path.Clean(p) != p {
		return fmt.Errorf("refusing to write %q outside the output folder", p)
	}
	if _, reserved := reserved(p); reserved {
		return fmt.Errorf("refusing to write %q: the build keeps that name for itself", p)
	}
	return nil
}

// EmitFrom is Emit for a file that write writes in pieces, so that it is
// never held whole: graph.json is 46 MB at 10,000 briefings, and made
// whole, it was the heap's largest object and, at 1,000, what made the
// heap take more memory from the system. Where the output held the file's
// folder before, the file is made whole and handed to Emit, which
// compares it with what is there. An error of write's own (the file's
// rendering) is returned, and nothing of the file is kept; an error of
// the disk's is kept, as Emit keeps it.
func (o *Out) EmitFrom(p string, write func(io.Writer) error) error {
	if err := checkPath(p); err != nil {
		return err
	}
	if o.Err() != nil {
		return nil
	}
	if !o.fresh(p) {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return err
		}
		return o.Emit(p, b.Bytes())
	}
	rel, err := o.stageFor(p, true)
	var f *os.File
	if err == nil {
		f, err = o.root.OpenFile(o.stage+"/"+rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		o.fail(p, err)
		return nil
	}
	h := xxh3.New()
	fw := &countWriter{w: f}
	bw := bufio.NewWriterSize(io.MultiWriter(fw, h), 64<<10)
	werr := write(bw)
	if werr == nil {
		_ = bw.Flush()
	}
	err = fw.err
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || werr != nil {
		_ = o.root.Remove(o.stage + "/" + rel)
		if err != nil {
			o.fail(p, err) // the disk's: the file's rendering stopped on it
			return nil
		}
		return werr
	}
	e := entry{sum: h.Sum128().Bytes(), size: fw.n}
	o.mu.Lock()
	o.cur[p], o.staged[p] = e, o.stage+"/"+rel
	o.mu.Unlock()
	return nil
}

// countWriter counts what it writes to w, and keeps w's first error.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}

// fresh reports whether the output held nothing at the top folder (or
// file) of p when the build began: then nothing of the user's nor of the
// last build's can be in the way, and p is staged at its own path.
func (o *Out) fresh(p string) bool {
	top, _, _ := strings.Cut(p, "/")
	return !o.held0[top]
}

// same reports whether the folder already holds data, which e sums, at p.
// An error is a path that cannot be written at all.
func (o *Out) same(p string, e entry, data []byte) (bool, error) {
	st, err := o.root.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case errors.Is(err, syscall.ENOTDIR) && o.ownsAncestor(p):
		return false, nil // a file of the last build stands where a folder goes; Commit removes it
	case err != nil:
		return false, err
	case st.IsDir():
		if o.ownsBelow(p) {
			return false, nil
		}
		return false, syscall.EISDIR
	case !o.force && !o.listed(p):
		// Not the build's: a file of the user's, which a build may
		// neither replace nor, later, remove.
		return false, fmt.Errorf("refusing to replace it: the last build did not write it (move it, or build once with --force)")
	case !st.Mode().IsRegular() || st.Size() != e.size:
		return false, nil
	}
	// Strictly older: a change in the same clock tick as the manifest
	// could not be told from the build's own last renames.
	if old, ok := o.old[p]; ok && old == e && ctime(st) < o.since {
		return true, nil
	}
	// Unknown to the manifest, or changed since: compare the bytes.
	have, err := o.root.ReadFile(p)
	return err == nil && bytes.Equal(have, data), nil
}

// listed reports whether the last build's manifest lists p.
func (o *Out) listed(p string) bool {
	_, ok := o.old[p]
	return ok
}

// ownsAncestor reports whether a folder of p is a file of the last build.
func (o *Out) ownsAncestor(p string) bool {
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if _, ok := o.old[d]; ok {
			return true
		}
	}
	return false
}

// ownsBelow reports whether the last build wrote files below folder p.
func (o *Out) ownsBelow(p string) bool {
	for q := range o.old {
		if strings.HasPrefix(q, p+"/") {
			return true
		}
	}
	return false
}

// write puts data in a new file of the staging folder and returns its
// name: the file's own path below the staging folder if fresh, else a
// number (named with TempPrefix, which no output path starts with).
func (o *Out) write(p string, fresh bool, data []byte) (string, error) {
	rel, err := o.stageFor(p, fresh)
	if err == nil {
		err = o.create(rel, data)
	}
	return o.stage + "/" + rel, err
}

// stageFor makes the staging folder, if this is its first file, and the
// folders the new file rel of p goes in below it, and returns rel: p's
// own path if fresh, else a number (see write).
func (o *Out) stageFor(p string, fresh bool) (string, error) {
	o.mu.Lock()
	if o.stage == "" {
		for {
			name := TempPrefix + strconv.FormatUint(rand.Uint64(), 36)
			err := o.root.Mkdir(name, 0o700)
			if err == nil {
				o.stage = name
				o.stageF, err = o.root.Open(name)
			}
			if err == nil {
				o.stageFd = int(o.stageF.Fd())
				break
			}
			if !errors.Is(err, fs.ErrExist) {
				o.mu.Unlock()
				return "", err
			}
		}
	}
	rel := p
	if !fresh {
		o.n++
		rel = TempPrefix + strconv.Itoa(o.n)
	}
	o.mu.Unlock()
	if dir := path.Dir(rel); dir != "." {
		if _, made := o.dirs.Load(dir); !made {
			return rel, o.mkdirs(dir)
		}
	}
	return rel, nil
}

// create writes data to the new file rel below the staging folder. Made
// by this build and 0700, that folder holds nothing another user put
// there; the staged file is reached without os.Root's walk, which opened
// and closed every folder on the way, where the kernel offers it
// (openat2).
func (o *Out) create(rel string, data []byte) error {
	err := writeBeneath(o.stageFd, rel, data)
	if !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	f, err := o.root.OpenFile(o.stage+"/"+rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// maxFolders is how many folders below the staging folder Out keeps open
// to make folders in: the sections', which hold a folder for each of
// their pages.
const maxFolders = 64

// keptFolders is how many folders Out keeps open under a limit of limit
// open files: none under 64, as before it kept any, and then a sixteenth
// of what is above, up to maxFolders, so that keeping them never makes a
// build fail where it did not.
func keptFolders(limit uint64) int32 {
	if limit < 64 {
		return 0
	}
	return int32(min((limit-64)/16, maxFolders))
}

// mkdir makes the folder rel below the staging folder, in its folder
// kept open when it is one of the first asked for (see keptFolders): a
// folder made for each claim's page otherwise cost opening and closing
// claims/. A kept folder is reached once, as beneath.Open reaches it; the
// staging folder is this build's own and 0700, so no one else can swap
// it for a link meanwhile.
func (o *Out) mkdir(rel string) error {
	dir, name := path.Split(rel)
	if dir == "" {
		return mkdirIn(o.stageFd, name)
	}
	dir = dir[:len(dir)-1]
	if fd, ok := o.folders.Load(dir); ok {
		return mkdirIn(fd.(int), name)
	}
	fd, err := openFolder(o.stageFd, dir)
	if err != nil {
		return err
	}
	if o.nfolders.Add(1) > o.keep {
		defer closeFolder(fd)
	} else if kept, loaded := o.folders.LoadOrStore(dir, fd); loaded {
		closeFolder(fd)
		fd = kept.(int)
	}
	return mkdirIn(fd, name)
}

// mkdirs makes the folder rel below the staging folder and any it lies
// in, as create reaches a file.
func (o *Out) mkdirs(rel string) error {
	err := o.mkdir(rel)
	if errors.Is(err, fs.ErrNotExist) && path.Dir(rel) != "." {
		if err = o.mkdirs(path.Dir(rel)); err == nil {
			err = o.mkdir(rel)
		}
	}
	switch {
	case errors.Is(err, fs.ErrExist):
		// Made by another page's Emit (a file there fails create). Only
		// a folder asked for again is remembered: most are one page's
		// own (claims/<id>/), made once, and remembering each of them
		// took 15 MB at 10,000 briefings.
		err = nil
		o.dirs.Store(rel, true)
	case errors.Is(err, errors.ErrUnsupported):
		err = o.root.MkdirAll(o.stage+"/"+rel, 0o755)
		o.dirs.Store(rel, true)
	}
	return err
}

// fail keeps the first write error, naming the output file it was for and
// the system's reason.
func (o *Out) fail(p string, err error) {
	o.mu.Lock()
	if o.err == nil {
		o.err = &fs.PathError{Op: "write", Path: filepath.Join(o.dir, filepath.FromSlash(p)), Err: reason(err)}
	}
	o.mu.Unlock()
}

// Err is the first write error, a *fs.PathError naming the output file.
func (o *Out) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// Commit renames the staged files into place, removes the files of the
// last build that this one did not make (and folders left empty), and
// records the manifest. Files that did not change are not touched, and a
// build that changed nothing writes nothing. Killed at any point, Commit
// leaves every file whole, and a manifest that lists every file it wrote.
func (o *Out) Commit() error {
	defer o.close()
	if err := o.Err(); err != nil {
		o.abort()
		return err
	}
	var stale []string
	for p := range o.old {
		if _, ok := o.cur[p]; !ok {
			stale = append(stale, p)
		}
	}
	slices.Sort(stale)
	// Each fresh top folder goes into place whole; every other file, one
	// rename each.
	var paths, tops []string
	for p := range o.staged {
		if top, _, _ := strings.Cut(p, "/"); o.fresh(p) {
			if !slices.Contains(tops, top) {
				tops = append(tops, top)
			}
		} else {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	slices.Sort(tops)
	// Every folder a file goes into, asked once, before any file changes.
	asked := map[string]bool{}
	if len(tops) > 0 {
		paths = append(paths, tops[0]) // for all the fresh ones: they go into the output's own folder
	}
	for _, p := range paths {
		for d := path.Dir(p); !asked[d]; d = path.Dir(d) {
			asked[d] = true
			// Only a folder there now: one still to be made is made by
			// this build, and a file of the last build's there goes.
			if st, err := o.root.Lstat(d); err != nil || !st.IsDir() {
				if d == "." {
					break
				}
				continue
			}
			if err := writable(filepath.Join(o.root.Name(), filepath.FromSlash(d))); err != nil {
				o.abort()
				return &fs.PathError{Op: "write", Path: filepath.Join(o.dir, filepath.FromSlash(d)), Err: reason(err)}
			}
			if d == "." {
				break
			}
		}
	}
	if len(tops) > 0 {
		paths = paths[:len(paths)-1]
	}
	// Files about to appear must be in the manifest before they do, or a
	// build killed now would leave files no later build knows to remove;
	// written after the folders are known writable, so that a build that
	// fails on one changes nothing, the manifest included.
	for p := range o.staged {
		if _, ok := o.old[p]; !ok {
			if err := o.writeManifest(true, false); err != nil {
				o.abort()
				return err
			}
			break
		}
	}
	// The renames touch different names, so they run side by side: on a
	// tmpfs each costs more in the system's path walking than in the disk.
	if p, err := spread(len(paths)+len(tops), func(i int) (string, error) {
		if i < len(paths) {
			return paths[i], o.place(paths[i], stale)
		}
		return o.placeTree(tops[i-len(paths)], stale)
	}); err != nil {
		o.abort()
		return &fs.PathError{Op: "write", Path: filepath.Join(o.dir, filepath.FromSlash(p)), Err: reason(err)}
	}
	if o.stage != "" {
		// Empty but for the folders of a fresh tree that could not go
		// into place whole.
		if err := o.root.RemoveAll(o.stage); err != nil {
			return err
		}
	}
	// Removals last, so that a reader never misses a page of either
	// build; side by side too, as a site that changes much drops many.
	removed := make([]error, len(stale))
	_, _ = spread(len(stale), func(i int) (string, error) {
		removed[i] = o.remove(stale[i])
		return "", nil
	})
	var kept error
	for i, p := range stale {
		if err := removed[i]; err != nil {
			// Still the build's: listed, so that a later build removes it.
			o.cur[p] = o.old[p]
			if kept == nil {
				kept = &fs.PathError{Op: "remove", Path: filepath.Join(o.dir, filepath.FromSlash(p)), Err: reason(err)}
			}
		}
	}
	if len(o.staged) == 0 && len(stale) == 0 {
		return o.writeManifest(false, false)
	}
	// Written even when its text is the same, so that it is newer than
	// every file this build wrote (see same).
	return cmp.Or(o.writeManifest(false, true), kept)
}

// place renames the staged file for p into place. A file of the last build
// where p needs a folder, or a folder of its files where p goes, is
// removed first: the one case where a stale file cannot wait until last.
func (o *Out) place(p string, stale []string) error {
	rename := func() error {
		// Most folders exist already; make them only when the rename
		// says one is missing.
		err := o.root.Rename(o.staged[p], p)
		if errors.Is(err, fs.ErrNotExist) {
			if err = o.root.MkdirAll(path.Dir(p), 0o755); err == nil {
				err = o.root.Rename(o.staged[p], p)
			}
		}
		return err
	}
	if rename() == nil {
		return nil
	}
	for _, q := range stale {
		if strings.HasPrefix(p, q+"/") || strings.HasPrefix(q, p+"/") {
			_ = o.remove(q)
		}
	}
	return rename()
}

// placeTree moves the staged copy of the fresh top folder (or file) top
// into place with one rename. Should something have appeared there since
// the build began, the files below it go one by one instead, into what
// stands there. The path returned is the one an error is about.
func (o *Out) placeTree(top string, stale []string) (string, error) {
	err := o.root.Rename(o.stage+"/"+top, top)
	if err == nil {
		return top, nil
	}
	var below []string
	for p := range o.staged {
		if p == top || strings.HasPrefix(p, top+"/") {
			below = append(below, p)
		}
	}
	slices.Sort(below)
	for _, p := range below {
		if err := o.place(p, stale); err != nil {
			return p, err
		}
	}
	return top, nil
}

// spread calls f(i) for every i below n on as many goroutines as there
// are processors. It stops at the first error, and returns it with the
// path f named.
func spread(n int, f func(i int) (string, error)) (string, error) {
	var (
		next   atomic.Int64
		failed atomic.Bool
		mu     sync.Mutex
		first  = n
		p      string
		err    error
		wg     sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if q, e := f(i); e != nil {
					failed.Store(true)
					mu.Lock()
					if i < first { // the same error, however the work was shared
						first, p, err = i, q, e
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return p, err
}

// remove deletes the file p of the last build, if it is still there and a
// file, then the folders it leaves empty: also when p is gone already, as
// a build killed between the two leaves them.
func (o *Out) remove(p string) error {
	st, err := o.root.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		// Gone, or a file of this build stands where its folder was.
	case err != nil:
		return err
	case st.IsDir():
		return nil // a folder stands there now: not the build's file
	default:
		if err := o.root.Remove(p); err != nil {
			return err
		}
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		// Only a folder, and only an empty one: a file there is this
		// build's, a file inside this build's or the user's.
		if st, err := o.root.Lstat(d); err != nil || !st.IsDir() || o.root.Remove(d) != nil {
			return nil
		}
	}
	return nil
}

// abort removes the staged files and the folders this build made, if
// they are empty.
func (o *Out) abort() {
	if o.stage != "" {
		_ = o.root.RemoveAll(o.stage)
	}
	for d := o.root.Name(); o.made != ""; d = filepath.Dir(d) {
		if os.Remove(d) != nil || d == o.made {
			break
		}
	}
}

func (o *Out) close() {
	o.folders.Range(func(_, fd any) bool {
		closeFolder(fd.(int))
		return true
	})
	o.folders.Clear()
	o.root.Close()
	if o.stageF != nil {
		o.stageF.Close()
	}
	if o.held != nil {
		o.held.Close()
	}
}

// Abort discards everything staged: the output folder is as it was.
func (o *Out) Abort() {
	o.abort()
	o.close()
}

// writeManifest records the files of this build, through a temporary file
// renamed over the manifest, unless the manifest already says exactly that
// and always is false.
//
// A pending manifest, written before the staged files are renamed into
// place, also lists the files of the last build that this one drops, and
// gives an entry only to the files this build found unchanged: a staged
// file not yet renamed when the build is killed must not be trusted to
// hold the bytes it was about to, nor a file of the last build that was
// changed by hand, to hold the bytes the last build wrote.
func (o *Out) writeManifest(pending, always bool) error {
	lines, order := o.manifestLines()
	entryOf := func(l *manifestLine) (entry, bool) {
		switch {
		case pending && (l.staged || !l.cur):
			return entry{}, true // matches no file: the next build compares the bytes
		case !pending && !l.cur:
			// A file of the last build's that Commit could not remove
			// is still the build's.
			e, ok := o.cur[l.p]
			return e, ok
		}
		return l.e, true
	}
	// Made once, to be summed and written: 15 MB at 10,000 briefings,
	// which formatting twice, at each of a build's two manifests, cost a
	// tenth of a second more when nothing else runs. It is kept in the
	// parts it is formatted in, never joined.
	text := formatManifest(lines, order, entryOf)
	h := xxh3.New()
	for _, b := range text {
		_, _ = h.Write(b)
	}
	sum := h.Sum128().Bytes()
	if !always && sum == o.oldSum {
		return nil
	}
	name := TempPrefix + "manifest-" + strconv.FormatUint(rand.Uint64(), 36)
	f, err := o.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil {
		for _, b := range text {
			if _, err = f.Write(b); err != nil {
				break
			}
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = o.root.Rename(name, Manifest)
		}
		if err != nil {
			_ = o.root.Remove(name)
		}
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: filepath.Join(o.dir, Manifest), Err: reason(err)}
	}
	o.oldSum = sum
	return nil
}

// manifestLine is what a manifest may say of one file: its path, and its
// entry as this build knows it.
type manifestLine struct {
	p      string
	e      entry
	staged bool // written by this build and not yet in place
	cur    bool // a file of this build; else one of the last build's it drops
}

// manifestLines is every file a manifest of this build may list, the
// files of this build and those of the last it drops, and their order by
// path. Commit writes two manifests, and making their lists, sorting
// them on one core while the other was idle and looking each path up in
// two maps, was half the time Commit took at 1,000 briefings: the list is
// made once, with the entries, and its order sorted on all cores, as
// indexes, not lines, so that the heap, near its highest at the end of a
// large build, holds one list and not two. This build's files are known
// by then: only a file of the last build's that Commit fails to remove
// joins cur after, and it is in the list already.
func (o *Out) manifestLines() ([]manifestLine, []int32) {
	if o.lines == nil {
		lines := make([]manifestLine, 0, len(o.cur)+len(o.old))
		for p, e := range o.cur {
			_, staged := o.staged[p]
			lines = append(lines, manifestLine{p: p, e: e, staged: staged, cur: true})
		}
		for p, e := range o.old {
			if _, ok := o.cur[p]; !ok {
				lines = append(lines, manifestLine{p: p, e: e})
			}
		}
		order := make([]int32, len(lines))
		for i := range order {
			order[i] = int32(i)
		}
		sortOn(order, make([]int32, len(order)), runtime.GOMAXPROCS(0), func(a, b int32) int { return strings.Compare(lines[a].p, lines[b].p) })
		o.lines, o.order = lines, order
	}
	return o.lines, o.order
}

// sortOn sorts s by cmp on up to cores cores: each half on its own, then
// merged through tmp, which is as long as s.
func sortOn[E any](s, tmp []E, cores int, cmp func(a, b E) int) {
	if cores < 2 || len(s) < 4096 {
		slices.SortFunc(s, cmp)
		return
	}
	mid := len(s) / 2
	var wg sync.WaitGroup
	wg.Go(func() { sortOn(s[:mid], tmp[:mid], cores/2, cmp) })
	sortOn(s[mid:], tmp[mid:], cores-cores/2, cmp)
	wg.Wait()
	a, b, k := s[:mid], s[mid:], 0
	for len(a) > 0 && len(b) > 0 {
		if cmp(b[0], a[0]) < 0 {
			tmp[k], b = b[0], b[1:]
		} else {
			tmp[k], a = a[0], a[1:]
		}
		k++
	}
	k += copy(tmp[k:], a)
	copy(tmp[k:], b)
	copy(s, tmp)
}

// formatManifest is the manifest's text, in parts: the header, then one
// line for each of lines in order that entryOf gives an entry: the
// fileSum of the file's bytes, its size, and its path quoted as a Go
// string. Long lists are formatted in parts on all cores, for the same
// reason manifestLines sorts on them.
func formatManifest(lines []manifestLine, order []int32, entryOf func(*manifestLine) (entry, bool)) [][]byte {
	const part = 8192
	parts := make([][]byte, 1+(len(order)+part-1)/part)
	parts[0] = []byte(manifestHeader + "\n")
	site.InChunks(len(order), part, func(i, lo, hi int) {
		b := make([]byte, 0, 100*(hi-lo))
		for _, j := range order[lo:hi] {
			l := &lines[j]
			e, ok := entryOf(l)
			if !ok {
				continue
			}
			b = hex.AppendEncode(b, e.sum[:])
			b = strconv.AppendInt(append(b, ' '), e.size, 10)
			b = appendQuoted(append(b, ' '), l.p)
			b = append(b, '\n')
		}
		parts[i+1] = b
	})
	return parts
}

// appendQuoted is strconv.AppendQuote, which reads a rune at a time, made
// quick for the paths a build writes: printable ASCII, with nothing to
// escape, is copied between its quotes.
func appendQuoted(dst []byte, p string) []byte {
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return strconv.AppendQuote(dst, p)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, p...)
	return append(dst, '"')
}

// readManifest reads the manifest r and returns its files and the sum of
// its text (see sumOf).
func readManifest(r io.Reader) (map[string]entry, fileSum, error) {
	var sum fileSum
	h := xxh3.New()
	files := map[string]entry{}
	sc := bufio.NewScanner(io.TeeReader(r, h))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() || sc.Text() != manifestHeader && sc.Text() != manifestHeaderV1 {
		return nil, sum, errors.New("not a manifest of this version")
	}
	v1 := sc.Text() == manifestHeaderV1
	for n := 2; sc.Scan(); n++ {
		p, e, ok := parseLine(sc.Text(), v1)
		// Only clean paths inside the folder: the build writes no other,
		// and removes what the manifest lists.
		if !ok || path.Clean(p) != p || !filepath.IsLocal(filepath.FromSlash(p)) {
			return nil, sum, fmt.Errorf("line %d is malformed", n)
		}
		files[p] = e
	}
	sum = h.Sum128().Bytes()
	return files, sum, sc.Err()
}

// parseLine reads one line of a manifest; of a version 1 manifest, whose
// sums are SHA-256, it keeps the size and path and no sum, so that the
// file is compared byte for byte.
func parseLine(line string, v1 bool) (string, entry, bool) {
	var e entry
	f := strings.SplitN(line, " ", 3)
	if len(f) != 3 {
		return "", e, false
	}
	sum, err1 := hex.DecodeString(f[0])
	size, err2 := strconv.ParseInt(f[1], 10, 64)
	p, err3 := strconv.Unquote(f[2])
	want := len(e.sum)
	if v1 {
		want = sha256.Size
	}
	if errors.Join(err1, err2, err3) != nil || len(sum) != want {
		return "", e, false
	}
	if !v1 {
		copy(e.sum[:], sum)
	}
	e.size = size
	return p, e, true
}

// reason is the system's reason for err, without the path the error names
// (the caller names the output file instead).
func reason(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}
