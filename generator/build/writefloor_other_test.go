//go:build !linux

package build_test

import (
	"os"
	"path/filepath"
)

// floorDir is the write floor's output folder. Elsewhere the floor writes
// through paths; its figures are Linux's.
type floorDir string

func openFloorDir(dir string) (floorDir, error) { return floorDir(dir), nil }

func (d floorDir) close() {}

func (d floorDir) mkdir(rel string) error {
	return os.Mkdir(filepath.Join(string(d), filepath.FromSlash(rel)), 0o755)
}

func (d floorDir) write(rel string, data []byte) error {
	return os.WriteFile(filepath.Join(string(d), filepath.FromSlash(rel)), data, 0o644)
}
