// Package flite is the backend for CMU Flite, run as a program:
// flite -voice NAME -f TEXTFILE -o OUT.wav. Voices are the built-in ones
// that `flite -lv` lists, plus .flitevox files named by path.
//
// Params (all optional):
//
//	program      the flite binary (default "flite")
//	voice        default voice (default "slt", a 16 kHz female voice)
//	voice_files  .flitevox files to list as voices; any other existing
//	             .flitevox path is accepted as a voice too
//	timeout      per request (default 60s)
//	concurrency  processes at once (default: number of CPUs)
//
// Request.Rate maps to Flite's duration_stretch (1/Rate). Flite has no
// per-voice-neutral pitch control, so Request.Pitch is ignored.
//
// Flite quietly falls back to its default voice when -voice names one it
// does not have, so voices are checked against `flite -lv` before running.
package flite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/internal/procgroup"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
	"github.com/narrate-audio/narrate/synth/params"
)

// Name is the registry name.
const Name = "flite"

// genders of the voices Flite ships; slt is the only female one.
var genders = map[string]string{"slt": "female", "kal": "male", "kal16": "male", "awb": "male", "awb_time": "male", "rms": "male"}

// Backend runs flite.
type Backend struct {
	program    string
	voice      string
	voiceFiles []string
	timeout    time.Duration
	sem        chan struct{}

	model string // flite --version, read once

	mu       sync.Mutex
	builtins []string // cached `flite -lv`
}

// New opens the backend from its params.
func New(p synth.Params) (synth.Backend, error) {
	r := params.New(Name, p)
	b := &Backend{
		program:    r.String("program", "flite"),
		voice:      r.String("voice", "slt"),
		voiceFiles: r.Strings("voice_files"),
		timeout:    r.Duration("timeout", 60*time.Second),
	}
	conc := r.Int("concurrency", runtime.NumCPU())
	if err := r.Err(); err != nil {
		return nil, err
	}
	path, err := exec.LookPath(b.program)
	if err != nil {
		return nil, fmt.Errorf("flite: program %q: %w (install the flite package)", b.program, err)
	}
	b.program = path
	if conc < 1 || b.timeout <= 0 {
		return nil, errors.New("flite: concurrency must be at least 1 and timeout positive")
	}
	for _, f := range b.voiceFiles {
		if !isVoxFile(f) {
			return nil, fmt.Errorf("flite: param \"voice_files\": %q is not an existing .flitevox file", f)
		}
	}
	b.sem = make(chan struct{}, conc)
	b.model = b.version()
	return b, nil
}

func isVoxFile(p string) bool {
	if !strings.HasSuffix(p, ".flitevox") {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// Close implements synth.Backend; flite runs one process per request, so
// nothing outlives a call.
func (b *Backend) Close() error { return nil }

// Info describes the backend.
func (b *Backend) Info() synth.Info {
	return synth.Info{Name: Name, Model: b.model, Concurrency: cap(b.sem)}
}

func (b *Backend) version() string {
	// flite --version prints its banner and exits with status 1, so the
	// status says nothing; the output is what counts.
	out, _ := exec.Command(b.program, "--version").CombinedOutput()
	// The first line is the banner; the version line is what changes.
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "version:") {
			return "flite " + strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "version:"))
		}
	}
	return "flite unknown-version"
}

// parseVoiceList reads `flite -lv`: "Voices available: kal awb_time …".
func parseVoiceList(out string) ([]string, error) {
	_, rest, ok := strings.Cut(out, "Voices available:")
	if !ok {
		return nil, fmt.Errorf("unexpected -lv output %q", out)
	}
	vs := strings.Fields(rest)
	if len(vs) == 0 {
		return nil, errors.New("flite lists no built-in voices")
	}
	return vs, nil
}

func (b *Backend) listBuiltins(ctx context.Context) ([]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.builtins != nil {
		return b.builtins, nil
	}
	// Only a success is cached, so a transient failure is retried.
	out, err := exec.CommandContext(ctx, b.program, "-lv").Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s -lv: %w", b.program, err)
	}
	vs, err := parseVoiceList(string(out))
	if err != nil {
		return nil, err
	}
	b.builtins = vs
	return vs, nil
}

// Voices lists the built-in voices and the configured .flitevox files.
func (b *Backend) Voices(ctx context.Context) ([]synth.Voice, error) {
	names, err := b.listBuiltins(ctx)
	if err != nil {
		return nil, &synth.Error{Backend: Name, Err: err}
	}
	var out []synth.Voice
	for _, n := range names {
		out = append(out, synth.Voice{ID: n, Name: n, Language: "en", Gender: genders[n]})
	}
	for _, f := range b.voiceFiles {
		out = append(out, synth.Voice{ID: f, Name: strings.TrimSuffix(filepath.Base(f), ".flitevox")})
	}
	return out, nil
}

func (b *Backend) checkVoice(ctx context.Context, voice string) error {
	if strings.HasSuffix(voice, ".flitevox") {
		if isVoxFile(voice) {
			return nil
		}
		return &synth.Error{Backend: Name, Err: fmt.Errorf("%w %q: no such .flitevox file", synth.ErrUnknownVoice, voice)}
	}
	names, err := b.listBuiltins(ctx)
	if err != nil {
		return &synth.Error{Backend: Name, Err: err}
	}
	if !slices.Contains(names, voice) {
		return &synth.Error{Backend: Name, Err: fmt.Errorf("%w %q (flite has %s, or give a .flitevox path)", synth.ErrUnknownVoice, voice, strings.Join(names, ", "))}
	}
	return nil
}

// Synthesize runs flite once for req.Text.
func (b *Backend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if blank, err := synth.Precheck(ctx, Name, req, b.Info().MaxChars); blank || err != nil {
		return pcm.Buffer{}, err
	}
	voice := req.Voice
	if voice == "" {
		voice = b.voice
	}
	if err := b.checkVoice(ctx, voice); err != nil {
		return pcm.Buffer{}, err
	}
	select {
	case b.sem <- struct{}{}:
		defer func() { <-b.sem }()
	case <-ctx.Done():
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: ctx.Err()}
	}
	dir, err := os.MkdirTemp("", "narrate-flite-*")
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	defer os.RemoveAll(dir)
	// Text goes through a file: -t would put it on the command line,
	// which has a length limit, and flite reads a bare argument with a
	// space as text but one without as a file name.
	txt, wav := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.wav")
	if err := os.WriteFile(txt, []byte(req.Text), 0o600); err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	args := []string{"-voice", voice}
	if req.Rate > 0 && req.Rate != 1 {
		args = append(args, "--setf", "duration_stretch="+strconv.FormatFloat(1/req.Rate, 'f', 4, 64))
	}
	args = append(args, "-f", txt, "-o", wav)

	tctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, b.program, args...)
	procgroup.Set(cmd)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		switch {
		case ctx.Err() != nil:
			return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("flite: %w", ctx.Err())}
		case tctx.Err() != nil:
			return pcm.Buffer{}, &synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("timed out after %v: %w", b.timeout, tctx.Err())}
		}
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("flite failed: %v: %s", err, strings.TrimSpace(stderr.String()))}
	}
	data, err := os.ReadFile(wav)
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("flite wrote no WAV file: %w (%s)", err, strings.TrimSpace(stderr.String()))}
	}
	buf, err := audio.DecodeWAV(data)
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("flite output: %w", err)}
	}
	return buf, nil
}
