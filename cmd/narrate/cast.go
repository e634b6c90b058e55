package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/book"
	"github.com/narrate-audio/narrate/casting"
	"github.com/narrate-audio/narrate/synth"
)

func newCast(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cast INPUT",
		Short: "List the book's characters with a proposed voice for each",
		Long: `Cast finds the characters who speak in INPUT and proposes a voice for each
from the configured backend's voices: the most frequent characters get
distinct voices that fit their gender, minor characters share a few. It
prints a commented YAML cast file to edit and pass to render --cast.`,
		Example: `  narrate cast book.txt > cast.yaml
  narrate render book.txt -o out/ --cast cast.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, _, err := a.openBook(args[0])
			if err != nil {
				return err
			}
			backend, err := a.openBackend(cmd.Context())
			if err != nil {
				return err
			}
			c, err := a.proposeCast(cmd.Context(), b, backend)
			if err != nil {
				return err
			}
			return c.Write(a.stdout)
		},
	}
	addVoiceFlags(cmd)
	return cmd
}

// proposeCast casts the characters of the book opened last.
func (a *app) proposeCast(ctx context.Context, b *book.Book, backend synth.Backend) (casting.Cast, error) {
	voices, err := backend.Voices(ctx)
	if err != nil {
		return casting.Cast{}, err
	}
	c := casting.Propose(a.cast, voices, a.cfg.Voices.Narrator, a.cfg.Voices.Dialogue, casting.Options{})
	c.Book, c.Backend = b.Title, a.cfg.Backend
	return c, nil
}

// characterVoices decides the voice of every character: the automatic
// cast, then voices.characters from the configuration, then the cast file.
func (a *app) characterVoices(ctx context.Context, b *book.Book, backend synth.Backend, castFile string) (map[string]string, error) {
	voices := map[string]string{}
	if a.cfg.Voices.Auto {
		c, err := a.proposeCast(ctx, b, backend)
		if err != nil {
			return nil, err
		}
		voices = c.Voices()
	}
	for name, v := range a.cfg.Voices.Characters {
		voices[name] = v
	}
	if castFile != "" {
		c, err := casting.Read(castFile)
		if err != nil {
			return nil, err
		}
		all, err := backend.Voices(ctx)
		if err != nil {
			return nil, err
		}
		if err := c.Check(all); err != nil {
			return nil, fmt.Errorf("cast: %s: %w", castFile, err)
		}
		for name, v := range c.Voices() {
			voices[name] = v
		}
		if c.Narrator != "" {
			a.cfg.Voices.Narrator = c.Narrator
		}
		if c.Dialogue != "" {
			a.cfg.Voices.Dialogue = c.Dialogue
		}
	}
	return voices, nil
}
