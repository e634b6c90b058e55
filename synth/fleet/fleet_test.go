package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/synth"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newFleet(t *testing.T, n int, c *clock) *Fleet {
	t.Helper()
	var urls []string
	for i := range n {
		urls = append(urls, fmt.Sprintf("http://host%d:8880/v1/", i))
	}
	f, err := New(urls, Options{Backend: "test", Threshold: 2, Cooldown: time.Minute, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var transient = &synth.Error{Backend: "test", Transient: true, Err: errors.New("503")}

func TestLeastOutstanding(t *testing.T) {
	f := newFleet(t, 3, &clock{time.Unix(0, 0)})
	count := map[string]int{}
	var leases []*Lease
	for range 6 {
		l, err := f.Acquire()
		if err != nil {
			t.Fatal(err)
		}
		count[l.URL()]++
		leases = append(leases, l)
	}
	for u, n := range count {
		if n != 2 || strings.HasSuffix(u, "/") {
			t.Fatalf("uneven spread or unclean URL: %v", count)
		}
	}
	// Free two slots on one endpoint: the next two requests must go there.
	target := leases[0].URL()
	freed := 0
	for _, l := range leases {
		if l.URL() == target && freed < 2 {
			l.Release(nil)
			freed++
		}
	}
	for range 2 {
		l, _ := f.Acquire()
		if l.URL() != target {
			t.Fatalf("got %s, want the idle endpoint %s", l.URL(), target)
		}
	}
}

func TestBreaker(t *testing.T) {
	c := &clock{time.Unix(1000, 0)}
	f := newFleet(t, 2, c)
	bad := f.eps[0].url
	// Two consecutive transient failures on the first endpoint trip it.
	for range 2 {
		for {
			l, _ := f.Acquire()
			if l.URL() == bad {
				l.Release(transient)
				break
			}
			l.Release(nil)
		}
	}
	for range 5 {
		l, _ := f.Acquire()
		if l.URL() == bad {
			t.Fatal("tripped endpoint still receives requests")
		}
		l.Release(nil)
	}
	// After the cooldown a single probe goes through; while it is in
	// flight the endpoint gets nothing else.
	c.t = c.t.Add(time.Minute + time.Second)
	var probe *Lease
	for range 3 {
		l, _ := f.Acquire()
		if l.URL() == bad {
			if probe != nil {
				t.Fatal("second request sent to a half-open endpoint")
			}
			probe = l
		} else {
			defer l.Release(nil)
		}
	}
	if probe == nil {
		t.Fatal("no probe sent after cooldown")
	}
	probe.Release(nil)
	if s := f.Status()[0]; s.Failures != 0 || !s.DownUntil.IsZero() {
		t.Fatalf("successful probe did not restore endpoint: %+v", s)
	}
}

func TestPermanentAndCancelDoNotCount(t *testing.T) {
	f := newFleet(t, 1, &clock{time.Unix(0, 0)})
	for _, err := range []error{
		&synth.Error{Backend: "test", Err: errors.New("400")},
		fmt.Errorf("x: %w", context.Canceled),
		&synth.Error{Backend: "test", Err: context.Canceled},
	} {
		for range 3 {
			l, aerr := f.Acquire()
			if aerr != nil {
				t.Fatalf("endpoint set aside after %v", err)
			}
			l.Release(err)
		}
	}
}

func TestRetryAfterSetsAside(t *testing.T) {
	c := &clock{time.Unix(0, 0)}
	f := newFleet(t, 1, c)
	l, _ := f.Acquire()
	l.Release(&synth.Error{Transient: true, RetryAfter: 7 * time.Second, Err: errors.New("429")})
	l.Release(nil) // a second Release must be ignored
	_, err := f.Acquire()
	if !errors.Is(err, ErrAllDown) || !synth.IsTransient(err) || synth.RetryAfter(err) != 7*time.Second {
		t.Fatalf("err = %v (retry after %v)", err, synth.RetryAfter(err))
	}
	c.t = c.t.Add(7 * time.Second)
	if _, err := f.Acquire(); err != nil {
		t.Fatalf("endpoint not back after Retry-After: %v", err)
	}
}

func TestNewRejects(t *testing.T) {
	for _, urls := range [][]string{nil, {"localhost:8880"}, {"ftp://x/"}, {"http://a/v1", "http://a/v1/"}} {
		if _, err := New(urls, Options{}); err == nil {
			t.Errorf("New(%q) accepted", urls)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"12"}}, 12 * time.Second},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
		{http.Header{"Retry-After-Ms": {"1500"}, "Retry-After": {"9"}}, 1500 * time.Millisecond},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{"Retry-After": {"-3"}}, 0},
		{http.Header{"Retry-After": {"0.5"}}, 500 * time.Millisecond},
		{http.Header{"Retry-After": {"172800"}}, 48 * time.Hour},
		{http.Header{"Retry-After": {"1e99"}}, 0},
		{http.Header{"Retry-After": {"NaN"}}, 0},
		{http.Header{"Retry-After": {"99999999999"}}, 30 * 24 * time.Hour},
		{http.Header{}, 0},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.h, now); got != tt.want {
			t.Errorf("%v: got %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestStatusError(t *testing.T) {
	for code, transient := range map[int]bool{400: false, 401: false, 403: false, 404: false, 408: true, 422: false, 429: true, 500: true, 502: true, 503: true, 504: true} {
		resp := &http.Response{StatusCode: code, Header: http.Header{"Retry-After": {"3"}}}
		e := StatusError("openai", resp, []byte(`{"error":"key sk-secret123 bad"}`), time.Now(), "sk-secret123")
		if e.Transient != transient {
			t.Errorf("%d: transient = %v", code, e.Transient)
		}
		if transient != (e.RetryAfter == 3*time.Second) {
			t.Errorf("%d: retry after = %v", code, e.RetryAfter)
		}
		if strings.Contains(e.Error(), "sk-secret123") || !strings.Contains(e.Error(), "[redacted]") {
			t.Errorf("%d: secret not redacted: %v", code, e)
		}
		var he *HTTPError
		if !errors.As(e, &he) || he.Status != code {
			t.Errorf("%d: no HTTPError inside", code)
		}
	}
}

func TestTransportError(t *testing.T) {
	live := context.Background()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		ctx       context.Context
		err       error
		transient bool
		is        error
	}{
		{live, syscall.ECONNRESET, true, syscall.ECONNRESET},
		{live, io.ErrUnexpectedEOF, true, io.ErrUnexpectedEOF},
		{live, context.DeadlineExceeded, true, context.DeadlineExceeded},
		{cancelled, syscall.ECONNRESET, false, context.Canceled},
	}
	for _, tt := range tests {
		e := TransportError("openai", tt.ctx, "POST x", tt.err)
		if e.Transient != tt.transient || !errors.Is(e, tt.is) {
			t.Errorf("%v: transient=%v err=%v", tt.err, e.Transient, e)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	f.Add("120", "")
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", "250")
	f.Fuzz(func(t *testing.T, ra, ms string) {
		h := http.Header{}
		h.Set("Retry-After", ra)
		h.Set("Retry-After-Ms", ms)
		if d := ParseRetryAfter(h, time.Unix(0, 0)); d < 0 {
			t.Fatalf("negative wait %v", d)
		}
	})
}
