package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"briefing/generator/build"
	"briefing/generator/render"
)

// within fails the test unless f returns within a generous bound: what is
// asserted is that it returns at all, not how fast.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s never completed", what)
	}
}

// stall sends a GET for url over a raw loopback connection with a small
// receive buffer, reads the status line, and then reads nothing more.
func stall(t *testing.T, addr, url string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", url)
	status, err := bufio.NewReaderSize(conn, 16).ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		t.Fatalf("stalled request: %q, %v", status, err)
	}
	return conn
}

// bigBriefing adds a briefing whose page, /briefings/big/, is far bigger
// than any socket buffer, so that writing it to a client that does not
// read blocks; it returns the size of the briefing.
func bigBriefing(t *testing.T, dir string) int {
	var big strings.Builder
	big.WriteString("---\ntitle: Big\ndate: 2026-11-20\n---\n")
	for i := 0; big.Len() < 6<<20; i++ {
		fmt.Fprintf(&big, "Paragraph %d of a briefing far bigger than any socket buffer, so that writing it blocks.\n\n", i)
	}
	write(t, dir, "content/briefings/big.md", big.String())
	return big.Len()
}

// TestStalledClient: a client that asks for a page far bigger than the
// socket buffers and stops reading holds up neither a rebuild nor another
// client (SPEC §5).
func TestStalledClient(t *testing.T) {
	dir := fixture(t)
	bigBriefing(t, dir)
	s := newServer(t, dir)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	addr := strings.TrimPrefix(hs.URL, "http://")

	stall(t, addr, "/briefings/big/")
	stall(t, addr, "/briefings/big/")

	talks := "content/briefings/2026-11-24-talks.md"
	write(t, dir, talks, strings.Replace(readFile(t, dir, talks), "constructive", "rebuilt", 1))
	within(t, "a rebuild", func() {
		if res := s.Changed([]string{talks}); res.Failed {
			t.Error(res.Diags)
		}
	})
	within(t, "another request", func() {
		body, status := fetch(hs.URL + "/claims/talks/")
		if status != 200 || !strings.Contains(body, "the talks were rebuilt") {
			t.Errorf("another client got %d", status)
		}
	})
}

// TestStopWithStalledClient: serve stops although a client is stuck
// being written to.
func TestStopWithStalledClient(t *testing.T) {
	dir := fixture(t)
	bigBriefing(t, dir)
	srv := start(t, dir)
	stall(t, strings.TrimPrefix(srv.base, "http://"), "/briefings/big/")
	within(t, "stopping", srv.stop)
}

// TestWriteDeadlines: a client that stops reading a page is cut off once
// the write timeout has passed, while an events stream idle for longer
// than that still gets the next event.
func TestWriteDeadlines(t *testing.T) {
	dir := fixture(t)
	size := bigBriefing(t, dir)
	s := newServer(t, dir)
	s.writeTimeout = 200 * time.Millisecond
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	resp, err := http.Get(hs.URL + eventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := bufio.NewScanner(resp.Body)
	conn := stall(t, strings.TrimPrefix(hs.URL, "http://"), "/briefings/big/")

	time.Sleep(5 * s.writeTimeout) // what is tested is what happens after it
	var n int64
	within(t, "reading the rest of the stalled page", func() { n, _ = io.Copy(io.Discard, conn) })
	if n >= int64(size) {
		t.Errorf("the stalled client was not cut off: it got %d bytes", n)
	}
	talks := "content/briefings/2026-11-24-talks.md"
	write(t, dir, talks, strings.Replace(readFile(t, dir, talks), "constructive", "rebuilt", 1))
	s.Changed([]string{talks})
	within(t, "the next event", func() {
		for events.Scan() {
			if events.Text() == "event: reload" {
				return
			}
		}
		t.Error("the events stream was cut")
	})
}

// TestBrokerSkipsStalledClients: an events client that takes nothing does
// not hold up telling the others.
func TestBrokerSkipsStalledClients(t *testing.T) {
	b := newBroker()
	stalled, reading := make(chan string, 1), make(chan string, 1)
	b.clients[stalled], b.clients[reading] = true, true
	within(t, "broadcasting", func() {
		for range 3 {
			b.send("reload")
			<-reading
		}
	})
}

func request(s *Server, method, host, url string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, url, nil)
	req.Host = host
	s.ServeHTTP(rec, req)
	return rec
}

