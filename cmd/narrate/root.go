package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/synth"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

// app holds what the commands share: the backends they may open and the
// configuration once loaded.
type app struct {
	registry *synth.Registry
	cfg      config.Config
	loader   *config.Loader
	stdout   io.Writer
	stderr   io.Writer
	// quiet keeps warnings off stderr; they are still kept in warnings,
	// for --warnings and --stats.
	quiet    bool
	warnings []string
}

// newRoot builds the command tree. The registry lists the backends the
// commands may open: main passes every backend narrate has, tests a fake.
func newRoot(registry *synth.Registry, stdout, stderr io.Writer) *cobra.Command {
	a := &app{registry: registry, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "narrate",
		Short: "Turn a book into an audiobook",
		Long: `narrate turns a book (plain text, AO3 export, Markdown, HTML, EPUB) into
a folder of chaptered MP3 files: it splits chapters into narration and
dialogue, speaks them with a text-to-speech backend (` + strings.Join(registry.Names(), ", ") + `),
and mixes them with natural pauses.

Settings come from a YAML file (--config), NARRATE_* environment variables
(NARRATE_BACKEND, NARRATE_VOICES_NARRATOR, NARRATE_OUTPUT_BITRATE...) and
flags, in increasing order of precedence.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.load(cmd)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().String("config", "", "YAML settings file (see narrate.example.yaml)")
	root.AddCommand(newRender(a), newSegment(a), newCast(a), newVoices(a), newCacheCmd(a), newCheck(a), newK8sJob(a), newVersion(a))
	return root
}

// configFlag declares a flag that sets a configuration key: on the
// command line it overrides the environment and the file.
func configFlag(f *pflag.FlagSet, name, key string) {
	if err := f.SetAnnotation(name, "config", []string{key}); err != nil {
		panic(err) // the flag must be defined first: a programming error
	}
}

func (a *app) load(cmd *cobra.Command) error {
	l := config.NewLoader()
	if path, _ := cmd.Flags().GetString("config"); path != "" {
		if err := l.ReadFile(path); err != nil {
			return err
		}
	}
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if keys := f.Annotations["config"]; len(keys) == 1 && err == nil {
			err = l.BindFlag(keys[0], f)
		}
	})
	if err != nil {
		return err
	}
	a.loader = l
	a.cfg, err = l.Load()
	return err
}

func newVersion(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print narrate's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version
			if v == "" {
				v = "(devel)"
				if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
					v = bi.Main.Version
				}
			}
			fmt.Fprintln(a.stdout, "narrate", v)
			return nil
		},
	}
}
