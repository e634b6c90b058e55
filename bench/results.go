package main

import (
	"fmt"
	"io"
	"time"

	"github.com/narrate-audio/narrate/synth/fakeserver"
)

// Scale-out and shard settings: fixed server latency, one request in
// flight per endpoint (scale-out) or per narrate process (shards).
var (
	scaleEndpoints = []int{1, 2, 4, 10}
	shardCounts    = []int{1, 2, 4}
)

const (
	scaleSpanCount = 60
	scaleLatency   = 200 * time.Millisecond
	shardLatency   = 100 * time.Millisecond
)

func newShardServer(host *serverHost) *fakeserver.Server {
	return fakeserver.New(host, fakeserver.Options{Latency: shardLatency, Rate: 22050})
}

// Results is bench/results.json.
type Results struct {
	Date, GoVersion string
	NumCPU, Rounds  int
	// LoadAvg is /proc/loadavg at the start: how busy the machine was.
	LoadAvg      string
	TotalSeconds float64

	Schism, Long BookSet
	Incremental  Incremental
	Segmenter    Segmenter
	ScaleOut     ScaleOut
	Shards       Shards
	WholeBook    *LongRun `json:",omitempty"`

	Targets []Target
	Legend  []string
}

// BookSet is the cold-render comparison on one text.
type BookSet struct {
	Name, Input string
	Words       int
	Baseline    []Run
	Narrate     []narrateRun
	Summary     BookSummary
}

// BookSummary holds medians over the rounds.
type BookSummary struct {
	// WallRatio is the median of narrate wall / baseline wall, paired by
	// round.
	WallRatio                 float64
	NarrateWall, BaselineWall float64 // seconds
	NarrateCPU, BaselineCPU   float64 // seconds of user+sys, children included
	// CPURatio is narrate CPU / baseline CPU: the work done, whatever the
	// machine's load. On two idle cores the wall ratio cannot go below
	// about half of it.
	CPURatio float64
	// NarrateSelfSys is narrate's own system time (process spawning, page
	// faults), without its children.
	NarrateSelfSys            float64
	NarrateUtil, BaselineUtil float64 // CPU / wall / cores
	TTSCPU, EncoderCPU        float64 // seconds, narrate
	Overhead                  float64 // share of narrate CPU outside TTS and encoder
	// WallOverhead is the share of narrate's wall time during which no
	// TTS or encoder call was at work (the definition).
	WallOverhead     float64
	EncodeTimeWall   float64 // seconds, render --stats EncodeTime
	NarrateOwnPeakMB float64 // max over rounds of narrate's own VmHWM
	NarrateMaxRSSMB  float64 // max over rounds of rusage maxrss
	BaselineMaxRSSMB float64
	AudioMinutes     float64
	SpansSynthesized int
}

// Incremental is the warm rerun and one-paragraph edit of the long book.
type Incremental struct {
	ColdCached narrateRun
	Warm, Edit []narrateRun
	// Shares are medians of each round's time over the same round's cold
	// (--no-cache) render of the long book.
	WarmShare, EditShare float64
	// EditSynthesized and EditChapters are the spans synthesized and the
	// chapters re-rendered by the median edit.
	EditSynthesized, EditChapters int
	// EditedChapter is the title of the chapter the edits fall in, and
	// EditedChapterShare its share of the book's words.
	EditedChapter      string
	EditedChapterShare float64
}

// Segmenter is throughput on the PDNC dev novels.
type Segmenter struct {
	Runs []segResult
	// MB/s (MiB) of input: reading + segmentation + speech normalisation,
	// and the same plus speaker attribution.
	SegmentMBps, WithAttributionMBps float64
	MB                               float64
	Spans                            int
}

// ScaleOut is synthesis throughput over N fake endpoints.
type ScaleOut struct {
	Spans     int
	LatencyMS int64
	Points    []ScalePoint
}

// ScalePoint is one endpoint count.
type ScalePoint struct {
	Endpoints   int
	Walls       []float64
	SpansPerSec float64
	Speedup     float64 // over one endpoint
	Efficiency  float64 // speedup / endpoints
}

func (s *ScaleOut) addRun(n int, wall time.Duration) {
	for i := range s.Points {
		if s.Points[i].Endpoints == n {
			s.Points[i].Walls = append(s.Points[i].Walls, wall.Seconds())
			return
		}
	}
	s.Points = append(s.Points, ScalePoint{Endpoints: n, Walls: []float64{wall.Seconds()}})
}

// Shards is sharded rendering against a fake HTTP backend.
type Shards struct {
	Book      string
	LatencyMS int64
	Points    []ShardPoint
}

