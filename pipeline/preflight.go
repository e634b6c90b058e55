package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/mix"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/synth"
)

// Catalogue returns the backend's voices. A remote backend's list
// (Info().Catalogue set) is asked for under the retry policy of speech
// requests and kept in the cache, so that a rerun, or the render that
// assembles shards, asks the server nothing. "narrate voices" asks anew.
func Catalogue(ctx context.Context, o Options, fresh bool) ([]synth.Voice, error) {
	if o.Backend == nil {
		return nil, errors.New("pipeline: no backend")
	}
	info := o.Backend.Info()
	if info.Catalogue == "" {
		return o.Backend.Voices(ctx)
	}
	key := catalogueKey(info)
	if o.Cache != nil && !fresh {
		data, err := o.Cache.Get(ctx, key)
		switch {
		case err == nil:
			var vs []synth.Voice
			if json.Unmarshal(data, &vs) == nil && len(vs) > 0 {
				return vs, nil
			}
			// A damaged entry is asked for again and replaced.
		case !errors.Is(err, cache.ErrNotFound):
			return nil, err
		}
	}
	r := newRun(o, nil)
	var vs []synth.Voice
	err := r.retry(ctx, func(ctx context.Context) error {
		var err error
		vs, err = o.Backend.Voices(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if o.Cache != nil && len(vs) > 0 {
		data, err := json.Marshal(vs)
		if err == nil {
			err = o.Cache.Put(ctx, key, data)
		}
		if err != nil {
			return nil, fmt.Errorf("keeping the voice list: %w", err)
		}
	}
	return vs, nil
}

func catalogueKey(info synth.Info) string {
	h := sha256.New()
	for _, f := range []string{"narrate-voices-v1", info.Name, info.Model, info.Catalogue} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// probeText is what Probe speaks: short, and the same every time so that
// its audio is cached like any span.
const probeText = "Hello."

// Probe asks the backend to speak a short text in voice, for a voice the
// catalogue does not list but the engine may accept (espeak-ng's
// "de+m3", a Kokoro mix "af_bella+af_sky"). It goes through the cache and
// the retry policy like any span, so a rerun probes nothing.
func Probe(ctx context.Context, o Options, voice string) error {
	if o.Backend == nil {
		return errors.New("pipeline: no backend")
	}
	r := newRun(o, nil)
	_, err := r.synthesize(ctx, r.request(probeText, voice))
	return err
}

// Sample speaks text in voice at the output sample rate, through the
// cache and the retry policy like any span: an audition heard twice is
// synthesized once.
func Sample(ctx context.Context, o Options, text, voice string) (pcm.Buffer, error) {
	if o.Backend == nil {
		return pcm.Buffer{}, errors.New("pipeline: no backend")
	}
	r := newRun(o, nil)
	a, err := r.synthesize(ctx, r.request(text, voice))
	if err != nil {
		return pcm.Buffer{}, err
	}
	if o.SampleRate > 0 {
		return conform(a, o.SampleRate)
	}
	return a, nil
}

// Audition writes text spoken in voice to path as an MP3, levelled and
// limited as a render would, so that voices can be compared by ear.
func Audition(ctx context.Context, o Options, text, voice, path string) error {
	buf, err := Sample(ctx, o, text, voice)
	if err != nil {
		return err
	}
	f, err := mix.Create(path, mix.FileOptions{Format: mix.MP3, SampleRate: buf.Rate, Bitrate: o.Bitrate})
	if err != nil {
		return err
	}
	defer f.Abort()
	c := mix.NewChapter(f, buf.Rate, mix.Pauses{}, o.Levels)
	if _, err := c.Add(mix.Piece{Audio: buf}); err != nil {
		return err
	}
	if _, err := c.Close(); err != nil {
		return err
	}
	return f.Commit()
}
