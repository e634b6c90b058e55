// Package command is the backend for any program that reads text and
// writes speech: Piper, espeak-ng, Mimic, a user's shell script.
//
// Params:
//
//	command      required; the program and its arguments, as a list
//	             (["piper", "--model", "v.onnx", "--output-raw"]) or a string
//	             split on spaces. No shell is involved. Placeholders in
//	             arguments: {text}, {voice}, {speed}. Without {text} the text
//	             goes to standard input, followed by a newline.
//	format       "wav" (default) or "raw" (signed 16-bit little-endian mono)
//	sample_rate  the rate of raw output; required for format raw
//	voices       the voices the program has; a request for another voice
//	             fails with synth.ErrUnknownVoice before anything runs.
//	             Default: one voice, "default".
//	voice        default voice (default: the first of voices)
//	model_config Piper's model description (MODEL.onnx.json); default: the
//	             file next to the model given with --model or -m. Its
//	             language describes every voice, and a multi-speaker
//	             model's speaker_id_map gives the voices when "voices" is
//	             not set.
//	genders      the gender of each voice, {voice: male|female}, so that
//	             casting can give characters fitting voices
//	language     the voices' language (BCP 47) when no model file says
//	mode         "per-request" (default): one process per request, output
//	             read from stdout.
//	             "json-lines": one long-running process per worker speaking
//	             Piper's --json-input protocol: each request is a line
//	             {"text": …, "output_file": …[, "speaker": voice]}, the
//	             program writes a WAV to output_file and prints its path on
//	             stdout when done. The loaded model is reused across
//	             requests, and the printed path marks exactly where one
//	             utterance ends, which raw streaming (--output-raw) cannot.
//	timeout      per request (default 120s); on expiry the whole process group
//	             is killed
//	max_chars    longest text (default 0, no limit)
//	concurrency  processes at once (default: number of CPUs)
//
// Errors: a program that exits non-zero fails permanently, quoting the end
// of its stderr; a program killed by a signal we did not send (the OOM
// killer) or one that times out fails transiently; output that is not the
// configured format fails permanently.
package command

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/internal/procgroup"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
	"github.com/narrate-audio/narrate/synth/params"
)

// Name is the registry name.
const Name = "command"

// Backend runs a speech program.
type Backend struct {
	argv        []string
	format      audio.Format
	rate        int
	voices      []string
	voice       string
	language    string            // BCP 47, of every voice
	genders     map[string]string // by voice
	fromModel   bool              // voices came from the model's speaker_id_map
	jsonLines   bool
	timeout     time.Duration
	maxChars    int
	concurrency int
	textArg     bool // {text} appears in argv

	sem  chan struct{}
	pool *pool // json-lines workers
}

// New opens the backend from its params.
func New(p synth.Params) (synth.Backend, error) {
	r := params.New(Name, p)
	argv := r.Strings("command")
	if len(argv) == 1 {
		argv = strings.Fields(argv[0])
	}
	format := r.String("format", "wav")
	b := &Backend{
		argv:        argv,
		rate:        r.Int("sample_rate", 0),
		voices:      r.Strings("voices"),
		timeout:     r.Duration("timeout", 120*time.Second),
		maxChars:    r.Int("max_chars", 0),
		concurrency: r.Int("concurrency", runtime.NumCPU()),
	}
	b.voice = r.String("voice", "")
	b.genders = r.StringMap("genders")
	b.language = r.String("language", "")
	modelConfig := r.String("model_config", "")
	mode := r.String("mode", "per-request")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if len(argv) == 0 {
		return nil, errors.New(`command: param "command" is required, e.g. ["espeak-ng", "--stdout", "-v", "{voice}"]`)
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		return nil, fmt.Errorf("command: program %q: %w", argv[0], err)
	}
	switch format {
	case "wav":
		b.format = audio.WAV
	case "raw":
		b.format = audio.RawS16
		if b.rate < 8000 || b.rate > 192000 {
			return nil, fmt.Errorf(`command: format "raw" needs param "sample_rate" (8000..192000), got %d`, b.rate)
		}
	default:
		return nil, fmt.Errorf(`command: param "format": %q, want "wav" or "raw"`, format)
	}
	switch mode {
	case "per-request":
	case "json-lines":
		b.jsonLines = true
		if b.format != audio.WAV {
			return nil, errors.New(`command: mode "json-lines" writes WAV files; format must be "wav"`)
		}
		for _, a := range argv {
			if strings.Contains(a, "{text}") || strings.Contains(a, "{voice}") {
				return nil, errors.New(`command: mode "json-lines" sends text and voice as JSON; remove {text}/{voice} from the command`)
			}
		}
	default:
		return nil, fmt.Errorf(`command: param "mode": %q, want "per-request" or "json-lines"`, mode)
	}
	if err := b.readModel(modelConfig); err != nil {
		return nil, err
	}
	for v, g := range b.genders {
		if g != "male" && g != "female" {
			return nil, fmt.Errorf("command: param \"genders\": voice %q: %q, want male or female", v, g)
		}
	}
	if len(b.voices) == 0 {
		b.voices = []string{"default"}
	}
	if b.voice == "" {
		b.voice = b.voices[0]
	}
	if !slices.Contains(b.voices, b.voice) {
		return nil, fmt.Errorf("command: param \"voice\": %q is not in voices %v", b.voice, b.voices)
	}
	if b.timeout <= 0 || b.maxChars < 0 || b.concurrency < 1 {
		return nil, errors.New("command: timeout must be positive, max_chars not negative, concurrency at least 1")
	}
	for _, a := range argv {
		b.textArg = b.textArg || strings.Contains(a, "{text}")
	}
	b.sem = make(chan struct{}, b.concurrency)
	if b.jsonLines {
		b.pool = &pool{b: b, idle: make(chan *worker, b.concurrency)}
	}
	return b, nil
}

