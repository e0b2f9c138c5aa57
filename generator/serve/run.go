package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"briefing/generator/diag"
	"briefing/generator/render"
)

// RunOptions are the flags of `briefing serve`.
type RunOptions struct {
	Options
	Addr   string        // host:port; port 0 picks a free one
	Poll   time.Duration // poll instead of watching, when > 0
	Open   bool          // open the site in a browser
	Colour bool
	Out    io.Writer // the URL and build summaries
	Err    io.Writer // diagnostics
	// Ready, if set, receives the address once the server listens.
	Ready chan<- string
}

// Quiet is how long a burst of file events must pause before a rebuild:
// long enough to gather an editor's write-rename-chmod, short enough not
// to be felt.
const Quiet = 10 * time.Millisecond

// rebuildWait is how long stopping waits for a rebuild under way: longer
// than a rebuild of a large site takes, so that one that ends is waited
// for, while one that renders a page that never ends is not.
const rebuildWait = 5 * time.Second

// Run builds, serves and watches until ctx is done, then stops within a
// second (or when a rebuild under way ends, or after rebuildWait, when it
// does not: a render may never end); nothing it started goes on after it
// returns, but for such a rebuild, which prints nothing more. An error is
// returned only when serving cannot start.
func Run(ctx context.Context, opts RunOptions) error {
	opts.Options.Addr = opts.Addr
	// Watching starts before the first build, so that a save during it is
	// not lost: it is seen then, or it shows in the build.
	var poller *Poller
	var w *Watcher
	if opts.Poll > 0 {
		poller = NewPoller(opts.Src)
	} else {
		var err error
		if w, err = Watch(opts.Src); err != nil {
			return err
		}
	}
	srv, res, err := New(opts.Options)
	if err != nil {
		if w != nil {
			w.Close()
		}
		return err
	}
	defer srv.Close()
	report(opts, res, nil)

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		if w != nil {
			w.Close()
		}
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%s is already in use: stop the other server, or pick another port with --addr 127.0.0.1:PORT (port 0 picks a free one)", opts.Addr)
		}
		return err
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(opts.Out, "serving %s (drafts %s) · Ctrl-C stops\n", url, map[bool]string{true: "included", false: "skipped"}[opts.Drafts])

	// Every goroutine below stops when stop is closed and is waited for;
	// each channel is closed by its only sender, so none is sent on after
	// it is closed.
	ctx, cancel := context.WithCancel(ctx)
	stop := ctx.Done()
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	paths := make(chan string, 1024)
	var watchErrs <-chan error
	if poller != nil {
		wg.Go(func() {
			poller.Run(opts.Poll, paths, stop)
			close(paths)
		})
	} else {
		watchErrs = w.Errors
		wg.Go(func() {
			defer close(paths)
			defer func() {
				w.Close()
				for range w.Paths { // until the watcher's loop has ended
				}
			}()
			for {
				select {
				case p, ok := <-w.Paths:
					if !ok {
						return
					}
					select {
					case paths <- p:
					case <-stop:
						return
					}
				case <-stop:
					return
				}
			}
		})
	}
	batches := make(chan []string)
	wg.Go(func() { debounce(paths, Quiet, 10*Quiet, batches, stop) })
	// One goroutine rebuilds and reports, so output is never interleaved.
	// It is waited for apart from the others, and only so long.
	var outMu sync.Mutex
	returned := false
	say := func(f func()) {
		outMu.Lock()
		defer outMu.Unlock()
		if !returned {
			f()
		}
	}
	rebuilt := make(chan struct{})
	go func() {
		defer close(rebuilt)
		for {
			select {
			case batch, ok := <-batches:
				if !ok {
					return
				}
				res := srv.Changed(batch)
				if !res.Unchanged {
					say(func() { report(opts, res, res.Paths) })
				}
			case err := <-watchErrs:
				say(func() { fmt.Fprintln(opts.Err, "briefing: watching:", err) })
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		cancel()
		select {
		case <-rebuilt:
		case <-time.After(rebuildWait):
		}
		say(func() { returned = true })
	}()

	if opts.Ready != nil {
		opts.Ready <- ln.Addr().String()
	}
	// No WriteTimeout: it would cut the events stream; ServeHTTP sets a
	// deadline for each response instead.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	if opts.Open {
		openBrowser(url)
	}
	select {
	case <-ctx.Done():
	case err := <-served:
		return err
	}
	cancel()
	srv.Close() // ends the event streams, which would otherwise hold Shutdown
	shut, cancelShut := context.WithTimeout(context.Background(), time.Second)
	defer cancelShut()
	if hs.Shutdown(shut) != nil {
		_ = hs.Close() // a client still being written to
	}
	<-served
	return nil
}

// report prints a rebuild's diagnostics, then one line: what changed, what
// was done, the counts and the time.
func report(opts RunOptions, res *Result, changed []string) {
	res.Diags.Print(opts.Err, opts.Colour)
	errs, warns := res.Diags.Count()
	state := "built"
	switch {
	case res.NoSite:
		state = "build failed; nothing to serve until it builds"
	case res.Failed:
		state = "build failed; serving the last good site"
	case res.Patched:
		state = "patched"
	case res.Updated:
		state = "updated"
	case res.StaticOnly:
		state = "static files updated"
	case changed != nil:
		state = "rebuilt"
	}
	if changed != nil {
		state = changedList(changed) + ": " + state
	} else if res.Counts != nil && !res.Failed {
		state += " " + render.CountsLine(res.Counts)
	}
	fmt.Fprintf(opts.Out, "%s · %s · %s · %s\n", state, diag.Plural(errs, "error"), diag.Plural(warns, "warning"), res.Elapsed.Round(time.Millisecond))
}

// changedList names what changed, the first few paths of a burst.
func changedList(paths []string) string {
	const most = 3
	shown := make([]string, 0, most)
	for _, p := range paths[:min(len(paths), most)] {
		if !diag.Printable(p) {
			p = strconv.Quote(p) // a file name must not drive the terminal
		}
		shown = append(shown, p)
	}
	if len(paths) <= most {
		return strings.Join(shown, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(shown, ", "), len(paths)-most)
}

func openBrowser(url string) {
	cmd := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		cmd = "open"
	case "windows":
		cmd = "explorer"
	}
	_ = exec.Command(cmd, url).Start()
}
