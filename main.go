// Command briefing builds fact-annotated briefing sites. See README.md and
// the generator packages; this file only reads the command line.
package main

import (
	"embed"
	"os"

	"briefing/generator/cli"
)

// builtin holds the default templates and static files, so that a site with
// only content/ builds.
//
//go:embed templates static
var builtin embed.FS

func main() {
	os.Exit(cli.Main(os.Args[1:], builtin, os.Stdout, os.Stderr))
}
