// Package speechtag reads the speech tags of languages other than
// English: the few words of narration that say who speaks a quotation
// ("sagte Maria", "répondit-il", "—dijo Juan", "сказала она"). Each
// language's verbs of saying and subject pronouns are closed classes, so
// a short list per language recognises most tags; English, whose tags are
// read by the full attribution sieve, has none here.
package speechtag

import (
	"strings"
	"unicode"

	"github.com/narrate-audio/narrate/segment/lang"
)

// Lexicon holds one language's verbs of saying and subject pronouns.
type Lexicon struct {
	// verbs maps a lower-case verb form to the speaker's gender its form
	// shows ("" when it shows none, as in most languages).
	verbs map[string]string
	// pronouns maps a lower-case third-person subject pronoun to its
	// gender; first-person ones map to "narrator".
	pronouns map[string]string
	// articles maps a definite article to the gender it shows.
	articles map[string]string
}

// Narrator is the gender For reports for a first-person pronoun ("je",
// "ich", "yo"): the speaker is the book's narrator.
const Narrator = "narrator"

// For returns the lexicon of the BCP 47 language tag, or nil for English
// and for languages it does not know.
func For(tag string) *Lexicon {
	return lexicons[lang.Base(tag)]
}

// Tag is a speech tag found next to a quotation.
type Tag struct {
	// Name is the speaker's name when the tag gives one ("Maria"), or
	// the role it names them by ("la mère").
	Name string
	// Gender is what the tag tells of the speaker without a name: the
	// pronoun's gender, or the verb's in languages that inflect it
	// ("сказала"); Narrator for a first-person pronoun.
	Gender string
	// Start and End are the tag's byte offsets in the text it was read
	// from: the verb and its subject.
	Start, End int
}

// After reads a tag at the start of text, the narration right after a
// quotation: verb then subject ("sagte Maria", "dit-il", "dijo Juan"), or
// subject then verb ("Maria sagte", "она сказала").
func (l *Lexicon) After(text string) (Tag, bool) {
	ws := words(text, 4)
	if len(ws) < 1 {
		return Tag{}, false
	}
	if g, ok := l.verbs[ws[0].lower]; ok {
		t := Tag{Gender: g, Start: ws[0].start, End: ws[0].end}
		if g == Narrator {
			return t, true // "pregunté a Ana": the narrator asks her
		}
		if len(ws) > 1 && ws[1].start-ws[0].end <= 1 {
			if l.subject(ws[1], &t) {
				return t, true
			}
		}
		// A subject may follow a reflexive or an object pronoun
		// ("s'écria-t-il" splits as s'écria, t, il).
		if len(ws) > 2 && ws[1].lower == "t" && l.subject(ws[2], &t) {
			return t, true
		}
		if len(ws) > 2 && ws[1].start-ws[0].end <= 1 && ws[2].start-ws[1].end <= 1 {
			if g, ok := l.articles[ws[1].lower]; ok && !l.isVerbOrPronoun(ws[2]) {
				// "dit la mère", "sagte der Vater": someone named by role.
				t.Name = ws[1].lower + " " + ws[2].text
				if g != "" {
					t.Gender = g
				}
				t.End = ws[2].end
				return t, true
			}
		}
		return t, true // "—dijo." with the subject dropped
	}
	if len(ws) > 1 {
		if g, ok := l.verbs[ws[1].lower]; ok {
			t := Tag{Gender: g, Start: ws[0].start, End: ws[1].end}
			if l.subject(ws[0], &t) {
				return t, true
			}
		}
	}
	return Tag{}, false
}

