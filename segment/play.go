package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/segment/book"
)

// speech makes the spans of a play's speech: the speaker's lines as
// dialogue in their name, the stage directions inside it as narration.
// The name that heads the speech is not read: the voice changes instead.
func speech(ch *book.Chapter, p book.Paragraph, pi int) []Span {
	var spans []Span
	add := func(kind Kind, from, to int) {
		// Spans hold words: no edge spaces, nothing of punctuation alone
		// (the full stop a direction leaves behind).
		seg := ch.Text[from:to]
		from += len(seg) - len(strings.TrimLeftFunc(seg, unicode.IsSpace))
		to -= len(seg) - len(strings.TrimRightFunc(seg, unicode.IsSpace))
		if from >= to || !strings.ContainsFunc(ch.Text[from:to], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return
		}
		s := Span{Kind: kind, Start: from, End: to, Para: pi}
		if kind == Dialogue {
			s.Speaker = p.Speaker
		}
		spans = append(spans, s)
	}
	at := max(p.Start, min(p.Label, p.End))
	for _, d := range p.Directions {
		from, to := max(d[0], at), min(d[1], p.End)
		if from >= to {
			continue
		}
		add(Dialogue, at, from)
		add(Narration, from, to)
		at = to
	}
	add(Dialogue, at, p.End)
	return spans
}

// Plays set as text head each speech with its speaker's name and a full
// stop or a colon ("ALGERNON. Did you hear?", "Lady Bracknell: Good
// afternoon."), and set stage directions in brackets or parentheses.
const (
	// maxLabelWords bounds a speaker's name ("FIRST CITIZEN", "Lady
	// Bracknell", "Mrs. Allonby").
	maxLabelWords = 4
	// A book is a play when at least this share of its prose paragraphs
	// open with a name that heads minRecurring speeches or more, at least
	// two such names do, and most such paragraphs follow another (one
	// speaker answers another): prose opens a paragraph with a bare name
	// and a full stop, or a note with "Note:", now and then, not a third
	// of the time in runs.
	playShare    = 0.3
	minRecurring = 3
)

// labelTitles are the abbreviations that may stand inside a speaker's
// name with their full stop.
var labelTitles = map[string]bool{"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "St": true, "Rev": true, "Mme": true, "Mlle": true, "Messrs": true}

// markSpeeches finds the speeches of a book that is a play set as text
// and marks their paragraphs as the EPUB markup of one would: speaker,
// the name's extent, and the bracketed stage directions inside. It
// leaves a book whose markup already names speakers as it is.
func markSpeeches(b *book.Book) {
	counts := map[string]int{}
	var labels []string // of each prose paragraph, "" for none
	for ch, p := range proseParagraphs(b) {
		if p.Speaker != "" {
			return
		}
		name, _, ok := speechLabel(ch.Text[p.Start:p.End])
		if ok {
			counts[speakerKey(name)]++
		}
		labels = append(labels, speakerKey(name))
	}
	recurring, labelled, runs := 0, 0, 0
	for _, n := range counts {
		if n >= minRecurring {
			recurring++
		}
	}
	for i, l := range labels {
		if counts[l] < minRecurring {
			continue
		}
		labelled++
		if i > 0 && counts[labels[i-1]] >= minRecurring {
			runs++
		}
	}
	if recurring < 2 || float64(labelled) < playShare*float64(len(labels)) || runs*2 < labelled {
		return
	}
	for ci := range b.Chapters {
		ch := &b.Chapters[ci]
		for pi := range ch.Paragraphs {
			p := &ch.Paragraphs[pi]
			if p.Kind != book.Prose {
				continue
			}
			name, end, ok := speechLabel(ch.Text[p.Start:p.End])
			if !ok || (counts[speakerKey(name)] < 2 && !allCaps(name)) {
				continue
			}
			p.Speaker, p.Label = displayName(name), p.Start+end
			p.Directions = bracketed(ch.Text, p.Label, p.End)
		}
	}
}

// speechLabel reads the speaker's name that opens a speech, and where
// the name and its mark end.
func speechLabel(text string) (name string, end int, ok bool) {
	i, words := 0, 0
	for {
		j := i
		for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		r, _ := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsUpper(r) {
			return "", 0, false
		}
		k := j
		for k < len(text) {
			r, size := utf8.DecodeRuneInString(text[k:])
			if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' {
				break
			}
			k += size
		}
		word := text[j:k]
		if words++; words > maxLabelWords || k >= len(text) {
			return "", 0, false
		}
		switch {
		case text[k] == ':' || (text[k] == '.' && !labelTitles[word]):
			rest := text[k+1:]
			if trimmed := strings.TrimLeft(rest, " \t\n"); trimmed == "" || len(trimmed) == len(rest) {
				// A name alone, or "Mr.Smith": no speech follows.
				return "", 0, false
			}
			return strings.TrimSpace(text[:k]), k + 1, true
		case text[k] == '.':
			i = k + 1 // "Mrs." inside the name
		case text[k] == ' ':
			i = k
		default:
			return "", 0, false
		}
	}
}

// speakerKey folds the case of a name, as plays set the same name in
// capitals and in small capitals turned to text.
func speakerKey(name string) string { return strings.ToLower(name) }

func allCaps(s string) bool {
	return strings.ContainsFunc(s, unicode.IsLetter) && !strings.ContainsFunc(s, unicode.IsLower)
}

// displayName writes a name set in capitals as the text writes names
// ("LADY BRACKNELL" as "Lady Bracknell"), so that it meets the name in
// the stage directions.
func displayName(name string) string {
	if !allCaps(name) {
		return name
	}
	words := strings.Fields(name)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(r) + strings.ToLower(w[size:])
	}
	return strings.Join(words, " ")
}

// bracketed finds the stage directions of a speech set as text: the
// passages in square brackets or parentheses between from and to.
func bracketed(text string, from, to int) [][2]int {
	var out [][2]int
	for i := from; i < to; i++ {
		var closer byte
		switch text[i] {
		case '[':
			closer = ']'
		case '(':
			closer = ')'
		default:
			continue
		}
		j := strings.IndexByte(text[i+1:to], closer)
		if j < 0 {
			break
		}
		out = append(out, [2]int{i, i + 1 + j + 1})
		i += j + 1
	}
	return out
}
