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
	"unicode/utf8"

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
	// titles maps a lower-case title ("frau", "don", "m") to the gender
	// it shows, or "-" for none ("dr").
	titles map[string]string
	// indefinite are the indefinite articles ("una", "un", "eine").
	indefinite map[string]bool
	// objects are the object pronouns that may stand between a verb of
	// saying and its subject, or before the verb ("le dijo Juan").
	objects map[string]bool
	// commaIncises is set for a language that sets the narrator's words
	// inside speech between commas, never dashes (French): a dash in
	// its speech is the speaker's own pause or aside.
	commaIncises bool
	// abbrevs are the titles written short, which a full stop may
	// follow inside a name ("M. Dupont", "Dr. Weber"), as it may not a
	// title in full: "Pardon, monsieur. Asseyez-vous" names nobody.
	abbrevs map[string]bool
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
	// Someone is set when the subject is someone the tag does not name,
	// with an indefinite article ("dijo una voz", "dit un homme"): not
	// one of the speakers so far.
	Someone bool
}

// After reads a tag at the start of text, the narration right after a
// quotation: verb then subject ("sagte Maria", "dit-il", "dijo Juan",
// "sagte Frau Müller"), or subject then verb ("Maria sagte", "она
// сказала").
func (l *Lexicon) After(text string) (Tag, bool) {
	ws := words(text, 8)
	if len(ws) < 1 {
		return Tag{}, false
	}
	// An object pronoun may come before the verb ("la interrumpió
	// Tomás", "me demanda-t-il", "gli chiese Marco").
	if len(ws) > 1 && l.objects[ws[0].lower] && ws[1].start-ws[0].end <= 1 {
		if _, ok := l.verbs[ws[1].lower]; ok {
			t := l.verbFirst(text, ws[1:])
			t.Start = ws[0].start
			return t, true
		}
	}
	if _, ok := l.verbs[ws[0].lower]; ok {
		return l.verbFirst(text, ws), true
	}
	// The subject first: its last word is right before a verb.
	for i := 1; i < len(ws) && i <= 4; i++ {
		if g, ok := l.verbs[ws[i].lower]; ok {
			// The subject must run up to the verb: "Frau Müller sagte",
			// not "monsieur. Asseyez-vous là, dit".
			t := Tag{Gender: g, Start: ws[0].start, End: ws[0].start}
			if l.subject(text, ws[:i], 0, 1, &t) && t.End == ws[i-1].end && strings.TrimLeft(text[t.End:ws[i].start], " \u00a0") == "" {
				t.End = ws[i].end
				return t, true
			}
			break
		}
	}
	return Tag{}, false
}

// verbFirst reads the tag whose verb is ws[0]: the subject follows it,
// perhaps after an object pronoun ("ответил ему Иван", "perguntou-lhe
// o pai"), or the subject is dropped ("—dijo.").
func (l *Lexicon) verbFirst(text string, ws []word) Tag {
	g := l.verbs[ws[0].lower]
	t := Tag{Gender: g, Start: ws[0].start, End: ws[0].end}
	if g == Narrator {
		return t // "pregunté a Ana": the narrator asks her
	}
	next := func(i int) bool { return i < len(ws) && ws[i].start-ws[i-1].end <= 1 }
	if next(1) && l.subject(text, ws, 1, 1, &t) {
		return t
	}
	// A subject may follow a reflexive or an object pronoun
	// ("s'écria-t-il" splits as s'écria, t, il).
	if len(ws) > 2 && ws[1].lower == "t" && l.subject(text, ws, 2, 1, &t) {
		return t
	}
	if next(1) && l.role(text, ws, 1, &t) {
		return t
	}
	if next(1) && next(2) && l.indefinite[ws[1].lower] && !l.isVerbOrPronoun(ws[2]) {
		t.Someone, t.End = true, ws[2].end
		return t
	}
	if next(1) && l.objects[ws[1].lower] && next(2) && (l.subject(text, ws, 2, 1, &t) || l.role(text, ws, 2, &t)) {
		return t
	}
	return t
}

