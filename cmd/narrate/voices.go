package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/backends"
)

func newVoices(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "voices",
		Short: "List the voices of a TTS backend",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c := a.cfg
			backend, err := backends.New().Open(c.Backend, synth.Params(c.Backends[c.Backend]))
			if err != nil {
				return err
			}
			voices, err := backend.Voices(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tLANGUAGE\tGENDER")
			for _, v := range voices {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", v.ID, v.Name, v.Language, v.Gender)
			}
			return w.Flush()
		},
	}
	cmd.Flags().String("backend", "espeak-ng", "TTS backend ("+fmt.Sprint(backends.New().Names())+")")
	configFlag(cmd.Flags(), "backend", "backend")
	return cmd
}
