package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInput checks that unusable books fail with one line naming the
// file, and that no output file is left behind.
func TestBadInput(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string { return writeInput(t, dir, name, data) }
	tests := []struct {
		name, input, want string
	}{
		{"missing file", filepath.Join(dir, "missing.txt"), "no such file"},
		{"directory", t.TempDir(), "is a directory"},
		{"empty", write("empty.txt", nil), "empty"},
		{"white space only", write("blank.txt", []byte("\n  \n\t\n")), "empty"},
		{"binary", write("binary.txt", []byte{0x7f, 'E', 'L', 'F', 0, 1, 2, 3}), "binary"},
		{"invalid UTF-8", write("latin1.txt", []byte("Caf\xe9 society.\n")), "byte offset 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, _, err := run(t, "render", tt.input, "-o", out)
			if err == nil {
				t.Fatal("render succeeded")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.input) || !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s and saying %q", msg, tt.input, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("output written for a bad input: %v", entries)
			}
		})
	}
}

func TestUnwritableOutput(t *testing.T) {
	requireEspeak(t)
	// Even root cannot create a directory under a regular file.
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	_, _, err := run(t, "render", sample, "-o", filepath.Join(blocker, "out"))
	if err == nil || !strings.Contains(err.Error(), "output directory") {
		t.Fatalf("err = %v, want an output directory error", err)
	}
}

func TestUnknownVoiceFailsBeforeWork(t *testing.T) {
	requireEspeak(t)
	out := t.TempDir()
	_, _, err := run(t, "render", sample, "-o", out, "--voice", "xx-nosuch")
	if err == nil || !strings.Contains(err.Error(), "xx-nosuch") || !strings.Contains(err.Error(), "unknown voice") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) > 0 {
		t.Errorf("files written: %v", entries)
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"render", "--help"}, {"version"}} {
		out, _, err := run(t, args...)
		if err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if out == "" {
			t.Errorf("%v printed nothing", args)
		}
	}
	out, _, _ := run(t, "render", "--help")
	for _, want := range []string{"-o, --output", "--config", "--voice", "--format"} {
		if !strings.Contains(out, want) {
			t.Errorf("render --help lacks %q", want)
		}
	}
}

func TestDryRun(t *testing.T) {
	requireEspeak(t)
	out, _, err := run(t, "render", sample, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 chapters", "espeak-ng", "cost:     none", "narrator", "Tobias Finch"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
}

func TestCacheCommands(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	if _, _, err := run(t, "render", sample, "-o", t.TempDir(), "-q", "--cache-dir", dir); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "cache", "stats", "--cache-dir", dir)
	if err != nil || strings.Contains(out, "spans:   0\n") || !strings.Contains(out, dir) {
		t.Fatalf("stats: %v\n%s", err, out)
	}
	out, _, err = run(t, "cache", "prune", "--max-size", "1B", "--cache-dir", dir)
	if err != nil || !strings.HasPrefix(out, "removed ") {
		t.Fatalf("prune: %v %s", err, out)
	}
	out, _, _ = run(t, "cache", "stats", "--cache-dir", dir)
	if !strings.Contains(out, "spans:   0\n") {
		t.Errorf("after prune:\n%s", out)
	}
	// Resuming is visible in the dry run: everything is cached.
	run(t, "render", sample, "-o", t.TempDir(), "-q", "--cache-dir", dir)
	out, _, _ = run(t, "render", sample, "--dry-run", "--cache-dir", dir)
	if !strings.Contains(out, "already cached") || strings.Contains(out, " 0 of them") {
		t.Errorf("dry run after a render:\n%s", out)
	}
}

// TestConfigErrors checks that configuration mistakes found after loading
// (an unknown backend or voice, bad backend settings) still name the file
// and line.
func TestConfigErrors(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	tests := []struct{ yaml, want string }{
		{"backend: festival\n", `:1:1: synth: unknown backend "festival"`},
		{"voices:\n  narrator: xx-nosuch\n", ":2:3: voices.narrator: voice \"xx-nosuch\""},
		{"backends:\n  espeak-ng:\n    word_gapp: 3\n", ":2:3: synth: espeak-ng: unknown param \"word_gapp\" (did you mean \"word_gap\"?)"},
		{"voices:\n  narator: en-us\n", `:2:3: unknown key "voices.narator" (did you mean "narrator"?)`},
		{"output:\n  bitrate: loud\n", ":2:3:"},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, fmt.Sprintf("c%d.yaml", i))
		os.WriteFile(path, []byte(tt.yaml), 0o644)
		_, _, err := run(t, "render", sample, "-o", t.TempDir(), "--config", path)
		if err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("%q: err = %v, want %s%s", tt.yaml, err, path, tt.want)
		}
	}
}

// writeInput writes an input file for a test into dir and returns its path.
func writeInput(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestQuietKeepsWarnings: -q prints nothing but errors, while --warnings
// and --stats still receive every warning about the input.
func TestQuietKeepsWarnings(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	in := writeInput(t, dir, "stray.txt", []byte("Chapter 1\n\n\"An unclosed quote.\n\nPlain narration.\n"))
	warnFile := filepath.Join(dir, "warnings.txt")
	statsFile := filepath.Join(dir, "stats.json")
	stdout, stderr, err := run(t, "render", in, "-o", filepath.Join(dir, "out"), "-q", "--warnings", warnFile, "--stats", statsFile)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("-q printed:\nstdout: %q\nstderr: %q", stdout, stderr)
	}
	data, err := os.ReadFile(warnFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "stray.txt:3:1") {
		t.Errorf("--warnings file lacks the unclosed quote's position:\n%s", data)
	}
	stats, err := os.ReadFile(statsFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct{ Warnings []string }
	if err := json.Unmarshal(stats, &s); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Warnings); n == 0 || !strings.Contains(strings.Join(s.Warnings, "\n"), "stray.txt:3:1") {
		t.Errorf("--stats warnings = %q, want the unclosed quote", s.Warnings)
	}
	// Without -q the warning reaches stderr.
	_, stderr, err = run(t, "render", in, "-o", filepath.Join(dir, "out2"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "warning:") {
		t.Errorf("without -q, stderr has no warning: %q", stderr)
	}
}

// TestCastFileErrors: a cast file's unknown voice names the file and the
// character's line; a character listed twice is refused before any work.
func TestCastFileErrors(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	tests := []struct{ yaml, want string }{
		{"characters:\n  - name: Tobias Finch\n    voice: en-us\n  - name: Nell\n    voice: xx-nope\n", `:4: character "Nell": voice "xx-nope"`},
		{"characters:\n  - name: Nell\n    voice: en-us\n  - name: Nell\n    voice: en-gb\n", `:4:11: character "Nell" is listed twice (first at line 2)`},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, fmt.Sprintf("cast%d.yaml", i))
		os.WriteFile(path, []byte(tt.yaml), 0o644)
		out := filepath.Join(dir, fmt.Sprintf("out%d", i))
		_, _, err := run(t, "render", sample, "-o", out, "--cast", path)
		if err == nil || !strings.Contains(err.Error(), path+tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("err = %v, want one line with %s%s", err, path, tt.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("files written: %v", entries)
		}
	}
}
