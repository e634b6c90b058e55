package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/audio/resample"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/synth"
)

// Retry says how transient backend errors are retried.
type Retry struct {
	// Attempts bounds the tries that fail without the server saying when
	// to come back; 0 means 8. A rate limit answered with Retry-After is
	// not a failed try: the request waits as told, within MaxWait. Nor is
	// a refusal that lowers the number of calls in flight (see pace).
	Attempts int
	Base     time.Duration // first backoff; 0 means 500 ms
	Max      time.Duration // longest backoff; 0 means 30 s
	// MaxWait bounds the total time one span spends waiting to retry;
	// 0 means 10 minutes.
	MaxWait time.Duration
}

// synthesize speaks one request, splitting text longer than the backend
// allows and retrying transient failures. Only the pipeline retries:
// backends report, the pipeline decides.
func (r *run) synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	// The same text in the same voice ("Yes.") is synthesized once per
	// run, however many spans say it at the same time.
	key := cache.Key(r.info, req)
	r.mu.Lock()
	f, busy := r.flights[key]
	if !busy {
		f = &flight{done: make(chan struct{})}
		r.flights[key] = f
	}
	r.mu.Unlock()
	if busy {
		select {
		case <-f.done:
			return f.audio, f.err
		case <-ctx.Done():
			return pcm.Buffer{}, ctx.Err()
		}
	}
	f.audio, f.err = r.lookupOrSpeak(ctx, key, req)
	// Waiters hold the flight; later spans find the audio in the cache.
	// Forgetting it here keeps memory bounded by the spans in flight.
	r.mu.Lock()
	delete(r.flights, key)
	r.mu.Unlock()
	close(f.done)
	return f.audio, f.err
}

// flight is one synthesis shared by every span that needs its audio.
// It is not golang.org/x/sync/singleflight: Group.Do gives a waiter no
// way out when its own context ends (its chapter failed), and
// Group.DoChan runs the work on a goroutine of its own, which a cancelled
// chapter could not wait for; a chapter waits for every synthesis it
// started, so that none outlives the render and each finished one is in
// the cache.
type flight struct {
	done  chan struct{}
	audio pcm.Buffer
	err   error
}

func (r *run) lookupOrSpeak(ctx context.Context, key string, req synth.Request) (pcm.Buffer, error) {
	if r.opts.Cache != nil {
		data, err := r.opts.Cache.Get(ctx, key)
		if err == nil {
			a, derr := cache.Decode(data)
			if derr == nil {
				r.stats.cached.Add(1)
				return a, nil
			}
			// A damaged entry is re-synthesized and replaced.
			r.stats.corrupt.Add(1)
		} else if !errors.Is(err, cache.ErrNotFound) {
			return pcm.Buffer{}, err
		}
	}
	a, err := r.speak(ctx, req)
	if err != nil {
		return pcm.Buffer{}, err
	}
	r.stats.synthesized.Add(1)
	if r.opts.Cache != nil {
		if err := r.opts.Cache.Put(ctx, key, cache.Encode(a)); err != nil {
			return pcm.Buffer{}, err
		}
	}
	return a, nil
}

// speak calls the backend for one span's text, in pieces no longer than
// the backend allows.
func (r *run) speak(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	limit := r.info.MaxChars
	if m := int(r.serverMax.Load()); m > 0 && (limit <= 0 || m < limit) {
		limit = m
	}
	return r.speakParts(ctx, req, splitLong(req.Text, limit, r.sentences))
}

// speakParts speaks texts one after the other as one buffer. A text the
// server rejects as too long, although the backend's declared limit let
// it through (a proxy or model with a lower limit), is cut in half at a
// sentence end and tried again, and later spans are cut below that
// length before asking.
func (r *run) speakParts(ctx context.Context, req synth.Request, texts []string) (pcm.Buffer, error) {
	var out pcm.Buffer
	for _, text := range texts {
		part := req
		part.Text = text
		a, err := r.call(ctx, part)
		if errors.Is(err, synth.ErrTooLong) && !synth.IsTransient(err) {
			halves := splitLong(text, (len(text)+1)/2, r.sentences)
			if len(halves) < 2 {
				return pcm.Buffer{}, err
			}
			r.lowerServerMax(len(text) - 1)
			a, err = r.speakParts(ctx, req, halves)
		}
		if err != nil {
			return pcm.Buffer{}, err
		}
		if out.Rate != 0 && a.Rate != out.Rate {
			return pcm.Buffer{}, fmt.Errorf("backend changed sample rate mid-span (%d, then %d Hz)", out.Rate, a.Rate)
		}
		out.Rate = a.Rate
		out.Samples = append(out.Samples, a.Samples...)
	}
	return out, nil
}

