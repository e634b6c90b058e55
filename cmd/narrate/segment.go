package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/book"
	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/speech"
)

func newSegment(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "segment INPUT",
		Short: "Print the spans narrate would speak",
		Long: `Segment reads INPUT and prints its spans in reading order, as JSON lines
({"chapter", "index", "kind", "text", "speech", "speaker", "start", "end"})
or as readable text. For plain-text input, start and end are byte offsets
into the file; for other formats, offsets into the chapter's extracted text.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, chapters, err := a.openBook(args[0])
			if err != nil {
				return err
			}
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

// newNormalizer returns the speech-text normalizer for the configuration,
// with the user's pronunciations as its lexicon.
func newNormalizer(c config.Config, b *book.Book) segment.Normalizer {
	// The user's entries first: between equal words the first wins, and
	// the user's say beats the book's lexicon.
	var lex []speech.Entry
	for word, say := range c.Pronunciations {
		lex = append(lex, speech.Entry{Word: word, Say: say})
	}
	if b != nil {
		for _, p := range b.Pronunciations {
			lex = append(lex, speech.Entry{Word: p.Word, Say: p.Say})
		}
	}
	o := speech.Options{Lexicon: lex}
	if b != nil {
		o.Language = b.Language
	}
	return speech.New(o)
}
