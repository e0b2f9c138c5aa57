package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"briefing/generator/site"

	"github.com/fsnotify/fsnotify"
)

// relevant reports whether a site-relative path is under a watched folder
// (or is one) and is not an editor's temp file.
func relevant(rel string) bool {
	if rel == "." || rel == "" {
		return false
	}
	top, _, _ := strings.Cut(rel, "/")
	if !slices.Contains(site.Folders(), top) {
		return false
	}
	return !site.Skipped(rel)
}

// Watcher turns file-system events below a site folder into site-relative
// paths that changed. fsnotify does not recurse: every folder is watched on
// its own, and a folder that appears is watched at once and its files are
// reported, so that `mkdir -p a/b/c` with files inside, where only a is
// reported, loses nothing.
type Watcher struct {
	src       string
	fsw       *fsnotify.Watcher
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	// Paths receives changed paths, in bursts, and is closed after Close;
	// Errors, problems worth telling the user.
	Paths  chan string
	Errors chan error
}

// Watch starts watching src's content/, templates/ and static/, and src
// itself so that those folders may be created later.
func Watch(src string) (*Watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, explain(err)
	}
	w := &Watcher{src: src, fsw: fsw, done: make(chan struct{}),
		Paths: make(chan string, 1024), Errors: make(chan error, 16)}
	if err := fsw.Add(src); err != nil {
		fsw.Close()
		return nil, explain(err)
	}
	for _, dir := range site.Folders() {
		if _, err := w.addTree(dir); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	go w.loop()
	return w, nil
}

// Close stops watching; it may be called more than once.
func (w *Watcher) Close() error {
	w.closeOnce.Do(func() { close(w.done) })
	return w.fsw.Close()
}

// explain says what to do when the system runs out of inotify watches.
func explain(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
		return fmt.Errorf("%w: the system ran out of file watches; raise the limit with "+
			"`sudo sysctl fs.inotify.max_user_watches=524288` (and fs.inotify.max_user_instances), "+
			"or run with --poll 500ms", err)
	}
	return err
}

// addTree watches dir and every folder below it, and returns the files in
// them, site-relative.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := walkSite(w.src, dir, func(rel string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !relevant(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			// Watched by its path through a top folder's link, if any, so
			// that events name it as the site does.
			if err := w.fsw.Add(filepath.Join(w.src, filepath.FromSlash(rel))); err != nil {
				return explain(err)
			}
			return nil
		}
		files = append(files, rel)
		return nil
	})
	return files, err
}

// walkSite walks the site-relative path dir of the site folder src like
// filepath.WalkDir, with site-relative slash paths. A top folder that is a
// link is followed, as the build follows it (site.Folder); links below are
// not. A top folder that cannot be read has nothing to walk: the build
// says why.
func walkSite(src, dir string, fn func(rel string, d fs.DirEntry, err error) error) error {
	top, rest, _ := strings.Cut(dir, "/")
	base, err := site.Folder(src, top)
	if err != nil {
		return nil
	}
	return filepath.WalkDir(filepath.Join(base, filepath.FromSlash(rest)), func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(base, p)
		return fn(path.Join(top, filepath.ToSlash(rel)), d, err)
	})
}

func (w *Watcher) loop() {
	defer close(w.Paths)
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			for _, p := range w.handle(ev) {
				select {
				case w.Paths <- p:
				case <-w.done:
				}
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			select {
			case w.Errors <- explain(err):
			default:
			}
		}
	}
}

// handle turns one event into the site-relative paths to re-read.
func (w *Watcher) handle(ev fsnotify.Event) []string {
	rel, err := filepath.Rel(w.src, ev.Name)
	if err != nil {
		return nil
	}
	rel = filepath.ToSlash(rel)
	if !relevant(rel) {
		return nil
	}
	// The name the watches were made under (see addTree): fsnotify names
	// the events of a watch on "." ./content.
	name := filepath.Join(w.src, filepath.FromSlash(rel))
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		w.unwatch(name)
	}
	out := []string{rel}
	// A folder is there after any of these: renamed over another (mv new
	// x, ln -sfn other content), only Create comes, and what was watched
	// there is gone; swapped with another (mv --exchange, renameat2's
	// RENAME_EXCHANGE), the old folder's own Rename may come after the
	// new one's Create, and unwatching it had dropped the new watches.
	if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
			w.unwatch(name)
			// New folder (or one renamed in): watch it and everything
			// already inside, which produced no events of its own.
			files, err := w.addTree(rel)
			if err != nil {
				select {
				case w.Errors <- err:
				default:
				}
			}
			out = append(out, files...)
		}
	}
	return out
}