// Before reads a tag at the end of text, the narration right before a
// quotation, closed by a colon or a comma: "Maria sagte:", "Juan dijo:",
// "Puis Pierre demanda :".
func (l *Lexicon) Before(text string) (Tag, bool) {
	t := strings.TrimRight(text, " \t\r\n\u00a0\u202f—–―")
	if !strings.HasSuffix(t, ":") && !strings.HasSuffix(t, ",") {
		return Tag{}, false
	}
	ws := words(lastClause(t), 0)
	n := len(ws)
	if n == 0 {
		return Tag{}, false
	}
	if g, ok := l.verbs[ws[n-1].lower]; ok && n > 1 {
		tag := Tag{Gender: g, Start: ws[n-2].start, End: ws[n-1].end}
		if l.subject(ws[n-2], &tag) {
			return tag, true
		}
	}
	if n > 1 {
		if g, ok := l.verbs[ws[n-2].lower]; ok {
			tag := Tag{Gender: g, Start: ws[n-2].start, End: ws[n-1].end}
			if l.subject(ws[n-1], &tag) {
				return tag, true
			}
		}
	}
	return Tag{}, false
}

// Incise finds a tag that narration sets inside the quotation marks, as
// French does ("« Tu vois, dit Claire, il pleut. »"): a comma, a verb of
// saying and its subject, up to the next comma or full stop. It returns
// the byte offsets of the incise in quoted, or ok false.
func (l *Lexicon) Incise(quoted string) (start, end int, ok bool) {
	for i := 0; i < len(quoted); i++ {
		if quoted[i] != ',' {
			continue
		}
		rest := quoted[i+1:]
		t, found := l.After(rest)
		if !found || (t.Name == "" && t.Gender == "") || strings.TrimSpace(rest[:t.Start]) != "" {
			continue
		}
		// The incise runs to the punctuation that closes it, a few
		// words at most ("dit Claire en souriant,").
		stop := strings.IndexAny(rest[t.End:], ",.;!?")
		if stop < 0 {
			stop = len(rest) - t.End
		}
		if len(strings.Fields(rest[t.End:t.End+stop])) > 4 {
			continue
		}
		end = i + 1 + t.End + stop
		if end < len(quoted) {
			end++
		}
		return i + 1, end, true
	}
	return 0, 0, false
}

func (l *Lexicon) isVerbOrPronoun(w word) bool {
	_, v := l.verbs[w.lower]
	_, p := l.pronouns[w.lower]
	return v || p
}

// subject fills t from w when w is a subject: a pronoun, or a name
// (a capitalised word that is not a pronoun).
func (l *Lexicon) subject(w word, t *Tag) bool {
	if g, ok := l.pronouns[w.lower]; ok {
		if g != "" {
			t.Gender = g
		}
		t.End = max(t.End, w.end)
		t.Start = min(t.Start, w.start)
		return true
	}
	r := []rune(w.text)
	if len(r) > 1 && unicode.IsUpper(r[0]) {
		t.Name = w.text
		t.End = max(t.End, w.end)
		t.Start = min(t.Start, w.start)
		return true
	}
	return false
}

type word struct {
	text, lower string
	start, end  int
}

// words splits text into words at anything but letters, apostrophes
// inside words and hyphens; French inversions split too ("dit-il" is
// dit, il). n > 0 stops after n words, or at the first sentence end.
func words(text string, n int) []word {
	var out []word
	start := -1
	for i, r := range text + " " {
		letter := unicode.IsLetter(r) || unicode.IsMark(r) || ((r == '\'' || r == '’') && start >= 0)
		if letter && start < 0 {
			start = i
		}
		if !letter && start >= 0 {
			w := strings.TrimRight(text[start:i], "'’")
			out = append(out, word{text: w, lower: strings.ToLower(w), start: start, end: start + len(w)})
			start = -1
			if n > 0 && len(out) == n {
				break
			}
		}
		if n > 0 && start < 0 && (r == '.' || r == '!' || r == '?' || r == ';') && len(out) > 0 {
			break
		}
	}
	return out
}

// lastClause returns what follows the last sentence end of t.
func lastClause(t string) string {
	if i := strings.LastIndexAny(t, ".!?;"); i >= 0 {
		return t[i+1:]
	}
	return t
}
