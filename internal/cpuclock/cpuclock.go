// Package cpuclock reads the processor time of the calling thread, which
// is how narrate counts the CPU its TTS engine and MP3 encoder spend
// inside one process. Callers lock their goroutine to its thread
// (runtime.LockOSThread) around what they measure.
package cpuclock

import (
	"time"

	"golang.org/x/sys/unix"
)

// Thread returns the CPU time the calling thread has used, or 0 where the
// clock cannot be read.
func Thread() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