// TestHostCheck: only the server's own names are answered, on every
// endpoint, so that a page elsewhere cannot read the preview through DNS
// rebinding.
func TestHostCheck(t *testing.T) {
	s := newServer(t, fixture(t))
	for _, host := range []string{"evil.example", "evil.example:1313", "127.0.0.1.evil.example:1313",
		"localhost.evil.example", "localhostx:1313", "10.0.0.7:1313", "[fe80::1]:1313", ""} {
		for _, url := range []string{"/", "/claims/talks/", "/css/extra.css", "/nope", eventsPath} {
			if rec := request(s, http.MethodGet, host, url); rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "talks") {
				t.Errorf("Host %q, GET %s: status %d", host, url, rec.Code)
			}
		}
	}
	for _, host := range []string{"127.0.0.1:1313", "127.0.0.1", "127.9.9.9:80", "localhost:1313", "LocalHost.",
		"[::1]:1313", "[::ffff:127.0.0.1]:1313", "preview.localhost:1313"} {
		if rec := request(s, http.MethodGet, host, "/claims/talks/"); rec.Code != http.StatusOK {
			t.Errorf("Host %q: status %d", host, rec.Code)
		}
	}
	// The events stream, over a real connection since it does not end.
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	for host, want := range map[string]int{"localhost:1": 200, "evil.example": 403} {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+eventsPath, nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("events with Host %q: status %d", host, resp.StatusCode)
		}
	}
}

func TestAllowHosts(t *testing.T) {
	name, _ := os.Hostname()
	name = normalHost(name)
	for _, c := range []struct {
		addr  string
		allow []string
		deny  []string
	}{
		{"127.0.0.1:1313", []string{"127.0.0.1:1313", "localhost"}, []string{"192.168.1.5", "evil.example"}},
		{"", []string{"localhost"}, []string{"evil.example"}},
		{"192.168.1.5:1313", []string{"192.168.1.5:1313", "192.168.1.5", name, name + ".local:1313", "localhost"}, []string{"192.168.1.6", "evil.example"}},
		{"[fd00::5]:1313", []string{"[fd00::5]:1313", "[FD00:0::5]"}, []string{"[fd00::6]"}},
		{"preview.lan:1313", []string{"PREVIEW.lan:1313", name}, []string{"evil.example"}},
		{"0.0.0.0:1313", []string{name, "127.0.0.1"}, []string{"evil.example"}},
	} {
		h := allowHosts(c.addr)
		for _, host := range c.allow {
			if host != "" && !h.allow(host) {
				t.Errorf("listening on %q: Host %q refused", c.addr, host)
			}
		}
		for _, host := range c.deny {
			if h.allow(host) {
				t.Errorf("listening on %q: Host %q allowed", c.addr, host)
			}
		}
	}
	// Listening everywhere answers the machine's own addresses.
	if addrs, err := net.InterfaceAddrs(); err == nil {
		h := allowHosts(":1313")
		for _, a := range addrs {
			ip, _, _ := net.ParseCIDR(a.String())
			if ip != nil && !h.allow(net.JoinHostPort(ip.String(), "1313")) {
				t.Errorf("listening everywhere: own address %s refused", ip)
			}
		}
	}
}

// TestMethods: every endpoint answers GET and HEAD only.
func TestMethods(t *testing.T) {
	s := newServer(t, fixture(t))
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		for _, url := range []string{"/", "/claims/talks/", "/css/extra.css", eventsPath} {
			rec := request(s, method, "127.0.0.1:1313", url)
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: status %d, Allow %q", method, url, rec.Code, rec.Header().Get("Allow"))
			}
		}
	}
	for _, url := range []string{"/claims/talks/", eventsPath} {
		var rec *httptest.ResponseRecorder
		within(t, "HEAD "+url, func() { rec = request(s, http.MethodHead, "localhost", url) })
		if rec.Code != http.StatusOK {
			t.Errorf("HEAD %s: status %d", url, rec.Code)
		}
	}
}

