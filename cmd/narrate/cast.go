package main

import (
	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/config"
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
			p, err := a.prepare(cmd.Context(), args[0], "")
			if err != nil {
				return err
			}
			defer p.Close()
			return p.Proposal.Write(a.stdout)
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
