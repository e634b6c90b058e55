package segment

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotation marks also enclose text that nobody speaks aloud in the
// scene: words mentioned or named ("the so-called "Hands""), titles, and
// speech reported in the third person ("He should be happy to see her.
// He had a great regard for her."). demoteNonSpeech turns such closed
// quotations back into narration, which is also how a reader voices them.
//
// The tests are linguistic, not lexical:
//
//   - a mention is a quotation that continues a sentence of narration:
//     its opening mark follows a word with no punctuation between, and
//     its text starts in lower case ("was ready to "go in" for") or, in
//     books set in double quotes, where an utterance carries its own
//     closing punctuation inside the marks, ends without any: a name or
//     title ("parcels of "York Tan" were", "listening to "Tannhauser" and");
//   - reported speech is back-shifted: it has no first- or second-person
//     pronoun and no present-tense auxiliary, but several third-person
//     pronouns and past or modal auxiliaries, and it follows narration
//     in its paragraph instead of opening the paragraph;
//   - what a look or gesture "said" ("as much as to say", "an arch look
//     expressed") is not speech.
//
// A quotation that resumes speech interrupted by a speech tag ("A," said
// he, "b.") is left alone, as is one left open at the paragraph end.
func demoteNonSpeech(text string, parts []part, open bool, style quoteStyle) []part {
	// Books set in single quotes are mostly British, whose logical
	// punctuation may leave an utterance's comma outside the marks.
	english := style == doubleQuotes
	// A quotation interrupted by speech tags is one chain of parts; the
	// reported-speech test reads the chain as a whole.
	var chain []int
	keep := true // the chain continues or stays open across paragraphs, or opens its paragraph
	flush := func() {
		if len(chain) == 0 || keep {
			return
		}
		var b strings.Builder
		for _, j := range chain {
			b.WriteString(text[parts[j].start:parts[j].end])
			b.WriteByte(' ')
		}
		if isReported(b.String()) {
			for _, j := range chain {
				parts[j].kind = Narration
			}
		}
	}
	lastDialogue := -1 // end of the previous dialogue part in this paragraph
	for i := range parts {
		p := &parts[i]
		if p.kind != Dialogue {
			continue
		}
		prevEnd := lastDialogue
		lastDialogue = p.end
		fixed := p.continues || (open && i == len(parts)-1)
		mark := openingMark(text, p.start)
		if prevEnd >= 0 && mark >= 0 && len(chain) > 0 && wordCount(text[prevEnd:mark]) <= maxTagWords &&
			!possessive(strings.TrimRight(text[:mark], " \t\r\n")) && !writtenAfter(text[prevEnd:mark]) {
			chain = append(chain, i)
			keep = keep || fixed
			continue
		}
		if !fixed && mark >= 0 && (isMention(text[:mark], text[p.start:p.end], english) || isSign(text[p.start:p.end], text[p.end:]) || isLetter(text[p.start:p.end]) || isGesture(lastBytes(text[:mark], nearMark)) ||
			unsaid(text[p.end:]) || inscribed(lastBytes(text[:mark], nearMark))) {
			p.kind = Narration
			lastDialogue = prevEnd
			continue
		}
		flush()
		chain = []int{i}
		keep = fixed || mark < 0 || strings.TrimSpace(text[:mark]) == ""
	}
	flush()
	return mergeNarration(parts)
}

// writtenAfter reports narration between two quotations of a paragraph
// that introduces the second as written ("She has a card in the
// window." And everybody had seen the card, which said "Apartments to
// Let."): not a speech tag interrupting one speech.
func writtenAfter(between string) bool {
	b := strings.TrimRight(between, " \t\r\n")
	return sayingVerbs[strings.ToLower(lastWord(b))] && writtenSubject(b) || inscribed(b)
}

// nearMark is how many bytes before a quotation's mark the gesture and
// written-words tests read: only the words just before it matter, and
// looking no further keeps a paragraph of many quotations linear.
const nearMark = 80

