package pipeline

import (
	"testing"
	"time"
)

// TestBusyClockCountsTheUnion: overlapping calls count once, and gaps
// between calls not at all.
func TestBusyClockCountsTheUnion(t *testing.T) {
	var now time.Time
	b := busyClock{clock: func() time.Time { return now }}
	step := func(ms int) { now = now.Add(time.Duration(ms) * time.Millisecond) }
	b.enter() // call A
	step(20)
	b.enter() // call B overlaps A
	step(20)
	b.leave() // A ends
	step(20)
	b.leave() // B ends: 60 ms busy
	step(40)  // idle
	b.enter()
	step(20)
	if got := b.read(); got != 80*time.Millisecond {
		t.Fatalf("busy %v during a call, want 80 ms", got)
	}
	b.leave()
	step(10)
	if got := b.read(); got != 80*time.Millisecond {
		t.Fatalf("busy %v, want 80 ms", got)
	}
}
