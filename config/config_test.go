package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func writeFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "narrate.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExampleFileIsValid(t *testing.T) {
	l := NewLoader()
	if err := l.ReadFile("../narrate.example.yaml"); err != nil {
		t.Fatal(err)
	}
	c, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	if c.Voices.Narrator != d.Voices.Narrator || c.Voices.Dialogue != d.Voices.Dialogue || c.Voices.Rate != d.Voices.Rate {
		t.Errorf("example voices differ from defaults: %+v", c.Voices)
	}
	if c.Pauses != d.Pauses || c.Output != d.Output || c.Backend != d.Backend {
		t.Errorf("example differs from defaults:\n%+v\n%+v", c, d)
	}
}

func TestPrecedence(t *testing.T) {
	path := writeFile(t, "voices:\n  narrator: from-file\n  dialogue: file-dialogue\noutput:\n  bitrate: 96\n")
	t.Setenv("NARRATE_VOICES_NARRATOR", "from-env")
	t.Setenv("NARRATE_PAUSES_SCENE", "3s")

	l := NewLoader()
	if err := l.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.Int("bitrate", 64, "")
	if err := flags.Parse([]string{"--bitrate", "128"}); err != nil {
		t.Fatal(err)
	}
	l.V.BindPFlag("output.bitrate", flags.Lookup("bitrate"))
	c, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Voices.Narrator != "from-env" {
		t.Errorf("env should beat file: narrator %q", c.Voices.Narrator)
	}
	if c.Voices.Dialogue != "file-dialogue" {
		t.Errorf("file should beat default: dialogue %q", c.Voices.Dialogue)
	}
	if c.Output.Bitrate != 128 {
		t.Errorf("flag should beat file: bitrate %d", c.Output.Bitrate)
	}
	if c.Pauses.Scene != 3*time.Second {
		t.Errorf("env for a key absent from the file: scene %v", c.Pauses.Scene)
	}
	if c.Pauses.Paragraph != Default().Pauses.Paragraph {
		t.Errorf("default lost: %v", c.Pauses.Paragraph)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "voices:\n  narator: en-us\n", []string{":2:3:", `unknown key "voices.narator"`, `did you mean "narrator"?`}},
		{"unknown section", "pause:\n  span: 1s\n", []string{":1:1:", `did you mean "pauses"?`}},
		{"wrong type", "output:\n  bitrate: loud\n", []string{":2:3:", "bitrate"}},
		{"bad duration", "pauses:\n  scene: forever\n", []string{":2:3:", "scene"}},
		{"bad value", "output:\n  format: ogg\n", []string{":2:3:", "want mp3 or wav"}},
		{"not a mapping", "- a\n- b\n", []string{":1:1:", "mapping"}},
		{"section not a mapping", "voices: en-us\n", []string{":1:9:", "voices must be a mapping"}},
		{"yaml syntax", "voices:\n  narrator: [\n", []string{"narrate.yaml"}},
		{"tab indentation", "voices:\n\tnarrator: en-us\n", []string{"narrate.yaml: yaml: line 2: found character that cannot start any token"}},
		{"duplicate key", "voices:\n  narrator: en-us\n  narrator: en-gb\n", []string{`narrate.yaml: yaml: line 3: mapping key "narrator" already defined at line 2`}},
		{"list for a string", "voices:\n  narrator: [a, b]\n", []string{"narrate.yaml:2:3:", "'voices.narrator' expected type 'string'"}},
		{"every unknown key", "speed: fast\nvoices:\n  narator: x\n", []string{`:1:1: unknown key "speed"`, `narrate.yaml:3:3: unknown key "voices.narator"`}},
		{"many unknown keys", "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n", []string{`:1:1: unknown key "a"`, `narrate.yaml:5:1: unknown key "e"; and 2 more`}},
		{"two bad values", "output:\n  format: ogg\n  layout: heap\n", []string{":2:3:", "want mp3 or wav", "want flat or library"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.yaml)
			l := NewLoader()
			err := l.ReadFile(path)
			if err == nil {
				_, err = l.Load()
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			if !strings.Contains(msg, path) {
				t.Errorf("error %q does not name the file", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestFreeFormMaps(t *testing.T) {
	path := writeFile(t, "backends:\n  openai:\n    base_url: http://localhost:1\nvoices:\n  characters:\n    Mr. Darcy: en-gb\npronunciations:\n  Hermione: her-my-oh-nee\n")
	l := NewLoader()
	if err := l.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	c, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Backends["openai"]["base_url"] != "http://localhost:1" {
		t.Errorf("backends: %v", c.Backends)
	}
	if c.Voices.Characters["Mr. Darcy"] != "en-gb" || c.Pronunciations["Hermione"] != "her-my-oh-nee" {
		t.Errorf("characters: %v", c.Voices.Characters)
	}
}

func TestPreset(t *testing.T) {
	path := writeFile(t, "output:\n  preset: acx\n")
	l := NewLoader()
	if err := l.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.Int("bitrate", 64, "")
	flags.Parse([]string{"--bitrate", "256"})
	l.BindFlag("output.bitrate", flags.Lookup("bitrate"))
	c, err := l.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Output.SampleRate != 44100 || c.Output.Bitrate != 256 || c.Levels.Ceiling > -3 {
		t.Errorf("acx preset with an explicit bitrate: %+v %+v", c.Output, c.Levels)
	}
	t.Setenv("NARRATE_OUTPUT_SAMPLE_RATE", "48000")
	l = NewLoader()
	l.ReadFile(path)
	c, _ = l.Load()
	if c.Output.SampleRate != 48000 || c.Output.Bitrate != 192 {
		t.Errorf("acx preset with an env sample rate: %+v", c.Output)
	}
}

// FuzzReadFile: any file content loads or fails with a one-line error
// naming the file; none panics.
func FuzzReadFile(f *testing.F) {
	for _, s := range []string{
		"backend: espeak-ng\nvoices:\n  narrator: en-us\n  characters:\n    Tom: en-gb\n",
		"pauses:\n  scene: 2s\noutput:\n  bitrate: 64\n",
		"voices: [a, b\n", "&a [*a, *a]\n", "output: {bitrate: [1]}\n", "pauses: 3\n",
		"backends:\n  espeak-ng:\n    word_gap: x\npronunciations:\n  A: b\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		path := writeFile(t, text)
		l := NewLoader()
		err := l.ReadFile(path)
		if err == nil {
			_, err = l.Load()
		}
		if err == nil {
			return
		}
		if msg := err.Error(); !strings.Contains(msg, path) || strings.Contains(msg, "\n") {
			t.Fatalf("error %q: want one line naming %s", msg, path)
		}
	})
}

// TestErrorsFromEnvAndFlags: a bad value set by an environment variable
// or a flag names it, not a line of the file it overrode.
func TestErrorsFromEnvAndFlags(t *testing.T) {
	path := writeFile(t, "output:\n  bitrate: 96\n  format: mp3\npauses:\n  scene: 2s\n")
	t.Setenv("NARRATE_PAUSES_SCENE", "forever")
	l := NewLoader()
	if err := l.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(); err == nil || !strings.Contains(err.Error(), "config: NARRATE_PAUSES_SCENE: 'pauses.scene'") || strings.Contains(err.Error(), path) {
		t.Errorf("env: err = %v", err)
	}
	t.Setenv("NARRATE_PAUSES_SCENE", "2s")

	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.String("format", "mp3", "")
	if err := flags.Parse([]string{"--format", "ogg"}); err != nil {
		t.Fatal(err)
	}
	if err := l.BindFlag("output.format", flags.Lookup("format")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(); err == nil || !strings.Contains(err.Error(), `config: --format: output.format "ogg": want mp3 or wav`) {
		t.Errorf("flag: err = %v", err)
	}
}
