// Package espeak is the espeak-ng backend: it runs the espeak-ng program
// once per request and reads the WAV it writes to standard output. It is
// narrate's default backend because it is offline, fast and in every
// Linux distribution.
package espeak

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-audio/wav"
	"github.com/narrate-audio/narrate/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/params"
)

// Name is the backend's registry name.
const Name = "espeak-ng"

// Default speaking rate of espeak-ng in words per minute; Request.Rate
// scales it.
const defaultWPM = 175

// Backend drives the espeak-ng program.
type Backend struct {
	program string
	wordGap int // extra pause between words, in units of 10 ms
	version string

	voicesOnce sync.Once
	voices     []synth.Voice
	known      map[string]bool
	variants   map[string]bool
	voicesErr  error
}

// New opens the backend. Params: "program" (path of espeak-ng, default
// found on PATH) and "word_gap" (extra pause between words, 10 ms units).
func New(p synth.Params) (synth.Backend, error) {
	r := params.New(Name, p)
	b := &Backend{program: r.String("program", "espeak-ng"), wordGap: r.Int("word_gap", 0)}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if b.wordGap < 0 {
		return nil, fmt.Errorf("%s: word_gap: want a non-negative integer, got %d", Name, b.wordGap)
	}
	path, err := exec.LookPath(b.program)
	if err != nil {
		return nil, fmt.Errorf("%s: %s not found (install it with: sudo apt-get install espeak-ng): %w", Name, b.program, err)
	}
	b.program = path
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %s --version: %w", Name, path, err)
	}
	b.version = strings.TrimSpace(string(out))
	return b, nil
}

// Info implements synth.Backend.
func (b *Backend) Info() synth.Info {
	return synth.Info{
		Name:  Name,
		Model: fmt.Sprintf("%s; word_gap=%d", b.version, b.wordGap),
		// espeak-ng has no hard limit, but very long inputs delay the
		// first audio and hold memory; the pipeline splits above this.
		MaxChars: 4000,
	}
}

// Synthesize implements synth.Backend.
func (b *Backend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if blank, err := synth.Precheck(ctx, Name, req, b.Info().MaxChars); blank || err != nil {
		return pcm.Buffer{Rate: 22050}, err
	}
	if err := b.checkVoice(ctx, req.Voice); err != nil {
		return pcm.Buffer{}, err
	}
	rate := req.Rate
	if rate <= 0 {
		rate = 1
	}
	pitch := 50 + int(req.Pitch*50)
	pitch = min(max(pitch, 0), 99)
	args := []string{"--stdout", "-b", "1",
		"-s", strconv.Itoa(int(defaultWPM*rate + 0.5)),
		"-p", strconv.Itoa(pitch)}
	if b.wordGap > 0 {
		args = append(args, "-g", strconv.Itoa(b.wordGap))
	}
	if req.Voice != "" {
		args = append(args, "-v", req.Voice)
	}
	cmd := exec.CommandContext(ctx, b.program, args...)
	// Text goes through stdin so that it can never be read as an option.
	cmd.Stdin = strings.NewReader(req.Text)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return pcm.Buffer{}, ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "voice does not exist") {
			return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("voice %q: %w", req.Voice, synth.ErrUnknownVoice)}
		}
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%w: %s", err, msg)}
	}
	buf, err := decodeWAV(stdout.Bytes())
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	return buf, nil
}

// decodeWAV reads espeak-ng's WAV. go-audio/wav parses the header and
// finds the samples; they are converted here straight from bytes, which
// is several times faster than its generic []int buffers. espeak-ng writes
// placeholder chunk sizes when streaming, so the data runs to the end of
// the output.
func decodeWAV(data []byte) (pcm.Buffer, error) {
	r := bytes.NewReader(data)
	d := wav.NewDecoder(r)
	if err := d.FwdToPCM(); err != nil {
		return pcm.Buffer{}, fmt.Errorf("reading WAV output: %w", err)
	}
	if d.BitDepth != 16 || d.SampleRate == 0 || d.NumChans == 0 {
		return pcm.Buffer{}, fmt.Errorf("unexpected WAV format: %d bits, %d Hz, %d channels", d.BitDepth, d.SampleRate, d.NumChans)
	}
	body := data[len(data)-r.Len():]
	ch := int(d.NumChans)
	out := make([]float32, len(body)/2/ch)
	for i := range out {
		var sum int32
		for c := 0; c < ch; c++ {
			k := 2 * (i*ch + c)
			sum += int32(int16(uint16(body[k]) | uint16(body[k+1])<<8))
		}
		out[i] = float32(sum) / float32(ch) / 32768
	}
	return pcm.Buffer{Rate: int(d.SampleRate), Samples: out}, nil
}

