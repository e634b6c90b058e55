package pipeline

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/narrate-audio/narrate/synth"
)

// counters gather a run's statistics as its goroutines work.
type counters struct {
	synthesized, cached, corrupt, calls, reused atomic.Int64
	// The backend's CPU count when the run began.
	cpuStart time.Duration
	// Nanoseconds spent waiting on the backend and inside the encoder.
	synthTime, encodeTime atomic.Int64
	encodeCPU             atomic.Int64 // nanoseconds of CPU inside the MP3 encoder
	busy                  busyClock
}

func (c *counters) snapshot(b synth.Backend) Stats {
	return Stats{Synthesized: int(c.synthesized.Load()), Cached: int(c.cached.Load()),
		Corrupt: int(c.corrupt.Load()), Calls: int(c.calls.Load()), Reused: int(c.reused.Load()),
		SynthTime: time.Duration(c.synthTime.Load()), EncodeTime: time.Duration(c.encodeTime.Load()),
		BackendCPU: backendCPU(b) - c.cpuStart, EncodeCPU: time.Duration(c.encodeCPU.Load()),
		BusyTime: c.busy.read()}
}

// Encode counts the time of an encoder call as busy and as encoding.
func (c *counters) Encode(call func() error) error {
	began := time.Now()
	c.busy.enter()
	err := call()
	c.busy.leave()
	c.encodeTime.Add(int64(time.Since(began)))
	return err
}

// Closed adds an encoder's CPU time.
func (c *counters) Closed(cpu time.Duration) { c.encodeCPU.Add(int64(cpu)) }

// busyClock measures the wall time during which at least one backend or
// encoder call is in progress: the complement, within a render's wall
// time, is the pipeline's own overhead.
type busyClock struct {
	mu     sync.Mutex
	active int
	since  time.Time
	total  time.Duration
	clock  func() time.Time // time.Now when nil; tests set it
}

func (b *busyClock) now() time.Time {
	if b.clock != nil {
		return b.clock()
	}
	return time.Now()
}

func (b *busyClock) enter() {
	b.mu.Lock()
	if b.active == 0 {
		b.since = b.now()
	}
	b.active++
	b.mu.Unlock()
}

func (b *busyClock) leave() {
	b.mu.Lock()
	if b.active--; b.active == 0 {
		b.total += b.now().Sub(b.since)
	}
	b.mu.Unlock()
}

func (b *busyClock) read() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.active > 0 {
		return b.total + b.now().Sub(b.since)
	}
	return b.total
}
