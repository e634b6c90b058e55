package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/reader"
)

// chapterLine is what narrate's plain-text reader takes for a chapter
// heading; titles that do not look like one get a "Chapter N:" prefix so
// that the text splits into the EPUB's chapters.
var chapterLine = regexp.MustCompile(`(?i)^(chapter|prologue|epilogue)\b`)

// plainText writes the chapters narrate reads from the book at src as a
// plain-text book, stopping after the chapter in which maxWords is
// reached (0: the whole book). Both narrate and the espeak-ng baseline
// then read the same words. It returns the number of words and chapters
// written.
func plainText(src, dst string, maxWords int) (words, chapters int, err error) {
	b, err := reader.Open(src, reader.Options{})
	if err != nil {
		return 0, 0, err
	}
	var sb strings.Builder
	for i := range b.Chapters {
		ch := &b.Chapters[i]
		paras := ch.Paragraphs
		title := strings.Join(strings.Fields(ch.Title), " ")
		if len(paras) > 0 && paras[0].Kind == book.Heading {
			// The chapter's own heading line becomes the title line.
			paras = paras[1:]
		}
		if title == "" {
			title = fmt.Sprintf("Chapter %d", i+1)
		}
		if !chapterLine.MatchString(title) {
			title = fmt.Sprintf("Chapter %d: %s", i+1, title)
		}
		sb.WriteString(title + "\n\n")
		words += len(strings.Fields(title))
		for _, p := range paras {
			if p.Kind == book.Note {
				continue
			}
			text := strings.Join(strings.Fields(ch.Source(p)), " ")
			if p.Kind == book.Break {
				text = "* * *"
			} else {
				words += len(strings.Fields(text))
			}
			sb.WriteString(text + "\n\n")
		}
		chapters++
		if maxWords > 0 && words >= maxWords {
			break
		}
	}
	return words, chapters, os.WriteFile(dst, []byte(sb.String()), 0o644)
}

// edit is a one-paragraph change of a plain-text book.
type edit struct {
	Text string
	// Chapter is the title line of the chapter the edit falls in, and
	// ChapterShare that chapter's share of the book's words: a changed
	// chapter is mixed and encoded again as a whole, so the edit costs
	// about this share of a cold render.
	Chapter      string
	ChapterShare float64
}

// editParagraph changes one word in the paragraph at the middle of the
// book by text position (the first paragraph of at least 40 words from
// there): its k-th word (k >= 1, every third word from the sixth)
// becomes "kaleidoscope". Different k give different edits of the same
// paragraph, so consecutive edits touch only that paragraph's chapter.
func editParagraph(text string, k int) (edit, error) {
	paras := strings.Split(text, "\n\n")
	at, mid := 0, len(paras)
	for i, p := range paras {
		if at+len(p) >= len(text)/2 {
			mid = i
			break
		}
		at += len(p) + 2
	}
	for i := mid; i < len(paras); i++ {
		words := strings.Fields(paras[i])
		if len(words) < 40 || chapterLine.MatchString(paras[i]) {
			continue
		}
		j := 5 + 3*k
		if j >= len(words) {
			return edit{}, fmt.Errorf("paragraph %d has only %d words", i, len(words))
		}
		words[j] = "kaleidoscope"
		paras[i] = strings.Join(words, " ")
		e := edit{Text: strings.Join(paras, "\n\n")}
		// The chapter: from the last title line before the paragraph to
		// the next one.
		first := 0
		for c := i; c >= 0; c-- {
			if chapterLine.MatchString(paras[c]) {
				first = c
				break
			}
		}
		e.Chapter = paras[first]
		n := 0
		for c := first; c < len(paras); c++ {
			if c > first && chapterLine.MatchString(paras[c]) {
				break
			}
			n += len(strings.Fields(paras[c]))
		}
		e.ChapterShare = float64(n) / float64(max(1, len(strings.Fields(text))))
		return e, nil
	}
	return edit{}, fmt.Errorf("no paragraph of 40 words after the middle")
}

func countWords(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return len(strings.Fields(string(data))), nil
}
