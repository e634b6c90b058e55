package resample

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPU returns the CPU time used by the calling OS thread. Benchmarks
// report speed per CPU second as well as per wall second because the build
// machine is shared and wall time there measures the neighbours.
func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// lockThread pins the goroutine so threadCPU measures one thread.
func lockThread() func() { runtime.LockOSThread(); return runtime.UnlockOSThread }