// lastBytes returns the end of s, at most n bytes, from a rune's start.
func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := len(s) - n
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	return s[cut:]
}

// firstBytes returns the start of s, at least n bytes, to a rune's end.
func firstBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n < len(s) && !utf8.RuneStart(s[n]) {
		n++
	}
	return s[:n]
}

// maxTagWords is the longest run of narration between two quotations of
// one paragraph that still reads as a speech tag interrupting one speech.
const maxTagWords = 15

// openingMark finds the quotation mark that opens the dialogue part
// starting at start, or -1.
func openingMark(text string, start int) int {
	i := start
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
		switch {
		case unicode.IsSpace(r):
			continue
		case strings.ContainsRune(quoteMarks, r):
			return i
		}
		return -1
	}
	return -1
}

// isMention reports a quotation that is part of a narrated sentence: a
// word comes right before the opening mark and the quotation starts in
// lower case or, when english says that utterances end in punctuation
// inside the marks, it ends without any.
func isMention(before, quoted string, english bool) bool {
	b := strings.TrimRight(before, " \t\r\n")
	if gap := before[len(b):]; gap != " " && gap != "\n" && gap != "\r\n" {
		return false // a paragraph start, or spaces set for a dash
	}
	if possessive(b) {
		return true // Mrs. Smith's "sir", Schumann's "Forest Scenes"
	}
	r, _ := utf8.DecodeLastRuneInString(b)
	if english && strings.ContainsRune(quoteMarks, r) && quotedTitle(quoted) {
		return true // a list of titles: "The Snow Queen," "Hans Clodhopper," and
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	w := strings.ToLower(lastWord(b))
	if subj := lastWord(withoutLastWord(b)); namingVerbs[w] && !strings.ContainsAny(quoted, "!?") && !persons[strings.ToLower(subj)] && !startsUpper(subj) {
		// a novel called "Les Amours d'une Comtesse.", was named
		// "Shorty"; but "she called "Come in."" and "Mara called "Wait
		// up."" call someone.
		return true
	}
	if sayingVerbs[w] {
		// he said "no" and left; but the notice said "NORTH POLE",
		// which is written.
		return writtenSubject(b)
	}
	if writingVerbs[w] || writtenNouns[w] || shouty(quoted) || english && quotedTitle(quoted) {
		return true // labelled "ORANGE MARMALADE", the sign read "Closed", the motto "Waste Not", lectures on "Children's Reading,"
	}
	q := strings.TrimLeft(quoted, "_-—–(")
	f, _ := utf8.DecodeRuneInString(q)
	if unicode.IsLower(f) {
		return true
	}
	// The closing mark may have been typeset as an apostrophe and the
	// title set in italics: "Sleary's Horse-riding'", "_Tannhauser_".
	l, _ := utf8.DecodeLastRuneInString(strings.TrimRight(quoted, "_'’ "))
	return english && (unicode.IsLetter(l) || unicode.IsDigit(l))
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// namingVerbs put a name or a title in quotation marks after them.
var namingVerbs = map[string]bool{"called": true, "named": true, "entitled": true, "christened": true,
	"nicknamed": true, "dubbed": true, "styled": true}

// intoPreps put the look two words on ("into his eyes") in an object's
// place.
var (
	intoPreps = map[string]bool{"into": true, "in": true, "at": true, "on": true, "upon": true, "from": true, "with": true, "to": true}
	owners    = map[string]bool{"his": true, "her": true, "their": true, "my": true, "your": true, "its": true, "our": true}
)

// writingVerbs put written words in quotation marks: what is read,
// written, printed or labelled is not spoken in the scene.
var writingVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Fields("read reads write writes wrote written print prints printed " +
		"label labels labelled labeled inscribe inscribes inscribed engrave engraves engraved " +
		"superscribe superscribes superscribed headed entitled titled chalked scrawled scribbled pencilled penciled typed") {
		m[v] = true
	}
	return m
}()

// inscribed reports a quotation introduced as what was written: after
// a comma or colon ("superscribed, "Josiah Bounderby, Esquire."", "he
// wrote: "Come at once."", "It ran thus:", "The notice said:"), or as
// an address ("addressed to "M. Grubble""). "Read" is left out: a
// letter read out in a scene is spoken there.
func inscribed(before string) bool {
	b := strings.TrimRight(before, " \t\r\n")
	if strings.ToLower(lastWord(b)) == "to" {
		switch strings.ToLower(lastWord(withoutLastWord(b))) {
		case "addressed", "directed":
			return true // a letter addressed to "M. Grubble, Esquire"
		}
	}
	c, ok := strings.CutSuffix(b, ",")
	colon := false
	if !ok {
		c, ok = strings.CutSuffix(b, ":")
		colon = ok
	}
	if !ok {
		return false
	}
	w := strings.ToLower(lastWord(c))
	if w == "only" || w == "simply" || w == "briefly" {
		// "It said simply, "Capt. A. Kemble"": a card, whose words
		// are all it says.
		c = withoutLastWord(c)
		w = strings.ToLower(lastWord(c))
		colon = true
	}
	if (w == "ran" || w == "runs") && colon && (itSays(c) || writtenSubject(c)) {
		return true // "I tore it open. It ran: "Arriving twelve fifteen stop""
	}
	if w == "thus" || w == "follows" {
		// "It ran thus:", "which ran as follows:"; but "he spoke as
		// follows:" is speech.
		rest := strings.ToLower(withoutLastWord(c))
		if lastWord(rest) == "as" {
			rest = withoutLastWord(rest)
		}
		switch lastWord(rest) {
		case "ran", "runs", "read", "reads":
			return true
		}
		return false
	}
	return writingVerbs[w] && !readingVerbs[w] || sayingVerbs[w] && (writtenSubject(c) || colon && itSays(c))
}

// writtenSubject reports whether the saying verb ending s has a written
// thing for its subject: "the notice said", "the sign says".
func writtenSubject(s string) bool {
	rest := withoutLastWord(s)
	if w := strings.ToLower(lastWord(rest)); w == "which" || w == "that" {
		// "a placard which said", "a placard upon the gate of the
		// Kurgarten which said": the thing within a few words.
		rest = strings.TrimSuffix(withoutLastWord(rest), ",") // "a notice by the door, which said"
		for range 8 {
			w := lastWord(rest)
			if w == "" || writtenThings[strings.ToLower(w)] {
				return w != ""
			}
			rest = strings.TrimSuffix(withoutLastWord(rest), "-") // the wheel-house
		}
		return false
	}
	return writtenThings[strings.ToLower(lastWord(rest))]
}

// itSays reports "It said" opening a sentence before a colon, of a note
// or a letter: a person would be he or she. (A beast of a fable that
// "said, " keeps its comma.)
func itSays(s string) bool {
	rest := withoutLastWord(s)
	if strings.ToLower(lastWord(rest)) != "it" {
		return false
	}
	before := withoutLastWord(rest)
	if b := strings.ToLower(lastWord(before)); b == "and" || b == "but" {
		return true // "written in violet ink, and it said only:"
	}
	return startsSentence(rest)
}

// startsSentence reports whether the last word of s opens its sentence.
func startsSentence(s string) bool {
	before := withoutLastWord(s)
	before = strings.TrimRight(before, quoteMarks+")_ ")
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".!?;:", r)
}

