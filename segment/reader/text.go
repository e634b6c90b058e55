package reader

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/segment/book"
)

// block is a run of non-blank lines in a plain-text file.
type block struct {
	start, end int // byte offsets into the file, trimmed of surrounding blank space
}

// splitBlocks cuts text into blocks separated by blank lines. A line that
// holds only spaces, tabs or a carriage return counts as blank, so CRLF
// files split like LF files.
func splitBlocks(text string) []block {
	var blocks []block
	start := -1 // start of the current block, -1 outside one
	lastEnd := 0
	for pos := 0; pos < len(text); {
		nl := strings.IndexByte(text[pos:], '\n')
		lineEnd := len(text)
		next := len(text)
		if nl >= 0 {
			lineEnd = pos + nl
			next = lineEnd + 1
		}
		line := text[pos:lineEnd]
		if strings.TrimSpace(line) == "" {
			if start >= 0 {
				blocks = append(blocks, block{start, lastEnd})
				start = -1
			}
		} else {
			if start < 0 {
				start = pos + (len(line) - len(strings.TrimLeft(line, " \t\ufeff")))
			}
			lastEnd = pos + len(strings.TrimRight(line, " \t\r"))
		}
		pos = next
	}
	if start >= 0 {
		blocks = append(blocks, block{start, lastEnd})
	}
	return blocks
}

var (
	// "Chapter 12", "CHAPTER IV.", "Chapter One: The Start", "Part 2 - Away",
	// and the same with a number in books in other languages ("Chapitre
	// 3", "KAPITEL IV", "Глава 2"): the reader does not know the book's
	// language yet. The number ends at a space, a mark or the line's
	// end as well as at \b, which only knows ASCII words ("Глава
	// первая").
	numberedHeading = regexp.MustCompile(`(?i)^(chapter|chap\.|part|book|volume|` + otherHeadingWords + `)\s+([0-9]+|[ivxlcdm]+|` + numberWords + `)(?:\b|[\s.:\-–—]|$)\s*[.:\-–—]?\s*(.*)$`)
	// The ordinal first, as German, French, Spanish, Italian and
	// Portuguese also write them ("Erstes Kapitel", "Première partie",
	// "Primera parte").
	ordinalHeading = regexp.MustCompile(`(?i)^(` + ordinalsFirst + `)\s+(kapitel|teil|buch|chapitre|partie|livre|capítulo|parte|libro|capitolo)\b\s*[.:\-–—]?\s*(.*)$`)
	// Headings that are chapters without a number.
	namedHeading = regexp.MustCompile(`(?i)^(prologue|epilogue|preface|foreword|introduction|afterword|interlude)\b\s*[.:\-–—]?\s*(.*)$`)
	// Scene-break decoration: a short line of symbols such as "***",
	// "* * *", "~*~*~", "#", "-o-", "oOo".
	sceneBreak = regexp.MustCompile(`^(?:[*~#=+_\-•·◇◆○●§※⁂ ]{1,40}|[\-~=*]*\s*(?:o\s*O\s*o|x\s*X\s*x)\s*[\-~=*]*|[\-~=*]+\s*[oOxX]\s*[\-~=*]+)$`)
)

// otherHeadingWords are the words for chapter, part and book in the
// languages of lang's chapter titles that write them before the number.
const otherHeadingWords = `chapitre|partie|livre|kapitel|teil|buch|capítulo|capitulo|capitolo|capítol|capitolul|parte|libro|hoofdstuk|deel|boek|kapittel|luku|rozdział|kapitola|глава|часть|книга|розділ|κεφάλαιο|bölüm|caput`

const numberWords = `one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|thirty|forty|fifty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|` + otherNumberWords

// otherNumberWords are the numbers up to twelve, and the first ordinals,
// in the languages of otherHeadingWords that spell them ("Capítulo
// uno", "Chapitre deux", "Kapitel drei"); Russian and Polish write
// ordinals ("Глава первая", "Rozdział pierwszy").
const otherNumberWords = `uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|primero|primera|segundo|segunda|tercero|tercera|` +
	`un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|premier|première|deuxième|troisième|` +
	`eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|` +
	`due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|primo|prima|terzo|` +
	`um|dois|três|sete|oito|dez|doze|primeiro|terceiro|` +
	`первая|вторая|третья|четвёртая|четвертая|пятая|шестая|седьмая|восьмая|девятая|десятая|` +
	`pierwszy|drugi|trzeci|czwarty|piąty|szósty|siódmy|ósmy|dziewiąty|dziesiąty`

