package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// renderStats is what `narrate render --stats` writes.
type renderStats struct {
	WallNS  int64 `json:"wall_ns"`
	AudioNS int64 `json:"audio_ns"`
	Files   int   `json:"files"`
	Stats   struct {
		Synthesized, Cached, Corrupt, Calls, Reused            int
		SynthTime, EncodeTime, BackendCPU, EncodeCPU, BusyTime time.Duration
	} `json:"stats"`
}

// narrateRun is one measured narrate render.
type narrateRun struct {
	Run
	Stats renderStats
}

// renderEnv makes every span speak with the same voice, as the baseline
// does: no automatic voice per character.
func renderEnv(extra ...string) []string {
	return append(append(os.Environ(), "NARRATE_VOICES_AUTO=false"), extra...)
}

// render runs `narrate render` on input into out. cacheDir "" means
// --no-cache.
func (b *bench) render(input, out, cacheDir string) (narrateRun, error) {
	statsFile := filepath.Join(b.tmp, "stats.json")
	os.Remove(statsFile)
	args := []string{"render", input, "-o", out, "-q", "--stats", statsFile,
		"--voice", "en-us", "--dialogue-voice", "en-us"}
	if cacheDir == "" {
		args = append(args, "--no-cache")
	} else {
		args = append(args, "--cache-dir", cacheDir)
	}
	cmd := exec.Command(b.narrate, args...)
	cmd.Env = renderEnv()
	r, err := run(cmd)
	if err != nil {
		return narrateRun{}, err
	}
	nr := narrateRun{Run: r}
	data, err := os.ReadFile(statsFile)
	if err != nil {
		return nr, fmt.Errorf("render --stats: %w", err)
	}
	if err := json.Unmarshal(data, &nr.Stats); err != nil {
		return nr, fmt.Errorf("render --stats: %w", err)
	}
	return nr, nil
}

// baseline runs the naive serial pipeline on the same text: espeak-ng
// writes one WAV of the whole book (22.05 kHz), then lame encodes it at
// 64 kbps mono, the same bitrate and rate as narrate's default preset.
func (b *bench) baseline(input string) (Run, error) {
	wav := filepath.Join(b.tmp, "baseline.wav")
	mp3 := filepath.Join(b.tmp, "baseline.mp3")
	defer os.Remove(wav)
	defer os.Remove(mp3)
	cmd := exec.Command("sh", "-c", `espeak-ng -v en-us -f "$1" -w "$2" && lame --quiet -b 64 -m m "$2" "$3"`,
		"baseline", input, wav, mp3)
	return run(cmd)
}

// buildNarrate builds cmd/narrate from the current tree, so that the
// bench always measures the code it sits beside.
func buildNarrate(root, dst string) error {
	cmd := exec.Command("go", "build", "-o", dst, "./cmd/narrate")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}
