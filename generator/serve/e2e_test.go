package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// running is a `briefing serve` started on a loopback port.
type running struct {
	base string
	stop func()
}

func start(t testing.TB, dir string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, RunOptions{Options: Options{Src: dir, Drafts: true, Builtin: builtin},
			Addr: "127.0.0.1:0", Out: io.Discard, Err: io.Discard, Ready: ready})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-errc:
		t.Fatal(err)
	}
	stopped := false
	r := &running{base: "http://" + addr, stop: func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop")
		}
	}}
	t.Cleanup(r.stop)
	return r
}

func fetch(url string) (string, int) {
	resp, err := http.Get(url)
	if err != nil {
		return "", 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}

// waitFor polls url until ok holds: the file system and the watcher take
// their own time, and the test waits for the result, not for a guess.
func waitFor(t testing.TB, url string, what string, ok func(body string, status int) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		body, status := fetch(url)
		if ok(body, status) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: never saw %s (last status %d)", url, what, status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func has(s string) func(string, int) bool {
	return func(body string, status int) bool { return status == 200 && strings.Contains(body, s) }
}

func TestServeEndToEnd(t *testing.T) {
	dir := fixture(t)
	srv := start(t, dir)
	talks := "content/briefings/2026-11-24-talks.md"
	original := readFile(t, dir, talks)

	// The events stream says when to reload.
	resp, err := http.Get(srv.base + eventsPath)
	if err != nil {
		t.Fatal(err)
	}
	events := bufio.NewScanner(resp.Body)
	defer resp.Body.Close()

	// Edit: the new words are served.
	write(t, dir, talks, strings.Replace(original, "constructive", "useful", 1))
	waitFor(t, srv.base+"/claims/talks/", "the edit", has("the talks were useful"))
	for events.Scan() {
		if events.Text() == "event: reload" {
			break
		}
	}

	// mkdir -p of three levels at once, with a briefing at the bottom.
	write(t, dir, "content/briefings/a/b/c/2026-12-01-new.md",
		"---\ntitle: New\ndate: 2026-12-01\n---\n:claim[talks resume]{#resume by=lavrov src=remarks}\n")
	waitFor(t, srv.base+"/briefings/2026-12-01-new/", "the new briefing", has("talks resume"))
	waitFor(t, srv.base+"/claims/resume/", "the new claim", has("Sergei Lavrov"))
	waitFor(t, srv.base+"/actors/lavrov/", "the backlink", has("/claims/resume/"))

	// An editor's save: write a temp file, rename it over the original.
	tmp := filepath.Join(dir, "content/briefings/.2026-11-24-talks.md.tmp")
	if err := os.WriteFile(tmp, []byte(strings.Replace(original, "constructive", "renamed-over", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, talks)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, srv.base+"/claims/talks/", "the renamed-over save", has("renamed-over"))
	write(t, dir, talks, strings.Replace(original, "constructive", "still-watched", 1))
	waitFor(t, srv.base+"/claims/talks/", "a save after the rename", has("still-watched"))

	// Broken: the overlay on every page, the last good content under it.
	write(t, dir, talks, strings.Replace(original, "by=peskov", "by=peskof", 1))
	for _, url := range []string{"/", "/claims/talks/", "/actors/lavrov/"} {
		waitFor(t, srv.base+url, "the overlay", has(`id="briefing-overlay"`))
	}
	waitFor(t, srv.base+"/claims/talks/", "the last good page", has("still-watched"))

	// Fixed: the overlay goes.
	write(t, dir, talks, original)
	waitFor(t, srv.base+"/claims/talks/", "the fix", func(body string, status int) bool {
		return status == 200 && strings.Contains(body, "constructive") && !strings.Contains(body, "briefing-overlay")
	})

	// 200 writes in a burst: the final one is what is served.
	for i := range 200 {
		write(t, dir, talks, strings.Replace(original, "constructive", fmt.Sprintf("burst-%d", i), 1))
	}
	waitFor(t, srv.base+"/claims/talks/", "the last of 200 writes", has("burst-199"))

	// Delete: 404, and the backlinks are gone.
	if err := os.RemoveAll(filepath.Join(dir, "content/briefings/a")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, srv.base+"/claims/resume/", "404", func(body string, status int) bool {
		return status == 404 && strings.Contains(body, "Page not found")
	})
	waitFor(t, srv.base+"/actors/lavrov/", "the backlink gone", func(body string, status int) bool {
		return status == 200 && !strings.Contains(body, "/claims/resume/")
	})

	// Stopping takes well under the limit start() allows.
	began := time.Now()
	srv.stop()
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("stopping took %v", d)
	}
}

func TestPortInUse(t *testing.T) {
	srv := start(t, fixture(t))
	addr := strings.TrimPrefix(srv.base, "http://")
	err := Run(context.Background(), RunOptions{Options: Options{Src: fixture(t), Builtin: builtin},
		Addr: addr, Out: io.Discard, Err: io.Discard})
	if err == nil || !strings.Contains(err.Error(), addr+" is already in use") {
		t.Errorf("second server on %s: %v", addr, err)
	}
}
