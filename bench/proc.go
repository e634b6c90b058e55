package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// clockTick is the unit of the CPU times in /proc/PID/stat (USER_HZ,
// 100 on every Linux architecture Go supports).
const clockTick = 10 * time.Millisecond

// Run is what one measured process cost.
type Run struct {
	Wall time.Duration
	// CPU is user+sys of the process and every child it waited for
	// (rusage from wait4).
	CPU time.Duration
	// ChildCPU is the part of CPU spent in the children (cutime+cstime of
	// the exited process, read before it is reaped). For narrate with the
	// espeak-ng backend the children are the espeak-ng processes.
	ChildCPU time.Duration
	// SelfUser and SelfSys split the process's own CPU (without its
	// children): sys time is where process spawning and page faults go.
	SelfUser, SelfSys time.Duration
	// MaxRSS is rusage ru_maxrss: the larger of the process's own peak
	// and the peak of its largest waited-for child.
	MaxRSS int64 // bytes
	// OwnHWM is the process's own peak resident set (VmHWM from
	// /proc/PID/status, sampled every 20 ms until it exits).
	OwnHWM int64 // bytes
}

// run starts cmd, samples its own peak RSS while it runs, and after it
// exits reads its children's CPU time before reaping it.
func run(cmd *exec.Cmd) (Run, error) {
	var stderr bytes.Buffer
	if cmd.Stderr == nil {
		cmd.Stderr = &stderr
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return Run{}, err
	}
	pid := cmd.Process.Pid
	var hwm int64
	var mu sync.Mutex
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if v := readHWM(pid); v > 0 {
				mu.Lock()
				hwm = max(hwm, v)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	// Wait for the exit without reaping: the zombie's /proc/PID/stat
	// still holds the final CPU times of the process and its children.
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return Run{}, fmt.Errorf("waitid %d: %w", pid, err)
		}
		break
	}
	wall := time.Since(began)
	times, statErr := procTimes(pid)
	close(stop)
	<-sampled
	err := cmd.Wait()
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w: %s", strings.Join(cmd.Args, " "), err, lastLines(stderr.String(), 5))
	}
	if statErr != nil {
		return Run{}, statErr
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return Run{}, fmt.Errorf("no rusage for %s", cmd.Path)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return Run{Wall: wall, CPU: cpu, ChildCPU: times[2] + times[3], SelfUser: times[0], SelfSys: times[1],
		MaxRSS: ru.Maxrss * 1024, OwnHWM: hwm}, nil
}

// procTimes reads utime, stime, cutime and cstime from /proc/PID/stat.
func procTimes(pid int) ([4]time.Duration, error) {
	var out [4]time.Duration
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return out, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
	i := bytes.LastIndexByte(data, ')')
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 15 {
		return out, fmt.Errorf("/proc/%d/stat: short line", pid)
	}
	for k := range out {
		v, err := strconv.ParseInt(f[11+k], 10, 64)
		if err != nil {
			return out, fmt.Errorf("/proc/%d/stat: field %d: %w", pid, 14+k, err)
		}
		out[k] = time.Duration(v) * clockTick
	}
	return out, nil
}

// readHWM reads VmHWM from /proc/PID/status, 0 when unavailable.
func readHWM(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
