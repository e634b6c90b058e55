package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/mp3"
)

// TestMain lets tests run the narrate command in a child process (the
// test binary re-executed), so that they can kill it like a user would.
func TestMain(m *testing.M) {
	if os.Getenv("NARRATE_TEST_RUN_MAIN") == "1" {
		os.Args = append([]string{"narrate"}, strings.Fields(os.Getenv("NARRATE_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child starts narrate with args in a new process.
func child(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	for _, a := range args {
		if strings.ContainsAny(a, " \t") {
			t.Fatalf("argument %q has spaces", a)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "NARRATE_TEST_RUN_MAIN=1", "NARRATE_TEST_ARGS="+strings.Join(args, " ")), env...)
	return cmd
}

// slowConfig makes the espeak-ng program answer slowly, through the
// command backend, so that a render can be caught half-way.
func slowConfig(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "narrate.yaml")
	yaml := `backend: command
backends:
  command:
    command: ["sh", "-c", "sleep 0.05; exec espeak-ng --stdout -v \"$1\"", "sh", "{voice}"]
    voices: ["en-us", "en-us+f3"]
voices:
  narrator: en-us
  dialogue: en-us+f3
  auto: false
`
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func countEntries(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			n++
		}
		return nil
	})
	return n
}

type renderStats struct {
	Stats struct{ Synthesized, Cached, Reused int }
}

// referenceRender renders the sample without interruption under cfg,
// returning its output folder and how many spans it synthesized.
func referenceRender(t *testing.T, work, cfg string) (string, int) {
	t.Helper()
	refOut, refStats := filepath.Join(work, "ref"), filepath.Join(work, "ref.json")
	if out, err := child(t, nil, "render", sample, "-o", refOut, "-q", "--config", cfg, "--cache-dir", filepath.Join(work, "refcache"), "--stats", refStats).CombinedOutput(); err != nil {
		t.Fatalf("reference render: %v\n%s", err, out)
	}
	return refOut, readStats(t, refStats).Stats.Synthesized
}

// resumeRender reruns an interrupted render into out and returns its
// statistics.
func resumeRender(t *testing.T, work, out, cfg, cacheDir string) renderStats {
	t.Helper()
	stats := filepath.Join(work, "resume.json")
	if o, err := child(t, nil, "render", sample, "-o", out, "-q", "--config", cfg, "--cache-dir", cacheDir, "--stats", stats).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, o)
	}
	return readStats(t, stats)
}

func readStats(t *testing.T, path string) renderStats {
	t.Helper()
	var s renderStats
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &s) != nil {
		t.Fatalf("stats %s: %v", path, err)
	}
	return s
}

// decodeDir decodes the chapter MP3s of a directory.
func decodeDir(t *testing.T, dir string) map[string][]float32 {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.mp3"))
	out := map[string][]float32{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := id3.Read(fh); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		fh.Seek(0, 0)
		a, err := mp3.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = a.Samples
	}
	return out
}

func sameFiles(t *testing.T, got, want map[string][]float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d files, want %d", len(got), len(want))
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok || len(g) != len(w) {
			t.Fatalf("%s: %d samples, want %d", name, len(g), len(w))
		}
		if !bytes.Equal(f32bytes(g), f32bytes(w)) {
			t.Fatalf("%s: audio differs", name)
		}
	}
}

func f32bytes(s []float32) []byte {
	var b bytes.Buffer
	for _, v := range s {
		fmt.Fprintf(&b, "%v,", v)
	}
	return b.Bytes()
}

