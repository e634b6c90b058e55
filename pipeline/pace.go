package pipeline

import (
	"context"
	"sync"
)

// pace bounds the backend calls in flight. It starts at the configured
// number; when the server refuses a call without saying when to come
// back (ElevenLabs' too_many_concurrent_requests, a 503 from an
// overloaded server, a timeout) it drops below the number that was in
// flight, and it creeps back up by one after as many successes as it
// allows. A plan's concurrency limit is found, not fought with retries
// that collide again.
type pace struct {
	mu                 sync.Mutex
	limit, max, active int
	ok                 int           // successes since the limit last rose
	wake               chan struct{} // closed when a call ends
}

func newPace(n int) *pace {
	return &pace{limit: n, max: n, wake: make(chan struct{})}
}

// acquire waits for room for one more call, until ctx is done.
func (p *pace) acquire(ctx context.Context) error {
	for {
		p.mu.Lock()
		if p.active < p.limit {
			p.active++
			p.mu.Unlock()
			return nil
		}
		wake := p.wake
		p.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// release ends a call. ok says it succeeded; refused that the server
// turned it away without a Retry-After. It reports whether the refusal
// lowered the limit, that is whether it taught the pace something.
func (p *pace) release(ok, refused bool) (lowered bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case ok:
		p.ok++
		if p.ok >= p.limit && p.limit < p.max {
			p.limit++
			p.ok = 0
		}
	case refused && p.active > 1 && p.limit > p.active-1:
		// The server took fewer than were in flight, this one included.
		p.limit = p.active - 1
		p.ok = 0
		lowered = true
	}
	p.active--
	close(p.wake)
	p.wake = make(chan struct{})
	return lowered
}

// current is the limit now, for tests.
func (p *pace) current() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limit
}
