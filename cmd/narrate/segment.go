package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newSegment(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "segment INPUT",
		Short: "Print the spans narrate would speak",
		Long: `Segment reads INPUT and prints its spans in reading order, as JSON lines
({"chapter", "index", "kind", "text", "speech", "speaker", "start", "end",
"para", "is_dialogue"}) or as readable text. For plain-text input, start and end are byte offsets
into the file; for other formats, offsets into the chapter's extracted text.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.read(args[0])
			if err != nil {
				return err
			}
			chapters := b.Chapters
			w := bufio.NewWriter(a.stdout)
			defer w.Flush()
			switch format {
			case "jsonl":
				enc := json.NewEncoder(w)
				enc.SetEscapeHTML(false)
				for _, ch := range chapters {
					for _, s := range ch.Spans {
						if err := enc.Encode(s); err != nil {
							return err
						}
					}
				}
			case "text":
				for _, ch := range chapters {
					fmt.Fprintf(w, "== %d. %s\n", ch.Number, ch.Title)
					for _, s := range ch.Spans {
						fmt.Fprintf(w, "%-9s %-12.12s %s\n", s.Kind, s.Speaker, strings.Join(strings.Fields(s.Text), " "))
					}
				}
			default:
				return fmt.Errorf("segment: unknown format %q (use jsonl or text)", format)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: jsonl or text")
	addInputFlags(cmd)
	return cmd
}