var readingVerbs = map[string]bool{"read": true, "reads": true}

// writtenNouns name written words that follow them in marks: the motto
// "Waste Not", the inscription "To the Brave".
var writtenNouns = map[string]bool{"motto": true, "legend": true, "inscription": true, "caption": true,
	"heading": true, "headline": true, "title": true, "label": true, "epitaph": true, "slogan": true}

// writtenThings are what "says" something in writing: "the notice
// said", "the sign says". Things that talk in fables ("said the stone",
// "the book said") are left out.
var writtenThings = map[string]bool{"notice": true, "sign": true, "signboard": true, "placard": true, "poster": true,
	"letter": true, "note": true, "card": true, "label": true, "inscription": true, "telegram": true, "headline": true,
	"newspaper": true}

// quotedTitle reports a quotation of two words or more in title case
// with no punctuation inside ("The Little Match Girl,", "Five Peas in
// the Pod"): the name of a work, which an utterance in the middle of a
// sentence ("a very earnest "Good-bye,"", "the "Very true, my love,"")
// is not.
func quotedTitle(quoted string) bool {
	t := strings.TrimRight(strings.TrimSpace(quoted), ",.!?;:_")
	f := strings.Fields(t)
	// A name with an honorific is said aloud, as when someone is
	// called "Miss Gradgrind" or announces herself as "Mrs. Pegler."
	return len(f) >= 2 && !honorifics[strings.ToLower(strings.TrimSuffix(f[0], "."))] &&
		!strings.ContainsAny(t, ",;:!?") && titleCase(t)
}

