package cpuclock

import (
	"runtime"
	"testing"
	"time"
)

func TestThreadCountsWork(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := Thread()
	x := 0
	for i := 0; i < 50_000_000; i++ {
		x += i ^ (x >> 3)
	}
	used := Thread() - start
	if used <= 0 || used > time.Minute {
		t.Fatalf("50M iterations used %v of thread CPU (x=%d)", used, x)
	}
	// Sleeping is not CPU.
	start = Thread()
	time.Sleep(50 * time.Millisecond)
	if slept := Thread() - start; slept > 40*time.Millisecond {
		t.Errorf("a 50 ms sleep used %v of thread CPU", slept)
	}
}