const ordinalsFirst = `erstes|zweites|drittes|viertes|fünftes|sechstes|siebtes|siebentes|achtes|neuntes|zehntes|erster|zweiter|dritter|` +
	`premier|première|deuxième|troisième|quatrième|cinquième|second|seconde|` +
	`primer|primera|segundo|segunda|tercer|tercera|cuarto|cuarta|quinto|quinta|` +
	`primo|prima|secondo|seconda|terzo|terza|quarto|quarta|` +
	`primeiro|primeira|terceiro|terceira`

// IsSceneBreak reports whether a line is scene-break decoration.
func IsSceneBreak(line string) bool {
	line = strings.TrimSpace(line)
	if line == "" || !sceneBreak.MatchString(line) {
		return false
	}
	// A lone dash or hyphen line is usually not a break, but any line made
	// of at least three marks, or a short ornament, is.
	return len([]rune(strings.ReplaceAll(line, " ", ""))) >= 1 && !strings.ContainsAny(line, "0123456789")
}

// headingTitle recognises a chapter heading line. It returns the title
// the listener should hear and whether the line is a heading.
func headingTitle(line string) (title string, ok bool) {
	line = strings.TrimSpace(line)
	if len(line) > 100 || strings.ContainsAny(line, "\"“”") {
		return "", false
	}
	if m := numberedHeading.FindStringSubmatch(line); m != nil {
		if !looksLikeTitle(m[3]) {
			return "", false
		}
		return line, true
	}
	if m := ordinalHeading.FindStringSubmatch(line); m != nil {
		if !looksLikeTitle(m[3]) {
			return "", false
		}
		return line, true
	}
	if m := namedHeading.FindStringSubmatch(line); m != nil {
		if !looksLikeTitle(m[2]) {
			return "", false
		}
		return line, true
	}
	return "", false
}

// looksLikeTitle reports whether the rest of a heading line after
// "Chapter 3" can be a title and not the rest of a prose sentence, as in
// "Part two of the plan was simple."
func looksLikeTitle(rest string) bool {
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return true
	}
	if len(rest) > 80 {
		return false
	}
	words := strings.Fields(rest)
	r, _ := utf8.DecodeRuneInString(rest)
	if unicode.IsLower(r) && len(words) > 2 {
		return false
	}
	return !(strings.HasSuffix(rest, ".") && len(words) > 8)
}

