package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/synth/backends"
)

// profileRender renders input in process the way `narrate render
// --no-cache` does with the default configuration and one voice, under
// the CPU profiler, and writes cpu.pprof and allocs.pprof to dir with
// the top functions as text. narrate has no profiling flag; this is the
// same pipeline with the same options.
func profileRender(input, dir string, words, lookahead int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if strings.HasSuffix(input, ".epub") && words > 0 {
		txt := filepath.Join(dir, "book.txt")
		if _, _, err := plainText(input, txt, words); err != nil {
			return err
		}
		input = txt
	}
	c := config.Default()
	c.Cache.Off = true
	bk, err := pipeline.Read(c, input)
	if err != nil {
		return err
	}
	prep, err := pipeline.Prepare(context.Background(), c, backends.New(), bk, "")
	if err != nil {
		return err
	}
	defer prep.Close()
	// Exactly what `narrate render --no-cache` runs, with one voice.
	b, chapters, opts := bk.Book, bk.Chapters, prep.Options
	opts.Voices = pipeline.Voices{Narrator: "en-us", Dialogue: "en-us", Rate: opts.Voices.Rate, Pitch: opts.Voices.Pitch}
	opts.Lookahead = lookahead
	out := filepath.Join(dir, "out")
	os.RemoveAll(out)

	// Peak Go heap in use, sampled, to set against the process RSS.
	var peak, kept uint64 // kept: the heap in use when the profile was last written
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			if ms.HeapInuse > peak && ms.HeapInuse > kept+8<<20 {
				// A new peak, well above the one last kept: keep the
				// heap profile of this moment.
				if f, err := os.Create(filepath.Join(dir, "heap-peak.pprof")); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
					kept = ms.HeapInuse
				}
			}
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()

	cpuFile, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return err
	}
	defer cpuFile.Close()
	if err := pprof.StartCPUProfile(cpuFile); err != nil {
		return err
	}
	began := time.Now()
	res, err := pipeline.Render(context.Background(), b, chapters, out, opts)
	wall := time.Since(began)
	pprof.StopCPUProfile()
	close(stop)
	<-done
	if err != nil {
		return err
	}
	allocs, err := os.Create(filepath.Join(dir, "allocs.pprof"))
	if err != nil {
		return err
	}
	defer allocs.Close()
	if err := pprof.Lookup("allocs").WriteTo(allocs, 0); err != nil {
		return err
	}
	fmt.Printf("profiled render (lookahead %d, 0 = default) of %s: %s wall, %s of audio, encoder %s (wall), peak Go heap in use %.0f MB, own VmHWM %.0f MB\n",
		lookahead, input, wall.Round(10*time.Millisecond), res.Duration.Round(time.Second), res.Stats.EncodeTime.Round(10*time.Millisecond),
		mb(int64(peak)), mb(readHWM(os.Getpid())))
	for _, args := range [][]string{
		{"tool", "pprof", "-top", "-nodecount=25", filepath.Join(dir, "cpu.pprof")},
		{"tool", "pprof", "-top", "-cum", "-nodecount=40", filepath.Join(dir, "cpu.pprof")},
		{"tool", "pprof", "-top", "-sample_index=alloc_space", "-nodecount=15", filepath.Join(dir, "allocs.pprof")},
		{"tool", "pprof", "-top", "-sample_index=inuse_space", "-nodecount=15", filepath.Join(dir, "heap-peak.pprof")},
	} {
		cmd := exec.Command("go", args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return err
		}
	}
	return nil
}