// ShardPoint is one shard count.
type ShardPoint struct {
	Count                int
	ShardWalls, Assemble []float64
	Synthesized          []int // spans the assembling render synthesized
	// Medians in seconds and speedups over one shard: of the shard phase,
	// and of the whole (shards then assembling render).
	ShardWall, AssembleWall    float64
	ShardSpeedup, TotalSpeedup float64
}

func (s *Shards) addRun(n int, t shardTimes) {
	for i := range s.Points {
		if s.Points[i].Count == n {
			p := &s.Points[i]
			p.ShardWalls = append(p.ShardWalls, t.Shards.Seconds())
			p.Assemble = append(p.Assemble, t.Assemble.Seconds())
			p.Synthesized = append(p.Synthesized, t.Synthesized)
			return
		}
	}
	s.Points = append(s.Points, ShardPoint{Count: n, ShardWalls: []float64{t.Shards.Seconds()},
		Assemble: []float64{t.Assemble.Seconds()}, Synthesized: []int{t.Synthesized}})
}

// LongRun is the whole book, once (bench -long).
type LongRun struct {
	Words, Chapters int
	Narrate         narrateRun
	Baseline        Run
	WallRatio       float64
	OwnPeakMB       float64
	MaxRSSMB        float64
	AudioHours      float64
}

// Target is one goal of the issue with its measured value.
type Target struct {
	Name     string
	Measured float64
	Limit    float64
	Unit     string
	Pass     bool
}