// unwatch stops watching the folder name, gone from where it was, and
// every folder below it. A folder renamed inside the site keeps its
// inotify watch, and fsnotify keeps it under the old name: watched again
// under the new one (see handle), events below it came under the old name,
// and those of the folder itself stopped when fsnotify dropped the watch
// on the folder's own "moved" event. Removed first, the watches are made
// anew. Nothing is watched under a name that is not a folder.
func (w *Watcher) unwatch(name string) {
	for _, p := range w.fsw.WatchList() {
		if p == name || strings.HasPrefix(p, name+string(filepath.Separator)) {
			_ = w.fsw.Remove(p) // gone already if the kernel dropped it
		}
	}
}

// debounce gathers paths until none has arrived for quiet (or max has
// passed since the first), then sends the batch, deduplicated, with
// parents and children merged into the parent. It closes out when in is
// closed, or at once when done is: a batch then pending is dropped.
func debounce(in <-chan string, quiet, maxWait time.Duration, out chan<- []string, done <-chan struct{}) {
	defer close(out)
	for {
		var first string
		select {
		case p, ok := <-in:
			if !ok {
				return
			}
			first = p
		case <-done:
			return
		}
		batch := map[string]bool{first: true}
		deadline := time.NewTimer(maxWait)
		timer := time.NewTimer(quiet)
	gather:
		for {
			select {
			case p, ok := <-in:
				if !ok {
					break gather
				}
				batch[p] = true
				timer.Reset(quiet)
			case <-timer.C:
				break gather
			case <-deadline.C:
				break gather
			case <-done:
				return
			}
		}
		timer.Stop()
		deadline.Stop()
		select {
		case out <- merge(batch):
		case <-done:
			return
		}
	}
}

// merge drops paths below another path of the batch: re-reading the
// folder re-reads them.
func merge(batch map[string]bool) []string {
	var out []string
	for p := range batch {
		covered := false
		for q := path.Dir(p); q != "." && q != "/"; q = path.Dir(q) {
			if batch[q] {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// Poller is the fallback for file systems without events: every interval it
// compares sizes and modification times of everything watched with the
// last look and sends what differs.
type Poller struct {
	src    string
	before map[string]stamp
}

// stamp is what a look sees of one path.
type stamp struct {
	size   int64
	mod    time.Time
	folder string // of a top folder: what it stands for, or why nothing
}

// NewPoller takes the first look at src now, so that what changes after
// it returns is sent by Run.
func NewPoller(src string) *Poller {
	p := &Poller{src: src}
	p.before = p.scan()
	return p
}

// Poll is NewPoller(src).Run(interval, paths, done).
func Poll(src string, interval time.Duration, paths chan<- string, done <-chan struct{}) {
	NewPoller(src).Run(interval, paths, done)
}

// scan is one look at every watched path.
func (p *Poller) scan() map[string]stamp {
	seen := map[string]stamp{}
	for _, dir := range site.Folders() {
		// A top folder that appears, goes, or now links elsewhere is
		// re-read whole, so that what was said about it goes too.
		target, err := site.Folder(p.src, dir)
		seen[dir] = stamp{folder: fmt.Sprint(target, err)}
		_ = walkSite(p.src, dir, func(rel string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if !relevant(rel) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				if info, err := d.Info(); err == nil {
					seen[rel] = stamp{size: info.Size(), mod: info.ModTime()}
				}
			}
			return nil
		})
	}
	return seen
}

// Run looks every interval until done is closed.
func (p *Poller) Run(interval time.Duration, paths chan<- string, done <-chan struct{}) {
	before := p.before
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		now := p.scan()
		var changed []string
		for p, st := range now {
			if before[p] != st {
				changed = append(changed, p)
			}
		}
		for p := range before {
			if _, ok := now[p]; !ok {
				changed = append(changed, p)
			}
		}
		for _, p := range changed {
			select {
			case paths <- p:
			case <-done:
				return
			}
		}
		before = now
	}
}