// TestKillAndResume kills a render with SIGKILL part-way and reruns it:
// no truncated file ever carries a final name, the rerun synthesizes only
// what was not finished, and the output equals an uninterrupted render.
func TestKillAndResume(t *testing.T) {
	requireEspeak(t)
	work := t.TempDir()
	cfg := slowConfig(t, work)
	refOut, total := referenceRender(t, work, cfg)

	out, cacheDir := filepath.Join(work, "out"), filepath.Join(work, "cache")
	cmd := child(t, nil, "render", sample, "-o", out, "-q", "--config", cfg, "--cache-dir", cacheDir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once about a third of the spans are cached. The loop is
	// bounded by the render itself: it cannot run past its end.
	for countEntries(cacheDir) < total/3 {
		if cmd.ProcessState != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	cached := countEntries(cacheDir)
	if cached >= total {
		t.Skip("the render finished before it could be killed")
	}
	// Whatever has a final name is complete.
	for name := range decodeDir(t, out) {
		_ = name
	}

	s := resumeRender(t, work, out, cfg, cacheDir)
	if s.Stats.Synthesized != total-cached {
		t.Errorf("resume synthesized %d spans; %d of %d were cached before the kill", s.Stats.Synthesized, cached, total)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left after the resumed render: %s", e.Name())
		}
	}
	sameFiles(t, decodeDir(t, out), decodeDir(t, refOut))
}

// TestShardProcesses renders a book as three concurrent shard processes
// sharing an object-storage cache (file://), then assembles it: nothing is
// synthesized twice and the result equals a single-process render.
func TestShardProcesses(t *testing.T) {
	requireEspeak(t)
	work := t.TempDir()
	refOut := filepath.Join(work, "ref")
	if o, err := child(t, nil, "render", sample, "-o", refOut, "-q", "--cache-dir", filepath.Join(work, "refcache")).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	env := []string{"NARRATE_CACHE_URL=file://" + filepath.Join(work, "bucket")}
	const n = 3
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for i := 0; i < n; i++ {
		cmd := child(t, append(env, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i)), "render", sample, "--shard", fmt.Sprintf("/%d", n))
		var b bytes.Buffer
		cmd.Stdout, cmd.Stderr = &b, &b
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &b)
	}
	synthesized := 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, outs[i])
		}
		var a, b int
		sc := bufio.NewScanner(outs[i])
		for sc.Scan() {
			if _, err := fmt.Sscanf(sc.Text(), fmt.Sprintf("shard %d/%d: %%d spans synthesized, %%d already cached", i, n), &a, &b); err == nil {
				synthesized += a
			}
		}
	}
	stats := filepath.Join(work, "assemble.json")
	out := filepath.Join(work, "out")
	if o, err := child(t, env, "render", sample, "-o", out, "-q", "--stats", stats).CombinedOutput(); err != nil {
		t.Fatalf("assemble: %v\n%s", err, o)
	}
	s := readStats(t, stats)
	if s.Stats.Synthesized != 0 || synthesized == 0 || s.Stats.Cached < synthesized {
		t.Errorf("assembly synthesized %d (shards %d, cached %d)", s.Stats.Synthesized, synthesized, s.Stats.Cached)
	}
	sameFiles(t, decodeDir(t, out), decodeDir(t, refOut))
}

// TestOutputToBucket writes the finished files to object storage.
func TestOutputToBucket(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	if _, _, err := run(t, "render", sample, "-o", "file://"+dir, "-q"); err != nil {
		t.Fatal(err)
	}
	files := decodeDir(t, dir)
	if len(files) != 3 {
		t.Errorf("bucket holds %d chapter files", len(files))
	}
	if _, err := os.Stat(filepath.Join(dir, "The Lamplighter's Wager.m3u8")); err != nil {
		t.Error(err)
	}
}

// TestBrokenCommandBackend: a TTS program that fails, hangs or writes
// garbage gives a bounded, clear failure and leaves no output file.
func TestBrokenCommandBackend(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, command, want string
	}{
		{"exits non-zero", `["sh", "-c", "echo engine exploded >&2; exit 3"]`, "engine exploded"},
		{"hangs", `["sleep", "60"]`, "after 2 attempts"},
		{"writes garbage", `["sh", "-c", "cat >/dev/null; echo not audio at all"]`, "command"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(dir, fmt.Sprintf("c%d.yaml", i))
			os.WriteFile(cfg, []byte(fmt.Sprintf(`backend: command
backends:
  command:
    command: %s
    voices: ["v"]
    timeout: 300ms
voices: {narrator: v, dialogue: v, auto: false}
limits: {retries: 2, timeout: 300ms}
`, tt.command)), 0o644)
			out := filepath.Join(dir, fmt.Sprintf("out%d", i))
			_, _, err := run(t, "render", sample, "-o", out, "-q", "--config", cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line mentioning %q", err, tt.want)
			}
			if files, _ := filepath.Glob(filepath.Join(out, "*")); len(files) != 0 {
				t.Errorf("files left: %v", files)
			}
		})
	}
}
