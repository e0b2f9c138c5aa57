package cli

import (
	"fmt"
	"io"
	"io/fs"
)

func cmdServe(args []string, builtin fs.FS, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "briefing: serve is not built yet")
	return exitUsage
}
