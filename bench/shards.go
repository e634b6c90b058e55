package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// shardConfig points narrate at the fake OpenAI-compatible server: one
// request in flight per process, so that N shard processes keep N
// requests in flight, as N machines would.
func shardConfig(path, baseURL string) error {
	cfg := fmt.Sprintf(`backend: openai
backends:
  openai:
    base_url: %s
    concurrency: 1
    api_key_env: NARRATE_BENCH_NO_KEY
voices:
  narrator: alloy
  dialogue: alloy
  auto: false
`, baseURL)
	return os.WriteFile(path, []byte(cfg), 0o644)
}

// shardTimes is one sharded render: the shards run at once, then the
// assembling render finds every span cached and only mixes and encodes.
type shardTimes struct {
	Shards, Assemble time.Duration
	// Synthesized is how many spans the assembling render still had to
	// synthesize (zero after a complete sharded run).
	Synthesized int
}

// shardRun renders input with n concurrent `narrate render --shard i/n`
// processes sharing a fresh cache directory, then the assembling render.
func (b *bench) shardRun(input, config string, n int) (shardTimes, error) {
	dir, err := os.MkdirTemp(b.tmp, "shards-")
	if err != nil {
		return shardTimes{}, err
	}
	defer os.RemoveAll(dir)
	cacheDir := filepath.Join(dir, "cache")
	var wg sync.WaitGroup
	errs := make([]error, n)
	began := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(b.narrate, "render", input, "--config", config, "--cache-dir", cacheDir,
				"--shard", fmt.Sprintf("%d/%d", i, n), "-q")
			cmd.Env = renderEnv()
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("shard %d/%d: %w: %s", i, n, err, lastLines(string(out), 5))
			}
		}()
	}
	wg.Wait()
	var t shardTimes
	t.Shards = time.Since(began)
	for _, err := range errs {
		if err != nil {
			return t, err
		}
	}
	statsFile := filepath.Join(dir, "stats.json")
	cmd := exec.Command(b.narrate, "render", input, "--config", config, "--cache-dir", cacheDir,
		"-o", filepath.Join(dir, "out"), "-q", "--stats", statsFile)
	cmd.Env = renderEnv()
	began = time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return t, fmt.Errorf("assembling render: %w: %s", err, lastLines(string(out), 5))
	}
	t.Assemble = time.Since(began)
	var st renderStats
	if err := readJSON(statsFile, &st); err != nil {
		return t, err
	}
	t.Synthesized = st.Stats.Synthesized
	return t, nil
}
