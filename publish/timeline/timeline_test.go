package timeline

import (
	"reflect"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
)

func TestBuild(t *testing.T) {
	text := "Chapter One\n\n\"Hi,\" he said.\n\n* * *\n\nThe end."
	bc := book.Chapter{Title: "One", Text: text, Origin: "c1.xhtml", Paragraphs: []book.Paragraph{
		{Kind: book.Heading, Start: 0, End: 11}, {Start: 13, End: 27}, {Kind: book.Break, Start: 29, End: 34}, {Start: 36, End: 44}}}
	b := &book.Book{Title: "T", Chapters: []book.Chapter{bc}}
	chs, _ := segment.Book(b, segment.Options{})
	if n := len(chs[0].Spans); n != 5 {
		t.Fatalf("%d spans: %+v", n, chs[0].Spans)
	}
	ms := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	// Span 4 ("The end.") was spoken in two pieces; span 2 ("he said.")
	// made no sound, so it has no cue.
	cues := []Cue{{-1, ms(0), ms(500)}, {0, ms(600), ms(1000)}, {1, ms(1100), ms(1400)}, {4, ms(3000), ms(3500)}, {4, ms(3600), ms(4000)}}
	tl, err := Build(b, chs, []Audio{{File: "01.mp3", Duration: ms(4500), Full: ms(4500), Cues: cues}}, "N")
	if err != nil {
		t.Fatal(err)
	}
	ch := tl.Chapters[0]
	if ch.Origin != "c1.xhtml" || ch.Audio != "01.mp3" || tl.Narrator != "N" {
		t.Errorf("chapter %+v", ch)
	}
	var got []string
	for _, blk := range ch.Blocks {
		var parts []string
		for _, p := range blk.Pieces {
			parts = append(parts, p.ID+"="+p.Text)
		}
		got = append(got, blk.Kind.String()+":"+join(parts))
	}
	// The quotation marks are the book's text around the dialogue span:
	// shown, not part of it.
	want := []string{"heading:title=One", "heading:s0=Chapter One", `prose:="|s1=Hi,|=" |=he said.`, "break:=* * *", "prose:s4=The end."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocks\n%q\nwant\n%q", got, want)
	}
	spoken := ch.Spoken()
	if len(spoken) != 4 || spoken[3].Begin != ms(3000) || spoken[3].End != ms(4000) {
		t.Errorf("spoken %+v", spoken)
	}
	if _, err := Build(b, chs, nil, ""); err == nil {
		t.Error("built without audio")
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "|"
		}
		out += x
	}
	return out
}

func TestSquash(t *testing.T) {
	for in, want := range map[string]string{"a \n\t b": "a b", " x ": " x ", "\n": " ", "": ""} {
		if got := Squash(in); got != want {
			t.Errorf("Squash(%q) = %q, want %q", in, got, want)
		}
	}
}
