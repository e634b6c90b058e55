package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/narrate-audio/narrate/segment/book"
)

// Detection reads a bounded sample, however long the book: a few windows
// spread over it, each guessed on its own, then a vote. Spreading the
// windows keeps an English licence header or a foreign preface from
// deciding the language of a whole book, and the bound keeps detection
// at about 10 ms a book (whatlanggo's trigram ranking grows with the
// text, and its confidence is meaningless past a few kilobytes).
const (
	windows    = 9
	windowSize = 2 << 10 // bytes
	// minLetters is the least text worth guessing from: below it a
	// trigram model mostly sees names.
	minLetters = 40
	// minConfidence is the least whatlanggo confidence a window's guess
	// needs to vote. Its own "reliable" threshold, 0.8, turns away
	// correct guesses on a sentence or two of Portuguese (0.71 on the
	// tests' passage); wrong guesses on such text score far lower.
	minConfidence = 0.5
)

// Guess is the language detected in a text.
type Guess struct {
	Tag string
	// Share is the fraction of the sampled windows that agreed.
	Share float64
}

// Detect guesses the language of text. ok is false when the text is too
// short, has no letters, or its windows disagree.
func Detect(text string) (Guess, bool) {
	return vote(sample([]string{text}))
}

// DetectBook guesses the language of a book from its prose paragraphs
// (headings and notes are left out: they are short and often in another
// language, such as "Chapter 1" over French prose).
func DetectBook(b *book.Book) (Guess, bool) {
	var paras []string
	for i := range b.Chapters {
		ch := &b.Chapters[i]
		for _, p := range ch.Paragraphs {
			if p.Kind == book.Prose && p.Start >= 0 && p.Start <= p.End && p.End <= len(ch.Text) {
				paras = append(paras, ch.Text[p.Start:p.End])
			}
		}
	}
	return vote(sample(paras))
}

// sample cuts up to windows windows of about windowSize bytes, evenly
// spaced over the concatenation of parts.
func sample(parts []string) []string {
	total := 0
	for _, p := range parts {
		total += len(p) + 1
	}
	if total <= windows*windowSize {
		// Short texts are cut into equal windows too: whatlanggo's
		// guess on more than a few kilobytes at once goes astray (a
		// 13 KB English story came out as Yoruba).
		buf := make([]byte, 0, total)
		for _, p := range parts {
			buf = append(buf, p...)
			buf = append(buf, ' ')
		}
		text := string(buf)
		n := (len(text) + windowSize - 1) / windowSize
		var out []string
		for k := n; k > 0; k-- {
			cut := runeStart(text, len(text)/k)
			if k == 1 {
				cut = len(text)
			}
			out = append(out, text[:cut])
			text = text[cut:]
		}
		return out
	}
	var out []string
	step := total / windows
	pos, pi := 0, 0 // start of parts[pi] in the concatenation
	for w := 0; w < windows; w++ {
		target := w*step + (step-windowSize)/2
		for pi < len(parts) && pos+len(parts[pi])+1 <= target {
			pos += len(parts[pi]) + 1
			pi++
		}
		var buf []byte
		for j := pi; j < len(parts) && len(buf) < windowSize; j++ {
			p := parts[j]
			if j == pi && target > pos {
				p = p[runeStart(p, min(target-pos, len(p))):]
			}
			buf = append(buf, p[:runeStart(p, min(len(p), windowSize-len(buf)))]...)
			buf = append(buf, ' ')
		}
		out = append(out, string(buf))
	}
	return out
}

// vote detects each window and keeps the language most windows agree on
// with confidence; it needs more than half of the windows that have
// enough letters. Share is over the windows read.
func vote(ws []string) (Guess, bool) {
	counts := map[string]int{}
	voters := 0
	for _, w := range ws {
		if letters(w) < minLetters {
			continue
		}
		voters++
		info := whatlanggo.DetectWithOptions(w, whatlanggo.Options{Blacklist: impossible(w)})
		if info.Lang < 0 || info.Confidence < minConfidence {
			continue
		}
		tag := info.Lang.Iso6391()
		if tag == "" {
			tag = info.Lang.Iso6393()
		}
		if t, err := Canonical(tag); err == nil {
			counts[t]++
			if 2*counts[t] > len(ws) {
				// A majority of all windows already: the rest cannot
				// change the outcome (typically 5 of 9 windows are read).
				break
			}
		}
	}
	best, n := "", 0
	for t, c := range counts {
		if c > n || c == n && t < best {
			best, n = t, c
		}
	}
	if voters == 0 || 2*n <= voters {
		return Guess{}, false
	}
	return Guess{Tag: best, Share: float64(n) / float64(voters)}, true
}

// runeStart moves i back to the start of the rune it is in, so that
// windows stay valid UTF-8.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// letters counts letters, stopping once there are enough; a window cut
// mid-rune only loses that rune.
func letters(s string) int {
	n := 0
	for i := 0; i < len(s) && n < minLetters; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			n++
		}
		i += size
	}
	return n
}

// whatlanggo's trigram profiles confuse languages of one script that
// share most trigrams (Russian and Bulgarian, Swedish and Danish), even
// with high confidence. Their alphabets tell them apart: a language is
// ruled out when the text has letters its alphabet lacks but a
// neighbour's has. Letters outside a group's alphabets say nothing.
var alphabets = []map[whatlanggo.Lang]string{
	{
		whatlanggo.Rus: "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
		whatlanggo.Bul: "абвгдежзийклмнопрстуфхцчшщъьюя",
		whatlanggo.Ukr: "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
		whatlanggo.Bel: "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
		whatlanggo.Srp: "абвгдђежзијклљмнњопрстћуфхцчџш",
		whatlanggo.Mkd: "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
	},
	{
		whatlanggo.Swe: "åäö",
		whatlanggo.Dan: "æøå",
		whatlanggo.Nob: "æøå",
	},
}

// impossible lists the languages whose alphabet lacks letters of s that
// a neighbouring language has.
func impossible(s string) map[whatlanggo.Lang]bool {
	// One letter in a sentence, a few in a page: a page may quote a
	// foreign name.
	need := 1 + len(s)/1024
	counts := map[rune]int{}
	for _, r := range s {
		if r >= 0x80 { // every letter of the groups is outside ASCII
			counts[unicode.ToLower(r)]++
		}
	}
	var out map[whatlanggo.Lang]bool
	for _, group := range alphabets {
		union := ""
		for _, a := range group {
			union += a
		}
		for l, a := range group {
			foreign := 0
			for r, n := range counts {
				if strings.ContainsRune(union, r) && !strings.ContainsRune(a, r) {
					foreign += n
				}
			}
			if foreign >= need {
				if out == nil {
					out = map[whatlanggo.Lang]bool{}
				}
				out[l] = true
			}
		}
	}
	return out
}
