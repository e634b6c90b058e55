package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/audio/mp3"
)

// writeTone encodes 0.75 s of silence, 4 s of a 300 Hz tone at amp and
// 2 s of silence as 44.1 kHz 192 kbps CBR: ACX-compliant for amp 0.2
// (RMS about -18.7 dBFS, peak -14 dBFS).
func writeTone(t *testing.T, path string, amp float64) {
	t.Helper()
	const rate = 44100
	s := make([]float32, rate*675/100)
	for i := rate * 75 / 100; i < rate*475/100; i++ {
		s[i] = float32(amp * math.Sin(2*math.Pi*300*float64(i)/rate))
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o := mp3.DefaultOptions(rate)
	o.Bitrate = 192
	e, err := mp3.NewEncoder(f, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(s); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

func runCheck(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newCheck(&app{stdout: &out, stderr: &errOut})
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), err
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	writeTone(t, filepath.Join(dir, "01-good.mp3"), 0.2)

	out, err := runCheck(t, dir)
	if err != nil || !strings.Contains(out, "01-good.mp3") || !strings.Contains(out, "192k CBR") {
		t.Fatalf("check: %v\n%s", err, out)
	}
	out, err = runCheck(t, dir, "--acx")
	if err != nil || !strings.Contains(out, "ACX: 1 of 1 files pass") {
		t.Fatalf("check --acx on a compliant file: %v\n%s", err, out)
	}
	out, err = runCheck(t, dir, "--acx", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []struct {
			Path string   `json:"path"`
			RMS  *float64 `json:"rms"`
		} `json:"files"`
		ACX struct {
			Pass bool `json:"pass"`
		} `json:"acx"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if len(doc.Files) != 1 || doc.Files[0].RMS == nil || *doc.Files[0].RMS > -18 || *doc.Files[0].RMS < -23 || !doc.ACX.Pass {
		t.Errorf("JSON %s", out)
	}

	writeTone(t, filepath.Join(dir, "02-loud.mp3"), 0.9)
	out, err = runCheck(t, dir, "--acx")
	if err == nil || !strings.Contains(err.Error(), "02-loud.mp3") || !strings.Contains(err.Error(), "rms") {
		t.Errorf("check --acx with a loud file: err %v", err)
	}
	if !strings.Contains(out, "FAIL  rms") || !strings.Contains(out, "FAIL  peak") || !strings.Contains(out, "ACX: 1 of 2 files pass") {
		t.Errorf("output:\n%s", out)
	}
}

func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "fake.mp3")
	os.WriteFile(fake, []byte("<html>not audio</html>"), 0o644)
	tests := []struct{ name, arg, want string }{
		{"missing", filepath.Join(dir, "nope"), "no such file"},
		{"empty dir", t.TempDir(), "no .mp3 files"},
		{"not an MP3", fake, "no MPEG audio frame"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runCheck(t, tt.arg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.arg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err %v: want one line naming %s and saying %q", err, tt.arg, tt.want)
			}
		})
	}
}