// Info describes the backend. Model is the command line, which is what
// decides the audio (program, model file, flags).
func (b *Backend) Info() synth.Info {
	return synth.Info{Name: Name, Model: strings.Join(b.argv, " "), MaxChars: b.maxChars, Concurrency: b.concurrency}
}

// Voices lists the configured voices, or the model's speakers, with the
// model's language and the genders the user set.
func (b *Backend) Voices(context.Context) ([]synth.Voice, error) {
	source := synth.SourceConfig
	if b.fromModel {
		source = synth.SourceModel
	}
	out := make([]synth.Voice, len(b.voices))
	for i, v := range b.voices {
		out[i] = synth.Voice{ID: v, Name: v, Language: b.language, Gender: b.genders[v], Source: source}
	}
	return out, nil
}

// Close stops the long-running workers of json-lines mode; per-request
// mode has nothing to close.
func (b *Backend) Close() error {
	if b.pool != nil {
		b.pool.close()
	}
	return nil
}

// Synthesize runs the program on req.Text.
func (b *Backend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if blank, err := synth.Precheck(ctx, Name, req, b.maxChars); blank || err != nil {
		return pcm.Buffer{Rate: b.rate}, err
	}
	voice := req.Voice
	if voice == "" {
		voice = b.voice
	}
	if !slices.Contains(b.voices, voice) {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%w %q (configured voices: %s)", synth.ErrUnknownVoice, voice, strings.Join(b.voices, ", "))}
	}
	select {
	case b.sem <- struct{}{}:
		defer func() { <-b.sem }()
	case <-ctx.Done():
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: ctx.Err()}
	}
	speed := 1.0
	if req.Rate > 0 {
		speed = req.Rate
	}
	if b.jsonLines {
		return b.pool.synthesize(ctx, req.Text, voice)
	}
	return b.runOnce(ctx, req.Text, voice, speed)
}

func (b *Backend) expand(text, voice string, speed float64) []string {
	rep := strings.NewReplacer("{text}", text, "{voice}", voice, "{speed}", strconv.FormatFloat(speed, 'f', -1, 64))
	out := make([]string, len(b.argv))
	for i, a := range b.argv {
		out[i] = rep.Replace(a)
	}
	return out
}

// tail keeps the end of stderr, where programs put the actual error.
func tail(b []byte) string {
	s := strings.TrimSpace(strings.ToValidUTF8(string(b), "?"))
	if len(s) > 400 {
		s = "…" + s[len(s)-400:]
	}
	if s == "" {
		return "no stderr output"
	}
	return strings.Join(strings.Fields(s), " ")
}

func (b *Backend) runOnce(parent context.Context, text, voice string, speed float64) (pcm.Buffer, error) {
	ctx, cancel := context.WithTimeout(parent, b.timeout)
	defer cancel()
	argv := b.expand(text, voice, speed)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	procgroup.Set(cmd)
	if !b.textArg {
		cmd.Stdin = strings.NewReader(text + "\n")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return pcm.Buffer{}, b.runError(parent, ctx, err, stderr.Bytes())
	}
	return b.decode(stdout.Bytes(), stderr.Bytes())
}

// runError classifies a failed run. parent is the caller's context and
// ctx the one with our timeout.
func (b *Backend) runError(parent, ctx context.Context, err error, stderr []byte) error {
	prog := b.argv[0]
	if perr := parent.Err(); perr != nil {
		return &synth.Error{Backend: Name, Err: fmt.Errorf("%s: %w", prog, perr)}
	}
	if ctx.Err() != nil {
		return &synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("%s: timed out after %v; process group killed: %w", prog, b.timeout, ctx.Err())}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return &synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("%s: killed by signal %v (out of memory?): %s", prog, ws.Signal(), tail(stderr))}
		}
		return &synth.Error{Backend: Name, Err: fmt.Errorf("%s: exit status %d: %s", prog, ee.ExitCode(), tail(stderr))}
	}
	return &synth.Error{Backend: Name, Err: fmt.Errorf("%s: %w", prog, err)}
}

func (b *Backend) decode(out, stderr []byte) (pcm.Buffer, error) {
	if len(out) == 0 {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%s wrote no audio: %s", b.argv[0], tail(stderr))}
	}
	buf, err := audio.Decode(b.format, out, b.rate)
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%s wrote %d bytes that are not %s audio (check param \"format\"): %w", b.argv[0], len(out), b.format, err)}
	}
	if len(buf.Samples) == 0 {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%s wrote no audio samples: %s", b.argv[0], tail(stderr))}
	}
	return buf, nil
}

// tempWAV names a fresh file for one utterance of a json-lines worker.
func tempWAV() (string, error) {
	f, err := os.CreateTemp("", "narrate-*.wav")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	return name, nil
}
