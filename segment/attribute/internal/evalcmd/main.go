// Command evalcmd runs speaker attribution over the quote development set
// and writes one prediction file per novel for score.py:
//
//	go run ./segment/attribute/internal/evalcmd -dev ../shared/eval/quotes/dev -out /tmp/pred
//
// It reads only the novels' .txt files, never the gold or character files.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/attribute"
	"github.com/narrate-audio/narrate/segment/reader"
)

func main() {
	dev := flag.String("dev", "../shared/eval/quotes/dev", "directory of <Novel>.txt files")
	out := flag.String("out", "/tmp/attr-pred", "prediction directory")
	cast := flag.Bool("cast", false, "print the discovered cast")
	only := flag.String("only", "", "run only novels whose name contains this")
	glob := flag.String("glob", "*.txt", "which files of -dev to read (any format narrate reads)")
	flag.Parse()
	if err := run(*dev, *glob, *out, *only, *cast); err != nil {
		fmt.Fprintln(os.Stderr, "evalcmd:", err)
		os.Exit(1)
	}
}

func run(dev, glob, out, only string, showCast bool) error {
	files, err := filepath.Glob(filepath.Join(dev, glob))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		if only != "" && !strings.Contains(name, only) {
			continue
		}
		b, err := reader.Open(f, reader.Options{})
		if err != nil {
			return err
		}
		chs, _ := segment.Book(b, segment.Options{})
		t0 := time.Now()
		rules := map[int]string{}
		c := attribute.Attribute(b, chs, attribute.Options{Explain: func(s *segment.Span, rule string) { rules[s.Start] = rule }})
		el := time.Since(t0)
		st, _ := os.Stat(f)
		fmt.Fprintf(os.Stderr, "%s: attribution %v (%.0f ms/MB), %d characters\n", name, el.Round(time.Millisecond),
			float64(el.Milliseconds())/(float64(st.Size())/1e6), len(c.Characters))
		if showCast {
			for i, ch := range c.Characters {
				if i >= 40 {
					break
				}
				fmt.Fprintf(os.Stderr, "  %-28s %-6s ev=%-4d lines=%-4d mentions=%-4d %v\n", ch.Name, ch.Gender, ch.GenderEvidence, ch.Lines, ch.Mentions, ch.Aliases)
			}
		}
		w, err := os.Create(filepath.Join(out, name+".pred.jsonl"))
		if err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		for _, ch := range chs {
			for _, s := range ch.Spans {
				if s.Kind != segment.Dialogue {
					continue
				}
				rec := map[string]any{"start": s.Start, "end": s.End, "speaker": s.Speaker, "kind": "dialogue", "rule": rules[s.Start],
					"chapter": s.Chapter, "para": s.Para}
				if err := enc.Encode(rec); err != nil {
					w.Close()
					return err
				}
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}
