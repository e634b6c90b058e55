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
// name with their full stop ("Mrs. Allonby", "MR. HASTINGS").
var labelTitles = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "rev": true,
	"mme": true, "mlle": true, "messrs": true, "capt": true, "col": true, "gen": true, "lt": true,
	"sgt": true, "prof": true, "hon": true, "sen": true, "gov": true}

// markSpeeches finds the speeches of a book that is a play set as text
// and marks their paragraphs as the EPUB markup of one would: speaker,
// the name's extent, and the bracketed stage directions inside. In a
// book whose markup names the speakers, it only writes names set in
// capitals as the text writes them.
func markSpeeches(b *book.Book) {
	// The book's spellings are read only for a name set in capitals:
	// most books have none, and reading them costs a pass over the text.
	var spell map[string]string
	written := func(name string) string {
		if spell == nil && allCaps(name) {
			spell = spellings(b)
		}
		return displayName(name, spell)
	}
	counts := map[string]int{}
	sentences := map[string]int{} // speeches of each name that end as sentences do
	var labels []string           // of each prose paragraph, "" for none
	marked := false
	for ch, p := range proseParagraphs(b) {
		if p.Speaker != "" {
			marked = true
			continue
		}
		text := ch.Text[p.Start:p.End]
		name, _, ok := speechLabel(text)
		key := ""
		if ok {
			key = speakerKey(name)
			counts[key]++
			if endsSentence(text) {
				sentences[key]++
			}
		}
		labels = append(labels, key)
	}
	if marked {
		for ci := range b.Chapters {
			for pi := range b.Chapters[ci].Paragraphs {
				if p := &b.Chapters[ci].Paragraphs[pi]; p.Speaker != "" {
					p.Speaker = written(p.Speaker)
				}
			}
		}
		return
	}
	// A name is a speaker's when it heads speeches again and again, and
	// what follows it reads as sentences ("Serves: 8" does not).
	speaker := func(key string) bool { return counts[key] >= minRecurring && sentences[key]*2 > counts[key] }
	recurring, labelled, runs := 0, 0, 0
	for key := range counts {
		if speaker(key) {
			recurring++
		}
	}
	for i, l := range labels {
		if l == "" || !speaker(l) {
			continue
		}
		labelled++
		if i > 0 && labels[i-1] != "" && speaker(labels[i-1]) {
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
			// In a play, a name that heads two speeches is a speaker's
			// too; one heading a single line ("ACT II. The Garden")
			// is not.
			name, end, ok := speechLabel(ch.Text[p.Start:p.End])
			if !ok || counts[speakerKey(name)] < 2 {
				continue
			}
			p.Speaker, p.Label = written(name), p.Start+end
			p.Directions = bracketed(ch.Text, p.Label, p.End)
		}
	}
}

// endsSentence reports text that ends as a sentence does, its last mark
// a full stop, question or exclamation mark, dash or ellipsis (closing
// quotes and brackets aside).
func endsSentence(text string) bool {
	t := strings.TrimRightFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("\"'”’)]»", r)
	})
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".!?…—-", r)
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
		if notName(word) {
			return "", 0, false
		}
		switch {
		case text[k] == ':' || (text[k] == '.' && !labelTitles[strings.ToLower(word)]):
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

// notName reports a word that heads numbered sections or the parts of
// a play, not speeches: a single letter ("A.", "Q:"), a Roman numeral
// ("IV."), "Act" or "Scene".
func notName(word string) bool {
	if utf8.RuneCountInString(word) == 1 {
		return true
	}
	switch strings.ToLower(word) {
	case "act", "scene":
		return true
	}
	return strings.Trim(strings.ToLower(word), "ivxlcdm") == ""
}

// speakerKey folds the case of a name, as plays set the same name in
// capitals and in small capitals turned to text.
func speakerKey(name string) string { return strings.ToLower(name) }

func allCaps(s string) bool {
	return strings.ContainsFunc(s, unicode.IsLetter) && !strings.ContainsFunc(s, unicode.IsLower)
}

// displayName writes a name set in capitals as the text writes it
// ("LADY BRACKNELL" as "Lady Bracknell", "O'BRIEN" as "O'Brien"), so
// that it meets the name in the narration: each word as the book most
// often spells it in mixed case, else capitalised after apostrophes and
// hyphens.
func displayName(name string, spell map[string]string) string {
	if !allCaps(name) {
		return name
	}
	words := strings.Fields(name)
	for i, w := range words {
		if s, ok := spell[strings.ToLower(w)]; ok {
			words[i] = s
			continue
		}
		var b strings.Builder
		upper := true
		for _, r := range w {
			if upper {
				b.WriteRune(r)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			upper = r == '\'' || r == '’' || r == '-'
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

// spellings maps each word of the book, folded to lower case, to its
// most frequent spelling that starts with a capital and is not all
// capitals ("obrien" to "O'Brien").
func spellings(b *book.Book) map[string]string {
	counts := map[string]map[string]int{}
	for ci := range b.Chapters {
		ch := &b.Chapters[ci]
		for _, p := range ch.Paragraphs {
			for _, w := range strings.FieldsFunc(ch.Text[p.Start:p.End], func(r rune) bool {
				return !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-'
			}) {
				w = strings.Trim(w, "'’-")
				r, _ := utf8.DecodeRuneInString(w)
				if !unicode.IsUpper(r) || allCaps(w) {
					continue
				}
				k := strings.ToLower(w)
				if counts[k] == nil {
					counts[k] = map[string]int{}
				}
				counts[k][w]++
			}
		}
	}
	out := make(map[string]string, len(counts))
	for k, forms := range counts {
		best, n := "", 0
		for f, c := range forms {
			if c > n || (c == n && f < best) {
				best, n = f, c
			}
		}
		out[k] = best
	}
	return out
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
			continue // an unclosed bracket: look for the next one
		}
		out = append(out, [2]int{i, i + 1 + j + 1})
		i += j + 1
	}
	return out
}
