package cli

import (
	"embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// starter is the site `briefing init` writes: one of each kind of file,
// commented, that builds with --strict.
//
//go:embed all:starter
var starter embed.FS

func cmdInit(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("init", flag.ContinueOnError)
	words, code := parse(fset, args, stdout, stderr, "init", 1)
	if code >= 0 {
		return code
	}
	dir := words[0]
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		fmt.Fprintf(stderr, "briefing: %s already has a content/ folder; not writing over a site\n", dir)
		return exitContent
	}
	root, _ := fs.Sub(starter, "starter")
	var written []string
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		written = append(written, p)
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		fmt.Fprintln(stderr, "briefing:", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "started a site in %s (%d files under content/)\nnext: briefing serve --src %s   (preview)\n"+
		"      briefing build --src %s   (publish to %s)\n", dir, len(written), dir, dir, filepath.Join(dir, "public"))
	return exitOK
}
