package cli

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"briefing/generator/diag"
	"briefing/generator/markup"
	"briefing/generator/site"
)

// cmdIDs writes the derived id of every claim and caveat into its file, as
// gofmt writes formatting: a published URL then survives edits to the
// words it came from.
func cmdIDs(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("ids", flag.ContinueOnError)
	src := fset.String("src", ".", "the site's `DIR`, holding content/")
	check := fset.Bool("check", false, "write nothing; list the files with derived ids and exit 1 if there are any (for CI)")
	if _, code := parse(fset, args, stdout, stderr, "ids", 0); code >= 0 {
		return code
	}
	if code := siteFolder(*src, stderr); code >= 0 {
		return code
	}
	p := site.NewParser()
	files, total := 0, 0
	err := filepath.WalkDir(filepath.Join(*src, "content"), func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(*src, file)
		rel = filepath.ToSlash(rel)
		// Only what the site is built from: not hidden folders, nor an
		// editor's files, which the build skips too.
		if site.Skipped(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(file, ".md") || d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		data, err := os.ReadFile(file)
		if err != nil || !utf8.Valid(data) {
			return err // not UTF-8: check reports it, and it is left alone
		}
		pg := site.ParseFile(p, rel, data)
		out, n := site.FreezeIDs(pg)
		if n == 0 {
			return nil
		}
		// The ids the file gives must be the ones it gave: a write that
		// changed any would move a page it meant to keep.
		if !slices.Equal(ids(pg), ids(site.ParseFile(p, rel, out))) {
			return fmt.Errorf("%s: writing the ids would change them; left as it is", rel)
		}
		files++
		total += n
		if *check {
			fmt.Fprintf(stdout, "%s: %s derived from the words\n", rel, diag.Plural(n, "id"))
			return nil
		}
		st, err := os.Stat(file)
		if err != nil {
			return err
		}
		tmp := file + ".briefing-ids~"
		if err := os.WriteFile(tmp, out, st.Mode().Perm()); err != nil {
			return err
		}
		return os.Rename(tmp, file)
	})
	if err != nil {
		fmt.Fprintln(stderr, "briefing:", err)
		return exitContent
	}
	switch {
	case *check && total > 0:
		fmt.Fprintf(stdout, "%s in %s would change if their words were edited; run: briefing ids --src %s\n",
			diag.Plural(total, "claim or caveat URL"), diag.Plural(files, "file"), *src)
		return exitContent
	case *check:
		fmt.Fprintln(stdout, "every claim and caveat has its id written")
	default:
		fmt.Fprintf(stdout, "wrote %s into %s\n", diag.Plural(total, "id"), diag.Plural(files, "file"))
	}
	return exitOK
}

// ids are the claim and caveat ids of pg, in order.
func ids(pg *site.Page) []string {
	var out []string
	for _, c := range pg.Claims {
		out = append(out, c.ID)
	}
	for _, n := range pg.Caveats {
		out = append(out, markup.Attrs(n).ID)
	}
	return out
}