// TestStartStop starts and stops serve many times, polling every
// millisecond or watching, while files change: run under -race, no send on
// a closed channel, no data race, and nothing written after Run returns.
func TestStartStop(t *testing.T) {
	for _, poll := range []time.Duration{time.Millisecond, 0} {
		t.Run(fmt.Sprintf("poll=%v", poll), func(t *testing.T) {
			dir := fixture(t)
			writing, stopWriting := context.WithCancel(context.Background())
			wrote := make(chan struct{})
			go func() {
				defer close(wrote)
				for i := 0; writing.Err() == nil; i++ {
					write(t, dir, fmt.Sprintf("content/briefings/b%d.md", i%5), fmt.Sprintf("---\ntitle: B%d\ndate: 2026-11-01\n---\nText %d.\n", i, i))
					write(t, dir, "static/css/extra.css", fmt.Sprintf("body { order: %d }", i))
					time.Sleep(100 * time.Microsecond)
				}
			}()
			defer func() { stopWriting(); <-wrote }()
			for i := range 15 {
				var out, errs bytes.Buffer
				ctx, cancel := context.WithCancel(context.Background())
				ready := make(chan string, 1)
				ran := make(chan error, 1)
				go func() {
					ran <- Run(ctx, RunOptions{Options: Options{Src: dir, Drafts: true, Builtin: builtin},
						Addr: "127.0.0.1:0", Poll: poll, Out: &out, Err: &errs, Ready: ready})
				}()
				select {
				case <-ready:
				case err := <-ran:
					t.Fatal(err)
				}
				time.Sleep(time.Duration(i) * time.Millisecond)
				cancel()
				within(t, "stopping", func() {
					if err := <-ran; err != nil {
						t.Error(err)
					}
				})
				_ = out.String() + errs.String() // raced by any write after Run returned
			}
		})
	}
}

// TestServeSymlinkedFolders: content/ and templates/ linked in from
// elsewhere are served, and an edit inside the linked content/ rebuilds,
// through the watcher and through polling, with the file written at its
// real path.
func TestServeSymlinkedFolders(t *testing.T) {
	for _, poll := range []time.Duration{0, 5 * time.Millisecond} {
		t.Run(fmt.Sprintf("poll=%v", poll), func(t *testing.T) {
			real := fixture(t)
			write(t, real, "templates/404.html", `{{define "main"}}<p>Linked 404</p>{{end}}`)
			dir := t.TempDir()
			for _, top := range []string{"content", "templates"} {
				if err := os.Symlink(filepath.Join(real, top), filepath.Join(dir, top)); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			}
			srv := startWith(t, RunOptions{Options: Options{Src: dir, Drafts: true, Builtin: builtin}, Poll: poll})
			waitFor(t, srv.base+"/claims/talks/", "the linked content", has("the talks were constructive"))
			waitFor(t, srv.base+"/nope/", "the linked template", func(body string, status int) bool {
				return status == 404 && strings.Contains(body, "Linked 404")
			})
			talks := "content/briefings/2026-11-24-talks.md"
			original := readFile(t, real, talks)
			// Polling may take its first look after this write: write until
			// the change is seen, as TestPoll does.
			deadline := time.Now().Add(10 * time.Second)
			for i := 0; ; i++ {
				write(t, real, talks, strings.Replace(original, "constructive", fmt.Sprintf("edited-%d", i), 1))
				if body, _ := fetch(srv.base + "/claims/talks/"); strings.Contains(body, "the talks were edited-") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("an edit inside the linked content/ never rebuilt")
				}
				time.Sleep(50 * time.Millisecond)
			}
			// A new folder inside the linked content/ is watched too.
			write(t, real, "content/briefings/new/2026-12-01-new.md", "---\ntitle: New\ndate: 2026-12-01\n---\n:claim[talks resume]{#resume by=lavrov src=remarks}\n")
			waitFor(t, srv.base+"/claims/resume/", "a briefing in a new folder", has("talks resume"))
			write(t, real, "content/briefings/new/2026-12-01-new.md", "---\ntitle: New\ndate: 2026-12-01\n---\n:claim[talks resumed]{#resume by=lavrov src=remarks}\n")
			waitFor(t, srv.base+"/claims/resume/", "an edit in the new folder", has("talks resumed"))
		})
	}
}

