package serve

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestWatcherFollowsExchangedFolder: a folder swapped with another in one
// step (mv --exchange) is watched as the folder now there: its own
// "moved" event, after the new folder's, dropped the new watches, and
// no edit below it was seen again.
func TestWatcherFollowsExchangedFolder(t *testing.T) {
	dir := fixture(t)
	write(t, dir, "content/briefings/nov/a.md", "x")
	other := filepath.Join(t.TempDir(), "nov")
	if err := os.MkdirAll(filepath.Join(other, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	nov := filepath.Join(dir, "content/briefings/nov")
	if err := unix.Renameat2(unix.AT_FDCWD, other, unix.AT_FDCWD, nov, unix.RENAME_EXCHANGE); err != nil {
		t.Skipf("renameat2 RENAME_EXCHANGE: %v", err)
	}
	for _, p := range []string{"content/briefings/nov/b.md", "content/briefings/nov/sub/c.md"} {
		write(t, dir, p, "new")
		deadline := time.After(10 * time.Second)
	wait:
		for {
			select {
			case got := <-w.Paths:
				if got == p {
					break wait
				}
			case <-deadline:
				t.Fatalf("%s never reported after the exchange", p)
			}
		}
	}
}
