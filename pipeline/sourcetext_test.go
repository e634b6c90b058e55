package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/reader"
	"github.com/narrate-audio/narrate/segment/speech"
)

// TestCaptionsShowSourceText renders a book whose spoken form differs
// from its text: the subtitles and the sync map's text say what the book
// says, and the sync map keeps what was spoken beside it.
func TestCaptionsShowSourceText(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	dir := t.TempDir()
	in := filepath.Join(dir, "book.txt")
	long := strings.Repeat("Dr. Watson counted 42 lamps on Baker St. that night. ", 30)
	text := "Chapter One\n\nMr. Tobias Finch arrived in 1887.\n\n\"It is 3 o'clock,\" said Mrs. Finch.\n\n" + long + "\n"
	if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := reader.Open(in, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	chs, _ := segment.Book(b, segment.Options{Speech: speech.New(speech.Options{})})
	o := options(&speechBackend{rate: 24000}, newCache(t))
	o.Subtitles = true
	o.Chunk = 200 // split the long paragraph into several pieces
	out := filepath.Join(dir, "out")
	res, err := Render(context.Background(), b, chs, out, o)
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(res.Files[0].Path, ".mp3")
	var sm syncMap
	data, err := os.ReadFile(base + ".json")
	if err != nil || json.Unmarshal(data, &sm) != nil {
		t.Fatalf("sync map: %v", err)
	}
	srt, _ := os.ReadFile(base + ".srt")
	vtt, _ := os.ReadFile(base + ".vtt")
	for _, want := range []string{"Mr. Tobias Finch arrived in 1887.", "said Mrs. Finch."} {
		if !strings.Contains(string(srt), want) || !strings.Contains(string(vtt), want) {
			t.Errorf("subtitles lack the book's words %q:\n%s", want, srt)
		}
	}
	if strings.Contains(string(srt), "Mister") || strings.Contains(string(srt), "eighteen") {
		t.Errorf("subtitles show the spoken form:\n%s", srt)
	}
	found := false
	var longText []string
	for _, c := range sm.Cues {
		if c.Text == "Mr. Tobias Finch arrived in 1887." {
			found = true
			if !strings.Contains(c.Speech, "Mister") || !strings.Contains(c.Speech, "eighteen") {
				t.Errorf("sync map speech %q is not the spoken form", c.Speech)
			}
		}
		if c.Index >= 0 {
			// The cue's text is the source at its offsets.
			if got := flat(b.Chapters[0].Text[c.SourceStart:c.SourceEnd]); got != c.Text {
				t.Errorf("cue text %q, source at its offsets %q", c.Text, got)
			}
		}
		if strings.HasPrefix(c.Text, "Dr.") || (len(longText) > 0 && c.Index == sm.Cues[len(sm.Cues)-1].Index) {
			longText = append(longText, c.Text)
		}
	}
	if !found {
		t.Errorf("no cue with the book's sentence: %+v", sm.Cues)
	}
	// The split paragraph's pieces show all of its words, in order.
	if len(longText) < 2 || strings.Join(longText, " ") != flat(long) {
		t.Errorf("split span shows %d pieces %q", len(longText), longText)
	}
}

func TestSourceCuts(t *testing.T) {
	for _, tc := range []struct {
		src    string
		pieces []string
	}{
		{"one two three four", []string{"one two", "three four"}},
		{"Mr. Finch came. He sat down at 3.", []string{"Mister Finch came.", "He sat down at three."}},
		{"nospaceatall", []string{"a", "b", "c"}},
		{"é é é é", []string{"e e", "e e"}},
		{"", []string{""}},
	} {
		cuts := sourceCuts(tc.src, tc.pieces)
		if len(cuts) != len(tc.pieces)+1 || cuts[0] != 0 || cuts[len(cuts)-1] != len(tc.src) {
			t.Errorf("%q: cuts %v", tc.src, cuts)
			continue
		}
		for k := 1; k < len(cuts); k++ {
			if cuts[k] < cuts[k-1] || (cuts[k] < len(tc.src) && !isRuneStart(tc.src[cuts[k]])) {
				t.Errorf("%q: cuts %v", tc.src, cuts)
			}
		}
	}
	if c := sourceCuts("Mr. Finch came. He sat down at 3.", []string{"Mister Finch came.", "He sat down at three."}); c[1] != 15 {
		t.Errorf("cut at %d, want the sentence end 15", c[1])
	}
}
