package readalong_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/reader"
	"github.com/narrate-audio/narrate/segment/speech"
	"github.com/narrate-audio/narrate/synth/backends"
)

const schism = "../../../shared/samples/schism.txt"

// cue is the part of a sync map cue the test reads.
type cue struct {
	Index int   `json:"index"`
	Begin int64 `json:"begin_ms"`
	End   int64 `json:"end_ms"`
}

// renderSchism renders the sample with espeak-ng into a fresh folder.
func renderSchism(t *testing.T, single bool) (string, *pipeline.Result) {
	t.Helper()
	if _, err := os.Stat(schism); err != nil {
		t.Skipf("%s not available", schism)
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed (make test installs it)")
	}
	b, err := reader.Open(schism, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	chs, _ := segment.Book(b, segment.Options{Speech: speech.New(speech.Options{})})
	c := config.Default()
	backend, err := backends.New().Open("espeak-ng", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	o := pipeline.FromConfig(c, backend)
	o.Narrator, o.SingleFile, o.Subtitles = "espeak-ng en-us", single, true
	dir := t.TempDir()
	res, err := pipeline.Render(context.Background(), b, chs, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

// expected returns the id of the span spoken at sec seconds into a
// chapter, by the page's rule (the last span begun), from the sync map.
func expected(t *testing.T, syncMap string, sec float64) (string, float64) {
	t.Helper()
	data, err := os.ReadFile(syncMap)
	if err != nil {
		t.Fatal(err)
	}
	var sm struct{ Cues []cue }
	if err := json.Unmarshal(data, &sm); err != nil {
		t.Fatal(err)
	}
	// A span's time starts at its first cue.
	begins := map[int]int64{}
	for _, c := range sm.Cues {
		if b, ok := begins[c.Index]; !ok || c.Begin < b {
			begins[c.Index] = c.Begin
		}
	}
	id, best := "", int64(-1)
	for idx, b := range begins {
		if float64(b) <= sec*1000 && b > best {
			best = b
			id = fmt.Sprintf("s%d", idx)
			if idx < 0 {
				id = "title"
			}
		}
	}
	return id, float64(best) / 1000
}

// findBrowser returns Chromium's path, or skips the test.
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("Chromium not installed (make test installs it)")
	return ""
}

// newBrowser starts a headless Chromium for the test.
func newBrowser(t *testing.T, browser string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 800),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// A generous bound: only a hung browser takes this long.
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestSingleFilePage opens the page of a book rendered as one MP3: the
// address's chapter time is counted from that chapter's start in the
// file, and the span at that time is marked.
func TestSingleFilePage(t *testing.T) {
	browser := findBrowser(t)
	dir, res := renderSchism(t, true)
	ctx := newBrowser(t, browser)
	// The single file's sync map has the whole book's times; chapter 3
	// starts where the first two end.
	data, err := os.ReadFile(strings.TrimSuffix(res.Files[0].Path, ".mp3") + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var sm struct {
		Cues []struct {
			Index int   `json:"index"`
			Begin int64 `json:"begin_ms"`
		}
	}
	if err := json.Unmarshal(data, &sm); err != nil {
		t.Fatal(err)
	}
	// Chapter starts: where a title cue (index -1) begins.
	var starts []int64
	for _, c := range sm.Cues {
		if c.Index == -1 {
			starts = append(starts, c.Begin)
		}
	}
	if len(starts) < 3 {
		t.Fatalf("%d chapter titles in the sync map", len(starts))
	}
	page := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(page+"?chapter=3&t=30"), chromedp.WaitVisible(chromedp.CSS(`[aria-current="true"]`))); err != nil {
		t.Fatal(err)
	}
	at := run(t, ctx, chromedp.Poll[float64](`(function(){var a=document.getElementById("player");return a.readyState>=1&&a.currentTime})()`, every))
	offset := run(t, ctx, chromedp.Evaluate[float64](`JSON.parse(document.getElementById("data").textContent).chapters[2].offset`))
	// The title is spoken after the chapter's opening pause, so the
	// chapter starts a little before its title cue.
	if math.Abs(at-(offset+30)) > 0.5 || offset > float64(starts[2])/1000 || offset < float64(starts[1])/1000 {
		t.Errorf("player at %.2f s; chapter 3 starts at %.2f s in the file (its title at %.2f s)", at, offset, float64(starts[2])/1000)
	}
	if ch := run(t, ctx, chromedp.Value(chromedp.CSS("#chapter"))); ch != "2" {
		t.Errorf("chapter index %s shown", ch)
	}
}

func TestPageInChromium(t *testing.T) {
	browser := findBrowser(t)
	dir, res := renderSchism(t, false)
	if res.Page == "" || len(res.Files) < 2 {
		t.Fatalf("no page: %+v", res)
	}
	second := res.Files[1]
	if second.Duration < 80*time.Second {
		t.Fatalf("chapter 2 is only %s long", second.Duration)
	}
	want, wantBegin := expected(t, strings.TrimSuffix(second.Path, ".mp3")+".json", 75)

	ctx := newBrowser(t, browser)

	page := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()
	const marked = `[aria-current="true"]`
	if err := chromedp.Do(ctx,
		chromedp.Navigate(page+"?chapter=2&t=75"),
		chromedp.WaitVisible(chromedp.CSS(marked)),
	); err != nil {
		t.Fatal(err)
	}
	id := attr(t, ctx, marked, "id")
	chapter := run(t, ctx, chromedp.Value(chromedp.CSS("#chapter")))
	title := run(t, ctx, chromedp.Title())
	if id != want || chapter != "1" || title != "Schism" {
		t.Errorf("?chapter=2&t=75 highlights %q in chapter index %s (%q); the sync map says %q (begins %.3f s)", id, chapter, title, want, wantBegin)
	}
	// Exactly one span is marked, and it is on screen.
	count := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[aria-current="true"]').length`))
	inView := run(t, ctx, chromedp.Evaluate[bool](`(function(){var r=document.querySelector('[aria-current="true"]').getBoundingClientRect();return r.top>=0&&r.bottom<=innerHeight})()`))
	if count != 1 || !inView {
		t.Errorf("%d spans marked; in view: %v", count, inView)
	}

	shot := run(t, ctx, chromedp.CaptureScreenshot())
	shotPath := filepath.Join(t.ArtifactDir(), "readalong-chapter2-75s.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shotPath)

	// The audio element is at 75 s once it has loaded (the expression
	// is falsy, and polled again, until then).
	at := run(t, ctx, chromedp.Poll[float64](`(function(){var a=document.getElementById("player");return a.readyState>=1&&a.currentTime})()`, every))
	if math.Abs(at-75) > 0.5 {
		t.Errorf("player at %.2f s, want 75", at)
	}

	// Clicking another sentence seeks there, plays and marks it.
	target, targetBegin := expected(t, strings.TrimSuffix(second.Path, ".mp3")+".json", 20)
	// Centred, so that the sticky player bar does not cover it.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).scrollIntoView({block: "center"})`, target)))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#"+target))); err != nil {
		t.Fatal(err)
	}
	at = run(t, ctx, chromedp.Poll[float64](fmt.Sprintf(`(function(){var t=document.getElementById("player").currentTime;return t>=%f&&t<%f&&t})()`, targetBegin-0.05, targetBegin+5), every))
	now := attr(t, ctx, marked, "id")
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("player").pause()`))
	if now != target {
		t.Errorf("after clicking %s (player at %.2f s), %s is marked", target, at, now)
	}

	// The position is remembered: the page opened with no address
	// parameters comes back to chapter 2 near where it was paused.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(marked)),
	); err != nil {
		t.Fatal(err)
	}
	back := run(t, ctx, chromedp.Value(chromedp.CSS("#chapter")))
	backAt := run(t, ctx, chromedp.Poll[float64](`(function(){var a=document.getElementById("player");return a.readyState>=1&&a.currentTime})()`, every))
	if back != "1" || backAt < targetBegin-0.1 || backAt > targetBegin+10 {
		t.Errorf("reopened at chapter index %s, %.2f s; left at chapter index 1 after %.2f s", back, backAt, targetBegin)
	}
}

// every polls a page's state on a timer: animation frames, the default,
// do not run in a headless tab that is not painting.
var every = chromedp.WithPollingInterval(50 * time.Millisecond)

// run runs one browser action and returns its value.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	return run(t, ctx, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}