// checkVoice rejects voices espeak-ng does not have. espeak-ng itself
// fails on an unknown language but silently ignores an unknown variant
// ("en-us+nosuch"), so both parts are checked against its lists.
func (b *Backend) checkVoice(ctx context.Context, voice string) error {
	if voice == "" {
		return nil
	}
	if _, err := b.Voices(ctx); err != nil {
		return err
	}
	lang, variant, hasVariant := strings.Cut(voice, "+")
	if !b.known[strings.ToLower(lang)] || (hasVariant && !b.variants[strings.ToLower(variant)]) {
		return &synth.Error{Backend: Name, Err: fmt.Errorf("voice %q: %w (see narrate voices --backend espeak-ng)", voice, synth.ErrUnknownVoice)}
	}
	return nil
}

// Voices implements synth.Backend. It lists every language voice and, for
// English, the "+variant" voices that change the speaker's character.
func (b *Backend) Voices(ctx context.Context) ([]synth.Voice, error) {
	b.voicesOnce.Do(func() { b.voicesErr = b.loadVoices(ctx) })
	return b.voices, b.voicesErr
}

func (b *Backend) loadVoices(ctx context.Context) error {
	langs, err := b.list(ctx, "--voices")
	if err != nil {
		return err
	}
	variants, err := b.list(ctx, "--voices=variant")
	if err != nil {
		return err
	}
	b.known = map[string]bool{}
	b.variants = map[string]bool{}
	for _, l := range langs {
		b.known[strings.ToLower(l.ID)] = true
		b.voices = append(b.voices, l)
	}
	for _, v := range variants {
		b.variants[strings.ToLower(v.ID)] = true
	}
	sort.SliceStable(variants, func(i, j int) bool { return variantRank(variants[i].ID) < variantRank(variants[j].ID) })
	for _, l := range langs {
		if !strings.HasPrefix(l.ID, "en") {
			continue
		}
		for _, v := range variants {
			b.voices = append(b.voices, synth.Voice{
				ID: l.ID + "+" + v.ID, Name: l.Name + " (" + v.Name + ")",
				Language: l.Language, Gender: v.Gender,
			})
		}
	}
	return nil
}

// list parses the table espeak-ng prints for --voices:
// "Pty Language Age/Gender VoiceName File Other Languages".
func (b *Backend) list(ctx context.Context, flag string) ([]synth.Voice, error) {
	out, err := exec.CommandContext(ctx, b.program, flag).Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &synth.Error{Backend: Name, Err: fmt.Errorf("%s: %w", flag, err)}
	}
	var vs []synth.Voice
	sc := bufio.NewScanner(bytes.NewReader(out))
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		f := strings.Fields(sc.Text())
		if len(f) < 5 {
			continue
		}
		lang, ag, name, file := f[1], f[2], f[3], f[4]
		v := synth.Voice{ID: lang, Name: strings.ReplaceAll(name, "_", " "), Language: lang}
		if strings.HasPrefix(file, "!v/") {
			v.ID, v.Language = strings.TrimPrefix(file, "!v/"), ""
		} else if strings.HasPrefix(file, "mb/") {
			// MBROLA voices need databases that are packaged apart and
			// rarely installed; leave them out rather than offer voices
			// that fail.
			continue
		}
		switch {
		case strings.HasSuffix(ag, "/M"):
			v.Gender = "male"
		case strings.HasSuffix(ag, "/F"):
			v.Gender = "female"
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		return nil, &synth.Error{Backend: Name, Err: errors.New(flag + ": no voices listed")}
	}
	return vs, nil
}

// variantRank orders voice variants for casting: the classic male and
// female variants first, human-sounding named ones next, and effects
// (robots, whispers, monsters) last.
func variantRank(id string) int {
	lower := strings.ToLower(id)
	if len(lower) == 2 && (lower[0] == 'm' || lower[0] == 'f') && lower[1] >= '1' && lower[1] <= '9' {
		return int(lower[1] - '0')
	}
	for _, effect := range []string{"robo", "whisper", "demonic", "announcer", "tweaky", "klatt", "fast", "anxious", "storm", "rob"} {
		if strings.Contains(lower, effect) {
			return 200
		}
	}
	return 100
}
