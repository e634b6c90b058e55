// Package fleet spreads requests for an HTTP TTS backend over one or more
// endpoints and turns HTTP failures into synth.Error values.
//
// Endpoints are picked by least outstanding requests. An endpoint that
// fails Threshold times in a row (transient failures only: 5xx, resets,
// timeouts) is set aside for Cooldown, after which one probe request is
// let through; a 429 with Retry-After sets the endpoint aside for exactly
// the time the server asked for. Client errors (400, 401, bad voice) are
// the caller's fault and never count against an endpoint.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/narrate-audio/narrate/synth"
)

// ErrAllDown is wrapped by Acquire's error when every endpoint is set aside.
var ErrAllDown = errors.New("all endpoints are set aside after repeated failures")

// Options tune a Fleet. Zero values pick the defaults.
type Options struct {
	// Backend names the backend in errors, such as "openai".
	Backend string
	// Threshold is how many consecutive transient failures set an
	// endpoint aside (default 3).
	Threshold int
	// Cooldown is how long a failing endpoint is set aside (default 30s).
	Cooldown time.Duration
	// Now replaces time.Now in tests.
	Now func() time.Time
}

// Fleet is a set of endpoints. It is safe for concurrent use.
type Fleet struct {
	opts Options
	mu   sync.Mutex
	eps  []*endpoint
	next int // rotates ties so equal endpoints share the load
}

type endpoint struct {
	url         string
	outstanding int
	fails       int // consecutive transient failures
	downUntil   time.Time
	probing     bool // a half-open probe is in flight
}

// New makes a fleet of base URLs. Each must be an absolute http(s) URL;
// a trailing slash is removed.
func New(urls []string, opts Options) (*Fleet, error) {
	if len(urls) == 0 {
		return nil, errors.New("fleet: no endpoints")
	}
	if opts.Threshold <= 0 {
		opts.Threshold = 3
	}
	if opts.Cooldown <= 0 {
		opts.Cooldown = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	f := &Fleet{opts: opts}
	seen := map[string]bool{}
	for _, raw := range urls {
		if _, ok := AbsoluteHTTP(raw); !ok {
			return nil, fmt.Errorf("fleet: endpoint %q is not an absolute http(s) URL", raw)
		}
		clean := strings.TrimRight(raw, "/")
		if seen[clean] {
			return nil, fmt.Errorf("fleet: endpoint %q listed twice", raw)
		}
		seen[clean] = true
		f.eps = append(f.eps, &endpoint{url: clean})
	}
	return f, nil
}

// AbsoluteHTTP parses raw as a server's base URL: it must be an
// absolute http or https URL with a host.
func AbsoluteHTTP(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	return u, err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Lease is one request's hold on an endpoint. Call Release exactly once.
type Lease struct {
	f    *Fleet
	ep   *endpoint
	once sync.Once
}

// URL is the endpoint's base URL, without a trailing slash.
func (l *Lease) URL() string { return l.ep.url }

// Acquire picks the healthy endpoint with the fewest outstanding requests.
// When every endpoint is set aside it returns a transient *synth.Error
// wrapping ErrAllDown whose RetryAfter is the wait until the first one
// comes back, so the pipeline's retry loop waits instead of spinning.
func (f *Fleet) Acquire() (*Lease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.opts.Now()
	var best *endpoint
	var soonest time.Time
	n := len(f.eps)
	for i := range n {
		ep := f.eps[(f.next+i)%n]
		if now.Before(ep.downUntil) {
			if soonest.IsZero() || ep.downUntil.Before(soonest) {
				soonest = ep.downUntil
			}
			continue
		}
		// Half-open: after its cooldown a tripped endpoint gets a single
		// probe; the others wait for its outcome.
		if ep.fails >= f.opts.Threshold && ep.probing && len(f.eps) > 1 {
			continue
		}
		if best == nil || ep.outstanding < best.outstanding {
			best = ep
		}
	}
	if best == nil {
		wait := soonest.Sub(now)
		if soonest.IsZero() || wait <= 0 {
			wait = time.Second // only probes in flight; check again soon
		}
		return nil, &synth.Error{Backend: f.opts.Backend, Transient: true, RetryAfter: wait,
			Err: fmt.Errorf("%w (%d endpoints)", ErrAllDown, n)}
	}
	f.next = (f.next + 1) % n
	best.outstanding++
	if best.fails >= f.opts.Threshold {
		best.probing = true
	}
	return &Lease{f: f, ep: best}, nil
}

// Wait is Acquire that, while every endpoint is set aside, waits for the
// first to come back instead of failing, until ctx is done. Time spent
// waiting for a server's Retry-After is not a failed attempt.
func (f *Fleet) Wait(ctx context.Context) (*Lease, error) {
	for {
		l, err := f.Acquire()
		if err == nil {
			return l, nil
		}
		wait := synth.RetryAfter(err)
		if wait <= 0 {
			return nil, err
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// Release returns the lease and records the outcome: nil is a success;
// a transient *synth.Error counts against the endpoint (and its
// RetryAfter, if any, sets the endpoint aside for that long); any other
// error, including cancellation, says nothing about the endpoint.
func (l *Lease) Release(err error) {
	l.once.Do(func() {
		f := l.f
		f.mu.Lock()
		defer f.mu.Unlock()
		ep := l.ep
		ep.outstanding--
		ep.probing = false
		switch {
		case err == nil:
			ep.fails = 0
			ep.downUntil = time.Time{}
		case errors.Is(err, context.Canceled):
			// The caller gave up; the endpoint did nothing wrong.
		case synth.IsTransient(err):
			now := f.opts.Now()
			ep.fails++
			if ra := synth.RetryAfter(err); ra > 0 {
				if until := now.Add(ra); until.After(ep.downUntil) {
					ep.downUntil = until
				}
			}
			// A lone endpoint is never tripped: there is nowhere else to
			// send the work, and the caller's backoff already paces it.
			if ep.fails >= f.opts.Threshold && len(f.eps) > 1 {
				if until := now.Add(f.opts.Cooldown); until.After(ep.downUntil) {
					ep.downUntil = until
				}
			}
		}
	})
}

// Status describes one endpoint for logs and tests.
type Status struct {
	URL         string
	Outstanding int
	Failures    int
	DownUntil   time.Time // zero when the endpoint is in service
}

// Status reports every endpoint in configuration order.
func (f *Fleet) Status() []Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Status, len(f.eps))
	for i, ep := range f.eps {
		out[i] = Status{URL: ep.url, Outstanding: ep.outstanding, Failures: ep.fails, DownUntil: ep.downUntil}
	}
	return out
}

// URLs lists the endpoints' base URLs in configuration order.
func (f *Fleet) URLs() []string {
	out := make([]string, len(f.eps))
	for i, ep := range f.eps {
		out[i] = ep.url
	}
	return out
}
