package readalong

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/publish/timeline"
	"github.com/narrate-audio/narrate/segment/book"
)

// TestRenderHostileText renders text that would break out of the page's
// markup or script, and file names that are not plain URLs: the page
// holds them as data.
func TestRenderHostileText(t *testing.T) {
	b := &timeline.Book{Title: `</title><script>alert(1)</script>`, Language: "not a tag!", Chapters: []timeline.Chapter{{
		Number: 1, Audio: "01 - a:b #1 100%.mp3", Duration: 2 * time.Second,
		Blocks: []timeline.Block{{Kind: book.Prose, Pieces: []timeline.Piece{
			{Text: "She wrote </script><b>\n“bold”", ID: "s0", Begin: 0, End: time.Second},
			{Text: " & left.", ID: ""},
		}}},
	}}}
	page, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if strings.Count(html, "<script") != 2 || strings.Count(html, "</script>") != 2 {
		t.Fatalf("the text opened or closed a script element:\n%s", html)
	}
	if !strings.Contains(html, `<html lang="und">`) || !strings.Contains(html, "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>") {
		t.Errorf("title or language not escaped")
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="data">(.*?)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no data")
	}
	var d data
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatal(err)
	}
	c := d.Chapters[0]
	if c.Audio != "./01%20-%20a:b%20%231%20100%25.mp3" || c.Duration != 2 {
		t.Errorf("audio %q, duration %v", c.Audio, c.Duration)
	}
	p := c.Blocks[0].Pieces
	if p[0][0] != "She wrote </script><b> “bold”" || p[0][1] != "s0" || p[0][3] != 1.0 || len(p[1]) != 1 {
		t.Errorf("pieces %q", p)
	}
	if _, err := Render(&timeline.Book{}); err == nil {
		t.Error("rendered a book without chapters")
	}
}