var honorifics = map[string]bool{"mr": true, "mrs": true, "miss": true, "ms": true, "dr": true, "sir": true,
	"lady": true, "lord": true, "madam": true, "madame": true, "mademoiselle": true, "monsieur": true, "master": true}

// shouty reports a quotation in capitals, two letters or more and no
// lower case: a label or a sign ("DRINK ME"), set inside a sentence.
func shouty(quoted string) bool {
	letters := 0
	for _, r := range quoted {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// isSign reports a quotation of two words or more in capitals that
// neither asks nor exclaims ("DANGER. KEEP TO THE ROCKS.", "CROSSLEY AND
// SON"): a sign, a board or a heading, wherever it stands. A shout
// keeps its voice: "HELP! FIRE!", or one a tag follows ("I SAID NO,"
// she yelled).
func isSign(quoted, after string) bool {
	if !shouty(quoted) || strings.ContainsAny(quoted, "!?") || wordCount(quoted) < 2 {
		return false
	}
	// A tag goes on with the sentence, in lower case; "He read" after
	// the sign starts a new one.
	next := wordsOf(strings.TrimLeft(firstBytes(after, nearMark), quoteMarks+" \t\r\n"))
	if len(next) == 0 {
		return true
	}
	w := next[0]
	return !persons[w] && !sayingVerbs[w] && w != "I"
}

// wordsOf splits s into its words: runs of letters, with the
// apostrophes of "don't" and "Ann's".
func wordsOf(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
}

// isLetter reports a quotation that opens as a letter does, with a
// salutation set off by a comma and a dash ("Mr. Hobday,—You have been
// good to me", "My dear Sir,--I write"): a letter copied out, not
// speech. Talk breaks off with a dash alone ("Sir—I beg").
func isLetter(quoted string) bool {
	i := strings.Index(quoted, ",")
	if i <= 0 || i > 40 {
		return false
	}
	rest := quoted[i+1:]
	if !strings.HasPrefix(rest, "—") && !strings.HasPrefix(rest, "--") {
		return false
	}
	f, _ := utf8.DecodeRuneInString(quoted)
	words := strings.Fields(quoted[:i])
	if !unicode.IsUpper(f) || len(words) > 4 {
		return false
	}
	return titleCase(strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "dear" }), " "))
}

// possessive reports whether s ends in a possessive ("Ann's", "the
// Joneses'", or "Ann s" in texts that lost their apostrophes): what
// follows is the thing owned or named, a noun phrase, not speech.
func possessive(s string) bool {
	for _, suf := range []string{"'s", "’s", "s'", "s’"} {
		if w, ok := strings.CutSuffix(s, suf); ok {
			r, _ := utf8.DecodeLastRuneInString(w)
			return unicode.IsLetter(r)
		}
	}
	if w, ok := strings.CutSuffix(s, " s"); ok {
		r, _ := utf8.DecodeLastRuneInString(w)
		return unicode.IsLetter(r)
	}
	return false
}

// withoutLastWord returns s without the word at its end and the space
// before it, a line break included: the texts read are wrapped.
func withoutLastWord(s string) string {
	return strings.TrimRightFunc(strings.TrimSuffix(s, lastWord(s)), unicode.IsSpace)
}

