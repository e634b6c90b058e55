package synthtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fakeserver"
)

// HTTPOptions say how to drive a backend for an HTTP service against
// synth/fakeserver.
type HTTPOptions struct {
	// New starts a fake server with o (fakeserver.New) and opens the
	// backend under test on it, with timeout as its per-request timeout.
	New func(t *testing.T, o fakeserver.Options, timeout time.Duration) (synth.Backend, *fakeserver.Server)
	// Voice is a voice the fake server has; "" uses the backend's default.
	Voice string
	// KeySetting is what a 401 error must name for the user to fix, such
	// as the key's environment variable.
	KeySetting string
	// Hang bounds any one call (default 60 s); it catches hangs, not
	// slowness.
	Hang time.Duration
}

// RunHTTP checks how an HTTP backend meets what real services do besides
// answering: rate limits with Retry-After as seconds, as an HTTP-date or
// absent, on speech and on voice lists alike; server errors; resets and
// replies cut off mid-body (with a Content-Length or streamed); empty
// bodies; pages that are not audio; slow replies past the timeout; a bad
// key; and cancellation while a reply is awaited. The contract:
//
//   - Rate limits, 5xx, resets, truncated or empty replies and timeouts
//     are transient (retrying may help) and never yield audio.
//   - Retry-After reaches synth.RetryAfter, as delay-seconds or HTTP-date.
//   - A 200 that is not audio and a 401 are permanent; the 401 names
//     HTTPOptions.KeySetting.
//   - The error text quotes the service's own message, unescaped.
//   - A streamed (chunked) reply, or one ended by closing the
//     connection, decodes like a plain one.
//   - Cancelling the context ends a call that waits for a slow reply,
//     with a permanent error wrapping context.Canceled.
func RunHTTP(t *testing.T, o HTTPOptions) {
	t.Helper()
	if o.New == nil {
		t.Fatal("synthtest: HTTPOptions.New is required")
	}
	if o.Hang <= 0 {
		o.Hang = time.Minute
	}
	s := suite{opts: Options{Hang: o.Hang}}
	always := func(f fakeserver.Fault) fakeserver.Options { return fakeserver.Options{Fault: fakeserver.EveryK(1, f)} }
	speak := func(t *testing.T, so fakeserver.Options, timeout time.Duration) error {
		t.Helper()
		b, _ := o.New(t, so, timeout)
		buf, err := s.synth(t, b, context.Background(), hello, o.Voice)
		if err != nil && len(buf.Samples) > 0 {
			t.Fatalf("%d samples returned with an error: a half-decoded reply", len(buf.Samples))
		}
		return err
	}
	transient := func(t *testing.T, err error, retryAfter func(time.Duration) bool, says string) {
		t.Helper()
		if err == nil {
			t.Fatal("no error")
		}
		if !synth.IsTransient(err) {
			t.Fatalf("not transient, but retrying may help: %v", err)
		}
		if ra := synth.RetryAfter(err); !retryAfter(ra) {
			t.Fatalf("RetryAfter = %v: %v", ra, err)
		}
		if says != "" && !strings.Contains(err.Error(), says) {
			t.Fatalf("error %q does not quote the service's %q", err, says)
		}
	}
	is := func(d time.Duration) func(time.Duration) bool { return func(ra time.Duration) bool { return ra == d } }
	const limited = `Rate limit reached for requests: "tts" & co`
	t.Run("RateLimitSeconds", func(t *testing.T) {
		err := speak(t, always(fakeserver.Fault{Status: 429, RetryAfter: "7", Message: limited}), time.Minute)
		transient(t, err, is(7*time.Second), limited)
	})
	t.Run("RateLimitDate", func(t *testing.T) {
		date := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
		err := speak(t, always(fakeserver.Fault{Status: 429, RetryAfter: date}), time.Minute)
		// The date has whole seconds and the clock moves on.
		transient(t, err, func(ra time.Duration) bool { return ra > 20*time.Second && ra <= 30*time.Second }, "")
	})
	t.Run("RateLimitNoRetryAfter", func(t *testing.T) {
		err := speak(t, always(fakeserver.Fault{Status: 429}), time.Minute)
		transient(t, err, is(0), "")
	})
	t.Run("ServerErrors", func(t *testing.T) {
		for _, st := range []int{500, 502, 503, 504} {
			err := speak(t, always(fakeserver.Fault{Status: st, Message: "upstream <overloaded>"}), time.Minute)
			transient(t, err, is(0), "upstream <overloaded>")
		}
	})
	anyWait := func(time.Duration) bool { return true }
	for name, f := range map[string]fakeserver.Fault{
		"Reset":           {Reset: true},
		"Truncated":       {Truncate: true},
		"StreamTruncated": {Stream: true, Truncate: true},
		"EmptyBody":       {Empty: true},
		// Only the audio can tell this one: PCM with half a sample.
		"UnframedTruncated": {Unframed: true, Truncate: true},
	} {
		t.Run(name, func(t *testing.T) {
			transient(t, speak(t, always(f), time.Minute), anyWait, "")
		})
	}
	t.Run("SlowReply", func(t *testing.T) {
		transient(t, speak(t, always(fakeserver.Fault{Delay: time.Hour}), 200*time.Millisecond), anyWait, "")
	})
	for name, f := range map[string]fakeserver.Fault{"Streamed": {Stream: true}, "Unframed": {Unframed: true}} {
		t.Run(name, func(t *testing.T) {
			b, _ := o.New(t, always(f), time.Minute)
			buf, err := s.synth(t, b, context.Background(), hello, o.Voice)
			if err != nil {
				t.Fatal(err)
			}
			checkSpeech(t, buf, hello, 0.3, 5)
		})
	}
	for name, f := range map[string]fakeserver.Fault{
		"HTMLPage":     {ContentType: "text/html; charset=utf-8"},
		"JSONErrorOK":  {ContentType: "application/json", Message: "model is loading"},
		"Unauthorized": {Status: 401, Message: "Invalid API key: \"xyz\""},
	} {
		t.Run(name, func(t *testing.T) {
			err := speak(t, always(f), time.Minute)
			if err == nil || synth.IsTransient(err) {
				t.Fatalf("err = %v, want a permanent error", err)
			}
			if f.Message != "" && !strings.Contains(err.Error(), f.Message) {
				t.Fatalf("error %q does not quote the service's %q", err, f.Message)
			}
			if f.Status == 401 && !strings.Contains(err.Error(), o.KeySetting) {
				t.Fatalf("error %q does not name %s", err, o.KeySetting)
			}
		})
	}
	t.Run("VoicesRateLimited", func(t *testing.T) {
		b, srv := o.New(t, always(fakeserver.Fault{Status: 429, RetryAfter: "3", Message: limited}), time.Minute)
		var err error
		s.call(t, "Voices", func() { _, err = b.Voices(context.Background()) })
		if err == nil && srv.Count() == 0 {
			t.Skip("the backend knows its voices without asking")
		}
		transient(t, err, is(3*time.Second), limited)
	})
	t.Run("CancelWhileWaiting", func(t *testing.T) {
		b, srv := o.New(t, always(fakeserver.Fault{Delay: time.Hour}), time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			_, err := b.Synthesize(ctx, synth.Request{Text: hello, Voice: o.Voice, Rate: 1})
			done <- err
		}()
		// Cancel once the request is at the server, waiting for a reply.
		for deadline := time.Now().Add(o.Hang); srv.Count() == 0; {
			if time.Now().After(deadline) {
				t.Fatal("the request never reached the server")
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) || synth.IsTransient(err) {
				t.Fatalf("err = %v, want a permanent error wrapping context.Canceled", err)
			}
		case <-time.After(o.Hang):
			t.Fatalf("still waiting %v after the context was cancelled", o.Hang)
		}
	})
}
