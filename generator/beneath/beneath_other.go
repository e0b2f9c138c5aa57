//go:build !linux

package beneath

import "errors"

// Open is not at hand: the caller goes through its os.Root.
func Open(int, string, int, uint32, bool) (int, error) { return -1, errors.ErrUnsupported }

// ReadFile is not at hand: the caller goes through its os.Root.
func ReadFile(int, string) ([]byte, error) { return nil, errors.ErrUnsupported }
