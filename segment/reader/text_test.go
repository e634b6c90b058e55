package reader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment/book"
)

func TestHeadingTitle(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
	}{
		{"Chapter 12", true},
		{"CHAPTER IV.", true},
		{"Chapter One", true},
		{"Chapter Twenty-One: The Return", true},
		{"Chapter 3: Where It Began", true},
		{"Prologue", true},
		{"EPILOGUE", true},
		{"Part 2 - Away", true},
		{"Chapter", false},
		{"Chapter and verse were quoted at him for an hour.", false},
		{"Part two of the plan was simple, and everyone agreed it would work.", false},
		{"Prologues are rarely read by anyone.", false},
		{`"Chapter 1," she said.`, false},
		{"He read Chapter 4 twice.", false},
		{"Chapitre 3", true},
		{"CHAPITRE XII. Le retour", true},
		{"Kapitel 2: Die Reise", true},
		{"Глава 4", true},
		{"Capítulo 1", true},
		{"Capítulo uno", true},
		{"CHAPITRE DEUX", true},
		{"Kapitel drei: Der Fluss", true},
		{"Capitolo primo", true},
		{"Глава первая", true},
		{"ЧАСТЬ ВТОРАЯ. Москва", true},
		{"Rozdział pierwszy", true},
		{"Erstes Kapitel", true},
		{"Zweiter Teil: Die Stadt", true},
		{"Première partie", true},
		{"Primera parte", true},
		{"Erstes Kapitel eines langen Buches las sie immer wieder, bis sie es auswendig konnte.", false},
		{"Primera parte de la herencia era para su hermana, y la segunda para él.", false},
		{"Глава первой семьи была строгой и молчаливой женщиной с тяжёлым взглядом.", false},
		{"Parte dos de la historia era sencilla y todos estaban de acuerdo.", false},
		{"Teil 2 des Plans war einfach, und alle waren sich einig.", false},
		{"Chapitre premier de la vie de quelqu'un qui parle beaucoup trop.", false},
	}
	for _, tt := range tests {
		_, ok := headingTitle(tt.line)
		if ok != tt.ok {
			t.Errorf("headingTitle(%q) = %v, want %v", tt.line, ok, tt.ok)
		}
	}
}

func TestSceneBreak(t *testing.T) {
	for _, s := range []string{"***", "* * *", "~*~*~", "#", "-o-", "oOo", "~~~", "* ~ *", "◇ ◇ ◇"} {
		if !IsSceneBreak(s) {
			t.Errorf("IsSceneBreak(%q) = false", s)
		}
	}
	for _, s := range []string{"Hello", "1999", "A - B", "I", "* note: see above"} {
		if IsSceneBreak(s) {
			t.Errorf("IsSceneBreak(%q) = true", s)
		}
	}
}