// TestServeDanglingLink: a top folder that links to nothing is reported,
// and pointing the link at a folder brings the site, watched or polled.
func TestServeDanglingLink(t *testing.T) {
	for _, poll := range []time.Duration{0, 5 * time.Millisecond} {
		t.Run(fmt.Sprintf("poll=%v", poll), func(t *testing.T) {
			real := fixture(t)
			dir := t.TempDir()
			content := filepath.Join(dir, "content")
			if err := os.Symlink(filepath.Join(dir, "nowhere"), content); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			srv := startWith(t, RunOptions{Options: Options{Src: dir, Drafts: true, Builtin: builtin}, Poll: poll})
			if body, status := fetch(srv.base + "/"); status != 500 || !strings.Contains(body, "content/ is a symbolic link to "+filepath.Join(dir, "nowhere")+", which does not exist") {
				t.Errorf("dangling content/: status %d", status)
			}
			if err := os.Remove(content); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(real, "content"), content); err != nil {
				t.Fatal(err)
			}
			waitFor(t, srv.base+"/claims/talks/", "the site once the link is fixed", func(body string, status int) bool {
				return status == 200 && strings.Contains(body, "the talks were constructive") && !strings.Contains(body, "briefing-overlay")
			})
		})
	}
}

// TestInnerLinkRefused: a link inside content/ is refused when a change
// names it, as the build refuses it.
func TestInnerLinkRefused(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte("---\ntitle: Secret\ndate: 2026-11-01\n---\nsecret words\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "content/briefings/secret.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	res := s.Changed([]string{"content/briefings/secret.md"})
	if !res.Failed || res.Diags[0].Message != "symbolic links are not followed" {
		t.Errorf("inner link: %v", res.Diags)
	}
	if body, _ := get(t, s, "/briefings/secret/"); strings.Contains(body, "secret words") {
		t.Error("served a file through a link")
	}
}

func startWith(t testing.TB, opts RunOptions) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	opts.Addr, opts.Ready = "127.0.0.1:0", ready
	if opts.Out == nil {
		opts.Out, opts.Err = io.Discard, io.Discard
	}
	go func() { errc <- Run(ctx, opts) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-errc:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Error(err)
		}
	})
	return &running{base: "http://" + addr}
}