// role reads a subject named by an article at ws[i]: a role ("dit la
// mère", "sagte der Vater") or a title and name ("rispose il signor
// Bianchi", "dijo el señor García").
func (l *Lexicon) role(text string, ws []word, i int, t *Tag) bool {
	if i+1 >= len(ws) || ws[i+1].start-ws[i].end > 1 {
		return false
	}
	g, ok := l.articles[ws[i].lower]
	if !ok || l.isVerbOrPronoun(ws[i+1]) {
		return false
	}
	// A title, or a capitalised word that acts as one, before a name
	// ("el Sargento García"); a capitalised noun alone stays a role, as
	// German writes all nouns so ("der Vater").
	if l.isTitle(ws[i+1]) || capitalised(ws[i+1]) {
		named := *t
		if g != "" {
			named.Gender = g // "la doctora Ruiz", unless the title says
		}
		if l.subject(text, ws, i+1, 1, &named) && (l.isTitle(ws[i+1]) || strings.Contains(named.Name, " ")) {
			*t = named
			return true
		}
	}
	t.Name = ws[i].lower + " " + ws[i+1].text
	if g != "" {
		t.Gender = g
	}
	t.End = ws[i+1].end
	return true
}

// Before reads a tag at the end of text, the narration right before a
// quotation, closed by a colon or a comma: "Maria sagte:", "Juan dijo:",
// "Puis Pierre demanda :", "dijo Don Pedro:".
func (l *Lexicon) Before(text string) (Tag, bool) {
	t := strings.TrimRight(text, " \t\r\n\u00a0\u202f—–―")
	if !strings.HasSuffix(t, ":") && !strings.HasSuffix(t, ",") {
		return Tag{}, false
	}
	from := clauseStart(t)
	ws := words(t[from:], 0)
	for i := range ws {
		ws[i].start += from
		ws[i].end += from
	}
	n := len(ws)
	if n < 2 {
		return Tag{}, false
	}
	// Subject then verb: "Maria sagte:", "Frau Müller sagte:".
	if g, ok := l.verbs[ws[n-1].lower]; ok {
		tag := Tag{Gender: g, Start: ws[n-1].start, End: ws[n-1].end}
		if l.subject(t, ws[:n-1], n-2, -1, &tag) {
			return tag, true
		}
		// "Juan le dijo:", "Marco gli chiese:".
		if n > 2 && l.objects[ws[n-2].lower] && l.subject(t, ws[:n-2], n-3, -1, &tag) {
			return tag, true
		}
	}
	// Verb then subject: "dijo Juan:", "dit Madame Roux :".
	for i := n - 2; i >= 0 && i >= n-5; i-- {
		if g, ok := l.verbs[ws[i].lower]; ok {
			tag := Tag{Gender: g, Start: ws[i].start, End: ws[i].end}
			if l.subject(t, ws, i+1, 1, &tag) && tag.End == ws[n-1].end {
				return tag, true
			}
			break
		}
	}
	return Tag{}, false
}

// DashInsert reports whether a dash before text, inside a line of speech
// set with dashes, opens the narrator's words ("—dijo Juan—", "— сказал
// Иван"): in most languages any such dash does; in French only one
// followed by a speech tag ("— Oui — dit-il — je viens"), as a dash in
// French speech is the speaker's ("à cause du voisin — celui du
// cinquième").
func (l *Lexicon) DashInsert(text string) bool {
	if l == nil || !l.commaIncises {
		return true
	}
	t, ok := l.After(prefix(text, 200))
	return ok && strings.TrimSpace(text[:t.Start]) == "" && (t.Name != "" || t.Gender != "" || t.Someone)
}

