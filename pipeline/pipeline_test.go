package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/mix"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/reader"
	"github.com/narrate-audio/narrate/segment/sentence"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/elevenlabs"
	"github.com/narrate-audio/narrate/synth/fakeserver"
	"github.com/narrate-audio/narrate/synth/openai"
)

const sampleBook = "../examples/the-lamplighters-wager.txt"

// speechBackend is a deterministic in-process engine: fakeserver.Speech
// audio, so that renders can be compared sample for sample. It counts
// the requests it completed and can fail or block on demand.
type speechBackend struct {
	rate  int
	calls atomic.Int64
	done  atomic.Int64
	// before, if set, runs before each request; an error fails it.
	before func(ctx context.Context, n int64, req synth.Request) error
	mu     sync.Mutex
	texts  []string
}

func (b *speechBackend) Info() synth.Info {
	return synth.Info{Name: "test-speech", Model: "v1", MaxChars: 2000}
}

func (b *speechBackend) Close() error { return nil }

func (b *speechBackend) Voices(context.Context) ([]synth.Voice, error) {
	return []synth.Voice{{ID: "narrator"}, {ID: "dialogue"}}, nil
}

func (b *speechBackend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	n := b.calls.Add(1)
	if b.before != nil {
		if err := b.before(ctx, n, req); err != nil {
			return pcm.Buffer{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return pcm.Buffer{}, err
	}
	b.done.Add(1)
	b.mu.Lock()
	b.texts = append(b.texts, req.Text)
	b.mu.Unlock()
	speed := 1.0
	if req.Voice == "dialogue" {
		speed = 1.2
	}
	return fakeserver.Speech(req.Text, b.rate, speed), nil
}

func load(t *testing.T, path string) (*book.Book, []segment.Chapter) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not available", path)
	}
	b, err := reader.Open(path, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	chs, _ := segment.Book(b, segment.Options{})
	return b, chs
}

// excerpt keeps the first n spans of each chapter: enough for tests of
// what goes around the audio (tags, chapter marks, M4B), at a fraction of
// the encoding.
func excerpt(chs []segment.Chapter, n int) []segment.Chapter {
	for i := range chs {
		if len(chs[i].Spans) > n {
			chs[i].Spans = chs[i].Spans[:n]
		}
	}
	return chs
}

func options(b synth.Backend, store cache.Store) Options {
	return Options{
		Backend: b,
		Voices:  Voices{Narrator: "narrator", Dialogue: "dialogue", Rate: 1},
		Pauses:  mix.Pauses{Span: 200 * time.Millisecond, Paragraph: 500 * time.Millisecond, Scene: time.Second, Title: time.Second, ChapterStart: 500 * time.Millisecond, ChapterEnd: time.Second},
		Levels:  mix.Levels{TargetRMS: -20, Ceiling: -3, RoomTone: -75}, Format: "mp3", Bitrate: 64, SampleRate: 22050, TitleSpoken: true,
		Workers: 2,
		Retry:   Retry{Base: time.Millisecond, Max: 20 * time.Millisecond},
		Cache:   store,
	}
}

func newCache(t *testing.T) cache.Store {
	t.Helper()
	c, err := cache.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// decode decodes one output file.
func decode(t *testing.T, path string) []float32 {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	a, err := mp3.Decode(fh)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a.Samples
}

// sameAudio checks that two renders wrote the same audio. Identical files
// are identical audio, and comparing bytes is far cheaper than decoding;
// files that differ are decoded, so a difference in tags alone passes
// and a difference in sound names the sample.
func sameAudio(t *testing.T, a, b *Result) {
	t.Helper()
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files vs %d", len(a.Files), len(b.Files))
	}
	for i := range a.Files {
		ab, err := os.ReadFile(a.Files[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		bb, err := os.ReadFile(b.Files[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(ab, bb) {
			continue
		}
		as, bs := decode(t, a.Files[i].Path), decode(t, b.Files[i].Path)
		if len(as) != len(bs) {
			t.Fatalf("file %d: %d samples vs %d", i+1, len(as), len(bs))
		}
		for j := range as {
			if as[j] != bs[j] {
				t.Fatalf("file %d differs at sample %d", i+1, j)
			}
		}
	}
}

// TestOpenAIFaults renders half the reference book through the openai backend
// against a fake server that answers every third request with 429 or 503:
// the render completes, and its audio equals a render without faults.
func TestOpenAIFaults(t *testing.T) {
	t.Parallel() // renders of its own: own server, backend, cache and directory
	if testing.Short() {
		t.Skip("renders two chapters twice; skipped in -short mode")
	}
	b, chapters := load(t, "../../shared/samples/schism.txt")
	// Two chapters of 12 spans: some thirty requests, a third of them
	// faulty, at a fraction of the cost of the whole book.
	chapters = excerpt(chapters[:2], 12)
	// The key comes from a file, not the environment, so that the test
	// can run in parallel with the others.
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte("sk-test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	render := func(fault func(int) fakeserver.Fault) (*Result, *fakeserver.Server) {
		srv := fakeserver.New(t, fakeserver.Options{APIKey: "sk-test", Fault: fault})
		backend, err := openai.New(synth.Params{"base_url": srv.BaseURL(), "api_key_file": keyFile})
		if err != nil {
			t.Fatal(err)
		}
		o := options(backend, newCache(t))
		o.Voices = Voices{Narrator: "alloy", Dialogue: "nova", Rate: 1}
		res, err := Render(context.Background(), b, chapters, t.TempDir(), o)
		if err != nil {
			t.Fatal(err)
		}
		return res, srv
	}
	// The server numbers requests itself: handlers run concurrently.
	faulty, srv := render(func(n int) fakeserver.Fault {
		switch {
		case n%6 == 3:
			return fakeserver.Fault{Status: 429, Header: map[string]string{"Retry-After-Ms": "10"}}
		case n%6 == 0:
			return fakeserver.Fault{Status: 503}
		}
		return fakeserver.Fault{}
	})
	clean, _ := render(nil)
	if len(faulty.Files) != len(chapters) {
		t.Fatalf("%d files", len(faulty.Files))
	}
	if faulty.Stats.Calls <= faulty.Stats.Synthesized || srv.SpeechCount() != faulty.Stats.Calls {
		t.Errorf("no retries seen: %+v, server saw %d", faulty.Stats, srv.SpeechCount())
	}
	for i, f := range faulty.Files {
		if filepath.Base(f.Path) != filepath.Base(clean.Files[i].Path) || f.Duration != clean.Files[i].Duration {
			t.Errorf("chapter %d: %s %v vs %s %v", i+1, f.Path, f.Duration, clean.Files[i].Path, clean.Files[i].Duration)
		}
	}
	sameAudio(t, faulty, clean)
}

// TestResume interrupts a render half-way and checks that the rerun
// synthesizes only what was not finished, and that its output equals an
// uninterrupted render.
func TestResume(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	b, chapters := load(t, sampleBook)
	store := newCache(t)
	dir := t.TempDir()

	full := &speechBackend{rate: 24000}
	ref, err := Render(context.Background(), b, chapters, t.TempDir(), options(full, newCache(t)))
	if err != nil {
		t.Fatal(err)
	}
	total := full.done.Load()

	ctx, cancel := context.WithCancel(context.Background())
	first := &speechBackend{rate: 24000}
	first.before = func(_ context.Context, n int64, _ synth.Request) error {
		if n > total/2 {
			cancel() // Ctrl-C half-way
			return context.Canceled
		}
		return nil
	}
	if _, err := Render(ctx, b, chapters, dir, options(first, store)); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted render: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}

	second := &speechBackend{rate: 24000}
	res, err := Render(context.Background(), b, chapters, dir, options(second, store))
	if err != nil {
		t.Fatal(err)
	}
	if got := first.done.Load() + second.done.Load(); got != total {
		t.Errorf("spans synthesized: %d before the interruption + %d after = %d, want %d (none twice)", first.done.Load(), second.done.Load(), got, total)
	}
	sameAudio(t, res, ref)
}

// TestEditOneParagraph re-renders after a one-paragraph edit: only that
// paragraph's spans are synthesized and only its chapter is rewritten.
func TestEditOneParagraph(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	src, err := os.ReadFile(sampleBook)
	if err != nil {
		t.Skip(err)
	}
	path := filepath.Join(t.TempDir(), "book.txt")
	os.WriteFile(path, src, 0o644)
	store := newCache(t)
	dir := t.TempDir()
	b, chapters := load(t, path)
	first := &speechBackend{rate: 24000}
	if _, err := Render(context.Background(), b, chapters, dir, options(first, store)); err != nil {
		t.Fatal(err)
	}

	edited := strings.Replace(string(src), "The valve was clogged with something grey and soft.", "The valve was clogged with something pale and soft.", 1)
	if edited == string(src) {
		t.Fatal("edit did not apply")
	}
	os.WriteFile(path, []byte(edited), 0o644)
	b, chapters = load(t, path)
	second := &speechBackend{rate: 24000}
	res, err := Render(context.Background(), b, chapters, dir, options(second, store))
	if err != nil {
		t.Fatal(err)
	}
	if len(second.texts) != 1 || !strings.Contains(second.texts[0], "pale") {
		t.Errorf("re-synthesized %q, want only the edited paragraph", second.texts)
	}
	if res.Stats.Reused != len(chapters)-1 {
		t.Errorf("%d chapters reused, want %d", res.Stats.Reused, len(chapters)-1)
	}
}

// TestCorruptCacheEntry damages a cache entry on disk: the render detects
// it and synthesizes that span again.
func TestCorruptCacheEntry(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	b, chapters := load(t, sampleBook)
	root := t.TempDir()
	store, _ := cache.OpenDir(root)
	first := &speechBackend{rate: 24000}
	if _, err := Render(context.Background(), b, chapters, t.TempDir(), options(first, store)); err != nil {
		t.Fatal(err)
	}
	var victim string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && victim == "" {
			victim = p
		}
		return nil
	})
	data, _ := os.ReadFile(victim)
	os.WriteFile(victim, data[:len(data)/2], 0o644)
	second := &speechBackend{rate: 24000}
	res, err := Render(context.Background(), b, chapters, t.TempDir(), options(second, store))
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Corrupt != 1 || second.done.Load() != 1 {
		t.Errorf("stats %+v, %d synthesized", res.Stats, second.done.Load())
	}
}

func TestPermanentErrorFailsFast(t *testing.T) {
	b, chapters := load(t, sampleBook)
	be := &speechBackend{rate: 24000}
	be.before = func(_ context.Context, n int64, _ synth.Request) error {
		return &synth.Error{Backend: "test", Err: errors.New("401 Unauthorized: check KEY")}
	}
	dir := t.TempDir()
	_, err := Render(context.Background(), b, chapters, dir, options(be, nil))
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v", err)
	}
	if n := be.calls.Load(); n > int64(2*len(chapters)*16) {
		t.Errorf("%d calls for a permanent error", n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left: %v", entries)
	}
}

func TestTransientErrorsAreBounded(t *testing.T) {
	b, chapters := load(t, sampleBook)
	be := &speechBackend{rate: 24000}
	be.before = func(_ context.Context, n int64, _ synth.Request) error {
		return &synth.Error{Backend: "test", Transient: true, Err: errors.New("503")}
	}
	o := options(be, nil)
	o.Retry.Attempts = 3
	_, err := Render(context.Background(), b, chapters, t.TempDir(), o)
	// A refusal that lowers the calls in flight is not a failed attempt:
	// a span may have had one such try besides its three failures.
	if err == nil || !regexp.MustCompile(`after [34] attempts`).MatchString(err.Error()) {
		t.Fatalf("err = %v", err)
	}
}

func TestSafeName(t *testing.T) {
	tests := map[string]string{
		"Chapter 1: The Wager":  "Chapter 1 The Wager",
		`a/b\c*d?e"f<g>h|i`:     "a b c d e f g h i",
		"Trailing dots...":      "Trailing dots",
		"  spaced   out  ":      "spaced out",
		"tab\tand\nnewline":     "tab and newline",
		strings.Repeat("é", 80): strings.Repeat("é", 50),
		"..":                    "",
	}
	for in, want := range tests {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitLong(t *testing.T) {
	text := strings.Repeat("One sentence here. ", 30)
	parts := splitLong(text, 100, sentence.For("en"))
	if strings.Join(parts, " ") != strings.TrimSpace(text) {
		t.Error("split lost text")
	}
	for _, p := range parts {
		if len([]rune(p)) > 100 || !strings.HasSuffix(p, ".") {
			t.Errorf("part %q", p)
		}
	}
	if got := splitLong("short", 100, sentence.For("en")); len(got) != 1 {
		t.Errorf("%q", got)
	}
}

// A long span is cut at sentence ends of its own language: never after
// an abbreviation such as French "M." or German "Dr.".
func TestSplitLongByLanguage(t *testing.T) {
	for _, c := range []struct{ lang, sentence, abbrev string }{
		{"fr", "Le soir tombait sur la ville. M. Dupont rentra chez lui. ", "M. Dupont"},
		{"de", "Der Abend kam über die Stadt. Dr. Weber ging nach Hause. ", "Dr. Weber"},
		{"en", "Evening fell on the town. Mr. Smith went home. ", "Mr. Smith"},
	} {
		text := strings.Repeat(c.sentence, 20)
		for max := 100; max <= 160; max += 3 {
			parts := splitLong(text, max, sentence.For(c.lang))
			if strings.Join(parts, " ") != strings.TrimSpace(text) {
				t.Fatalf("%s: split lost text", c.lang)
			}
			for _, p := range parts {
				if !strings.HasSuffix(p, ".") || strings.HasSuffix(p, c.abbrev[:strings.IndexByte(c.abbrev, '.')+1]) {
					t.Errorf("%s, max %d: part %q is not cut at a sentence end", c.lang, max, p)
				}
			}
		}
	}
}

// TestTimeoutIsRetried: a backend call that hangs past the timeout is
// abandoned and tried again.
func TestTimeoutIsRetried(t *testing.T) {
	t.Parallel() // renders of its own: own backend and directory
	b, chapters := load(t, sampleBook)
	be := &speechBackend{rate: 24000}
	var hung atomic.Bool
	be.before = func(ctx context.Context, n int64, _ synth.Request) error {
		if hung.CompareAndSwap(false, true) {
			<-ctx.Done() // hangs until the pipeline gives up on it
			return ctx.Err()
		}
		return nil
	}
	o := options(be, nil)
	// Long enough that only the hung call runs out of time, however busy
	// the machine.
	o.Timeout = 2 * time.Second
	if _, err := Render(context.Background(), b, chapters[:1], t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
}

// TestRequestsPerMinute: the cap spaces requests out.
func TestRequestsPerMinute(t *testing.T) {
	t.Parallel() // renders of its own: own backend and directory
	b, chapters := load(t, sampleBook)
	be := &speechBackend{rate: 24000}
	var times []time.Time
	var mu sync.Mutex
	be.before = func(_ context.Context, n int64, _ synth.Request) error {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		return nil
	}
	o := options(be, nil)
	o.RequestsPerMinute = 6000 // 100 a second
	if _, err := Render(context.Background(), b, chapters[:1], t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
	// n requests at 100/s take at least (n-1)*10 ms: a count, not a
	// timing bound on our own speed.
	if span := times[len(times)-1].Sub(times[0]); span < time.Duration(len(times)-1)*10*time.Millisecond*9/10 {
		t.Errorf("%d requests in %v", len(times), span)
	}
}

// TestServerLimitBelowDeclared: a server whose input limit is lower than
// the backend declares (a proxy, a smaller model) rejects long texts
// with ErrTooLong; the render splits them further at sentence ends
// instead of failing, and every word is still spoken.
func TestServerLimitBelowDeclared(t *testing.T) {
	t.Parallel() // renders of its own: own backend and directory
	b, chapters := load(t, sampleBook)
	chapters = chapters[:1]
	const limit = 90
	be := &speechBackend{rate: 24000}
	var rejected atomic.Int64
	be.before = func(_ context.Context, _ int64, req synth.Request) error {
		if n := len([]rune(req.Text)); n > limit {
			rejected.Add(1)
			return &synth.Error{Backend: "test", Err: fmt.Errorf("%w: 400 Bad Request: %d characters, the limit is %d", synth.ErrTooLong, n, limit)}
		}
		return nil
	}
	o := options(be, nil)
	if _, err := Render(context.Background(), b, chapters, t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
	if rejected.Load() == 0 {
		t.Fatal("no text was over the server's limit: the test proves nothing")
	}
	spoken := strings.Join(be.texts, " ")
	for _, s := range chapters[0].Spans {
		for _, w := range strings.Fields(s.Speech) {
			if !strings.Contains(spoken, w) {
				t.Fatalf("word %q of span %q was never spoken", w, s.Speech)
			}
		}
	}
	// Once the server has said where its limit is, later spans are cut
	// below it before asking: rejections stay a small share of requests.
	if r, n := rejected.Load(), be.calls.Load(); r*4 > n {
		t.Errorf("%d of %d requests rejected as too long", r, n)
	}
}

// TestRetryAfterBeyondBound: a server asking to come back later than the
// retry policy allows fails the render at once, saying how long it
// asked for, instead of sleeping for an hour.
func TestRetryAfterBeyondBound(t *testing.T) {
	b, chapters := load(t, sampleBook)
	be := &speechBackend{rate: 24000}
	be.before = func(context.Context, int64, synth.Request) error {
		return &synth.Error{Backend: "test", Transient: true, RetryAfter: time.Hour, Err: errors.New("429 Too Many Requests")}
	}
	o := options(be, nil)
	o.Retry.MaxWait = time.Minute
	_, err := Render(context.Background(), b, chapters[:1], t.TempDir(), o)
	if err == nil || !synth.IsTransient(err) || !strings.Contains(err.Error(), "1h0m0s") || !strings.Contains(err.Error(), "429") {
		t.Fatalf("err = %v", err)
	}
}

// TestCancelStopsRetryWait: cancelling a render while it waits out a
// server's Retry-After returns at once with context.Canceled.
func TestCancelStopsRetryWait(t *testing.T) {
	b, chapters := load(t, sampleBook)
	be := &speechBackend{rate: 24000}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	limited := make(chan struct{}, 1)
	be.before = func(context.Context, int64, synth.Request) error {
		select {
		case limited <- struct{}{}:
		default:
		}
		return &synth.Error{Backend: "test", Transient: true, RetryAfter: time.Minute, Err: errors.New("429 Too Many Requests")}
	}
	done := make(chan error, 1)
	go func() {
		_, err := Render(ctx, b, chapters[:1], t.TempDir(), options(be, nil))
		done <- err
	}()
	<-limited // a request was refused: the render now waits a minute
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the render kept waiting out Retry-After after it was cancelled")
	}
}

// TestOverPlanConcurrency: a render sending more requests at once than
// the service's plan allows gets 429s without Retry-After and still
// completes: those refusals are paced, not counted to the give-up limit
// like failures.
func TestOverPlanConcurrency(t *testing.T) {
	t.Parallel() // renders of its own: own server, backend and directory
	b, chapters := load(t, sampleBook)
	chapters = excerpt(chapters[:1], 40)
	srv := fakeserver.New(t, fakeserver.Options{Voices: fakeserver.ElevenVoices, MaxConcurrent: 1, Latency: 5 * time.Millisecond})
	backend, err := elevenlabs.New(synth.Params{"base_url": srv.URL, "concurrency": 6, "api_key_env": "NARRATE_TEST_NO_KEY"})
	if err != nil {
		t.Fatal(err)
	}
	o := options(backend, nil)
	o.Voices = Voices{Narrator: fakeserver.ElevenVoices[0].ID, Dialogue: fakeserver.ElevenVoices[1].ID, Rate: 1}
	o.Retry = Retry{Attempts: 3, Base: time.Millisecond, Max: 4 * time.Millisecond}
	if _, err := Render(context.Background(), b, chapters, t.TempDir(), o); err != nil {
		t.Fatalf("%v (%d requests refused)", err, srv.Refused())
	}
	if srv.Refused() == 0 {
		t.Fatal("no request was refused: the test proves nothing")
	}
}

// TestPace: refusals lower the calls in flight below the number that
// was in flight, successes raise it back one at a time.
func TestPace(t *testing.T) {
	p := newPace(4)
	ctx := context.Background()
	for range 4 {
		if err := p.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !p.release(false, true) || p.current() != 3 {
		t.Fatalf("refused with 4 in flight: limit %d, want 3", p.current())
	}
	if !p.release(false, true) || p.current() != 2 {
		t.Fatalf("refused with 3 in flight: limit %d, want 2", p.current())
	}
	p.release(false, true) // 2 in flight: limit 1
	if p.release(false, true) || p.current() != 1 {
		t.Fatalf("refused alone: limit %d, want it to stay 1 and count as a failure", p.current())
	}

	// A call over the limit waits for one to end.
	p.acquire(ctx)
	blocked, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.acquire(blocked); err == nil {
		t.Fatal("acquired beyond the limit")
	}
	p.release(true, false) // 1 success at limit 1: limit 2
	if p.current() != 2 {
		t.Fatalf("after a success at limit 1: limit %d, want 2", p.current())
	}
	for range 2 {
		p.acquire(ctx)
	}
	p.release(true, false)
	p.release(true, false) // 2 successes at limit 2: limit 3
	if p.current() != 3 {
		t.Fatalf("limit %d, want 3", p.current())
	}
	for range 10 {
		p.acquire(ctx)
		p.release(true, false)
	}
	if p.current() != 4 {
		t.Fatalf("limit %d, want back at the configured 4", p.current())
	}
}
