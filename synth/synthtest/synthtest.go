// Package synthtest is the conformance suite every synth.Backend runs from
// its own tests: synthtest.Run(t, newBackend, synthtest.Options{...}).
//
// The contract it checks, beyond the synth.Backend doc comments:
//
//   - Audio is honest: a mono buffer at a standard sample rate (8 kHz to
//     48 kHz), and the rate is the real one. The suite cannot read the
//     audio's mind, so it checks what a wrong rate would break: "Hello
//     world." must last 0.3 s to 5 s, and a sentence four times longer
//     must last clearly longer.
//   - Speech is not silence: peak at least 0.02 and RMS at least 0.002.
//   - Empty or whitespace-only text gives an empty buffer and no error.
//   - Text longer than Info().MaxChars (when it is > 0) is rejected before
//     any work, with a permanent (non-transient) error wrapping
//     Options.TooLong. The pipeline splits text at sentence boundaries
//     under MaxChars, so a backend never needs to split text itself, and
//     silently truncating or splitting would hide pipeline bugs.
//   - An unknown voice fails with an error wrapping synth.ErrUnknownVoice
//     that is not transient.
//   - A cancelled or expired context makes Synthesize return an error
//     that satisfies errors.Is(err, context.Canceled) or
//     errors.Is(err, context.DeadlineExceeded), and it returns promptly.
//   - Voices() is non-empty and includes Options.Voice.
//   - Concurrent calls from several goroutines all succeed.
//   - Close, after speech, returns nil promptly.
package synthtest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
)

// Options say how to drive the backend under test.
type Options struct {
	// Voice is a voice the backend has; "" uses the backend's default.
	Voice string
	// UnknownVoice is a voice name the backend does not have. Required.
	UnknownVoice string
	// Short skips the slow checks (long texts, concurrency); set it from
	// testing.Short() or when each request is expensive.
	Short bool
	// TooLong is the sentinel an over-long text's error must wrap; nil
	// means synth.ErrTooLong, the contract of every narrate backend.
	TooLong error
	// Concurrency is how many goroutines the concurrency check uses
	// (default 4).
	Concurrency int
	// Hang bounds how long any one call may take before the suite calls
	// it hung (default 60 s). It catches deadlocks; it is not a
	// performance assertion.
	Hang time.Duration
}

// standardRates are the rates real engines produce.
var standardRates = map[int]bool{8000: true, 11025: true, 16000: true, 22050: true, 24000: true, 32000: true, 44100: true, 48000: true}

const (
	hello  = "Hello world."
	longer = "Hello world. This sentence is a good deal longer than the greeting before it, so it takes more time to say."
)

// Run runs the conformance suite. newBackend is called once per subtest
// so that subtests do not share state unless the backend itself does.
func Run(t *testing.T, newBackend func(t *testing.T) synth.Backend, opts Options) {
	t.Helper()
	if opts.UnknownVoice == "" {
		t.Fatal("synthtest: Options.UnknownVoice is required")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Hang <= 0 {
		opts.Hang = time.Minute
	}
	if opts.TooLong == nil {
		opts.TooLong = synth.ErrTooLong
	}
	s := suite{opts: opts, newBackend: newBackend}
	t.Run("Info", s.info)
	t.Run("Speech", s.speech)
	t.Run("Empty", s.empty)
	t.Run("TooLong", s.tooLong)
	t.Run("UnknownVoice", s.unknownVoice)
	t.Run("Cancelled", s.cancelled)
	t.Run("Voices", s.voices)
	t.Run("Concurrent", s.concurrent)
	t.Run("Close", s.close)
}

type suite struct {
	opts       Options
	newBackend func(t *testing.T) synth.Backend
}

// call runs f with the hang watchdog.
func (s suite) call(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(s.opts.Hang):
		t.Fatalf("%s did not return within %v: hung", what, s.opts.Hang)
	}
}

func (s suite) synth(t *testing.T, b synth.Backend, ctx context.Context, text, voice string) (pcm.Buffer, error) {
	t.Helper()
	var buf pcm.Buffer
	var err error
	s.call(t, "Synthesize("+abbrev(text)+")", func() {
		buf, err = b.Synthesize(ctx, synth.Request{Text: text, Voice: voice, Rate: 1})
	})
	return buf, err
}

func abbrev(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}