func read(t *testing.T, text string) *book.Book {
	t.Helper()
	b, err := Read("test.txt", []byte(text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func titles(b *book.Book) []string {
	var out []string
	for _, c := range b.Chapters {
		out = append(out, c.Title)
	}
	return out
}

func TestChapters(t *testing.T) {
	tests := []struct {
		name, text string
		title      string
		chapters   []string
	}{
		{"no headings is one chapter", "It was a dark night.\n\nThe end came soon.\n", "", []string{"Chapter 1"}},
		{"numbered", "My Book\n\nChapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n", "My Book", []string{"Chapter 1", "Chapter 2"}},
		{"roman with subtitle line", "CHAPTER I.\nDOWN THE HOLE\n\nText.\n\nCHAPTER II.\nTHE POOL\n\nMore.\n", "", []string{"CHAPTER I. DOWN THE HOLE", "CHAPTER II. THE POOL"}},
		{"bare heading then title paragraph", "CHAPTER I.\n\nDown the Rabbit-Hole\n\nAlice was tired.\n", "", []string{"CHAPTER I.: Down the Rabbit-Hole"}},
		{"prologue and epilogue", "Prologue\n\nBefore.\n\nChapter One\n\nDuring.\n\nEpilogue\n\nAfter.\n", "", []string{"Prologue", "Chapter One", "Epilogue"}},
		{"CRLF", "Title\r\n\r\nChapter 1\r\n\r\nOne line.\r\n\r\nChapter 2\r\n\r\nTwo.\r\n", "Title", []string{"Chapter 1", "Chapter 2"}},
		{"table of contents is skipped", "Contents\n\nChapter 1\n\nChapter 2\n\nChapter 1\n\nReal one.\n\nChapter 2\n\nReal two.\n", "Contents", []string{"Chapter 1", "Chapter 2"}},
		{"long opening becomes a chapter", strings.Repeat("word ", 50) + "\n\nChapter 1\n\nText.\n", "", []string{"Chapter 1", "Chapter 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := read(t, tt.text)
			if b.Title != tt.title {
				t.Errorf("title %q, want %q", b.Title, tt.title)
			}
			if got := titles(b); strings.Join(got, "|") != strings.Join(tt.chapters, "|") {
				t.Errorf("chapters %q, want %q", got, tt.chapters)
			}
			for _, c := range b.Chapters {
				for _, p := range c.Paragraphs {
					if s := c.Source(p); strings.TrimSpace(s) != s || s == "" {
						t.Errorf("paragraph %q not trimmed", s)
					}
				}
			}
		})
	}
}

func TestAO3(t *testing.T) {
	text := "Actions\n\nWork Header\n\nRating: Teen\nFandom: Original Work\n\nThe Long Way\n\nSummary:\n\nA trip.\n\n" +
		"Notes:\n\nThanks to my beta!\n\nChapter Text\n\nThey left at dawn.\n\n~*~*~\n\nChapter Text\n\nThey came back.\n\n~*~*~\n"
	b := read(t, text)
	if b.Title != "The Long Way" || b.Summary != "A trip." {
		t.Errorf("title %q summary %q", b.Title, b.Summary)
	}
	if got := titles(b); strings.Join(got, "|") != "Chapter 1|Chapter 2" {
		t.Fatalf("chapters %q", got)
	}
	for _, c := range b.Chapters {
		for _, p := range c.Paragraphs {
			if p.Kind != book.Prose {
				t.Errorf("chapter %q keeps a %v paragraph %q (breaks at chapter ends are dropped)", c.Title, p.Kind, c.Source(p))
			}
			if strings.Contains(c.Source(p), "beta") {
				t.Errorf("author's note read by default")
			}
		}
	}
	withNotes, err := Read("x.txt", []byte(text), Options{Notes: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(withNotes.Chapters[0].Source(withNotes.Chapters[0].Paragraphs[0]), "beta") {
		t.Errorf("Notes: true did not keep the note")
	}

	download := "The Long Way\nPosted originally on the Archive of Our Own at https://archiveofourown.org/works/1.\n\n" +
		"Rating: General Audiences\nLanguage: English\n\nThe Long Way\nby someone\n\nChapter 1: Dawn\n\nChapter Text\n\nThey left.\n\nChapter 2: Dusk\n\nChapter Notes\n\nShort one.\n\nChapter Text\n\nThey came back.\n"
	b = read(t, download)
	if got := titles(b); strings.Join(got, "|") != "Chapter 1: Dawn|Chapter 2: Dusk" || b.Title != "The Long Way" || len(b.Authors) != 1 || b.Authors[0] != "someone" {
		t.Errorf("download layout: title %q authors %q chapters %q", b.Title, b.Authors, got)
	}
}

func TestOffsetsAreFileBytes(t *testing.T) {
	text := "\ufeffTitle\r\n\r\nChapter 1\r\n\r\n“Hi,” she said.\r\nStill here.\r\n"
	b := read(t, text)
	for _, c := range b.Chapters {
		for _, p := range c.Paragraphs {
			if text[p.Start:p.End] != c.Source(p) {
				t.Errorf("paragraph offsets do not index the file")
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path string
		want       string
		is         error
	}{
		{"missing", filepath.Join(dir, "nope.txt"), "no such file", nil},
		{"directory", dir, "is a directory", nil},
		{"empty", write("empty.txt", nil), "empty", ErrEmpty},
		{"whitespace", write("ws.txt", []byte(" \n\t\r\n  \n")), "empty", ErrEmpty},
		{"binary", write("bin.txt", []byte("ab\x00\x01\x02cd")), "binary", ErrBinary},
		{"latin1", write("l1.txt", []byte("Hello\nna\xefve caf\xe9\n")), "byte offset 8", nil},
		{"decoration only", write("deco.txt", []byte("***\n\n~*~*~\n")), "no readable text", ErrNoText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.path, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, tt.path) {
				t.Errorf("error %q: want it to name %q and mention %q", msg, tt.path, tt.want)
			}
			if strings.Count(msg, "\n") > 0 {
				t.Errorf("error spans lines: %q", msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
	// The same bytes read with the right encoding.
	b, err := Open(filepath.Join(dir, "l1.txt"), Options{Encoding: "latin1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Chapters[0].Text; !strings.Contains(got, "naïve café") {
		t.Errorf("latin1 text %q", got)
	}
}

func FuzzReadText(f *testing.F) {
	f.Add("Title\n\nChapter 1\n\n\"Hi,\" she said.\n\n* * *\n\nChapter 2\n\nBye.\n")
	f.Add("Actions\n\nWork Header\n\nT\n\nChapter Text\n\nx\n\n~*~*~\n")
	f.Add("\ufeffCHAPTER I.\r\nTITLE\r\n\r\ntext\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		b, err := Read("fuzz.txt", []byte(text), Options{})
		if err != nil {
			return
		}
		for _, c := range b.Chapters {
			prev := 0
			for _, p := range c.Paragraphs {
				if p.Start < prev || p.End < p.Start || p.End > len(c.Text) {
					t.Fatalf("bad paragraph %+v in %d bytes", p, len(c.Text))
				}
				prev = p.End
			}
		}
	})
}

func TestGutenbergBoilerplate(t *testing.T) {
	text := "The Project Gutenberg eBook of A Tale\n\nThis ebook is for the use of anyone anywhere.\n\n" +
		"*** START OF THE PROJECT GUTENBERG EBOOK A TALE ***\n\nA Tale\n\nby Someone\n\nCHAPTER I.\n\nOnce upon a time.\n\n" +
		"CHAPTER II.\n\nThe end.\n\n*** END OF THE PROJECT GUTENBERG EBOOK A TALE ***\n\nSection 1. General Terms of Use.\n"
	b := read(t, text)
	if b.Title != "A Tale" || len(b.Authors) != 1 || b.Authors[0] != "Someone" {
		t.Errorf("title %q authors %q", b.Title, b.Authors)
	}
	// Gutenberg's own header lines name the title and author outright.
	g := read(t, "Title: Hard Times\n\nAuthor: Charles Dickens\n\nCHAPTER I\n\nNow, what I want is, Facts.\n")
	if g.Title != "Hard Times" || len(g.Authors) != 1 || g.Authors[0] != "Charles Dickens" {
		t.Errorf("header lines: title %q authors %q", g.Title, g.Authors)
	}
	if got := titles(b); strings.Join(got, "|") != "CHAPTER I.|CHAPTER II." {
		t.Errorf("chapters %q", got)
	}
	for _, c := range b.Chapters {
		for _, p := range c.Paragraphs {
			if strings.Contains(c.Source(p), "Gutenberg") || strings.Contains(c.Source(p), "Terms of Use") {
				t.Errorf("licence text read: %q", c.Source(p))
			}
		}
	}
}
