package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/synth"
)

func newVoices(a *app) *cobra.Command {
	var sample, outDir, castFile string
	var all bool
	var language string
	cmd := &cobra.Command{
		Use:   "voices",
		Short: "List the voices of a TTS backend, or render a sample of each",
		Long: `Voices lists the voices of the configured backend with what is known of
them: language (BCP 47, "mul" for voices that speak many), gender, accent,
where the description comes from (the server, narrate's built-in knowledge,
a model file or your settings) and further labels. Effect voices, which
casting never picks, are marked. Listing asks the backend anew and keeps
the list for later renders.

With --sample TEXT -o DIR it renders TEXT in every voice (or in every voice
of a cast file with --cast) to DIR/VOICE.mp3, through the span cache, so
that voices can be chosen by ear before a long render. Effect voices are
left out unless --all is given.`,
		Example: `  narrate voices --backend openai
  narrate voices --language fr
  narrate voices --backend openai --sample "It was a dark and stormy night." -o samples/
  narrate voices --sample "Call me Ishmael." -o samples/ --cast cast.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (sample == "") != (outDir == "") {
				return errors.New("voices: --sample TEXT and -o DIR go together")
			}
			if castFile != "" && sample == "" {
				return errors.New("voices: --cast needs --sample TEXT -o DIR")
			}
			opts, done, err := pipeline.OpenSpeech(cmd.Context(), a.cfg, a.registry)
			if err != nil {
				return a.loader.LocateError(err)
			}
			defer done()
			voices, err := pipeline.Catalogue(cmd.Context(), opts, true)
			if err != nil {
				return fmt.Errorf("voices of backend %s: %w", a.cfg.Backend, err)
			}
			if language != "" {
				voices = synth.Speakers(voices, language) // best match first
				if len(voices) == 0 {
					return fmt.Errorf("voices: backend %s has no voice for language %q", a.cfg.Backend, language)
				}
			}
			if sample == "" {
				return listVoices(a, voices)
			}
			ids, err := pipeline.Auditions(voices, castFile, all)
			if err != nil {
				return err
			}
			return a.audition(cmd, opts, sample, outDir, ids)
		},
	}
	d := config.Default()
	f := cmd.Flags()
	f.String("backend", d.Backend, "TTS backend ("+strings.Join(a.registry.Names(), ", ")+")")
	configFlag(f, "backend", "backend")
	f.StringVar(&sample, "sample", "", "render this text in each voice")
	f.StringVarP(&outDir, "output", "o", "", "directory for the samples")
	f.StringVar(&castFile, "cast", "", "render only the voices of this cast file")
	f.BoolVar(&all, "all", false, "with --sample, also render effect voices")
	f.StringVar(&language, "language", "", "only voices that speak this language (BCP 47: fr, pt-BR), best match first")
	f.String("cache-dir", d.Cache.Dir, "span cache directory (default: the XDG cache directory)")
	f.Bool("no-cache", d.Cache.Off, "do not cache the samples")
	configFlag(f, "cache-dir", "cache.dir")
	configFlag(f, "no-cache", "cache.off")
	return cmd
}

func listVoices(a *app, voices []synth.Voice) error {
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tLANGUAGE\tGENDER\tACCENT\tSOURCE\tLABELS")
	for _, v := range voices {
		var labels []string
		for k, x := range v.Labels {
			labels = append(labels, k+"="+x)
		}
		sort.Strings(labels)
		if v.Effect {
			labels = append([]string{"effect"}, labels...)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, orDash(v.Name), orDash(v.Language), orDash(v.Gender), orDash(v.Accent), orDash(v.Source), strings.Join(labels, " "))
	}
	return w.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// audition renders text in each voice to DIR/VOICE.mp3. Each file is
// written under a temporary name and renamed when whole.
func (a *app) audition(cmd *cobra.Command, opts pipeline.Options, text, dir string, ids []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("voices: %w", err)
	}
	for _, id := range ids {
		path := filepath.Join(dir, fileName(id)+".mp3")
		if err := pipeline.Audition(cmd.Context(), opts, text, id, path); err != nil {
			return fmt.Errorf("voices: sample of %q: %w", id, err)
		}
		fmt.Fprintln(a.stdout, path)
	}
	return nil
}

// fileName makes a voice ID safe as a file name ("en-us+f3", a path to a
// .flitevox file).
func fileName(id string) string {
	id = strings.TrimSuffix(filepath.Base(id), ".flitevox")
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || r == ':' {
			return '_'
		}
		return r
	}, id)
}
