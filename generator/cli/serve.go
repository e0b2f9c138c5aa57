package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"briefing/generator/serve"
)

func cmdServe(args []string, builtin fs.FS, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("serve", flag.ContinueOnError)
	src := fset.String("src", ".", "the site's `DIR`, holding content/, templates/ and static/")
	addr := fset.String("addr", "127.0.0.1:1313", "the address to listen on, `HOST:PORT`; port 0 picks a free one (only requests for this host, localhost or loopback are answered)")
	drafts := fset.Bool("drafts", true, "include draft briefings (--drafts=false to leave them out)")
	open := fset.Bool("open", false, "open the site in the default browser")
	poll := fset.Duration("poll", 0, "poll for changes every `DURATION` (e.g. 500ms) instead of using file-system events")
	if _, code := parse(fset, args, stdout, stderr, "serve", 0); code >= 0 {
		return code
	}
	// A wrong address is a wrong command line, found before any work.
	if _, port, err := net.SplitHostPort(*addr); err != nil || !validPort(port) {
		fmt.Fprintf(stderr, "briefing serve: --addr %q is not HOST:PORT, such as 127.0.0.1:1313 (port 0 picks a free one)\n", *addr)
		return exitUsage
	}
	if code := siteFolder(*src, stderr); code >= 0 {
		return code
	}
	adviseHeap(*src)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := serve.Run(ctx, serve.RunOptions{
		Options: serve.Options{Src: *src, Drafts: *drafts, Builtin: builtin},
		Addr:    *addr, Poll: *poll, Open: *open, Colour: colour(stderr), Out: stdout, Err: stderr,
	})
	if err != nil {
		fmt.Fprintln(stderr, "briefing:", err)
		return exitContent
	}
	return exitOK
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}
