package serve

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// broker fans rebuild events out to every open events stream.
type broker struct {
	mu      sync.Mutex
	clients map[chan string]bool
	n       int // events sent
	reload  int // the number of the last "reload" among them
}

func newBroker() *broker { return &broker{clients: map[chan string]bool{}} }

// send tells every client; a client too slow to take it misses the event
// but will take the next one, which says the same thing.
func (b *broker) send(event string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	if event == "reload" {
		b.reload = b.n
	}
	for c := range b.clients {
		select {
		case c <- event:
		default:
		}
	}
}

// sent is how many events have been sent: a page served now carries it
// (see liveScript), so that its events stream, however late it opens,
// is told of any rebuild since.
func (b *broker) sent() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n
}

// missed is the one event that tells a page which had seen since events
// of everything sent after them: reload when any of them was one, css
// when all were, none when none was sent. The caller holds b.mu.
func (b *broker) missed(since int) string {
	switch {
	case b.reload > since:
		return "reload"
	case b.n > since:
		return "css"
	}
	return ""
}

// serve streams events to one client until it goes or done is closed.
// A client that says which events its page had seen (?since=n, see
// sent) is first told of what it missed: a page reloads, and its stream
// opens, while the next edit may already have been built and told.
// Every write gets its own deadline, so a client that stops reading is
// dropped, while one that reads is never cut however long it stays.
func (b *broker) serve(w http.ResponseWriter, r *http.Request, done <-chan struct{}, writeTimeout time.Duration) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	if r.Method == http.MethodHead {
		return
	}
	rc := http.NewResponseController(w)
	write := func(s string) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return false
		}
		if _, err := io.WriteString(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	c := make(chan string, 1)
	b.mu.Lock()
	b.clients[c] = true
	if since, err := strconv.Atoi(r.URL.Query().Get("since")); err == nil {
		if ev := b.missed(since); ev != "" {
			c <- ev
		}
	}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	if !write("retry: 500\n\n") {
		return
	}
	for {
		select {
		case ev := <-c:
			if !write(fmt.Sprintf("event: %s\ndata: %s\n\n", ev, ev)) {
				return
			}
		case <-r.Context().Done():
			return
		case <-done:
			return
		}
	}
}
