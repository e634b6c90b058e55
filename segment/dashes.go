package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/segment/speechtag"
)

// Much of the world's fiction (Spanish, Portuguese, Russian, Polish,
// Italian, modern French) sets dialogue without quotation marks: a
// paragraph of speech opens with a dash, and the narrator's words inside
// it are set off by dashes too.
//
//	—No creo —dijo Juan, mirando el cielo—. Vamos a casa.
//	— Не думаю, — сказал Иван. — Пойдём домой.
//
// The first dash opens the speech; a dash after a space (" —dijo") opens
// the narrator's insert, and a dash that follows a word or is followed by
// a space ("cielo—." or ". — Пойдём") hands back to the speaker. An
// insert that no dash closes runs to the paragraph's end. Speech may also
// open in a paragraph of narration after a colon ("Juan dijo: —Vamos.",
// "Poi chiese: — Papà torna?").

// isDialogueDash reports the dashes that set off speech: the em dash,
// the horizontal bar some typesetters use for it, and the en dash that
// stands in for both.
func isDialogueDash(r rune) bool { return r == '—' || r == '―' || r == '–' }

// opensWithDash reports a paragraph that starts with a dialogue dash
// followed by a word, as a line of dash-set speech does.
func opensWithDash(text string) bool {
	text = strings.TrimLeft(text, " \t\r\n\ufeff")
	r, size := utf8.DecodeRuneInString(text)
	if !isDialogueDash(r) {
		return false
	}
	rest := strings.TrimLeft(text[size:], " \u00a0\u202f")
	w, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsLetter(w) || unicode.IsDigit(w) || w == '¿' || w == '¡' || w == '…' || w == '.'
}

// scanDashes splits a paragraph of a book that sets dialogue with dashes
// into narration and dialogue parts; tags, when the book's language has
// them, tell which dashes inside speech open the narrator's words.
func scanDashes(text string, tags *speechtag.Lexicon) []part {
	var parts []part
	emit := func(k Kind, from, to int) {
		from, to = trimSpan(text, from, to, false)
		if k == Dialogue {
			// The speech resumes after the insert's closing punctuation:
			// "—dijo Juan—. Vamos" speaks "Vamos".
			for from < to && strings.IndexByte(",.;:", text[from]) >= 0 {
				from++
			}
			from, to = trimSpan(text, from, to, false)
		}
		if from < to && hasWordChar(text[from:to]) {
			parts = append(parts, part{kind: k, start: from, end: to})
		}
	}
	// Whether words follow a dash is one comparison with the last
	// word's place, not a scan of the rest, which made a long paragraph
	// of dashes quadratic.
	lastWord := strings.LastIndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	wordsAfter := func(i int) bool { return lastWord >= i }
	speaking := false
	segStart := 0
	prev := ' '
	lead := len(text) - len(strings.TrimLeft(text, " \t\r\n\ufeff"))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next, _ := utf8.DecodeRuneInString(text[i+size:])
		if isDialogueDash(r) {
			switch {
			case i == lead && opensWithDash(text):
				speaking, segStart = true, i+size
			case speaking && unicode.IsSpace(prev) && next != utf8.RuneError && tags.DashInsert(text[i+size:]):
				// " —dijo Juan" or ", — сказал Иван": the narrator's insert.
				emit(Dialogue, segStart, i)
				speaking, segStart = false, i+size
			case !speaking && segStart > 0 && (!unicode.IsSpace(prev) || unicode.IsSpace(next) || strings.ContainsRune(",.;:", next)) && wordsAfter(i+size):
				// "cielo—. Vamos", ". — Пойдём" or "disse ela —, mas":
				// back to the speaker.
				emit(Narration, segStart, i)
				speaking, segStart = true, i+size
			case !speaking && afterColon(text[:i]) && wordsAfter(i+size):
				// "Juan dijo: —Vamos." or "Он сказал: — Пойдём."
				emit(Narration, segStart, i)
				speaking, segStart = true, i+size
			}
		}
		prev = r
		i += size
	}
	if speaking {
		emit(Dialogue, segStart, len(text))
	} else {
		emit(Narration, segStart, len(text))
	}
	return parts
}

// afterColon reports text ending in a colon and spaces, which introduces
// speech.
func afterColon(before string) bool {
	return strings.HasSuffix(strings.TrimRight(before, " \u00a0\u202f\t"), ":")
}

func hasDialogue(parts []part) bool {
	for _, p := range parts {
		if p.kind == Dialogue {
			return true
		}
	}
	return false
}