func (s suite) info(t *testing.T) {
	in := s.newBackend(t).Info()
	if in.Name == "" {
		t.Error("Info().Name is empty")
	}
	if in.MaxChars < 0 || in.Concurrency < 0 {
		t.Errorf("Info() has negative limits: %+v", in)
	}
}

// checkSpeech verifies that buf looks like a few seconds of speech.
func checkSpeech(t *testing.T, buf pcm.Buffer, text string, minSec, maxSec float64) {
	t.Helper()
	if !standardRates[buf.Rate] {
		t.Fatalf("%q: sample rate %d Hz is not a standard rate", text, buf.Rate)
	}
	if d := buf.Duration().Seconds(); d < minSec || d > maxSec {
		t.Fatalf("%q: %.2f s of audio at the reported %d Hz, want %.1f..%.1f s: the reported rate is probably wrong", text, d, buf.Rate, minSec, maxSec)
	}
	peak, rms := pcm.Peak(buf.Samples), pcm.RMS(buf.Samples)
	if peak < 0.02 || rms < 0.002 {
		t.Fatalf("%q: audio is silent (peak %.4f, rms %.5f)", text, peak, rms)
	}
	if peak > 1 {
		t.Fatalf("%q: samples out of [-1, 1] (peak %.3f)", text, peak)
	}
}

func (s suite) speech(t *testing.T) {
	b := s.newBackend(t)
	buf, err := s.synth(t, b, context.Background(), hello, s.opts.Voice)
	if err != nil {
		t.Fatalf("Synthesize(%q): %v", hello, err)
	}
	checkSpeech(t, buf, hello, 0.3, 5)
	if s.opts.Short {
		return
	}
	long, err := s.synth(t, b, context.Background(), longer, s.opts.Voice)
	if err != nil {
		t.Fatalf("Synthesize(longer): %v", err)
	}
	checkSpeech(t, long, longer, 1, 20)
	if long.Rate != buf.Rate {
		// Not wrong in itself, but no engine here changes rate per text,
		// so it points at a decoding bug.
		t.Logf("rate changed between requests: %d then %d", buf.Rate, long.Rate)
	}
	if long.Duration() < 2*buf.Duration() {
		t.Fatalf("a text %d times longer lasted %v vs %v: durations do not follow the text", len(longer)/len(hello), long.Duration(), buf.Duration())
	}
}

func (s suite) empty(t *testing.T) {
	b := s.newBackend(t)
	for _, text := range []string{"", " \n\t "} {
		buf, err := s.synth(t, b, context.Background(), text, s.opts.Voice)
		if err != nil {
			t.Fatalf("Synthesize(%q): %v, want an empty buffer and no error", text, err)
		}
		if len(buf.Samples) != 0 {
			t.Fatalf("Synthesize(%q) gave %d samples, want 0", text, len(buf.Samples))
		}
	}
}

func (s suite) tooLong(t *testing.T) {
	b := s.newBackend(t)
	max := b.Info().MaxChars
	if max <= 0 {
		t.Skip("backend has no MaxChars limit")
	}
	text := strings.Repeat("Hello world. ", max/13+2)
	buf, err := s.synth(t, b, context.Background(), text, s.opts.Voice)
	if err == nil {
		t.Fatalf("%d characters with MaxChars %d: no error (%d samples); want a permanent error", len(text), max, len(buf.Samples))
	}
	if synth.IsTransient(err) {
		t.Fatalf("over-long text gave a transient error, retrying cannot help: %v", err)
	}
	if s.opts.TooLong != nil && !errors.Is(err, s.opts.TooLong) {
		t.Fatalf("over-long text: %v does not wrap %v", err, s.opts.TooLong)
	}
	// Exactly MaxChars must still be accepted.
	if s.opts.Short {
		return
	}
	at := strings.Repeat("a", max)
	if max > len(hello) {
		at = hello + strings.Repeat(" ", max-len(hello))
	}
	if _, err := s.synth(t, b, context.Background(), at, s.opts.Voice); err != nil {
		t.Fatalf("text of exactly MaxChars (%d) rejected: %v", max, err)
	}
}

