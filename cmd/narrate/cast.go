package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/book"
	"github.com/narrate-audio/narrate/casting"
	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/synth"
)

func newCast(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cast INPUT",
		Short: "List the book's characters with a proposed voice for each",
		Long: `Cast finds the characters who speak in INPUT and proposes a voice for each
from the configured backend's voices that speak the book's language:
characters get distinct voices that fit their gender while there are
enough, minor characters share a few when there are not. Effect voices
(whispers, robots) are never proposed. It prints a commented YAML cast
file to edit and pass to render --cast.`,
		Example: `  narrate cast book.txt > cast.yaml
  narrate render book.txt -o out/ --cast cast.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, _, err := a.openBook(args[0])
			if err != nil {
				return err
			}
			opts, done, err := a.openSpeech(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			v, err := a.castVoices(cmd.Context(), b, opts, "")
			if err != nil {
				return err
			}
			return v.proposal.Write(a.stdout)
		},
	}
	addVoiceFlags(cmd)
	d := config.Default()
	f := cmd.Flags()
	f.String("cache-dir", d.Cache.Dir, "span cache directory, which keeps a remote backend's voice list (default: the XDG cache directory)")
	f.Bool("no-cache", d.Cache.Off, "ask the backend for its voices instead of the cache")
	configFlag(f, "cache-dir", "cache.dir")
	configFlag(f, "no-cache", "cache.off")
	return cmd
}

// voiceChoice is who speaks what in a render.
type voiceChoice struct {
	narrator, dialogue string
	characters         map[string]string
	proposal           casting.Cast // the automatic cast
}

// castVoices decides every voice of a render: the narrator and dialogue
// voices (the cast file's, else the configured ones, else the backend's
// first for the book's language), and each character's (the automatic
// cast, then voices.characters, then the cast file). Every voice the user
// named is checked against the backend's catalogue before any synthesis.
func (a *app) castVoices(ctx context.Context, b *book.Book, opts pipeline.Options, castFile string) (voiceChoice, error) {
	c := a.cfg
	var file *casting.Cast
	if castFile != "" {
		f, err := casting.Read(castFile)
		if err != nil {
			return voiceChoice{}, err
		}
		file = &f
	}
	// The voices the user named, by the setting that names them.
	named := map[string]string{}
	if c.Voices.Narrator != "" {
		named["voices.narrator"] = c.Voices.Narrator
	}
	if c.Voices.Dialogue != "" {
		named["voices.dialogue"] = c.Voices.Dialogue
	}
	for name, v := range c.Voices.Characters {
		named["voices.characters."+name] = v
	}
	if file != nil {
		if file.Narrator != "" {
			named[castFile+": narrator"] = file.Narrator
		}
		if file.Dialogue != "" {
			named[castFile+": dialogue"] = file.Dialogue
		}
		for _, m := range file.Characters {
			if m.Voice != "" {
				named[fmt.Sprintf("%s: character %q", castFile, m.Name)] = m.Voice
			}
		}
	}
	voices, err := a.catalogue(ctx, opts, named)
	if err != nil {
		return voiceChoice{}, err
	}
	if err := a.checkVoices(ctx, opts, voices, named); err != nil {
		return voiceChoice{}, err
	}
	narrator, dialogue := c.Voices.Narrator, c.Voices.Dialogue
	if file != nil && file.Narrator != "" {
		narrator = file.Narrator
	}
	if file != nil && file.Dialogue != "" {
		dialogue = file.Dialogue
	}
	narrator, dialogue, err = casting.Defaults(voices, b.Language, narrator, dialogue)
	if err != nil {
		return voiceChoice{}, fmt.Errorf("voices: backend %s: %w; name a voice with --voice (list them with: narrate voices --backend %s)", c.Backend, err, c.Backend)
	}
	out := voiceChoice{narrator: narrator, dialogue: dialogue, characters: map[string]string{}}
	out.proposal = casting.Propose(a.cast, voices, narrator, dialogue, casting.Options{Language: b.Language})
	out.proposal.Book, out.proposal.Backend = b.Title, c.Backend
	if c.Voices.Auto {
		out.characters = out.proposal.Voices()
	}
	for name, v := range c.Voices.Characters {
		out.characters[name] = v
	}
	if file != nil {
		for name, v := range file.Voices() {
			out.characters[name] = v
		}
	}
	return out, nil
}

// catalogue returns the backend's voices (kept between runs for remote
// backends). A server that cannot list its voices is described by the
// voices the user named, when there are any.
func (a *app) catalogue(ctx context.Context, opts pipeline.Options, named map[string]string) ([]synth.Voice, error) {
	backend := a.cfg.Backend
	voices, err := pipeline.Catalogue(ctx, opts, false)
	if errors.Is(err, synth.ErrNoCatalogue) && len(named) > 0 {
		seen := map[string]bool{}
		for _, key := range sortedKeys(named) {
			if id := named[key]; !seen[id] {
				seen[id] = true
				voices = append(voices, synth.Voice{ID: id, Name: id, Source: synth.SourceConfig})
			}
		}
		return voices, nil
	}
	if err != nil {
		return nil, a.loader.Locate("backends."+backend, fmt.Errorf("voices of backend %s: %w", backend, err))
	}
	if len(voices) == 0 {
		return nil, fmt.Errorf("voices of backend %s: it lists none", backend)
	}
	return voices, nil
}

// checkVoices fails, before any synthesis, for a named voice the backend
// does not have. A voice its catalogue does not list may still exist
// (espeak-ng speaks "de+m3", Kokoro-FastAPI mixes "af_bella+af_sky"): it
// is tried once, through the cache and the retry policy.
func (a *app) checkVoices(ctx context.Context, opts pipeline.Options, voices []synth.Voice, named map[string]string) error {
	have := map[string]bool{}
	for _, v := range voices {
		have[v.ID] = true
	}
	tried := map[string]error{}
	for _, key := range sortedKeys(named) {
		voice := named[key]
		if have[voice] {
			continue
		}
		err, done := tried[voice]
		if !done {
			err = pipeline.Probe(ctx, opts, voice)
			tried[voice] = err
		}
		if err == nil {
			continue
		}
		var hint string
		if near := casting.Near(voices, voice); len(near) > 0 {
			hint = " (close matches: " + strings.Join(near, ", ") + ")"
		}
		if !strings.Contains(err.Error(), "narrate voices") {
			hint += "; list its voices with: narrate voices --backend " + a.cfg.Backend
		}
		msg := fmt.Sprintf("%s: voice %q: backend %s", key, voice, a.cfg.Backend)
		if strings.HasPrefix(key, "voices.") {
			return a.loader.Locate(key, fmt.Errorf("%s: %w%s", msg, err, hint))
		}
		return fmt.Errorf("cast: %s: %w%s", msg, err, hint)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