// Incise finds a tag that narration sets inside the quotation marks, as
// French does ("« Tu vois, dit Claire, il pleut. »", "« Tu viens ?
// demanda-t-il. »"): a comma, or a question or exclamation mark or an
// ellipsis before a word in lower case, then a verb of saying and its
// subject, up to the next comma or full stop. It returns the byte
// offsets of the incise in quoted, or ok false.
func (l *Lexicon) Incise(quoted string) (start, end int, ok bool) {
	for i := 0; i < len(quoted); i++ {
		mark := 0
		switch {
		case quoted[i] == ',', quoted[i] == '?', quoted[i] == '!':
			mark = 1
		case strings.HasPrefix(quoted[i:], "…"):
			mark = len("…")
		case i > 0 && quoted[i-1] == ' ' && (strings.HasPrefix(quoted[i:], "—") || strings.HasPrefix(quoted[i:], "–")):
			// «Нет — сказал Иван — не пойду».
			mark = len("—")
		default:
			continue
		}
		rest := quoted[i+mark:]
		if quoted[i] != ',' {
			// After a sentence's end, only a word in lower case goes
			// on with it: "Viens ! Dit-il" is no incise.
			w, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest, " \u00a0\u202f"))
			if !unicode.IsLower(w) {
				continue
			}
		}
		// A tag's words are close to its comma: reading at most a line
		// after each comma keeps a long speech full of commas linear.
		t, found := l.After(prefix(rest, 200))
		// Russian and Polish set the incise off with dashes too: «Нет,
		// — сказал Иван, — я не пойду».
		if !found || (t.Name == "" && t.Gender == "" && !t.Someone) || strings.Trim(rest[:t.Start], " \u00a0\u202f—–") != "" {
			continue
		}
		// The incise runs to the punctuation that closes it, a few
		// words at most ("dit Claire en souriant,"); more when it ends
		// the sentence ("répondit Antoine en se frottant les yeux."),
		// as then no speech resumes that a long incise would swallow.
		// Within a line's length, so that a long speech stays linear.
		tail := prefix(rest[t.End:], 300)
		stop, size := strings.IndexAny(tail, ",.;!?"), 1
		if d := dashAfterSpace(tail); d >= 0 && (stop < 0 || d < stop) {
			stop, size = d, len("—")
		}
		most := 8
		if stop < 0 && len(tail) < len(rest)-t.End {
			continue
		}
		if stop < 0 {
			stop, size = len(tail), 0
		} else if strings.ContainsRune(",;—–", rune(tail[stop])) || size > 1 {
			most = 4
		}
		if len(strings.Fields(tail[:stop])) > most {
			continue
		}
		end = i + mark + t.End + stop + size
		// The dash that hands back to the speaker is the incise's.
		after := strings.TrimLeft(quoted[end:], " \u00a0\u202f")
		if size == 1 && (strings.HasPrefix(after, "—") || strings.HasPrefix(after, "–")) {
			end = len(quoted) - len(after) + len("—")
		}
		return i + mark, end, true
	}
	return 0, 0, false
}

// dashAfterSpace is the offset of the first dash in s that follows a
// space, or -1.
func dashAfterSpace(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i-1] == ' ' && (strings.HasPrefix(s[i:], "—") || strings.HasPrefix(s[i:], "–")) {
			return i
		}
	}
	return -1
}

// prefix is at most the first n bytes of s, cut between runes.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (l *Lexicon) isVerbOrPronoun(w word) bool {
	_, v := l.verbs[w.lower]
	_, p := l.pronouns[w.lower]
	return v || p
}

