package command

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/internal/procgroup"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/synthtest"
)

func needEspeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed")
	}
}

func open(t *testing.T, p synth.Params) *Backend {
	t.Helper()
	b, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.(*Backend).Close() })
	return b.(*Backend)
}

func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tts.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConformanceEspeakWAV(t *testing.T) {
	needEspeak(t)
	synthtest.Run(t, func(t *testing.T) synth.Backend {
		return open(t, synth.Params{"command": []any{"espeak-ng", "--stdout", "-v", "{voice}"}, "voices": []any{"en-us", "en-gb"}, "concurrency": 2})
	}, synthtest.Options{Voice: "en-gb", UnknownVoice: "xx-nowhere", Short: testing.Short()})
}

// TestConformanceRawScript runs a shell script that writes headerless
// PCM: espeak-ng's WAV with the 44-byte header cut off.
func TestConformanceRawScript(t *testing.T) {
	needEspeak(t)
	sh := script(t, `espeak-ng --stdout -v "$1" "$2" | tail -c +45`)
	synthtest.Run(t, func(t *testing.T) synth.Backend {
		return open(t, synth.Params{"command": sh + " {voice} {text}", "format": "raw", "sample_rate": 22050, "voices": []any{"en-us"}})
	}, synthtest.Options{Voice: "en-us", UnknownVoice: "fr-fr", Short: testing.Short()})
}

// fakePiper mimics Piper's --json-input protocol with espeak-ng doing the
// speaking, and prints log chatter on stdout as real programs do.
const fakePiper = `
import json, subprocess, sys
print("loading model... done", flush=True)
for line in sys.stdin:
    req = json.loads(line)
    voice = req.get("speaker", "en-us")
    if req["text"].strip() == "crash":
        sys.exit(7)
    with open(req["output_file"], "wb") as f:
        subprocess.run(["espeak-ng", "--stdout", "-v", voice, req["text"]], stdout=f, check=True)
    print("synthesized " + str(len(req["text"])) + " chars", flush=True)
    print(req["output_file"], flush=True)
`

func piperBackend(t *testing.T) *Backend {
	needEspeak(t)
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed; cannot run the fake Piper")
	}
	path := filepath.Join(t.TempDir(), "piper.py")
	if err := os.WriteFile(path, []byte(fakePiper), 0o644); err != nil {
		t.Fatal(err)
	}
	return open(t, synth.Params{"command": []any{py, path}, "mode": "json-lines", "voices": []any{"en-us", "en-gb"}, "concurrency": 2})
}

func TestConformanceJSONLines(t *testing.T) {
	synthtest.Run(t, func(t *testing.T) synth.Backend { return piperBackend(t) },
		synthtest.Options{Voice: "en-us", UnknownVoice: "zz", Short: testing.Short()})
}

func TestJSONLinesReusesWorkerAndRecovers(t *testing.T) {
	b := piperBackend(t)
	ctx := context.Background()
	var first int
	for i := range 3 {
		if _, err := b.Synthesize(ctx, synth.Request{Text: "Hello number " + strconv.Itoa(i) + "."}); err != nil {
			t.Fatal(err)
		}
		w := <-b.pool.idle
		if i == 0 {
			first = w.cmd.Process.Pid
		} else if w.cmd.Process.Pid != first {
			t.Fatalf("request %d ran in a new process %d, want worker %d reused", i, w.cmd.Process.Pid, first)
		}
		b.pool.idle <- w
	}
	_, err := b.Synthesize(ctx, synth.Request{Text: "crash"})
	if err == nil || !strings.Contains(err.Error(), "status 7") {
		t.Fatalf("crash: err = %v", err)
	}
	if _, err := b.Synthesize(ctx, synth.Request{Text: "Back again."}); err != nil {
		t.Fatalf("no recovery after a worker died: %v", err)
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name      string
		sh        string
		format    string
		transient bool
		contains  string
	}{
		{"exit status", `echo "model file missing" >&2; exit 3`, "wav", false, "exit status 3: model file missing"},
		{"garbage", `echo "this is not audio"`, "wav", false, "not wav audio"},
		{"odd raw", `printf abc`, "raw", false, "odd byte count"},
		{"silent", `cat >/dev/null`, "wav", false, "wrote no audio"},
		{"killed by signal", `kill -9 $$`, "wav", true, "signal"},
		{"hang", `sleep 300`, "wav", true, "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Only the hang should run out of time, however busy the
			// machine: a short timeout would fail slow-starting shells.
			timeout := "60s"
			if tt.transient && tt.contains == "timed out" {
				timeout = "300ms"
			}
			b := open(t, synth.Params{"command": script(t, tt.sh), "format": tt.format, "sample_rate": 16000, "timeout": timeout})
			_, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello."})
			if err == nil || synth.IsTransient(err) != tt.transient || !strings.Contains(err.Error(), tt.contains) {
				t.Fatalf("err = %v (transient %v), want transient=%v containing %q", err, synth.IsTransient(err), tt.transient, tt.contains)
			}
		})
	}
}

