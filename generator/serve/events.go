package serve

import (
	"fmt"
	"net/http"
	"sync"
)

// broker fans rebuild events out to every open events stream.
type broker struct {
	mu      sync.Mutex
	clients map[chan string]bool
	n       int
}

func newBroker() *broker { return &broker{clients: map[chan string]bool{}} }

// send tells every client; a client too slow to take it misses the event
// but will take the next one, which says the same thing.
func (b *broker) send(event string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	for c := range b.clients {
		select {
		case c <- event:
		default:
		}
	}
}

func (b *broker) serve(w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan string, 1)
	b.mu.Lock()
	b.clients[c] = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, "retry: 500\n\n")
	flusher.Flush()
	for {
		select {
		case ev := <-c:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev, ev)
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-done:
			return
		}
	}
}