func (s suite) unknownVoice(t *testing.T) {
	b := s.newBackend(t)
	_, err := s.synth(t, b, context.Background(), hello, s.opts.UnknownVoice)
	if err == nil {
		t.Fatalf("voice %q: no error", s.opts.UnknownVoice)
	}
	if !errors.Is(err, synth.ErrUnknownVoice) {
		t.Fatalf("voice %q: %v does not wrap synth.ErrUnknownVoice", s.opts.UnknownVoice, err)
	}
	if synth.IsTransient(err) {
		t.Fatalf("voice %q: unknown voice reported as transient: %v", s.opts.UnknownVoice, err)
	}
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (s suite) cancelled(t *testing.T) {
	b := s.newBackend(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.synth(t, b, ctx, hello, s.opts.Voice)
	if !isCtxErr(err) {
		t.Fatalf("cancelled context: err = %v, want one wrapping context.Canceled", err)
	}
	if synth.IsTransient(err) {
		t.Fatalf("cancelled context reported as transient, but the caller gave up and retrying is wrong: %v", err)
	}
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if _, err := s.synth(t, b, expired, hello, s.opts.Voice); !isCtxErr(err) {
		t.Fatalf("expired context: err = %v, want one wrapping context.DeadlineExceeded", err)
	}
	if s.opts.Short {
		return
	}
	// Cancel while a long request is in flight: either it finished before
	// noticing, or it must stop with a context error; the watchdog in
	// s.synth catches a backend that ignores cancellation.
	mid, cancel3 := context.WithCancel(context.Background())
	result := make(chan error, 1)
	// As long as the backend accepts: a text over MaxChars may be
	// refused before the cancellation is seen, which says nothing.
	text := strings.Repeat(longer+" ", 4)
	if max := b.Info().MaxChars; max > 0 && utf8.RuneCountInString(text) > max {
		text = string([]rune(text)[:max])
	}
	go func() {
		_, err := b.Synthesize(mid, synth.Request{Text: text, Voice: s.opts.Voice, Rate: 1})
		result <- err
	}()
	cancel3()
	select {
	case err := <-result:
		if err != nil && !isCtxErr(err) {
			t.Fatalf("cancelled mid-request: err = %v, want nil or a context error", err)
		}
	case <-time.After(s.opts.Hang):
		t.Fatalf("cancelled mid-request: still running after %v", s.opts.Hang)
	}
}

func (s suite) voices(t *testing.T) {
	b := s.newBackend(t)
	var vs []synth.Voice
	var err error
	s.call(t, "Voices", func() { vs, err = b.Voices(context.Background()) })
	if err != nil {
		t.Fatalf("Voices: %v", err)
	}
	if len(vs) == 0 {
		t.Fatal("Voices returned an empty list")
	}
	found := s.opts.Voice == ""
	for _, v := range vs {
		if v.ID == "" {
			t.Fatalf("voice with empty ID: %+v", v)
		}
		if v.Gender != "" && v.Gender != "male" && v.Gender != "female" {
			t.Errorf("voice %q: gender %q, want male, female or empty", v.ID, v.Gender)
		}
		found = found || v.ID == s.opts.Voice
	}
	if !found {
		t.Fatalf("Voices does not list %q, the voice the suite synthesizes with", s.opts.Voice)
	}
}

func (s suite) concurrent(t *testing.T) {
	if s.opts.Short {
		t.Skip("short mode")
	}
	b := s.newBackend(t)
	var wg sync.WaitGroup
	bufs := make([]pcm.Buffer, s.opts.Concurrency)
	errs := make([]error, s.opts.Concurrency)
	s.call(t, "concurrent Synthesize", func() {
		for i := range bufs {
			wg.Go(func() {
				bufs[i], errs[i] = b.Synthesize(context.Background(), synth.Request{Text: hello, Voice: s.opts.Voice, Rate: 1})
			})
		}
		wg.Wait()
	})
	for i := range bufs {
		if errs[i] != nil {
			t.Fatalf("goroutine %d: %v", i, errs[i])
		}
		checkSpeech(t, bufs[i], hello, 0.3, 5)
	}
}

// close checks that a backend that has spoken closes cleanly: what it
// started (workers, connections) must stop when asked, not hang.
func (s suite) close(t *testing.T) {
	b := s.newBackend(t)
	if _, err := s.synth(t, b, context.Background(), hello, s.opts.Voice); err != nil {
		t.Fatalf("Synthesize: %v", err)
	}
	var err error
	s.call(t, "Close", func() { err = b.Close() })
	if err != nil {
		t.Fatalf("Close: %v", err)
	}
}
