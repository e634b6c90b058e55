// Package espeak is the espeak-ng backend. By default it speaks through
// libespeak-ng inside the process; it can also run the espeak-ng program
// once per request. It is narrate's default backend because it is
// offline, fast and in every Linux distribution.
package espeak

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/params"
)

// Name is the backend's registry name.
const Name = "espeak-ng"

// Default speaking rate of espeak-ng in words per minute; Request.Rate
// scales it.
const defaultWPM = 175

// sampleRate is the rate espeak-ng's own voices speak at.
const sampleRate = 22050

// Backend drives espeak-ng, either in process through libespeak-ng or by
// running the espeak-ng program once per request. Both speak with the
// same engine and data, so their audio is sample-identical, except that
// the program drops the variant of some voices ("en-gb+m1" speaks as
// "en-gb") where the library applies it.
type Backend struct {
	eng     engine
	wordGap int // extra pause between words, in units of 10 ms

	voicesOnce sync.Once
	voices     []synth.Voice
	known      map[string]bool
	variants   map[string]bool
	voicesErr  error
}

// engine is one way of running espeak-ng.
type engine interface {
	// speak returns the audio of text; wpm, pitch (0-99) and gap (10 ms
	// units) are espeak-ng's own parameters.
	speak(ctx context.Context, text, voice string, wpm, pitch, gap int) (pcm.Buffer, error)
	// list returns espeak-ng's voice table: languages, or with variants
	// set the "+variant" voices.
	list(ctx context.Context, variants bool) ([]voiceEntry, error)
	version() string
	// dataDir is espeak-ng's data directory, "" when unknown.
	dataDir() string
	// concurrency is how many requests the engine runs at once (0: no
	// limit).
	concurrency() int
	// cpuTime is the CPU time spent speaking so far.
	cpuTime() time.Duration
}

// voiceEntry is one row of espeak-ng's voice table.
type voiceEntry struct {
	language, name, file string
	gender               int // 1 male, 2 female
}

