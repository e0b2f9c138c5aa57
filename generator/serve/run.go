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
	"strings"
	"syscall"
	"time"
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

// Run builds, serves and watches until ctx is done, then stops within a
// second. An error is returned only when serving cannot start.
func Run(ctx context.Context, opts RunOptions) error {
	srv, res, err := New(opts.Options)
	if err != nil {
		return err
	}
	defer srv.Close()
	report(opts, res, nil)

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%s is already in use: stop the other server, or pick another port with --addr 127.0.0.1:PORT (port 0 picks a free one)", opts.Addr)
		}
		return err
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(opts.Out, "serving %s (drafts %s) · Ctrl-C stops\n", url, map[bool]string{true: "included", false: "skipped"}[opts.Drafts])
	if opts.Ready != nil {
		opts.Ready <- ln.Addr().String()
	}

	paths := make(chan string, 1024)
	if opts.Poll > 0 {
		go Poll(opts.Src, opts.Poll, paths, srv.done)
	} else {
		w, err := Watch(opts.Src)
		if err != nil {
			ln.Close()
			return err
		}
		defer w.Close()
		go func() {
			for p := range w.Paths {
				paths <- p
			}
		}()
		go func() {
			for err := range w.Errors {
				fmt.Fprintln(opts.Err, "briefing: watching:", err)
			}
		}()
	}
	batches := make(chan []string)
	go debounce(paths, Quiet, 10*Quiet, batches)
	go func() {
		for batch := range batches {
			report(opts, srv.Changed(batch), batch)
		}
	}()

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(srv.Close)
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
	stop, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	srv.Close() // ends the event streams, which would otherwise hold Shutdown
	_ = hs.Shutdown(stop)
	close(paths)
	return nil
}

// report prints a rebuild's diagnostics, then one line: what changed, what
// was done, the counts and the time.
func report(opts RunOptions, res *Result, changed []string) {
	res.Diags.Print(opts.Err, opts.Colour)
	errs, warns := res.Diags.Count()
	state := "built"
	switch {
	case res.Failed:
		state = "build failed; serving the last good site"
	case res.Patched:
		state = "patched"
	case res.StaticOnly:
		state = "static files updated"
	case changed != nil:
		state = "rebuilt"
	}
	if changed != nil {
		state = changedList(changed) + ": " + state
	}
	fmt.Fprintf(opts.Out, "%s · %d errors · %d warnings · %s\n", state, errs, warns, res.Elapsed.Round(time.Millisecond))
}

// changedList names what changed, the first few paths of a burst.
func changedList(paths []string) string {
	const most = 3
	if len(paths) <= most {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:most], ", "), len(paths)-most)
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
