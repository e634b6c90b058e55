// Command bench measures narrate against the naive serial pipeline
// (espeak-ng for the whole text, then lame) and against its own targets:
// cold render time and CPU use, pipeline overhead, warm rerun and
// one-paragraph edit, peak memory, segmenter throughput, scale-out over
// HTTP endpoints and sharded renders. It prints a table and writes
// bench/results.json.
//
// The machine is assumed noisy: every figure is a median of at least
// three rounds, the measurements of a round run one after another in
// round-robin order, and comparisons are ratios within a round.
//
//	go run ./bench            # the standard run (under 10 minutes on 2 cores)
//	go run ./bench -long      # the whole of Moby-Dick, once (about 9 minutes)
//	go run ./bench -profile /tmp/prof   # CPU and allocation profiles of a render
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

type bench struct {
	root    string // repository root
	tmp     string
	narrate string // the binary under test
	log     io.Writer
}

func main() {
	rounds := flag.Int("rounds", 3, "rounds of every measurement (medians need at least 3)")
	words := flag.Int("words", 25000, "words of Moby-Dick in the long book of the standard run")
	long := flag.Bool("long", false, "instead: render the whole Moby-Dick EPUB once with narrate and once with the baseline (peak RSS, wall time)")
	out := flag.String("o", "", "results file (default bench/results.json, or bench/results-long.json with -long)")
	root := flag.String("root", ".", "repository root")
	profile := flag.String("profile", "", "instead: render -profile-input in process under pprof, writing profiles to this directory")
	profileInput := flag.String("profile-input", "../shared/samples/schism.txt", "book for -profile; an EPUB is cut to -words words of plain text first (0: whole)")
	lookahead := flag.Int("profile-lookahead", 0, "pipeline lookahead (spans) for -profile; 0: the pipeline's default")
	flag.Parse()
	if *profile != "" {
		if err := profileRender(*profileInput, *profile, *words, *lookahead); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *out == "" {
		*out = filepath.Join(*root, "bench", "results.json")
		if *long {
			*out = filepath.Join(*root, "bench", "results-long.json")
		}
	}
	if err := mainErr(*root, *out, *rounds, *words, *long); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func mainErr(root, outFile string, rounds, words int, long bool) error {
	started := time.Now()
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return fmt.Errorf("run from the repository root (or pass -root): %w", err)
	}
	shared := filepath.Join(root, "..", "shared")
	schism := filepath.Join(shared, "samples", "schism.txt")
	epub := filepath.Join(shared, "samples", "idpf-moby-dick.epub")
	devDir := filepath.Join(shared, "eval", "quotes", "dev")
	for _, p := range []string{schism, epub, devDir} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("sample data: %w", err)
		}
	}
	tmp, err := os.MkdirTemp("", "narrate-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &bench{root: root, tmp: tmp, narrate: filepath.Join(tmp, "narrate"), log: os.Stderr}
	b.logf("building narrate")
	if err := buildNarrate(root, b.narrate); err != nil {
		return fmt.Errorf("building narrate: %w", err)
	}

	res := &Results{Date: time.Now().UTC().Format(time.RFC3339), NumCPU: runtime.NumCPU(), GoVersion: runtime.Version(),
		Rounds: rounds, LoadAvg: loadAvg()}
	if long {
		res.Rounds = 1
		if err := b.longRun(res, epub); err != nil {
			return err
		}
		return finish(res, outFile, started)
	}
	res.Schism.Name, res.Schism.Input = "schism.txt", "../shared/samples/schism.txt"
	longTxt := filepath.Join(tmp, "long.txt")
	w, ch, err := plainText(epub, longTxt, words)
	if err != nil {
		return err
	}
	res.Long.Name = fmt.Sprintf("moby-dick prefix (%d words, %d chapters)", w, ch)
	res.Long.Input = fmt.Sprintf("first %d chapters of ../shared/samples/idpf-moby-dick.epub as plain text", ch)
	if res.Schism.Words, err = countWords(schism); err != nil {
		return err
	}
	res.Long.Words = w

	// Warm rerun and edit work on their own copy of the long book with a
	// cache and an output directory that persist across rounds.
	editDir := filepath.Join(tmp, "edit")
	editBook := filepath.Join(editDir, "book.txt")
	editOut := filepath.Join(editDir, "out")
	editCache := filepath.Join(editDir, "cache")
	original, err := os.ReadFile(longTxt)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(editDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(editBook, original, 0o644); err != nil {
		return err
	}

	devFiles, _ := filepath.Glob(filepath.Join(devDir, "*.txt"))
	if len(devFiles) == 0 {
		return fmt.Errorf("no dev novels in %s", devDir)
	}

	// Fake server for the shard runs, and the small book they render.
	host := &serverHost{}
	defer host.Close()
	shardServer := newShardServer(host)
	shardCfg := filepath.Join(tmp, "shards.yaml")
	if err := shardConfig(shardCfg, shardServer.BaseURL()); err != nil {
		return err
	}
	shardBook := filepath.Join(root, "examples", "the-lamplighters-wager.txt")

	schismOut := filepath.Join(tmp, "schism-out")
	longOut := filepath.Join(tmp, "long-out")
	for r := range rounds {
		b.logf("round %d of %d", r+1, rounds)
		// Alternate which of a pair goes first, so that drift in the
		// machine's load does not favour either.
		pair := func(set *BookSet, input, outDir string) error {
			doBase := func() error {
				b.logf("  %s: baseline", set.Name)
				run, err := b.baseline(input)
				set.Baseline = append(set.Baseline, run)
				return err
			}
			doNarrate := func() error {
				b.logf("  %s: narrate cold (--no-cache)", set.Name)
				os.RemoveAll(outDir)
				run, err := b.render(input, outDir, "")
				set.Narrate = append(set.Narrate, run)
				return err
			}
			first, second := doBase, doNarrate
			if r%2 == 1 {
				first, second = doNarrate, doBase
			}
			if err := first(); err != nil {
				return err
			}
			return second()
		}
		if err := pair(&res.Schism, schism, schismOut); err != nil {
			return err
		}
		if err := pair(&res.Long, longTxt, longOut); err != nil {
			return err
		}

		if r == 0 {
			b.logf("  long: cold render filling the cache")
			run, err := b.render(editBook, editOut, editCache)
			if err != nil {
				return err
			}
			res.Incremental.ColdCached = run
		}
		b.logf("  long: warm rerun")
		warm, err := b.render(editBook, editOut, editCache)
		if err != nil {
			return err
		}
		res.Incremental.Warm = append(res.Incremental.Warm, warm)
		edited, err := editParagraph(string(original), r+1)
		if err != nil {
			return err
		}
		res.Incremental.EditedChapter, res.Incremental.EditedChapterShare = edited.Chapter, edited.ChapterShare
		if err := os.WriteFile(editBook, []byte(edited.Text), 0o644); err != nil {
			return err
		}
		b.logf("  long: one-paragraph edit")
		edit, err := b.render(editBook, editOut, editCache)
		if err != nil {
			return err
		}
		res.Incremental.Edit = append(res.Incremental.Edit, edit)

		b.logf("  segmenter")
		seg, err := segmentPass(devFiles)
		if err != nil {
			return err
		}
		res.Segmenter.Runs = append(res.Segmenter.Runs, seg)

		for _, n := range scaleEndpoints {
			b.logf("  scale-out: %d endpoints", n)
			dir, err := os.MkdirTemp(tmp, "scale-")
			if err != nil {
				return err
			}
			wall, err := scaleOut(n, scaleSpanCount, scaleLatency, dir)
			os.RemoveAll(dir)
			if err != nil {
				return err
			}
			res.ScaleOut.addRun(n, wall)
		}
		for _, n := range shardCounts {
			b.logf("  shards: %d", n)
			t, err := b.shardRun(shardBook, shardCfg, n)
			if err != nil {
				return err
			}
			res.Shards.addRun(n, t)
		}
	}

	return finish(res, outFile, started)
}

// finish computes the summaries, prints the table and writes the results.
func finish(res *Results, outFile string, started time.Time) error {
	res.summarize()
	res.TotalSeconds = time.Since(started).Seconds()
	printTable(os.Stdout, res)
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(outFile, append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nwrote %s in %s\n", outFile, time.Since(started).Round(time.Second))
	return nil
}

// longRun renders the whole of Moby-Dick once with narrate (from the
// EPUB) and once with the baseline (from the same chapters as text).
func (b *bench) longRun(res *Results, epub string) error {
	txt := filepath.Join(b.tmp, "moby-dick.txt")
	w, ch, err := plainText(epub, txt, 0)
	if err != nil {
		return err
	}
	lr := &LongRun{Words: w, Chapters: ch}
	b.logf("whole book (%d words): narrate", w)
	out := filepath.Join(b.tmp, "moby-out")
	n, err := b.render(epub, out, "")
	if err != nil {
		return err
	}
	os.RemoveAll(out)
	lr.Narrate = n
	b.logf("whole book: baseline")
	if lr.Baseline, err = b.baseline(txt); err != nil {
		return err
	}
	res.WholeBook = lr
	return nil
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// newTab is the table writer of the report.
func newTab(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }
