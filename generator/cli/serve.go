package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"briefing/generator/serve"
)

func cmdServe(args []string, builtin fs.FS, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("serve", flag.ContinueOnError)
	src := fset.String("src", ".", "site folder (holds content/, templates/, static/)")
	addr := fset.String("addr", "127.0.0.1:1313", "address to listen on; port 0 picks a free one (only requests for this host, localhost or loopback are answered)")
	drafts := fset.Bool("drafts", true, "include draft briefings (--drafts=false to leave them out)")
	open := fset.Bool("open", false, "open the site in the default browser")
	poll := fset.Duration("poll", 0, "poll for changes at this interval instead of using file-system events")
	if _, code := parse(fset, args, stderr, "briefing serve [--src DIR] [--addr 127.0.0.1:1313] [--drafts=false] [--open] [--poll DURATION]", 0); code >= 0 {
		return code
	}
	if st, err := os.Stat(*src); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "briefing: --src %q is not a folder\n", *src)
		return exitUsage
	}
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