// TestMovedInLinkForgotten: a folder holding a link, moved into content/,
// is refused; once the link is removed, the error goes, also from every
// later rebuild. The link's error used to be kept under the folder's path,
// which removing the link alone did not clear.
func TestMovedInLinkForgotten(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	elsewhere := filepath.Join(t.TempDir(), "sub")
	if err := os.MkdirAll(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/hostname", filepath.Join(elsewhere, "link.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Rename(elsewhere, filepath.Join(dir, "content/briefings/sub")); err != nil {
		t.Fatal(err)
	}
	res := s.Changed([]string{"content/briefings/sub"})
	if !res.Failed {
		t.Fatalf("a moved-in link built: %v", res.Diags)
	}
	sameDiags(t, dir, res)
	if err := os.Remove(filepath.Join(dir, "content/briefings/sub/link.md")); err != nil {
		t.Fatal(err)
	}
	res = s.Changed([]string{"content/briefings/sub/link.md"})
	sameDiags(t, dir, res)
	talks := "content/briefings/2026-11-24-talks.md"
	write(t, dir, talks, strings.Replace(readFile(t, dir, talks), "constructive", "rebuilt", 1))
	res = s.Changed([]string{talks})
	sameDiags(t, dir, res)
	if res.Failed {
		t.Fatalf("still failing once the link is gone: %v", res.Diags)
	}
	mustContain(t, s, "/claims/talks/", "the talks were rebuilt")
}

// TestChangeBelowLinkedFolder: a change named below a linked folder is not
// read through the link, as the build does not read it.
func TestChangeBelowLinkedFolder(t *testing.T) {
	dir := fixture(t)
	write(t, dir, "content/briefings/real/2026-11-02-x.md", "---\ntitle: X\ndate: 2026-11-02\n---\nWords.\n")
	if err := os.Symlink("real", filepath.Join(dir, "content/briefings/sub")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	s, res, err := New(Options{Src: dir, Drafts: true, Builtin: builtin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	sameDiags(t, dir, res)
	write(t, dir, "content/briefings/real/2026-11-02-x.md", "---\ntitle: X\ndate: 2026-11-02\n---\nOther words.\n")
	sameDiags(t, dir, s.Changed([]string{"content/briefings/sub/2026-11-02-x.md"}))
	if err := os.Remove(filepath.Join(dir, "content/briefings/sub")); err != nil {
		t.Fatal(err)
	}
	sameDiags(t, dir, s.Changed([]string{"content/briefings/sub/2026-11-02-x.md"}))
}

// stallRender makes every render of out never end, as a template that loops
// or a lexer that does would, until the test ends; stuck is closed once
// the first such render has begun.
func stallRender(t *testing.T, opts *Options, out string) (stuck <-chan struct{}) {
	began, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	opts.beforeRender = func(p string) {
		if p == out {
			once.Do(func() { close(began) })
			<-release
		}
	}
	t.Cleanup(func() { close(release) })
	return began
}

// TestStuckRender: a render that never ends stalls its own request only;
// rebuilds, patches and other requests go on. Requests used to render
// holding the server's read lock, so the next rebuild waited for it
// forever, and every request after waited behind that rebuild.
func TestStuckRender(t *testing.T) {
	dir := fixture(t)
	opts := Options{Src: dir, Drafts: true, Builtin: builtin}
	stuck := stallRender(t, &opts, "claims/index.html")
	s, res, err := New(opts)
	if err != nil || res.Failed {
		t.Fatal(err, res.Diags)
	}
	t.Cleanup(s.Close)
	go output(s, "/claims/")
	<-stuck

	talks := "content/briefings/2026-11-24-talks.md"
	original := readFile(t, dir, talks)
	for i, want := range []bool{false, true} {
		// The first edit cannot patch the model being rendered and
		// resolves a new one; the next patches that.
		write(t, dir, talks, strings.Replace(original, "constructive", fmt.Sprintf("rebuilt %d", i), 1))
		within(t, "a rebuild", func() {
			if res := s.Changed([]string{talks}); res.Failed || res.Patched != want {
				t.Errorf("edit %d: patched %v, diagnostics %v", i, res.Patched, res.Diags)
			}
		})
		within(t, "another request", func() {
			mustContain(t, s, "/claims/talks/", fmt.Sprintf("the talks were rebuilt %d", i))
		})
	}
}

// TestStopWithStuckRender: serve stops although a render never ends, with
// a rebuild asked for after it began.
func TestStopWithStuckRender(t *testing.T) {
	dir := fixture(t)
	opts := RunOptions{Options: Options{Src: dir, Drafts: true, Builtin: builtin},
		Addr: "127.0.0.1:0", Out: io.Discard, Err: io.Discard}
	stuck := stallRender(t, &opts.Options, "claims/index.html")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	opts.Ready = ready
	go func() { errc <- Run(ctx, opts) }()
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-errc:
		t.Fatal(err)
	}
	go fetch(base + "/claims/")
	<-stuck
	talks := "content/briefings/2026-11-24-talks.md"
	write(t, dir, talks, strings.Replace(readFile(t, dir, talks), "constructive", "rebuilt", 1))
	// A request waits for the rebuild, so the wait itself is guarded.
	within(t, "the edit served", func() {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if body, _ := fetch(base + "/claims/talks/"); strings.Contains(body, "the talks were rebuilt") {
				return
			}
		}
		t.Error("the edit was never served")
	})
	cancel()
	within(t, "stopping", func() {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	})
}

// TestStopWithStuckRebuild: serve stops although a rebuild never ends, as
// when a changed template loops while a sample page renders.
func TestStopWithStuckRebuild(t *testing.T) {
	dir := fixture(t)
	opts := RunOptions{Options: Options{Src: dir, Drafts: true, Builtin: builtin},
		Addr: "127.0.0.1:0", Out: io.Discard, Err: io.Discard}
	var stalling atomic.Bool
	began, release := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(release) })
	var once sync.Once
	opts.beforeRender = func(string) {
		if stalling.Load() {
			once.Do(func() { close(began) })
			<-release
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	opts.Ready = ready
	go func() { errc <- Run(ctx, opts) }()
	select {
	case <-ready:
	case err := <-errc:
		t.Fatal(err)
	}
	stalling.Store(true)
	write(t, dir, "templates/claim.html", `{{define "main"}}<p>{{.Claim.ID}}</p>{{end}}`)
	within(t, "the rebuild", func() { <-began })
	cancel()
	within(t, "stopping", func() {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	})
}

// TestBrokerMissed: what a page that had seen some of the events is told
// when its stream opens.
func TestBrokerMissed(t *testing.T) {
	b := newBroker()
	if ev := b.missed(0); ev != "" {
		t.Errorf("nothing sent: %q", ev)
	}
	b.send("reload") // 1
	b.send("css")    // 2
	b.send("css")    // 3
	for since, want := range map[int]string{0: "reload", 1: "css", 2: "css", 3: "", 7: ""} {
		if ev := b.missed(since); ev != want {
			t.Errorf("seen %d of 3: %q, want %q", since, ev, want)
		}
	}
	b.send("reload") // 4
	for since, want := range map[int]string{2: "reload", 3: "reload", 4: ""} {
		if ev := b.missed(since); ev != want {
			t.Errorf("seen %d of 4: %q, want %q", since, ev, want)
		}
	}
}

// TestEventsCatchUp: a page's events stream that opens after a rebuild
// was told (a page reloading while the next save is built) is told of it
// first: a reload when a change since the page was served needs one, css
// when only stylesheets changed.
func TestEventsCatchUp(t *testing.T) {
	dir := fixture(t)
	s := newServer(t, dir)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	since := func(page string) string {
		body, _ := get(t, s, page)
		i := strings.Index(body, eventsPath+"?since=")
		if i < 0 {
			t.Fatalf("%s: no events stream in %q", page, body[max(0, len(body)-600):])
		}
		rest := body[i+len(eventsPath+"?since="):]
		return rest[:strings.IndexByte(rest, '"')]
	}
	first := func(n string) (ev string) {
		resp, err := http.Get(hs.URL + eventsPath + "?since=" + n)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		within(t, "the first event", func() {
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if e, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
					ev = e
					return
				}
			}
		})
		return ev
	}
	talks := "content/briefings/2026-11-24-talks.md"
	before := since("/")
	write(t, dir, talks, strings.Replace(readFile(t, dir, talks), "constructive", "rebuilt", 1))
	s.Changed([]string{talks})
	if ev := first(before); ev != "reload" {
		t.Errorf("a page served before an edit was told %q, want reload", ev)
	}
	after := since("/")
	if after == before {
		t.Errorf("a page served after an edit carries the same count %s", after)
	}
	write(t, dir, "static/css/style.css", "body { background: rgb(1, 2, 3); }")
	s.Changed([]string{"static/css/style.css"})
	if ev := first(after); ev != "css" {
		t.Errorf("a page served before a stylesheet edit was told %q, want css", ev)
	}
	if ev := first(before); ev != "reload" {
		t.Errorf("a page served before both edits was told %q, want reload", ev)
	}
}

// TestFirstLineCounts: serve's first line counts the pages as build's
// summary does; it said only "built · 0 errors · 0 warnings".
func TestFirstLineCounts(t *testing.T) {
	dir := fixture(t)
	var out strings.Builder // written before Ready is sent, read after
	startWith(t, RunOptions{Options: Options{Src: dir, Drafts: true, Builtin: builtin}, Out: &out, Err: io.Discard})
	want := "built " + render.CountsLine(build.Site(build.Options{Src: dir, Drafts: true, Builtin: builtin}).Counts) + " · 0 errors"
	if first, _, _ := strings.Cut(out.String(), "\n"); !strings.HasPrefix(first, want) {
		t.Errorf("first line %q, want it to start %q", first, want)
	}
}
