package mix

import (
	"math"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
)

type collect struct{ s []float32 }

// testLevels are the ACX-window levels the tests mix at; Silence is left
// at 0 for DefaultSilence.
var testLevels = Levels{TargetRMS: -20, Ceiling: -3, RoomTone: -75}

func (c *collect) Write(s []float32) error { c.s = append(c.s, s...); return nil }

const rate = 22050

// tone is speech stand-in: a sine with silent margins, like engine output.
func tone(d time.Duration, margin time.Duration, amp float64) pcm.Buffer {
	n := pcm.N(rate, d)
	m := pcm.N(rate, margin)
	s := make([]float32, n+2*m)
	for i := 0; i < n; i++ {
		s[m+i] = float32(amp * math.Sin(2*math.Pi*220*float64(i)/rate))
	}
	return pcm.Buffer{Rate: rate, Samples: s}
}

var testPauses = Pauses{Span: 100 * time.Millisecond, Paragraph: 500 * time.Millisecond, Speaker: 700 * time.Millisecond,
	Scene: 2 * time.Second, Title: time.Second, ChapterStart: 300 * time.Millisecond, ChapterEnd: 1500 * time.Millisecond}

func TestPacing(t *testing.T) {
	sink := &collect{}
	c := NewChapter(sink, rate, testPauses, testLevels)
	second := time.Second
	pieces := []Piece{
		{Audio: tone(second, 200*time.Millisecond, 0.5), Role: Title, Para: -1},
		{Audio: tone(second, 200*time.Millisecond, 0.5), Para: 0},
		{Audio: tone(second, 0, 0.5), Para: 0, Speaker: "Ann"},
		{Audio: tone(second, 0, 0.5), Para: 1, Speaker: "Bob"},
		{Role: Scene, Para: 2},
		{Audio: tone(second, 0, 0.5), Para: 3},
	}
	var marks []Mark
	for _, p := range pieces {
		m, err := c.Add(p)
		if err != nil {
			t.Fatal(err)
		}
		marks = append(marks, m)
	}
	total, err := c.Close()
	if err != nil {
		t.Fatal(err)
	}
	gap := func(i, j int) time.Duration { return marks[j].Start - marks[i].End }
	near := func(name string, got, want time.Duration) {
		t.Helper()
		if d := got - want; d < -15*time.Millisecond || d > 15*time.Millisecond {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	near("chapter start", marks[0].Start, testPauses.ChapterStart)
	near("after title", gap(0, 1), testPauses.Title)
	near("same paragraph", gap(1, 2), testPauses.Span)
	near("speaker change", gap(2, 3), testPauses.Speaker)
	near("scene break", gap(3, 5), testPauses.Scene)
	near("chapter end", total-marks[5].End, testPauses.ChapterEnd)
	// Trimmed: each piece is its one second of tone, not its margins.
	near("trimmed title", marks[0].End-marks[0].Start, time.Second)
	if got := pcm.D(rate, len(sink.s)); got != total {
		t.Errorf("wrote %v, reported %v", got, total)
	}
}

func TestLevels(t *testing.T) {
	for _, amp := range []float64{0.02, 0.2, 0.9} {
		sink := &collect{}
		c := NewChapter(sink, rate, Pauses{}, testLevels)
		if _, err := c.Add(Piece{Audio: tone(time.Second, 0, amp)}); err != nil {
			t.Fatal(err)
		}
		rms := pcm.DB(pcm.RMS(sink.s))
		peak := pcm.DB(float64(pcm.Peak(sink.s)))
		// A sine's peak is 3 dB above its RMS, so the target RMS is reachable.
		if math.Abs(rms-testLevels.TargetRMS) > 0.2 || peak > testLevels.Ceiling+0.01 {
			t.Errorf("input amplitude %v: RMS %.2f dBFS, peak %.2f dBFS", amp, rms, peak)
		}
	}
}

func TestRateMismatch(t *testing.T) {
	c := NewChapter(&collect{}, 44100, Pauses{}, testLevels)
	if _, err := c.Add(Piece{Audio: tone(time.Second, 0, 0.5)}); err == nil {
		t.Error("a 22050 Hz piece in a 44100 Hz chapter was accepted")
	}
}

func TestSilentPieceAddsNothing(t *testing.T) {
	sink := &collect{}
	c := NewChapter(sink, rate, testPauses, testLevels)
	c.Add(Piece{Audio: pcm.Buffer{Rate: rate, Samples: make([]float32, rate)}})
	if len(sink.s) != 0 {
		t.Errorf("silence wrote %d samples", len(sink.s))
	}
}

func TestRoomTone(t *testing.T) {
	for _, db := range []float64{-75, -65} {
		sink := &collect{}
		c := NewChapter(sink, rate, Pauses{ChapterEnd: 2 * time.Second}, Levels{TargetRMS: -20, Ceiling: -3, Silence: -50, RoomTone: db})
		c.Close()
		got := pcm.DB(pcm.RMS(sink.s))
		if math.Abs(got-db) > 1 {
			t.Errorf("room tone at %v dBFS measures %.1f dBFS", db, got)
		}
		again := &collect{}
		c = NewChapter(again, rate, Pauses{ChapterEnd: 2 * time.Second}, Levels{TargetRMS: -20, Ceiling: -3, Silence: -50, RoomTone: db})
		c.Close()
		for i := range sink.s {
			if sink.s[i] != again.s[i] {
				t.Fatal("room tone is not deterministic")
			}
		}
	}
	sink := &collect{}
	c := NewChapter(sink, rate, Pauses{ChapterEnd: time.Second}, Levels{TargetRMS: -20, Ceiling: -3, Silence: -50, RoomTone: -120})
	c.Close()
	if pcm.Peak(sink.s) != 0 {
		t.Error("room tone off is not digital silence")
	}
}