// lowerServerMax records that the server rejected a text longer than n
// bytes.
func (r *run) lowerServerMax(n int) {
	for {
		cur := r.serverMax.Load()
		if cur > 0 && cur <= int64(n) || r.serverMax.CompareAndSwap(cur, int64(n)) {
			return
		}
	}
}

func (r *run) call(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	var a pcm.Buffer
	err := r.retry(ctx, func(ctx context.Context) error {
		var err error
		a, err = r.callOnce(ctx, req)
		return err
	})
	return a, err
}

// retry runs one backend request (speech, a voice list) under the
// concurrency and rate limits, retrying transient failures: every kind
// of request a server may rate-limit goes through the same policy.
func (r *run) retry(ctx context.Context, do func(context.Context) error) error {
	p := r.opts.Retry
	if p.Attempts <= 0 {
		p.Attempts = 8
	}
	if p.Base <= 0 {
		p.Base = 500 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 30 * time.Second
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 10 * time.Minute
	}
	backoff := p.Base
	var waited time.Duration
	failures := 0
	for tries := 1; ; tries++ {
		if err := r.pace.acquire(ctx); err != nil {
			return err
		}
		if r.limiter != nil {
			if err := r.limiter.Wait(ctx); err != nil {
				r.pace.release(false, false)
				return err
			}
		}
		r.stats.calls.Add(1)
		began := time.Now()
		r.stats.busy.enter()
		err := do(ctx)
		r.stats.busy.leave()
		r.stats.synthTime.Add(int64(time.Since(began)))
		ra := synth.RetryAfter(err)
		refused := err != nil && ctx.Err() == nil && synth.IsTransient(err) && ra <= 0
		lowered := r.pace.release(err == nil, refused)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !synth.IsTransient(err) {
			return err
		}
		// A refusal that lowered the pace was the server saying how many
		// calls it takes at once, not a failure of this one.
		if ra <= 0 && !lowered {
			failures++
		}
		// Full jitter keeps a fleet of workers from retrying in step; a
		// server's Retry-After is a floor.
		d := max(ra, time.Duration(rand.Int64N(int64(backoff)))+backoff/2)
		switch {
		case failures >= p.Attempts:
			return fmt.Errorf("after %d attempts: %w", tries, err)
		case ra > 0 && waited+d > p.MaxWait:
			return fmt.Errorf("after %d attempts: the server asked to wait %v, beyond the %v a request may spend waiting (%v so far): %w", tries, ra, p.MaxWait, waited.Round(time.Second), err)
		case waited+d > p.MaxWait:
			return fmt.Errorf("after %d attempts and %v of waiting: %w", tries, waited.Round(time.Second), err)
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		waited += d
		if ra <= 0 {
			backoff = min(2*backoff, p.Max)
		}
	}
}

// callOnce makes one backend call within the request timeout. Running
// out of time is transient: a slow server may answer the next try.
func (r *run) callOnce(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if r.opts.Timeout <= 0 {
		return r.opts.Backend.Synthesize(ctx, req)
	}
	cctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	a, err := r.opts.Backend.Synthesize(cctx, req)
	if err != nil && ctx.Err() == nil && cctx.Err() != nil && !synth.IsTransient(err) {
		err = &synth.Error{Backend: r.info.Name, Transient: true, Err: fmt.Errorf("no answer within %v: %w", r.opts.Timeout, err)}
	}
	return a, err
}

// conform brings a span's audio to the output sample rate.
func conform(a pcm.Buffer, rate int) (pcm.Buffer, error) {
	if len(a.Samples) == 0 || a.Rate == rate {
		a.Rate = rate
		return a, nil
	}
	if a.Rate <= 0 {
		return a, fmt.Errorf("pipeline: backend returned audio without a sample rate")
	}
	return pcm.Buffer{Rate: rate, Samples: resample.Resample(a.Samples, a.Rate, rate)}, nil
}