func (res *Results) summarize() {
	for _, set := range []*BookSet{&res.Schism, &res.Long} {
		set.summarize(res.NumCPU)
	}
	inc := &res.Incremental
	var warm, edit []float64
	for i := range inc.Warm {
		if i < len(res.Long.Narrate) {
			warm = append(warm, secs(inc.Warm[i].Wall)/secs(res.Long.Narrate[i].Wall))
			edit = append(edit, secs(inc.Edit[i].Wall)/secs(res.Long.Narrate[i].Wall))
		}
	}
	inc.WarmShare, inc.EditShare = median(warm), median(edit)
	if len(inc.Edit) > 0 {
		e := inc.Edit[len(inc.Edit)/2].Stats
		inc.EditSynthesized, inc.EditChapters = e.Stats.Synthesized, e.Files-e.Stats.Reused
	}

	sg := &res.Segmenter
	if len(sg.Runs) > 0 {
		sg.MB = mb(sg.Runs[0].Bytes)
		sg.Spans = sg.Runs[0].Spans
		sg.SegmentMBps = median(collect(sg.Runs, func(r segResult) float64 { return mb(r.Bytes) / r.Segment.Seconds() }))
		sg.WithAttributionMBps = median(collect(sg.Runs, func(r segResult) float64 {
			return mb(r.Bytes) / (r.Segment + r.Attribute).Seconds()
		}))
	}

	so := &res.ScaleOut
	so.Spans, so.LatencyMS = scaleSpanCount, scaleLatency.Milliseconds()
	var one float64
	for i := range so.Points {
		p := &so.Points[i]
		w := median(p.Walls)
		p.SpansPerSec = float64(so.Spans) / w
		if p.Endpoints == 1 {
			one = p.SpansPerSec
		}
		if one > 0 {
			p.Speedup = p.SpansPerSec / one
			p.Efficiency = p.Speedup / float64(p.Endpoints)
		}
	}

	sh := &res.Shards
	sh.Book, sh.LatencyMS = "examples/the-lamplighters-wager.txt", shardLatency.Milliseconds()
	var oneShard, oneTotal float64
	for i := range sh.Points {
		p := &sh.Points[i]
		p.ShardWall, p.AssembleWall = median(p.ShardWalls), median(p.Assemble)
		total := p.ShardWall + p.AssembleWall
		if p.Count == 1 {
			oneShard, oneTotal = p.ShardWall, total
		}
		if oneShard > 0 {
			p.ShardSpeedup, p.TotalSpeedup = oneShard/p.ShardWall, oneTotal/total
		}
	}

	if lr := res.WholeBook; lr != nil {
		lr.WallRatio = secs(lr.Narrate.Wall) / secs(lr.Baseline.Wall)
		lr.OwnPeakMB, lr.MaxRSSMB = mb(lr.Narrate.OwnHWM), mb(lr.Narrate.MaxRSS)
		lr.AudioHours = time.Duration(lr.Narrate.Stats.AudioNS).Hours()
	}

	add := func(name string, v, limit float64, unit string) {
		res.Targets = append(res.Targets, Target{Name: name, Measured: v, Limit: limit, Unit: unit, Pass: v <= limit})
	}
	if standard := len(res.Schism.Narrate) > 0; standard {
		add("cold render / naive serial, schism.txt", res.Schism.Summary.WallRatio, 0.6, "x")
		add("cold render / naive serial, long book ("+short(res.Long)+")", res.Long.Summary.WallRatio, 0.6, "x")
		add("pipeline overhead (wall time with no TTS or encoder call at work), schism.txt", 100*res.Schism.Summary.WallOverhead, 5, "%")
		add("pipeline overhead (wall time with no TTS or encoder call at work), long book", 100*res.Long.Summary.WallOverhead, 5, "%")
		add("pipeline overhead (CPU share outside TTS and encoder, stricter), schism.txt", 100*res.Schism.Summary.Overhead, 5, "%")
		add("pipeline overhead (CPU share outside TTS and encoder, stricter), long book", 100*res.Long.Summary.Overhead, 5, "%")
		add("warm rerun / cold, long book", 100*inc.WarmShare, 5, "%")
		add("one-paragraph edit / cold, long book", 100*inc.EditShare, 10, "%")
		add("peak RSS (narrate's own), long book ("+short(res.Long)+"; -long for the whole)", res.Long.Summary.NarrateOwnPeakMB, 200, "MB")
	}
	if lr := res.WholeBook; lr != nil {
		add("cold render / naive serial, whole Moby-Dick (one run)", lr.WallRatio, 0.6, "x")
		add(fmt.Sprintf("peak RSS (narrate's own), whole Moby-Dick, %d words", lr.Words), lr.OwnPeakMB, 200, "MB")
	}

	legend := []string{
		"Baseline: espeak-ng -v en-us -f BOOK.txt -w BOOK.wav && lame --quiet -b 64 -m m BOOK.wav BOOK.mp3 (22.05 kHz, 64 kbps mono); narrate: render BOOK.txt --no-cache --voice en-us --dialogue-voice en-us, NARRATE_VOICES_AUTO=false (one voice, default preset 22.05 kHz 64 kbps).",
		"Long book: the first chapters of ../shared/samples/idpf-moby-dick.epub (about 25k words) as plain text, read by both; three rounds of the whole book (baseline about 5 minutes, narrate about 3.5 per round) would not fit the 10-minute budget. `go run ./bench -long` renders the whole book once instead (about 9 minutes).",
		"Ratios and shares are medians over rounds of per-round ratios; the measurements of a round run back to back, the order of narrate and baseline alternating between rounds.",
		"CPU util = (user+sys of the process and its waited-for children, from wait4 rusage) / wall / cores. CPU n/b = narrate CPU / baseline CPU, the work each does whatever the load: the baseline is serial, so on two idle cores the wall ratio cannot go below about half of it. The machine is shared: a parallel program loses more to other load than a serial one, which pushes the wall ratio up.",
		"Overhead, two readings. Wall (the issue's: wall time not spent inside the TTS engine or the MP3 encoder) = 1 - busy / narrate wall, busy = the wall time during which at least one backend call or encoder call was in progress (render --stats BusyTime), narrate wall = the whole process, start-up included. CPU share (stricter: work beside the two stages, which a second core hides from the wall reading) = other / narrate CPU, other = narrate CPU - TTS - encoder (in parentheses: narrate's own system time). TTS CPU is the CPU espeak-ng spent speaking, as narrate counts it (render --stats backend_cpu): the thread CPU clock around each libespeak-ng request, or the user+system time of each espeak-ng process with engine: program. Encoder CPU is the CPU spent inside LAME, as narrate counts it (render --stats EncodeCPU: the thread CPU clock around each encoder call).",
		"Peak RSS: own = narrate's VmHWM (its own peak resident set, sampled every 20 ms); maxrss = wait4 ru_maxrss, the larger of narrate's own peak and that of its largest child (none with the default in-process espeak-ng), so both show narrate itself.",
		"Warm = rerun with the same cache and output directory (every chapter reused); edit = one word changed in the paragraph at the middle of the book's text, rerun with the same cache and output. Shares are over the same round's cold --no-cache render.",
		"Segmenter: in process, reader + segment + speech normalisation (and + attribute) on the three PDNC dev novels, MiB/s.",
		fmt.Sprintf("Scale-out: %d distinct spans through the openai backend to N in-process fake servers (loopback) of %d ms latency, concurrency 1 per endpoint, pipeline.Prefetch into a fresh cache.", scaleSpanCount, scaleLatency.Milliseconds()),
		fmt.Sprintf("Shards: N concurrent `narrate render --shard i/N` processes with a shared fresh --cache-dir against one fake OpenAI server of %d ms latency (concurrency 1 per process), then the assembling render.", shardLatency.Milliseconds()),
	}
	if len(res.Schism.Narrate) > 0 {
		res.Legend = legend
	} else {
		// The whole-book run: only what applies to it.
		res.Legend = []string{legend[0], legend[1], legend[3], legend[5]}
	}
}

