package render

import (
	"fmt"
	"os"
	"path/filepath"
)

// Dir is an output folder written aside: pages go to a fresh temporary
// folder next to the final one, which replaces the final folder only on
// Commit. Until then the previous output stays exactly as it was.
type Dir struct {
	final string
	tmp   string
}

// NewDir prepares to write the folder final.
func NewDir(final string) (*Dir, error) {
	final = filepath.Clean(final)
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".tmp-")
	if err != nil {
		return nil, err
	}
	return &Dir{final: final, tmp: tmp}, nil
}

// Emit writes one file below the temporary folder. Paths that are not
// local (absolute, or climbing out with ..) are refused.
func (d *Dir) Emit(p string, data []byte) error {
	rel := filepath.FromSlash(p)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("refusing to write %q outside the output folder", p)
	}
	full := filepath.Join(d.tmp, rel)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return os.WriteFile(full, data, 0o644)
}

// Commit swaps the written folder in for the final one.
func (d *Dir) Commit() error {
	old := ""
	if _, err := os.Stat(d.final); err == nil {
		old = d.tmp + ".old"
		if err := os.Rename(d.final, old); err != nil {
			return err
		}
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			_ = os.Rename(old, d.final)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes what was written; the final folder is untouched.
func (d *Dir) Abort() { _ = os.RemoveAll(d.tmp) }