// subject fills t from the words of ws at i when they are a subject: a
// pronoun, or a name, read forwards (dir 1) or backwards (dir -1): one
// or more capitalised words, after a title that may give the gender
// ("Frau Müller", "Don Pedro", "M. Dupont", "Juan Pablo").
func (l *Lexicon) subject(text string, ws []word, i, dir int, t *Tag) bool {
	if i < 0 || i >= len(ws) {
		return false
	}
	grow := func(w word) {
		t.Start, t.End = min(t.Start, w.start), max(t.End, w.end)
	}
	if g, ok := l.pronouns[ws[i].lower]; ok {
		if g != "" {
			t.Gender = g
		}
		grow(ws[i])
		return true
	}
	// Collect the name's words, first to last.
	lo, hi := i, i
	if !capitalised(ws[i]) && l.titles[ws[i].lower] == "" {
		return false
	}
	for k := 0; k < 3; k++ {
		if dir > 0 && hi+1 < len(ws) && joined(text, ws[hi], ws[hi+1], l.abbrevs[ws[hi].lower]) && capitalised(ws[hi+1]) && !l.isVerbOrPronoun(ws[hi+1]) {
			hi++
		} else if dir < 0 && lo > 0 && joined(text, ws[lo-1], ws[lo], l.abbrevs[ws[lo-1].lower]) && capitalised(ws[lo-1]) && !l.isVerbOrPronoun(ws[lo-1]) &&
			(lo-1 > 0 || l.isTitle(ws[lo-1])) {
			// The clause's first word is capitalised anyway; it joins
			// the name only as a title ("Entonces Juan dijo").
			lo--
		} else {
			break
		}
	}
	name := ws[lo : hi+1]
	if l.isTitle(name[0]) {
		if len(name) == 1 {
			return false // a title alone is no name
		}
		if g := l.titles[name[0].lower]; g != "-" {
			t.Gender = g
		}
	}
	if len(name) == 1 && len([]rune(name[0].text)) < 2 {
		return false
	}
	t.Name = text[name[0].start:name[len(name)-1].end]
	grow(name[0])
	grow(name[len(name)-1])
	return true
}

// Pronoun reports the gender of a subject pronoun (in any case), or
// Narrator for the first person.
func (l *Lexicon) Pronoun(w string) (gender string, ok bool) {
	g, ok := l.pronouns[strings.ToLower(w)]
	return g, ok && g != ""
}

func (l *Lexicon) isTitle(w word) bool { return l.titles[w.lower] != "" }

func capitalised(w word) bool {
	r := []rune(w.text)
	return len(r) > 0 && unicode.IsUpper(r[0])
}

// joined reports two words of one name: only spaces between them, or a
// full stop after an abbreviated title or an initial ("M. Dupont",
// "J. R. Smith").
func joined(text string, a, b word, abbrev bool) bool {
	gap := text[a.end:b.start]
	if strings.TrimLeft(gap, " \u00a0") == "" && gap != "" {
		return true
	}
	abbr := abbrev || len([]rune(a.text)) == 1
	return abbr && strings.HasPrefix(gap, ".") && strings.TrimLeft(gap[1:], " \u00a0") == "" && len(gap) > 1
}

type word struct {
	text, lower string
	start, end  int
}

// words splits text into words at anything but letters, apostrophes
// inside words and hyphens; French inversions split too ("dit-il" is
// dit, il). n > 0 stops after n words.
func words(text string, n int) []word {
	var out []word
	start := -1
	add := func(end int) {
		w := strings.TrimRight(text[start:end], "'’")
		out = append(out, word{text: w, lower: strings.ToLower(w), start: start, end: start + len(w)})
		start = -1
	}
	// Ranging over text itself, not text plus a closing space: callers
	// read a few words from the start of long passages, and a copy of
	// each passage made reading a long speech quadratic.
	for i, r := range text {
		letter := unicode.IsLetter(r) || unicode.IsMark(r) || ((r == '\'' || r == '’') && start >= 0)
		if letter && start < 0 {
			start = i
		}
		if !letter && start >= 0 {
			add(i)
			if n > 0 && len(out) == n {
				return out
			}
		}
	}
	if start >= 0 {
		add(len(text))
	}
	return out
}

// clauseStart is the offset in t after its last sentence end.
func clauseStart(t string) int {
	return strings.LastIndexAny(t, ".!?;") + 1
}