// TestHangKillsProcessGroup checks that a timeout kills the program's
// children too, not only the program.
func TestHangKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	sh := script(t, "sleep 300 & echo $! > "+pidFile+".tmp; mv "+pidFile+".tmp "+pidFile+"; wait")
	// The shell must record its child's pid before the timeout; on a busy
	// machine it may not get that far, so the timeout grows until it does.
	var raw []byte
	for timeout := 300 * time.Millisecond; ; timeout *= 4 {
		b := open(t, synth.Params{"command": sh, "timeout": timeout.String()})
		if _, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello."}); !synth.IsTransient(err) {
			t.Fatalf("err = %v, want a transient timeout", err)
		}
		var err error
		if raw, err = os.ReadFile(pidFile); err == nil {
			break
		}
		if timeout > 30*time.Second {
			t.Fatalf("the program never started its child: %v", err)
		}
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if err := procgroup.AwaitExit(pid, 10*time.Second); err != nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("child of the timed-out program: %v", err)
	}
}

func TestArgsAndStdin(t *testing.T) {
	needEspeak(t)
	dir := t.TempDir()
	// The script records what it got, then speaks.
	sh := script(t, `echo "$@" > `+dir+`/args; cat > `+dir+`/stdin; espeak-ng --stdout -v "$1" -f `+dir+`/stdin`)
	b := open(t, synth.Params{"command": []any{sh, "{voice}", "--speed={speed}"}, "voices": []any{"en-us"}})
	if _, err := b.Synthesize(context.Background(), synth.Request{Text: "It's \"quoted\"; $(not run)", Rate: 1.5}); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(dir + "/args")
	stdin, _ := os.ReadFile(dir + "/stdin")
	if string(args) != "en-us --speed=1.5\n" || string(stdin) != "It's \"quoted\"; $(not run)\n" {
		t.Fatalf("args %q stdin %q", args, stdin)
	}
}

func TestCancelledWhileQueued(t *testing.T) {
	b := open(t, synth.Params{"command": script(t, "sleep 300"), "concurrency": 1, "timeout": "1h"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := b.Synthesize(ctx, synth.Request{Text: "Hello."}); done <- err }()
	go func() { _, err := b.Synthesize(ctx, synth.Request{Text: "Hello."}); done <- err }()
	cancel()
	for range 2 {
		if err := <-done; !errors.Is(err, context.Canceled) || synth.IsTransient(err) {
			t.Fatalf("err = %v", err)
		}
	}
}

func TestNewRejects(t *testing.T) {
	for _, p := range []synth.Params{
		{},
		{"command": "no-such-program-anywhere --x"},
		{"command": "sh", "format": "raw"},
		{"command": "sh", "format": "flac"},
		{"command": "sh", "mode": "daemon"},
		{"command": "sh {text}", "mode": "json-lines"},
		{"command": "sh", "voices": []any{"a"}, "voice": "b"},
		{"command": "sh", "sample_rat": 16000},
	} {
		if _, err := New(p); err == nil || !strings.HasPrefix(err.Error(), "command: ") {
			t.Errorf("New(%v) = %v", p, err)
		}
	}
}