func short(s BookSet) string { return fmt.Sprintf("%dk words", (s.Words+500)/1000) }

func (set *BookSet) summarize(cores int) {
	s := &set.Summary
	var ratio, ovh, wallOvh, tts, enc []float64
	for i := range set.Narrate {
		n := set.Narrate[i]
		if i < len(set.Baseline) {
			ratio = append(ratio, secs(n.Wall)/secs(set.Baseline[i].Wall))
		}
		e := n.Stats.Stats.EncodeCPU.Seconds()
		t := n.Stats.Stats.BackendCPU.Seconds()
		tts = append(tts, t)
		enc = append(enc, e)
		ovh = append(ovh, (secs(n.CPU)-t-e)/secs(n.CPU))
		wallOvh = append(wallOvh, 1-n.Stats.Stats.BusyTime.Seconds()/secs(n.Wall))
	}
	s.WallRatio = median(ratio)
	s.NarrateWall = median(collect(set.Narrate, func(r narrateRun) float64 { return secs(r.Wall) }))
	s.BaselineWall = median(collect(set.Baseline, func(r Run) float64 { return secs(r.Wall) }))
	s.NarrateCPU = median(collect(set.Narrate, func(r narrateRun) float64 { return secs(r.CPU) }))
	s.BaselineCPU = median(collect(set.Baseline, func(r Run) float64 { return secs(r.CPU) }))
	var cpuRatio []float64
	for i := range set.Narrate {
		if i < len(set.Baseline) {
			cpuRatio = append(cpuRatio, secs(set.Narrate[i].CPU)/secs(set.Baseline[i].CPU))
		}
	}
	s.CPURatio = median(cpuRatio)
	s.NarrateSelfSys = median(collect(set.Narrate, func(r narrateRun) float64 { return secs(r.SelfSys) }))
	c := float64(cores)
	s.NarrateUtil = median(collect(set.Narrate, func(r narrateRun) float64 { return secs(r.CPU) / secs(r.Wall) / c }))
	s.BaselineUtil = median(collect(set.Baseline, func(r Run) float64 { return secs(r.CPU) / secs(r.Wall) / c }))
	s.TTSCPU, s.EncoderCPU, s.Overhead, s.WallOverhead = median(tts), median(enc), median(ovh), median(wallOvh)
	s.EncodeTimeWall = median(collect(set.Narrate, func(r narrateRun) float64 { return r.Stats.Stats.EncodeTime.Seconds() }))
	s.NarrateOwnPeakMB = maxOf(collect(set.Narrate, func(r narrateRun) float64 { return mb(r.OwnHWM) }))
	s.NarrateMaxRSSMB = maxOf(collect(set.Narrate, func(r narrateRun) float64 { return mb(r.MaxRSS) }))
	s.BaselineMaxRSSMB = maxOf(collect(set.Baseline, func(r Run) float64 { return mb(r.MaxRSS) }))
	if len(set.Narrate) > 0 {
		s.AudioMinutes = time.Duration(set.Narrate[0].Stats.AudioNS).Minutes()
		s.SpansSynthesized = set.Narrate[0].Stats.Stats.Synthesized
	}
}

func printTable(w io.Writer, res *Results) {
	fmt.Fprintf(w, "narrate bench: %d cores, %s, %d rounds, load average at start %s\n\n", res.NumCPU, res.GoVersion, res.Rounds, res.LoadAvg)
	if len(res.Schism.Narrate) > 0 {
		printStandard(w, res)
	}
	if lr := res.WholeBook; lr != nil {
		fmt.Fprintf(w, "\nwhole Moby-Dick (%d words, %d chapters, %.1f h of audio), once: narrate %.0f s (EPUB), baseline %.0f s (same chapters as text), ratio %.2f; narrate peak RSS own %.0f MB, maxrss %.0f MB; CPU util %.0f%%\n",
			lr.Words, lr.Chapters, lr.AudioHours, secs(lr.Narrate.Wall), secs(lr.Baseline.Wall), lr.WallRatio, lr.OwnPeakMB, lr.MaxRSSMB,
			100*secs(lr.Narrate.CPU)/secs(lr.Narrate.Wall)/float64(res.NumCPU))
	}

	fmt.Fprintln(w, "\ntargets")
	t := newTab(w)
	for _, tg := range res.Targets {
		verdict := "MISS"
		if tg.Pass {
			verdict = "PASS"
		}
		fmt.Fprintf(t, "%s\t%s\t%.2f %s\t(limit %g %s)\t\n", verdict, tg.Name, tg.Measured, tg.Unit, tg.Limit, tg.Unit)
	}
	t.Flush()
	fmt.Fprintln(w, "\nlegend")
	for _, l := range res.Legend {
		fmt.Fprintln(w, "- "+l)
	}
}