// lastWord returns the word at the end of s.
func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return s[i+1:]
}

// sayingVerbs introduce speech even without a comma before the quotation
// ("he said "no" and left"). "Called" is not one: what is called
// something is mentioned.
var sayingVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Fields("say says said saying ask asks asked asking reply replies replied " +
		"answer answers answered whisper whispers whispered shout shouts shouted cry cries cried " +
		"yell yells yelled mutter mutters muttered murmur murmurs murmured exclaim exclaims exclaimed " +
		"add adds added repeat repeats repeated scream screams screamed snap snaps snapped " +
		"hiss hisses hissed mumble mumbles mumbled announce announces announced") {
		m[v] = true
	}
	return m
}()

var (
	firstSecond = map[string]bool{"i": true, "me": true, "my": true, "mine": true, "myself": true,
		"we": true, "us": true, "our": true, "ours": true, "ourselves": true,
		"you": true, "your": true, "yours": true, "yourself": true, "yourselves": true,
		"thee": true, "thou": true, "thy": true, "ye": true}
	thirdPerson = map[string]bool{"he": true, "she": true, "they": true, "him": true, "her": true,
		"his": true, "them": true, "their": true, "himself": true, "herself": true, "themselves": true}
	pastModal = map[string]bool{"was": true, "were": true, "had": true, "could": true, "would": true,
		"should": true, "might": true, "must": true, "did": true}
	presentS = map[string]bool{"it": true, "he": true, "she": true, "that": true, "there": true, "here": true,
		"what": true, "who": true, "where": true, "how": true, "let": true}
	present = map[string]bool{"is": true, "are": true, "am": true, "has": true, "does": true,
		"will": true, "can": true, "shall": true, "isn't": true, "aren't": true, "don't": true,
		"doesn't": true, "won't": true, "can't": true, "shan't": true}
)

// isReported reports speech told in the third person and the past: no
// I or you, no present tense, and at least two third-person pronouns and
// two past or modal auxiliaries in eight or more words.
func isReported(quoted string) bool {
	words := wordsOf(quoted)
	if len(words) < 8 {
		return false
	}
	third, past := 0, 0
	for _, w := range words {
		lw := strings.ToLower(strings.Trim(w, "'’"))
		if lw == "" {
			continue
		}
		if firstSecond[lw] || present[lw] {
			return false
		}
		if i := strings.IndexAny(w, "'’"); i > 0 {
			// he'll, we're, I'm, they've, it's: present tense or first
			// person; Ford's is only a possessive.
			stem, suf := strings.ToLower(w[:i]), strings.ToLower(strings.TrimLeft(w[i:], "'’"))
			if suf == "ll" || suf == "re" || suf == "m" || suf == "ve" || suf == "s" && presentS[stem] {
				return false
			}
		}
		if thirdPerson[lw] {
			third++
		}
		if pastModal[lw] {
			past++
		}
	}
	return third >= 2 && past >= 2
}

// isGesture reports a quotation introduced as what a look or gesture
// said: "as much as to say", "as if to say", "seemed to say", "as who
// would say". before is the text just before the mark (see nearMark).
func isGesture(before string) bool {
	b := strings.ToLower(strings.Join(strings.Fields(before), " "))
	b = strings.TrimRight(b, " ,:;—–-")
	for _, s := range []string{"as much as to say", "as if to say", "as though to say", "seemed to say", "seeming to say", "as who would say", "as who should say", "which meant", "that meant", "expressed"} {
		if strings.HasSuffix(b, s) {
			return true
		}
	}
	words := wordsOf(b)
	n := len(words)
	if n >= 3 && words[n-2] == "to" && objects[words[n-1]] {
		n -= 2 // "could have said to her"
	}
	if n < 2 || !sayingVerbs[words[n-1]] {
		return false
	}
	// Speech that was not made: "could have said", "was going to
	// exclaim".
	if words[n-2] == "have" || (n >= 3 && words[n-2] == "to" && words[n-3] == "going") {
		return true
	}
	// A look that said it ("a look that plainly said", "her eyes, in
	// eager gaze, said"), with no one between to say it aloud.
	for k := n - 2; k >= 0 && k >= n-5; k-- {
		if mute[words[k]] {
			// "looked into his eyes, and said": eyes looked into
			// are not the ones speaking.
			return k < 2 || !intoPreps[words[k-2]] || !owners[words[k-1]]
		}
		if persons[words[k]] {
			return false
		}
	}
	return false
}

