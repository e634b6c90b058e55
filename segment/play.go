package segment

import (
	"strings"
	"unicode"

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