// New opens the backend. Params: "engine" ("library", the default, runs
// libespeak-ng in process; "program" runs the espeak-ng program per
// request), "program" (path of espeak-ng for the program engine, default
// found on PATH) and "word_gap" (extra pause between words, 10 ms units).
func New(p synth.Params) (synth.Backend, error) {
	r := params.New(Name, p)
	kind := r.String("engine", "library")
	program := r.String("program", "")
	b := &Backend{wordGap: r.Int("word_gap", 0)}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if b.wordGap < 0 {
		return nil, fmt.Errorf("%s: word_gap: want a non-negative integer, got %d", Name, b.wordGap)
	}
	if program != "" && kind == "library" {
		// Naming a program asks for the program engine.
		kind = "program"
	}
	var err error
	switch kind {
	case "library":
		b.eng, err = openLibrary()
	case "program":
		if program == "" {
			program = "espeak-ng"
		}
		b.eng, err = openProgram(program)
	default:
		err = fmt.Errorf("%s: engine: want \"library\" or \"program\", got %q", Name, kind)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Close implements synth.Backend. Neither engine holds anything per
// backend: the library is loaded once per process and shared, and the
// program engine starts one process per request.
func (b *Backend) Close() error { return nil }

// Info implements synth.Backend.
func (b *Backend) Info() synth.Info {
	return synth.Info{
		Name:  Name,
		Model: fmt.Sprintf("espeak-ng %s; word_gap=%d", b.eng.version(), b.wordGap),
		// espeak-ng has no hard limit, but very long inputs delay the
		// first audio and hold memory; the pipeline splits above this.
		MaxChars:    4000,
		Concurrency: b.eng.concurrency(),
	}
}

// CPU returns the processor time espeak-ng has spent speaking for this
// backend's engine so far, in this process (library) or in its child
// processes (program). The library engine is shared by every Backend in
// the process, and so is its count.
func (b *Backend) CPU() time.Duration { return b.eng.cpuTime() }

// Synthesize implements synth.Backend.
func (b *Backend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if blank, err := synth.Precheck(ctx, Name, req, b.Info().MaxChars); blank || err != nil {
		return pcm.Buffer{Rate: sampleRate}, err
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
	wpm := int(defaultWPM*rate + 0.5)
	buf, err := b.eng.speak(ctx, req.Text, req.Voice, wpm, pitch, b.wordGap)
	if err != nil {
		if ctx.Err() != nil {
			return pcm.Buffer{}, ctx.Err()
		}
		return pcm.Buffer{}, err
	}
	return buf, nil
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
	langs, err := b.eng.list(ctx, false)
	if err != nil {
		return err
	}
	variants, err := b.eng.list(ctx, true)
	if err != nil {
		return err
	}
	b.known = map[string]bool{}
	b.variants = map[string]bool{}
	for _, e := range langs {
		if strings.HasPrefix(e.file, "mb/") {
			// MBROLA voices need databases that are packaged apart and
			// rarely installed; leave them out rather than offer voices
			// that fail.
			continue
		}
		l := e.voice()
		b.known[strings.ToLower(l.ID)] = true
		b.voices = append(b.voices, l)
	}
	var vs []synth.Voice
	for _, e := range variants {
		v := e.voice()
		b.variants[strings.ToLower(v.ID)] = true
		if dir := b.eng.dataDir(); dir != "" {
			if data, err := os.ReadFile(filepath.Join(dir, "voices", e.file)); err == nil {
				v.Effect = effectVariant(string(data))
			}
		}
		vs = append(vs, v)
	}
	sort.SliceStable(vs, func(i, j int) bool { return variantRank(vs[i]) < variantRank(vs[j]) })
	// Variants apply to every language. English voices list them all;
	// the other languages list espeak-ng's classic male and female ones
	// (m1..m9, f1..f9), enough for a cast, without a hundred effects per
	// language.
	for _, l := range b.voices {
		english := strings.HasPrefix(l.ID, "en")
		for _, v := range vs {
			if !english && variantRank(v) >= 100 {
				continue
			}
			b.voices = append(b.voices, synth.Voice{
				ID: l.ID + "+" + v.ID, Name: l.Name + " (" + v.Name + ")",
				Language: l.Language, Gender: v.Gender, Source: synth.SourceBuiltin, Effect: v.Effect,
			})
		}
	}
	if len(b.voices) == 0 || len(vs) == 0 {
		return &synth.Error{Backend: Name, Err: errors.New("no voices found (is espeak-ng-data installed?)")}
	}
	return nil
}

// voice turns a table row into a synth.Voice; variants are named by their
// file ("!v/m1" is the variant "m1").
func (e voiceEntry) voice() synth.Voice {
	v := synth.Voice{ID: e.language, Name: strings.ReplaceAll(e.name, "_", " "), Language: e.language, Source: synth.SourceBuiltin}
	if id, ok := strings.CutPrefix(e.file, "!v/"); ok {
		v.ID, v.Language = id, ""
	}
	switch e.gender {
	case 1:
		v.Gender = "male"
	case 2:
		v.Gender = "female"
	}
	return v
}

// variantRank orders voice variants for casting: espeak-ng's classic
// male and female variants (m1..m9, f1..f9) first, other human-sounding
// ones next, and effects last.
func variantRank(v synth.Voice) int {
	lower := strings.ToLower(v.ID)
	switch {
	case v.Effect:
		return 200
	case len(lower) == 2 && (lower[0] == 'm' || lower[0] == 'f') && lower[1] >= '1' && lower[1] <= '9':
		return int(lower[1] - '0')
	}
	return 100
}

// effectVariant decides from a variant file's settings (see espeak-ng's
// docs/voices.md) whether it is an effect rather than a human voice: the
// Klatt synthesiser or the speed-test engine, whispering (voicing under
// half), a heavy echo, a monotone pitch, or vowel formants moved far from
// any human vocal tract.
func effectVariant(file string) bool {
	for _, line := range strings.Split(file, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		n := func(i int) int {
			if i >= len(f) {
				return -1
			}
			x, err := strconv.Atoi(f[i])
			if err != nil {
				return -1
			}
			return x
		}
		switch strings.ToLower(f[0]) {
		case "klatt", "fast_test2":
			if n(1) != 0 {
				return true
			}
		case "voicing":
			if v := n(1); v >= 0 && v < 50 {
				return true
			}
		case "echo":
			if n(2) > 50 {
				return true
			}
		case "pitch":
			if lo, hi := n(1), n(2); lo >= 0 && hi >= 0 && hi-lo < 15 && lo-hi < 15 {
				return true
			}
		case "formant":
			if k, freq := n(1), n(2); k >= 1 && k <= 3 && freq >= 0 && (freq < 60 || freq > 160) {
				return true
			}
		}
	}
	return false
}
