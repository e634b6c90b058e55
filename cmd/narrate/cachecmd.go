package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/pipeline/cache"
)

func newCacheCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Inspect and prune the span cache",
		Long: `The span cache keeps the audio of every synthesized span, so that an
interrupted render resumes where it stopped and an edited book only
re-synthesizes what changed. It lives in the XDG cache directory
($XDG_CACHE_HOME/narrate/spans, usually ~/.cache/narrate/spans) unless
cache.dir or --cache-dir says otherwise.`,
	}
	cmd.PersistentFlags().String("cache-dir", "", "span cache directory (default: the XDG cache directory)")
	configFlag(cmd.PersistentFlags(), "cache-dir", "cache.dir")
	open := func() (*cache.Dir, error) {
		dir := a.cfg.Cache.Dir
		if dir == "" {
			var err error
			if dir, err = cache.DefaultDir(); err != nil {
				return nil, err
			}
		}
		return cache.OpenDir(dir)
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "stats",
		Short: "Print the number and size of cached spans",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := open()
			if err != nil {
				return err
			}
			s, err := d.Stats()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "cache:   %s\nspans:   %d\nsize:    %s\n", d.Root(), s.Entries, size(s.Bytes))
			if s.Entries > 0 {
				fmt.Fprintf(a.stdout, "oldest:  %s\nnewest:  %s\n", s.Oldest.Format(time.DateTime), s.Newest.Format(time.DateTime))
			}
			return nil
		},
	})
	var olderThan time.Duration
	var maxSize string
	prune := &cobra.Command{
		Use:   "prune",
		Short: "Remove spans not used recently, or the least recently used beyond a size",
		Example: `  narrate cache prune --older-than 720h
  narrate cache prune --max-size 2GB`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			limit, err := parseSize(maxSize)
			if err != nil {
				return err
			}
			if olderThan <= 0 && limit <= 0 {
				return fmt.Errorf("cache prune: give --older-than or --max-size")
			}
			d, err := open()
			if err != nil {
				return err
			}
			n, freed, err := d.Prune(olderThan, limit)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "removed %d spans, %s\n", n, size(freed))
			return nil
		},
	}
	prune.Flags().DurationVar(&olderThan, "older-than", 0, "remove spans not used for this long (for example 720h)")
	prune.Flags().StringVar(&maxSize, "max-size", "", "then remove the least recently used until the cache is this small (for example 500MB, 2GB)")
	cmd.AddCommand(prune)
	return cmd
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// parseSize reads sizes such as 500MB, 2GB, 1.5G or a byte count.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("cache prune: size %q: want a number with KB, MB or GB", s)
	}
	return int64(v * float64(mult)), nil
}
