//go:build !linux

package beneath

import (
	"errors"
	"os"
)

// Open is not at hand: the caller goes through its os.Root.
func Open(int, string, int, uint32, bool) (int, error) { return -1, errors.ErrUnsupported }

// ReadFile is not at hand: the caller goes through its os.Root.
func ReadFile(int, string) ([]byte, error) { return nil, errors.ErrUnsupported }

// TempFile is not at hand: the caller makes a named file.
func TempFile(string) (*os.File, error) { return nil, errors.ErrUnsupported }
