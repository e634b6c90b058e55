package synthtest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fakeserver"
)

var errTooLong = errors.New("too long")

// fake is an in-memory backend; defect makes it break one rule.
type fake struct {
	defect string
	calls  atomic.Int32
}

func (f *fake) Info() synth.Info { return synth.Info{Name: "fake", MaxChars: 200} }

func (f *fake) Close() error {
	if f.defect == "close-fails" {
		return errors.New("worker did not stop")
	}
	return nil
}

func (f *fake) Voices(context.Context) ([]synth.Voice, error) {
	if f.defect == "voices-missing" {
		return []synth.Voice{{ID: "other"}}, nil
	}
	return []synth.Voice{{ID: "v1", Gender: "female"}, {ID: "v2"}}, nil
}

func (f *fake) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	// Whether calls overlap depends on the scheduler, so the defect the
	// concurrency check must catch is made deterministic: the instance
	// breaks on its fourth call, which only that check makes.
	if f.calls.Add(1) >= 4 && f.defect == "breaks-on-4th-call" {
		return pcm.Buffer{}, errors.New("worker state corrupted")
	}
	if err := ctx.Err(); err != nil && f.defect != "ignores-cancel" {
		return pcm.Buffer{}, &synth.Error{Backend: "fake", Err: err}
	}
	if strings.TrimSpace(req.Text) == "" {
		if f.defect == "empty-errors" {
			return pcm.Buffer{}, errors.New("no text")
		}
		return pcm.Buffer{}, nil
	}
	if utf8.RuneCountInString(req.Text) > 200 && f.defect != "no-length-check" {
		return pcm.Buffer{}, &synth.Error{Backend: "fake", Err: errTooLong}
	}
	if req.Voice != "v1" && req.Voice != "v2" {
		return pcm.Buffer{}, &synth.Error{Backend: "fake", Transient: f.defect == "transient-unknown-voice", Err: synth.ErrUnknownVoice}
	}
	b := fakeserver.Speech(req.Text, 8000, 1)
	switch f.defect {
	case "wrong-rate":
		b.Rate = 48000 // the data is really 8 kHz
	case "silent":
		clear(b.Samples)
	}
	return b, nil
}

var opts = Options{Voice: "v1", UnknownVoice: "nope", TooLong: errTooLong}

func TestGoodBackendPasses(t *testing.T) {
	Run(t, func(*testing.T) synth.Backend { return &fake{} }, opts)
}

// TestVictim runs the suite against a broken fake; TestSuiteCatches runs
// it in a child process, since a failing subtest would fail this one.
func TestVictim(t *testing.T) {
	d := os.Getenv("SYNTHTEST_DEFECT")
	if d == "" {
		t.Skip("run by TestSuiteCatches")
	}
	Run(t, func(*testing.T) synth.Backend { return &fake{defect: d} }, opts)
}

func TestSuiteCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns test processes")
	}
	for defect, subtest := range map[string]string{
		"wrong-rate":              "Speech",
		"silent":                  "Speech",
		"empty-errors":            "Empty",
		"no-length-check":         "TooLong",
		"transient-unknown-voice": "UnknownVoice",
		"ignores-cancel":          "Cancelled",
		"voices-missing":          "Voices",
		"breaks-on-4th-call":      "Concurrent",
		"close-fails":             "Close",
	} {
		t.Run(defect, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestVictim$", "-test.v")
			cmd.Env = append(os.Environ(), "SYNTHTEST_DEFECT="+defect)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("suite passed a backend with defect %q:\n%s", defect, out)
			}
			if !strings.Contains(string(out), "--- FAIL: TestVictim/"+subtest+" ") {
				t.Fatalf("defect %q not caught by subtest %s:\n%s", defect, subtest, out)
			}
		})
	}
}