// looksLikeSubtitle reports whether a block following a bare "Chapter 4"
// heading is that chapter's title ("Down the Rabbit-Hole") and not prose.
func looksLikeSubtitle(s string) bool {
	if strings.Contains(s, "\n") || len(s) > 70 || strings.ContainsAny(s, "\"“”‘") || len(strings.Fields(s)) > 10 {
		return false
	}
	// Titles rarely end like sentences; prose almost always does.
	if strings.ContainsAny(s[len(s)-1:], ".,;:!?") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// ao3Meta are the labels of the metadata lines in AO3's work header, in
// both the downloaded text and a copy of the web page.
var ao3Meta = regexp.MustCompile(`^(Rating|Archive Warnings?|Categor(y|ies)|Fandoms?|Relationships?|Characters?|Additional Tags|Language|Series|Collections?|Stats|Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits):`)

// ao3Footer are lines of AO3's page chrome that can trail a copied work.
var ao3Footer = map[string]bool{
	"Actions": true, "Work Header": true, "Kudos": true, "Comments": true,
	"Bookmark": true, "Share": true, "Afterword": true, "Back to top": true,
	"Please drop by the archive and comment to let the creator know if you enjoyed their work!": true,
}

// parseText builds a book from a plain-text file. Chapters start at
// heading lines; a file without headings is one chapter. AO3 text exports
// are recognised by their header and "Chapter Text" markers.
func parseText(path, text string, o Options) (*book.Book, error) {
	blocks := gutenbergBody(text, splitBlocks(text))
	if len(blocks) == 0 {
		return nil, &book.Error{Op: "read", Path: path, Err: ErrEmpty}
	}
	b := &book.Book{Source: path}
	lines := func(bl block) []string { return strings.Split(text[bl.start:bl.end], "\n") }
	first := func(bl block) string { return strings.TrimSpace(lines(bl)[0]) }

	ao3 := isAO3(text, blocks)
	var chapters []book.Chapter
	var cur *book.Chapter
	// preamble collects blocks before the first heading.
	var preamble []book.Paragraph
	inNotes := false // inside an AO3 notes section

	add := func(p book.Paragraph) {
		if cur == nil {
			preamble = append(preamble, p)
			return
		}
		cur.Paragraphs = append(cur.Paragraphs, p)
	}
	startChapter := func(title string, heading *book.Paragraph) {
		chapters = append(chapters, book.Chapter{Title: title, Text: text})
		cur = &chapters[len(chapters)-1]
		if heading != nil {
			cur.Paragraphs = append(cur.Paragraphs, *heading)
		}
		inNotes = false
	}

	for i := 0; i < len(blocks); i++ {
		bl := blocks[i]
		src := text[bl.start:bl.end]
		line0 := first(bl)
		single := !strings.Contains(src, "\n")

		if ao3 {
			switch {
			case single && ao3Footer[line0]:
				continue
			case ao3Meta.MatchString(line0) && cur == nil:
				continue
			case single && line0 == "Chapter Text":
				// AO3 marks the start of each chapter's body. A "Chapter 3:
				// Title" heading may already have opened the chapter, with
				// only notes since.
				if cur != nil && !hasKind(cur, book.Prose) && cur.Title != "" {
					inNotes = false
					continue
				}
				startChapter("", nil)
				continue
			case single && (line0 == "Notes:" || line0 == "Notes" || line0 == "Chapter Notes" || line0 == "End Notes" || line0 == "Summary:" || line0 == "Summary" || strings.HasPrefix(line0, "See the end of the chapter for")):
				inNotes = !strings.HasPrefix(line0, "Summary")
				if !inNotes {
					// The summary is metadata, kept for tags.
					if i+1 < len(blocks) {
						b.Summary = strings.TrimSpace(text[blocks[i+1].start:blocks[i+1].end])
						i++
					}
				}
				continue
			case cur == nil && !inNotes && !isHeading(line0) && len(lines(bl)) <= 3:
				// The header's title, "by" and "Posted originally" lines.
				readTitleBlock(b, text, []book.Paragraph{{Kind: book.Prose, Start: bl.start, End: bl.end}})
				continue
			}
		}

		if single && IsSceneBreak(line0) {
			add(book.Paragraph{Kind: book.Break, Start: bl.start, End: bl.end})
			continue
		}
		if title, ok := headingTitle(line0); ok && len(lines(bl)) <= 3 {
			heading := book.Paragraph{Kind: book.Heading, Start: bl.start, End: bl.end}
			full := strings.Join(strings.Fields(src), " ")
			if single && i+1 < len(blocks) && isBare(title) {
				// "CHAPTER I." followed by its title on a line of its own.
				next := text[blocks[i+1].start:blocks[i+1].end]
				if looksLikeSubtitle(next) {
					if _, nextIsHeading := headingTitle(next); !nextIsHeading && !IsSceneBreak(next) {
						add := book.Paragraph{Kind: book.Heading, Start: blocks[i+1].start, End: blocks[i+1].end}
						startChapter(title+": "+strings.TrimSpace(next), &heading)
						cur.Paragraphs = append(cur.Paragraphs, add)
						i++
						continue
					}
				}
			}
			if !single {
				title = full
			}
			startChapter(title, &heading)
			continue
		}
		kind := book.Prose
		if inNotes {
			kind = book.Note
		}
		add(book.Paragraph{Kind: kind, Start: bl.start, End: bl.end})
	}

	// Notes before the first chapter (AO3's work notes) open it.
	var notes []book.Paragraph
	rest := preamble[:0:0]
	for _, p := range preamble {
		if p.Kind == book.Note {
			notes = append(notes, p)
		} else {
			rest = append(rest, p)
		}
	}
	preamble = rest
	if len(notes) > 0 && len(chapters) > 0 {
		chapters[0].Paragraphs = append(notes, chapters[0].Paragraphs...)
	}
	// Text before the first heading: a real opening becomes its own
	// chapter; a short title block only names the book.
	if len(preamble) > 0 {
		if proseWords(text, preamble) >= 40 || len(chapters) == 0 {
			ch := book.Chapter{Text: text, Paragraphs: preamble}
			chapters = append([]book.Chapter{ch}, chapters...)
		} else {
			readTitleBlock(b, text, preamble)
		}
	}

	for _, ch := range chapters {
		ch.Paragraphs = trimBreaks(ch.Paragraphs)
		if !o.Notes {
			ch.Paragraphs = dropNotes(ch.Paragraphs)
		}
		if !hasKind(&ch, book.Prose) && !(o.Notes && hasKind(&ch, book.Note)) {
			// Tables of contents made of heading lines, and headings with
			// nothing under them, give no audio.
			continue
		}
		b.Chapters = append(b.Chapters, ch)
	}
	if len(b.Chapters) == 0 {
		return nil, &book.Error{Op: "read", Path: path, Err: ErrNoText}
	}
	for i := range b.Chapters {
		if b.Chapters[i].Title == "" {
			if len(b.Chapters) == 1 && b.Title != "" {
				b.Chapters[i].Title = b.Title
			} else {
				b.Chapters[i].Title = fmt.Sprintf("Chapter %d", i+1)
				b.Chapters[i].Untitled = true
			}
		}
	}
	return b, nil
}

// isBare reports whether a heading is only a label and number, with no
// title of its own ("Chapter 4", "CHAPTER IV.").
func isBare(title string) bool {
	if m := numberedHeading.FindStringSubmatch(title); m != nil {
		return strings.TrimSpace(m[3]) == ""
	}
	if m := ordinalHeading.FindStringSubmatch(title); m != nil {
		return strings.TrimSpace(m[3]) == ""
	}
	if m := namedHeading.FindStringSubmatch(title); m != nil {
		return strings.TrimSpace(m[2]) == ""
	}
	return false
}

func hasKind(c *book.Chapter, k book.Kind) bool {
	for _, p := range c.Paragraphs {
		if p.Kind == k {
			return true
		}
	}
	return false
}

func isHeading(line string) bool {
	_, ok := headingTitle(line)
	return ok
}

func proseWords(text string, ps []book.Paragraph) int {
	n := 0
	for _, p := range ps {
		if p.Kind == book.Prose {
			n += len(strings.Fields(text[p.Start:p.End]))
		}
	}
	return n
}

// trimBreaks drops scene breaks at the start and end of a chapter (AO3
// closes every chapter with one) and collapses repeated breaks.
func trimBreaks(ps []book.Paragraph) []book.Paragraph {
	out := ps[:0:0]
	for _, p := range ps {
		if p.Kind == book.Break && (len(out) == 0 || out[len(out)-1].Kind == book.Break || out[len(out)-1].Kind == book.Heading) {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 0 && out[len(out)-1].Kind == book.Break {
		out = out[:len(out)-1]
	}
	return out
}

func dropNotes(ps []book.Paragraph) []book.Paragraph {
	out := ps[:0:0]
	for _, p := range ps {
		if p.Kind != book.Note {
			out = append(out, p)
		}
	}
	return out
}

// isAO3 recognises AO3's text layouts: the official download ("Posted
// originally on the Archive of Our Own") and a copy of the work page
// ("Work Header" ... "Chapter Text").
func isAO3(text string, blocks []block) bool {
	head := text[:min(len(text), 4096)]
	if strings.Contains(head, "Posted originally on the Archive of Our Own") {
		return true
	}
	for _, bl := range blocks {
		if strings.TrimSpace(text[bl.start:bl.end]) == "Chapter Text" {
			return true
		}
	}
	return false
}

// readTitleBlock takes the book's title and author from the short lines
// before the first chapter: the first line is the title, a "by ..." line
// names the author; Project Gutenberg's "Title: ..." and "Author: ..."
// lines say so outright.
func readTitleBlock(b *book.Book, text string, ps []book.Paragraph) {
	for _, p := range ps {
		if p.Kind != book.Prose {
			continue
		}
		for _, line := range strings.Split(text[p.Start:p.End], "\n") {
			line = strings.TrimSpace(line)
			field, value, labelled := strings.Cut(line, ":")
			value = strings.TrimSpace(value)
			switch {
			case line == "":
			case labelled && field == "Title" && value != "":
				b.Title = value
			case labelled && field == "Author" && value != "":
				b.Authors = []string{value}
			case len(b.Authors) == 0 && (strings.HasPrefix(line, "by ") || strings.HasPrefix(line, "By ")):
				b.Authors = append(b.Authors, strings.TrimSpace(line[3:]))
			case b.Title == "":
				b.Title = line
			}
		}
	}
}

// gutenbergBody drops the licence header and footer of a Project
// Gutenberg text: everything up to the "*** START OF THE PROJECT GUTENBERG
// EBOOK ... ***" line and from the "*** END OF ..." line on. Offsets are
// unchanged, since blocks index the whole file.
func gutenbergBody(text string, blocks []block) []block {
	start, end := -1, len(blocks)
	for i, bl := range blocks {
		line := strings.ToUpper(strings.TrimSpace(text[bl.start:bl.end]))
		if !strings.HasPrefix(line, "***") || !strings.Contains(line, "PROJECT GUTENBERG") {
			continue
		}
		switch {
		case strings.Contains(line, "*** START OF") && start < 0:
			start = i
		case strings.Contains(line, "*** END OF") && start >= 0:
			end = i
		}
		if end < len(blocks) {
			break
		}
	}
	if start < 0 {
		return blocks
	}
	return blocks[start+1 : end]
}