// mute are things that "say" only in looks.
var mute = map[string]bool{"look": true, "looks": true, "eyes": true, "glance": true, "face": true, "smile": true,
	"nod": true, "gesture": true, "expression": true, "countenance": true, "silence": true}

var objects = map[string]bool{"him": true, "her": true, "them": true, "me": true, "us": true, "you": true}

// persons are the pronouns that can say something aloud.
var persons = map[string]bool{"he": true, "she": true, "i": true, "we": true, "they": true, "you": true, "who": true}

func wordCount(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// mergeNarration joins neighbouring narration parts, so that a demoted
// quotation reads as one piece with the sentence around it.
func mergeNarration(parts []part) []part {
	out := parts[:0]
	for _, p := range parts {
		if n := len(out); n > 0 && p.kind == Narration && out[n-1].kind == Narration {
			out[n-1].end = p.end
			continue
		}
		out = append(out, p)
	}
	return out
}

// closeAtSingleMark repairs a double quotation left open at the end of
// its paragraph when a single mark was typeset in place of the closing
// double mark ("an eminently practical' father"): the quotation ends at
// the first single mark shaped as a closer that no single mark inside
// the quotation opened, and the rest of the paragraph is read again. It
// reports false if there is no such mark or the rest does not balance.
func closeAtSingleMark(text string, parts []part, style quoteStyle) ([]part, bool) {
	if style != doubleQuotes || len(parts) == 0 {
		return nil, false
	}
	last := parts[len(parts)-1]
	if last.kind != Dialogue {
		return nil, false
	}
	depth := 0
	prev := ' '
	for i := last.start; i < last.end; {
		r, size := utf8.DecodeRuneInString(text[i:])
		rest := text[i+size:]
		next, _ := utf8.DecodeRuneInString(rest)
		if r == '\'' || r == '‘' || r == '’' {
			switch {
			case r != '’' && opensAfter(prev) && isWordStart(next) && !isElision(rest):
				depth++
			case unicode.IsLetter(next) || unicode.IsDigit(next):
				// don't, o'clock
			case !(unicode.IsLetter(prev) || strings.ContainsRune(".,;:!?", prev)):
			case prev == 's' && next == ' ' && possessiveFollows(rest):
				// the Joneses' house
			case depth > 0:
				depth--
			default:
				tail, open, _ := scanQuotes(text[i+size:], style, false, false)
				if open {
					return nil, false
				}
				out := append([]part(nil), parts[:len(parts)-1]...)
				from, to := trimSpan(text, last.start, i, false)
				if from < to && hasWordChar(text[from:to]) {
					out = append(out, part{kind: Dialogue, start: from, end: to, continues: last.continues})
				}
				for _, q := range tail {
					q.start += i + size
					q.end += i + size
					out = append(out, q)
				}
				return out, true
			}
		}
		prev = r
		i += size
	}
	return nil, false
}

// unsaid reports a quotation followed by a tag saying it was not spoken:
// ""So early!" she was going to exclaim", ""Never," he could have said".
func unsaid(after string) bool {
	words := wordsOf(strings.ToLower(firstBytes(after, 60)))
	for k := 1; k+1 < len(words) && k <= 4; k++ {
		if words[k] == "going" && k+2 < len(words) && words[k+1] == "to" && sayingVerbs[words[k+2]] {
			return true
		}
		if words[k] == "have" && modals[words[k-1]] && sayingVerbs[words[k+1]] {
			return true
		}
	}
	return false
}

var modals = map[string]bool{"could": true, "would": true, "might": true, "should": true, "must": true}

// splitStageDirections cuts the stage directions that some writers set
// in parentheses inside a speech ("Ah!--(shaking his head)--the
// uncertainty", "(turning to Emma,) you know") out of the dialogue, for
// the narrator. A parenthesis the speaker says ("(as you know)") stays
// in the speech.
func splitStageDirections(text string, parts []part) []part {
	var out []part
	for _, p := range parts {
		if p.kind != Dialogue || !strings.Contains(text[p.start:p.end], "(") {
			out = append(out, p)
			continue
		}
		from := p.start
		first := true
		add := func(k Kind, a, b int) {
			a, b = trimSpan(text, a, b, false)
			if a >= b || !hasWordChar(text[a:b]) {
				return
			}
			q := part{kind: k, start: a, end: b}
			if k == Dialogue {
				q.continues = p.continues && first
				first = false
			}
			out = append(out, q)
		}
		for i := from; i < p.end; {
			open := strings.IndexByte(text[i:p.end], '(')
			if open < 0 {
				break
			}
			open += i
			end := strings.IndexByte(text[open:p.end], ')')
			if end < 0 {
				break
			}
			end += open + 1
			if isStageDirection(text[open+1 : end-1]) {
				add(Dialogue, from, open)
				add(Narration, open, end)
				from = end
			}
			i = end
		}
		add(Dialogue, from, p.end)
	}
	return out
}

// isStageDirection reports a parenthesis inside speech that describes
// the speaker rather than being said: it opens with a participle
// ("smiling", "turning to her"), "with a" ("with a sigh"), "in a" and a
// word for the voice ("in a low tone"), or "to" and a name ("to Ann"),
// and has no first- or second-person pronoun, which would be the
// speaker's own words ("finding me nowhere else").
func isStageDirection(s string) bool {
	words := wordsOf(s)
	if len(words) == 0 || len(words) > 15 {
		return false
	}
	for _, w := range words {
		if firstSecond[strings.ToLower(w)] {
			return false
		}
	}
	w0 := words[0]
	switch {
	case unicode.IsLower([]rune(w0)[0]) && strings.HasSuffix(w0, "ing") && len(w0) > 5 && w0 != "being":
		return true
	case len(words) >= 2 && w0 == "with" && (words[1] == "a" || words[1] == "an"):
		return true
	case len(words) >= 3 && w0 == "in" && (words[1] == "a" || words[1] == "an"):
		for _, w := range words[2:] {
			if voice[strings.ToLower(w)] {
				return true
			}
		}
	case len(words) >= 2 && len(words) <= 4 && w0 == "to" && unicode.IsUpper([]rune(words[1])[0]):
		return true
	case len(words) <= 3 && mannerAdverb(words[len(words)-1]):
		// "(rather hesitatingly)", "(laughingly)"
		for _, w := range words[:len(words)-1] {
			if !degree[strings.ToLower(w)] {
				return false
			}
		}
		return true
	}
	return false
}

// mannerAdverb reports an adverb made from a participle
// ("hesitatingly", "smilingly"), which says how something is said,
// unlike the sentence adverbs a speaker puts in brackets ("seemingly",
// "accordingly").
func mannerAdverb(w string) bool {
	w = strings.ToLower(w)
	return strings.HasSuffix(w, "ingly") && len(w) > 7 && !sentenceIngly[w]
}

var (
	degree        = map[string]bool{"rather": true, "very": true, "somewhat": true, "half": true, "most": true, "more": true, "quite": true, "a": true, "little": true}
	sentenceIngly = map[string]bool{"seemingly": true, "accordingly": true, "exceedingly": true, "surprisingly": true,
		"amazingly": true, "interestingly": true, "astonishingly": true, "increasingly": true, "correspondingly": true}
)

// voice are nouns for how something is said.
var voice = map[string]bool{"tone": true, "voice": true, "accent": true, "whisper": true, "undertone": true, "manner": true}