// printStandard prints the measurements of the standard run.
func printStandard(w io.Writer, res *Results) {
	t := newTab(w)
	fmt.Fprintln(t, "cold render\twords\taudio\tnarrate\tbaseline\tratio\tCPU n/b\tCPU util n/b\tnarrate CPU\tTTS\tencoder\tother (sys)\toverhead wall / CPU\tpeak RSS own/maxrss\tbaseline maxrss\t")
	for _, set := range []*BookSet{&res.Schism, &res.Long} {
		s := set.Summary
		fmt.Fprintf(t, "%s\t%d\t%.0f min\t%.1f s\t%.1f s\t%.2f\t%.2f\t%.0f%% / %.0f%%\t%.1f s\t%.1f s\t%.1f s\t%.1f s (%.1f s)\t%.1f%% / %.1f%%\t%.0f / %.0f MB\t%.0f MB\t\n",
			set.Name, set.Words, s.AudioMinutes, s.NarrateWall, s.BaselineWall, s.WallRatio, s.CPURatio, 100*s.NarrateUtil, 100*s.BaselineUtil,
			s.NarrateCPU, s.TTSCPU, s.EncoderCPU, s.NarrateCPU-s.TTSCPU-s.EncoderCPU, s.NarrateSelfSys, 100*s.WallOverhead, 100*s.Overhead,
			s.NarrateOwnPeakMB, s.NarrateMaxRSSMB, s.BaselineMaxRSSMB)
	}
	t.Flush()
	inc := res.Incremental
	fmt.Fprintf(w, "\nlong book with cache: cold (filling the cache) %.1f s; warm rerun %.2f s = %.1f%% of cold; one-paragraph edit %.2f s = %.1f%% of cold (%d spans synthesized, %d chapter re-rendered: %q, %.1f%% of the words)\n",
		secs(inc.ColdCached.Wall), median(collect(inc.Warm, func(r narrateRun) float64 { return secs(r.Wall) })), 100*inc.WarmShare,
		median(collect(inc.Edit, func(r narrateRun) float64 { return secs(r.Wall) })), 100*inc.EditShare, inc.EditSynthesized, inc.EditChapters,
		inc.EditedChapter, 100*inc.EditedChapterShare)
	sg := res.Segmenter
	fmt.Fprintf(w, "segmenter (3 PDNC dev novels, %.2f MiB, %d spans): %.1f MiB/s segment only, %.1f MiB/s with attribution\n",
		sg.MB, sg.Spans, sg.SegmentMBps, sg.WithAttributionMBps)

	fmt.Fprintf(w, "\nscale-out (%d spans, %d ms per request, 1 request per endpoint)\n", res.ScaleOut.Spans, res.ScaleOut.LatencyMS)
	t = newTab(w)
	fmt.Fprintln(t, "endpoints\twall\tspans/s\tspeedup\tefficiency\t")
	for _, p := range res.ScaleOut.Points {
		fmt.Fprintf(t, "%d\t%.2f s\t%.1f\t%.2fx\t%.0f%%\t\n", p.Endpoints, median(p.Walls), p.SpansPerSec, p.Speedup, 100*p.Efficiency)
	}
	t.Flush()

	fmt.Fprintf(w, "\nshards (%s, fake OpenAI server %d ms per request, 1 request per process)\n", res.Shards.Book, res.Shards.LatencyMS)
	t = newTab(w)
	fmt.Fprintln(t, "shards\tshard phase\tassemble\ttotal\tshard speedup\ttotal speedup\tassemble synthesized\t")
	for _, p := range res.Shards.Points {
		fmt.Fprintf(t, "%d\t%.2f s\t%.2f s\t%.2f s\t%.2fx\t%.2fx\t%v\t\n", p.Count, p.ShardWall, p.AssembleWall, p.ShardWall+p.AssembleWall,
			p.ShardSpeedup, p.TotalSpeedup, p.Synthesized)
	}
	t.Flush()
}
