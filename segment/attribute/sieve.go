package attribute

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// refKind says how a speech tag refers to its speaker.
type refKind int

const (
	refNone  refKind = iota
	refName          // a proper name: "said Emma"
	refPron          // he or she: "said he"
	refNP            // a gendered noun phrase: "said his sister"
	refFirst         // the first-person narrator: "I said"
)

// ref is a reference to a speaker found in the narration.
type ref struct {
	kind   refKind
	entity int    // for refName
	gender string // for refPron and refNP
	unit   int
	tok    int
	// kin and owner describe a family noun phrase ("her father"): the
	// noun and the gender of the possessive.
	kin, owner string
	// head is a rank standing for its bearer ("said the duchess").
	head string
	// epithet is the head noun of a noun phrase that the tag calls the
	// speaker by and that the word lists do not know ("said the
	// whelp").
	epithet string
	// noun is the words after "the" of a definite noun phrase tag ("old
	// woman" in "said the old woman"), for epithet personas.
	noun string
	// order is "former" or "latter" for "said the former".
	order string
}

// quoteInfo is the attribution state of one dialogue span.
type quoteInfo struct {
	unit          int
	para          int
	before, after int // narration units around it in its paragraph, -1 if none
	speaker       int
	rule          string
	tag           ref
	listener      int          // the character the tag speaks to ("he asked Campbell"), or -1
	addressees    map[int]bool // characters named inside the quotation
	vocatives     []int        // characters addressed vocatively
	firstInPara   bool
	paraQuotes    []int // indices of the quotes of the paragraph, up to paraWindow either side
	self          int   // the character the quotation says its speaker is ("My name is Peleg"), or -1
	// newcomer labels a line whose he or she stands for someone just
	// brought in and not named ("a grey-faced butler. ... said he"):
	// "the butler". No character speaks it.
	newcomer string
}

// attribute runs the sieve and returns the speaker entity of each
// quotation (-1 when unknown), in document order.
// It runs twice: the second run reads the first one's speakers as a
// guess for the turns that are still unknown when a pronoun tag is
// resolved, since a conversation's turns are mostly filled only later.
func (d *doc) attribute() ([]int, []string) {
	if d.firstPerson = d.toldByI(); d.firstPerson {
		d.narratorID() // a teller whose lines no tag marks "I said"
	}
	first := d.quotes()
	qs := make([]quoteInfo, len(first))
	copy(qs, first) // the sieve sets only speaker, rule and tag
	guess, _ := d.sieve(first, nil)
	d.nameNarrator(first)
	d.epithetPersonas(first)
	speakers, rules := d.sieve(qs, guess)
	d.mergeAddressed(qs, speakers)
	return speakers, rules
}

// toldByI reports a book told in the first person: its narration says
// "I" once in a hundred words or more (Emma's letters and confessions
// come to far less), and at least twenty times.
func (d *doc) toldByI() bool {
	words, i := 0, 0
	for _, u := range d.units {
		if u.quote {
			continue
		}
		for _, t := range u.toks {
			if t.word {
				words++
				if t.text == "I" {
					i++
				}
			}
		}
	}
	return i >= 20 && i*100 >= words
}

// nameNarrator joins to the first-person narrator the name that the
// talk calls them by: when quotations calling someone "Watson" are
// answered, twice or more, by a reply tagged "I answered", more often
// than by anyone else's, and no tag ever names Watson, and the
// narration, which says "I", never makes Watson a subject, Watson is the
// narrator. Without it the narrator would speak in two voices, their own
// and Watson's. qs are a first run's quotations, whose tags are found.
func (d *doc) nameNarrator(qs []quoteInfo) {
	if d.narrator < 0 {
		return
	}
	tagged := map[int]bool{}
	answers := map[int]map[int]int{} // called -> answering speaker -> times
	for i := range qs {
		q := &qs[i]
		if q.tag.kind == refName && q.tag.entity >= 0 {
			tagged[q.tag.entity] = true
		}
		answerer := q.tag.entity
		switch {
		case q.tag.kind == refFirst:
			answerer = d.narrator
		case q.tag.kind != refName || answerer < 0:
			continue
		}
		if !q.firstInPara {
			continue
		}
		seen := map[int]bool{}
		for k := i - 1; k >= 0 && qs[k].para == q.para-1; k-- {
			for _, v := range qs[k].vocatives {
				if !seen[v] && v != answerer {
					seen[v] = true
					if answers[v] == nil {
						answers[v] = map[int]int{}
					}
					answers[v][answerer]++
				}
			}
		}
	}
	// Names called within three paragraphs before a line tagged "I".
	nearI := map[int]int{}
	nextI := -1 // the next quotation tagged "I", scanning backwards
	for i := len(qs) - 1; i >= 0; i-- {
		for _, v := range qs[i].vocatives {
			if answers[v] == nil {
				answers[v] = map[int]int{}
			}
			if nextI >= 0 && qs[nextI].para <= qs[i].para+3 {
				nearI[v]++
			}
		}
		if qs[i].tag.kind == refFirst {
			nextI = i
		}
	}
	// Per character, in one pass: narrated as a subject, and mentions
	// inside quotations.
	subject := make([]bool, len(d.entities))
	quoted := make([]int, len(d.entities))
	for _, m := range d.mentions {
		switch {
		case m.entity < 0:
		case m.inQuote:
			quoted[m.entity]++
		case m.subject:
			subject[m.entity] = true
		}
	}
	into := map[int]int{}
	for a, by := range answers {
		n := by[d.narrator]
		if tagged[a] || d.entities[a].narrator || subject[a] {
			continue
		}
		others := 0
		for e, k := range by {
			if e != d.narrator {
				others += k
			}
		}
		if others*2 >= n && (n > 0 || others > 0) {
			continue
		}
		// Twice answered by "I"; or a name that only the talk ever says,
		// three times or more, that no one else answers and the
		// narration never names, answered once by "I" or (answered by
		// no tag at all) called shortly before a line tagged "I": a
		// present speaker would be named in the narration, the one who
		// says "I" is not.
		onlyTalk := others == 0 && len(d.namedAt[a]) == 0 && quoted[a] >= 3
		if n >= 2 || n == 1 && onlyTalk || n == 0 && onlyTalk && nearI[a] > 0 {
			into[a] = d.narrator
		}
	}
	// The narration names its teller: "Call me Ishmael", "my name is
	// Pip", "I, Eleanor Marsh,". A name a tag gives lines of their own
	// is someone else.
	for _, m := range d.mentions {
		toks := d.units[m.unit].toks
		// "I, Eleanor Marsh, came to the Grange"
		iApposed := m.from >= 2 && toks[m.from-1].text == "," && toks[m.from-2].text == "I" && m.to < len(toks) && toks[m.to].text == ","
		if m.entity >= 0 && !m.inQuote && !tagged[m.entity] && !d.entities[m.entity].narrator &&
			(namesSelf(toks[:m.from]) && !d.possessive(&m) || iApposed) {
			into[m.entity] = d.narrator
		}
	}
	d.join(into, qs)
}

// paraSelf returns the speaker that an untagged quotation of quotation
// i's paragraph names as itself ("'Monsieur Vautrin!' The fair woman
// gave him her hand. 'I am Cynthia Cartwright.'"), or -1.
func paraSelf(qs []quoteInfo, i int) int {
	if qs[i].self >= 0 {
		return qs[i].self
	}
	for _, k := range qs[i].paraQuotes {
		if qs[k].para == qs[i].para && qs[k].self >= 0 && qs[k].tag.kind == refNone {
			return qs[k].self
		}
	}
	return -1
}

// describedMate reports whether a quotation of quotation i's paragraph
// has a tag describing a speaker no one was named for ("the fisherman
// said"), who then speaks the paragraph.
func describedMate(qs []quoteInfo, i int) bool {
	for _, k := range qs[i].paraQuotes {
		if k != i && qs[k].para == qs[i].para && qs[k].speaker < 0 && (describes(qs[k].tag) || qs[k].newcomer != "") {
			return true
		}
	}
	return false
}

// formerLatter returns, for a tag "the former" or "the latter", the
// first or the second of the last two people the narration named before
// it in its chapter, or -1.
func (d *doc) formerLatter(r ref) int {
	pos := d.units[r.unit].pos + r.tok
	var two []int
	for mi := d.byUnit[r.unit+1] - 1; mi >= 0 && len(two) < 2; mi-- {
		m := &d.mentions[mi]
		mp := d.units[m.unit].pos + m.from
		if pos-mp > 3000 || d.units[m.unit].ch != d.units[r.unit].ch {
			break
		}
		if mp >= pos || m.inQuote || !d.isPerson(m.entity) || len(two) == 1 && two[0] == m.entity {
			continue
		}
		two = append(two, m.entity)
	}
	if len(two) < 2 {
		return -1
	}
	if r.order == "latter" {
		return two[0]
	}
	return two[1]
}

// appositive returns the character whom the narration last named beside
// the description of tag r, before it ("Dr. Grantly, the archdeacon,",
// "the archdeacon, Dr. Grantly,"), or -1.
func (d *doc) appositive(r ref) int {
	if d.apposed == nil {
		d.apposed = map[string][]apposition{}
		for _, m := range d.mentions {
			if m.entity < 0 || m.inQuote {
				continue
			}
			toks := d.units[m.unit].toks
			for _, noun := range []string{apposedAfter(toks, m.to), apposedBefore(toks, m.from)} {
				if noun == "" {
					continue
				}
				a := apposition{d.units[m.unit].pos + m.from, m.entity}
				d.apposed[noun] = append(d.apposed[noun], a)
				// "Mr. Brandreth, the first mate" is "the mate" too.
				if f := strings.Fields(noun); len(f) > 1 {
					d.apposed[f[len(f)-1]] = append(d.apposed[f[len(f)-1]], a)
				}
			}
		}
	}
	list := d.apposed[r.noun]
	pos := d.units[r.unit].pos + r.tok
	k := sort.Search(len(list), func(k int) bool { return list[k].pos >= pos })
	if k == 0 {
		return -1
	}
	return list[k-1].entity
}

// apposition is a name set beside a description, at a global token
// position.
type apposition struct{ pos, entity int }

// apposedAfter returns the description of ", the archdeacon," right
// after a name ending at toks[i], or "".
func apposedAfter(toks []token, i int) string {
	if i+2 >= len(toks) || toks[i].text != "," || toks[i+1].lower != "the" {
		return ""
	}
	j := i + 2
	for j < len(toks) && j < i+5 && toks[j].word {
		j++ // "the archdeacon", or as a title, "the Archdeacon"
	}
	if j == i+2 || j < len(toks) && toks[j].text != "," && !toks[j].endsSentence() {
		return ""
	}
	return phrase(toks[i+2 : j])
}

// apposedBefore returns the description of "the archdeacon, " right
// before a name starting at toks[i], or "".
func apposedBefore(toks []token, i int) string {
	if i < 3 || toks[i-1].text != "," {
		return ""
	}
	k := i - 2
	for k >= 0 && k > i-6 && toks[k].word && toks[k].lower != "the" {
		k--
	}
	if k < 0 || k == i-2 || toks[k].lower != "the" || k > 0 && toks[k-1].word {
		return "" // "the archdeacon" must open its phrase, not end a clause ("met the archdeacon, Dr. Grantly")
	}
	return phrase(toks[k+1 : i-1])
}

// nounGender reads a person noun's sex from its ending: a fisherman or
// a coachman is a man, a washerwoman a woman, a governess or an actress
// a woman.
func nounGender(w string) string {
	switch {
	case strings.HasSuffix(w, "woman"):
		return "female"
	case strings.HasSuffix(w, "man") && len(w) > 4 && !strings.HasSuffix(w, "human") && !strings.HasSuffix(w, "german"):
		return "male"
	case strings.HasSuffix(w, "ess") && len(w) > 5 && !strings.HasSuffix(w, "ness"):
		return "female"
	}
	return ""
}

// newcomer returns "the butler" when the he or she of pronoun tag r
// stands for someone the narration has just brought in without a name
// ("opened to us by a tall, grey-faced butler. \"...\" said he"): the
// nearest person it can mean, reading back through the narration of
// its paragraph and the one before, is an indefinite noun phrase of a
// person of the pronoun's sex, with no name or he or she between. "" if
// not.
func (d *doc) newcomer(r ref) string {
	para := d.units[r.unit].para
	budget := newcomerReach
	for ui := r.unit; ui >= 0 && d.units[ui].para >= para-1 && budget > 0; ui-- {
		u := &d.units[ui]
		if u.quote {
			continue
		}
		end := len(u.toks)
		if ui == r.unit {
			end = r.tok
		}
		ms := d.unitMentions(ui)
		mi := len(ms) - 1 // ms are in text order; walk them back with i
		for i := end - 1; i >= 0 && budget > 0; i, budget = i-1, budget-1 {
			t := u.toks[i]
			if t.lower == "he" || t.lower == "she" || t.text == "I" {
				return ""
			}
			for mi >= 0 && ms[mi].from > i {
				mi--
			}
			if mi >= 0 && i < ms[mi].to && !ms[mi].inQuote && ms[mi].entity >= 0 {
				return "" // a name is nearer
			}
			if !t.word || t.cap {
				continue
			}
			g, ok := genderedNouns[t.lower]
			if !ok {
				g, ok = roleNouns[t.lower]
			}
			if !ok {
				g = nounGender(t.lower)
				ok = g != ""
			}
			ok = ok && t.lower != "old"
			if !ok || g != "" && r.gender != "" && g != r.gender {
				continue
			}
			// "a tall, grey-faced butler", "an old sailor"
			for k := i - 1; k >= 0 && k >= i-5; k-- {
				w := u.toks[k]
				if w.lower == "a" || w.lower == "an" {
					// In a subject's place, or brought on by "there
					// was" or a passive's "by"; "the form of a man"
					// is not someone who speaks, and "Her son, a pale
					// young man," is her son.
					if k == 0 {
						return "the " + t.lower // "A stranger came in."
					}
					v := u.toks[k-1].lower
					if u.toks[k-1].endsSentence() || introducers[v] ||
						existentials[v] && (v != "was" && v != "were" || k >= 2 && u.toks[k-2].lower == "there") {
						// "there was a woman", "In the doorway stood a
						// woman"
						return "the " + t.lower
					}
					return "" // "She was a pretty girl" says what she is
				}
				if !w.word && w.text != "," || w.cap || w.word && (w.lower == "the" || objectPreps[w.lower]) {
					break
				}
			}
		}
	}
	return ""
}

// introducers may stand before a newcomer's "a": "and a stranger came
// in", "opened by a butler"; so may the verbs that bring someone on
// ("in the doorway stood a woman"), and "was" after "there".
var (
	introducers  = wordSet("and but then when while by")
	existentials = wordSet("was were came stood sat appeared")
)

// newcomerReach is how many tokens back newcomer reads.
const newcomerReach = 80

// describes reports whether tag r calls its speaker by a description
// ("the fisherman", "the old man") that can label the line: not a
// relative ("her father"), not "the other man", who is one of the
// talk, and not "the same voice", which spoke before.
func describes(r ref) bool {
	return r.kind == refNP && r.noun != "" && r.kin == "" && !strings.HasPrefix(r.noun, "other ") && !strings.HasPrefix(r.noun, "same ")
}

// formerNameAfter reports "That was my name" after a name ending at
// toks[i].
func formerNameAfter(toks []token, i int) bool {
	var w []string
	for k := i; k < len(toks) && len(w) < 4; k++ {
		if toks[k].word {
			w = append(w, toks[k].lower)
		}
	}
	return len(w) == 4 && w[0] == "that" && w[1] == "was" && w[2] == "my" && w[3] == "name"
}

// identifiesYou reports whether the words before a name say who the
// listener is: "you are", "are you".
func identifiesYou(before []token) bool {
	n := len(before)
	return n >= 2 && before[n-1].word && before[n-2].word &&
		(before[n-2].lower == "you" && before[n-1].lower == "are" || before[n-2].lower == "are" && before[n-1].lower == "you")
}

// ownNameAfter reports whether the words after a name ending at
// toks[i] make it the speaker's own: "Hoseason's my name", "Hoseason is
// my name".
func ownNameAfter(toks []token, i int) bool {
	var w []string
	for k := i; k < len(toks) && len(w) < 4; k++ {
		if toks[k].word {
			w = append(w, toks[k].lower)
		} else if toks[k].text != "'" && toks[k].text != "’" {
			break
		}
	}
	if len(w) >= 3 && (w[0] == "s" || w[0] == "is") && w[1] == "my" && w[2] == "name" {
		return true
	}
	// "Susan Tillott that's my name". The loop above stops at
	// punctuation, so "Tillott, that's my name" is not read.
	return len(w) >= 4 && w[0] == "that" && (w[1] == "s" && w[2] == "my" && w[3] == "name" ||
		w[1] == "is" && w[2] == "my" && w[3] == "name")
}

// answersQuestion reports whether the quotation before unit ui, in the
// paragraph before it, ends in a question mark.
func (d *doc) answersQuestion(ui int) bool {
	para := d.units[ui].para
	for k := ui - 1; k >= 0 && d.units[k].para >= para-1; k-- {
		if u := &d.units[k]; u.quote {
			// Only a quotation opening its paragraph answers; stopping
			// at the first one keeps a paragraph of many linear.
			n := len(u.toks)
			return u.para == para-1 && n > 0 && u.toks[n-1].text == "?"
		}
	}
	return false
}

// namesSelf reports whether the words before a name are the teller's
// naming of themselves: "call me", "my name is" or "was", "I am", "I am
// called", "I was christened". The caller rules out a possessive after
// the name ("I am Mr. Hale's tenant").
func namesSelf(before []token) bool {
	var w []string
	for i := len(before) - 1; i >= 0 && len(w) < 3; i-- {
		if !before[i].word {
			break // "my name is, I think, Pip" or another sentence
		}
		w = append(w, before[i].lower)
	}
	slices.Reverse(w)
	ends := func(tail ...string) bool {
		return len(w) >= len(tail) && slices.Equal(w[len(w)-len(tail):], tail)
	}
	return ends("call", "me") || ends("my", "name", "is") || ends("my", "name", "was") ||
		ends("i", "am", "called") || ends("i", "was", "christened") || ends("i", "am")
}

// epithetPersonas keeps apart someone a chapter's tags only ever call by
// a description ("said the stranger", "the old woman returned") when the
// rules cannot tell who that is: the same description tags three
// quotations or more in a chapter and no one character speaks more than
// half of them. The guesses would spread one person's lines over the
// voices of the people around; instead the description stands for one
// unnamed person through the sieve (so that the talk around it
// alternates right), whose lines are labelled with the description ("the
// stranger") but left to the default dialogue voice: casting a persona
// would give a character the text names later (the stranger is Mr.
// Harthouse) a second voice.
// When most tags of the description resolve to one character ("said the
// painter": Basil), that stands. qs are a first run's quotations.
func (d *doc) epithetPersonas(qs []quoteInfo) {
	type group struct {
		genders  map[string]int
		speakers map[int]int
		unknown  int
	}
	groups := map[string]*group{}
	var keys []string
	introduced := d.introductions()
	fresh := map[string]bool{} // introduced as someone new before the first tag ("a stranger came in")
	for i := range qs {
		k := d.epithetKey(&qs[i])
		if k == "" {
			continue
		}
		g := groups[k]
		if g == nil {
			g = &group{genders: map[string]int{}, speakers: map[int]int{}}
			groups[k] = g
			keys = append(keys, k)
			t := qs[i].tag
			words := strings.Fields(t.noun)
			at, ok := introduced[strconv.Itoa(d.units[qs[i].unit].ch)+"\x00"+words[len(words)-1]]
			tagAt := d.units[t.unit].pos + t.tok
			fresh[k] = ok && at < tagAt && tagAt-at <= introReach && d.appositive(t) < 0
		}
		if gd := qs[i].tag.gender; gd != "" {
			g.genders[gd]++ // "returned the stranger, ... his hat"
		}
		if e := qs[i].speaker; e >= 0 {
			g.speakers[e]++
		} else {
			g.unknown++
		}
	}
	byNoun := map[string]int{}
	firstKey := map[string]int{} // index in keys, which are in text order, of the noun's first persona
	for ki, k := range keys {
		g := groups[k]
		n, most := g.unknown, 0
		for _, c := range g.speakers {
			n += c
			most = max(most, c)
		}
		// Tags that mostly resolve to one character stand ("said the
		// painter": Basil), even for someone just brought in.
		if most*2 > n && n >= 3 || !fresh[k] && n < 3 {
			continue
		}
		noun := k[strings.IndexByte(k, 0)+1:]
		e, ok := byNoun[noun]
		if !ok {
			firstKey[noun] = ki
			e = len(d.entities)
			gender := ""
			if len(g.genders) == 1 {
				for gd := range g.genders {
					gender = gd
				}
			}
			d.entities = append(d.entities, &entity{id: e, epithet: true, person: true, gender: gender,
				name: noun, forms: map[string]int{}, titles: map[string]int{}})
			d.namedAt = append(d.namedAt, nil)
			byNoun[noun] = e
		}
		if d.epithets == nil {
			d.epithets = map[string]int{}
		}
		d.epithets[k] = e
	}
	// The same description in a later chapter is the same person, even
	// where its tags are few or the turns guess a name for them.
	for ki, k := range keys {
		noun := k[strings.IndexByte(k, 0)+1:]
		if e, ok := byNoun[noun]; ok {
			if _, set := d.epithets[k]; !set && ki > firstKey[noun] {
				d.epithets[k] = e
			}
		}
	}
}

// introReach is how far, in tokens, a tag "the stranger" may follow "a
// stranger came in" and still be the one just brought in.
const introReach = 300

// introductions finds, by "chapter\x00head noun", where the narration
// first brings someone in with an indefinite article ("a stranger came
// in", "a tall, grey-faced butler"), as a global token position: a tag
// that later calls them "the stranger" speaks for someone new, whom no
// name of the talk so far can stand for.
func (d *doc) introductions() map[string]int {
	out := map[string]int{}
	for _, u := range d.units {
		if u.quote {
			continue
		}
		for i, t := range u.toks {
			if t.lower != "a" && t.lower != "an" {
				continue
			}
			for j := i + 1; j < len(u.toks) && j <= i+4; j++ {
				w := u.toks[j]
				if w.text == "," {
					continue
				}
				if !w.word || w.cap {
					break
				}
				k := strconv.Itoa(u.ch) + "\x00" + w.lower
				if _, seen := out[k]; !seen {
					out[k] = u.pos + j
				}
			}
		}
	}
	return out
}

// epithetKey returns "chapter\x00noun" for a quotation tagged by a
// definite description that names no rank or relative, or "".
func (d *doc) epithetKey(q *quoteInfo) string {
	t := q.tag
	if t.kind != refNP || t.noun == "" || t.kin != "" || t.head != "" {
		return ""
	}
	return strconv.Itoa(d.units[q.unit].ch) + "\x00" + t.noun
}

// phrase joins the lower-case words of toks.
func phrase(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if !t.word {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.lower)
	}
	return b.String()
}

// join makes each character a of into one with into[a]: its names
// become the other's, and every mention and address of a is the other's.
func (d *doc) join(into map[int]int, qs []quoteInfo) {
	if len(into) == 0 {
		return
	}
	for a, b := range into {
		ea, eb := d.entities[a], d.entities[b]
		for k, n := range ea.forms {
			eb.forms[k] += max(n, 1)
		}
		for k, n := range ea.titles {
			eb.titles[k] += n
		}
		eb.mentions += ea.mentions
		ea.forms, ea.mentions, ea.merged, ea.person = map[string]int{}, 0, true, false
		d.namedAt[b] = append(d.namedAt[b], d.namedAt[a]...)
		d.namedAt[a] = nil
	}
	sorted := map[int]bool{}
	for _, b := range into {
		if !sorted[b] {
			sorted[b] = true
			sort.Ints(d.namedAt[b])
		}
	}
	for i := range d.mentions {
		if b, ok := into[d.mentions[i].entity]; ok {
			d.mentions[i].entity = b
		}
	}
	for i := range qs {
		for k, v := range qs[i].vocatives {
			if b, ok := into[v]; ok {
				qs[i].vocatives[k] = b
			}
		}
		for a := range qs[i].addressees {
			if b, ok := into[a]; ok {
				delete(qs[i].addressees, a)
				qs[i].addressees[b] = true
			}
		}
	}
}

// mergeAddressed joins a titled name to the character who answers to
// it: when the quotations that call someone "Mrs. Bounderby" are
// answered, again and again, by a reply whose tag names Louisa, and
// never by one naming Mrs. Bounderby, the two are one woman (a married
// name). A name without a title (a given name, a nickname) needs three
// such answers. Two names of one conversation that the narration names side by
// side in one sentence are two people and stay apart.
func (d *doc) mergeAddressed(qs []quoteInfo, speakers []int) {
	answers := map[[2]int]int{} // {called, answering speaker named in a tag}
	for i := range qs {
		q := &qs[i]
		if q.tag.kind != refName || q.tag.entity < 0 || !q.firstInPara {
			continue
		}
		// The quotations of the paragraph before, when adjacent.
		var called []int
		for k := i - 1; k >= 0 && qs[k].para == q.para-1; k-- {
			// The names as written, before presentNamesake.
			for _, m := range d.unitMentions(qs[k].unit) {
				if m.entity >= 0 && d.vocative(d.units[qs[k].unit].toks, m.from, m.to) {
					called = append(called, m.entity)
				}
			}
		}
		seen := map[int]bool{}
		for _, v := range called {
			if !seen[v] {
				seen[v] = true
				answers[[2]int{v, q.tag.entity}]++
			}
		}
	}
	into := d.marriedNames()
	for k, n := range answers {
		a, b := k[0], k[1]
		if a == b || answers[[2]int{a, a}] > 0 {
			continue
		}
		ea, eb := d.entities[a], d.entities[b]
		if ea.narrator || eb.narrator || (ea.gender != "" && eb.gender != "" && ea.gender != eb.gender) {
			continue
		}
		// A given name called in conversation (Gladys, to the Duchess
		// of Monmouth) needs more answers than a titled one.
		if len(ea.titles) == 0 && n < 3 {
			continue
		}
		// Called by this name, someone else answers at least as often.
		best := true
		for k2, n2 := range answers {
			if k2[0] == a && k2[1] != b && n2*2 > n {
				best = false
			}
		}
		if !best || d.namedTogether(ea, eb) {
			continue
		}
		if n < 2 {
			// Once is not enough to join them. A formal name answered
			// by someone known by a bare given name (Mrs. John
			// Knightley, Isabella) may be a married name: say so in the
			// cast.
			if eb.seed.title == "" && len(eb.seed.names) == 1 {
				d.unsurePairs = append(d.unsurePairs, [2]int{a, b})
			}
			continue
		}
		if _, done := into[a]; !done {
			into[a] = b
		}
	}
	for a, b := range into {
		if _, chained := into[b]; chained {
			continue
		}
		ea, eb := d.entities[a], d.entities[b]
		for k, n := range ea.forms {
			eb.forms[k] += n
		}
		for k, n := range ea.titles {
			eb.titles[k] += n
		}
		eb.mentions += ea.mentions
		ea.forms, ea.mentions, ea.merged = map[string]int{}, 0, true
		for i := range speakers {
			if speakers[i] == a {
				speakers[i] = b
			}
		}
		for i := range d.mentions {
			if d.mentions[i].entity == a {
				d.mentions[i].entity = b
			}
		}
	}
}

// marriedNames links a woman to the "Mrs." of the man a sentence says
// she marries ("Mr. Elton was going to be married to a Miss Hawkins":
// Miss Hawkins is the Mrs. Elton of later chapters), unless the two
// names are used side by side, as for two people. It returns the
// woman's character mapped to the Mrs.
func (d *doc) marriedNames() map[int]int {
	mrs := map[string]int{} // surname -> the character "Mrs. Surname"
	for _, e := range d.entities {
		if e.seed.title == "Mrs." && len(e.seed.names) == 1 && !d.plural(e.seed.names[0]) {
			mrs[e.seed.names[0]] = e.id
		}
	}
	into := map[int]int{}
	if len(mrs) == 0 {
		return into
	}
	// The sentences that speak of marrying, numbered as findMentions
	// numbers them.
	marrySents := map[int]bool{}
	sent := 0
	for ui := range d.units {
		n := 0
		for _, t := range d.units[ui].toks {
			if strings.HasPrefix(t.lower, "marr") {
				marrySents[sent+n] = true
			}
			if t.endsSentence() {
				n++
			}
		}
		sent += n + 1
	}
	for i := 0; i < len(d.mentions); {
		j := i
		marry := false
		for j < len(d.mentions) && d.mentions[j].sent == d.mentions[i].sent {
			j++
		}
		if marry = marrySents[d.mentions[i].sent]; marry {
			var men []string
			var women []int
			for k := i; k < j; k++ {
				e := d.mentions[k].entity
				if e < 0 {
					continue
				}
				en := d.entities[e]
				switch en.gender {
				case "male":
					if len(en.seed.names) > 0 && d.mentions[k].title == "Mr." {
						men = append(men, en.seed.names[len(en.seed.names)-1])
					}
				case "female":
					// Her maiden name: Miss and a surname.
					if en.seed.title == "Miss" && len(en.seed.names) == 1 && !d.plural(en.seed.names[0]) {
						women = append(women, e)
					}
				}
			}
			for _, s := range men {
				x, ok := mrs[s]
				if !ok {
					continue
				}
				for _, w := range women {
					ew := d.entities[w]
					if w != x && ew.seed.names[len(ew.seed.names)-1] != s && ew.mentions <= d.entities[x].mentions &&
						!d.namedTogether(ew, d.entities[x]) {
						into[w] = x
					}
				}
			}
		}
		i = j
	}
	return into
}

// plural reports whether a name is a family's plural ("the Eltons").
func (d *doc) plural(n string) bool {
	stem, ok := strings.CutSuffix(n, "s")
	return ok && d.capMid[stem] > 0
}

// presentNamesake returns the character a vocative addresses: the one
// its name resolved to, unless that one is absent from the scene while a
// namesake of the same family and sex is in it ("Mr. Churchill" said to
// Frank Churchill, whose uncle is away). Present means named in the
// narration within the last presence tokens.
func (d *doc) presentNamesake(m *mention, pos int) int {
	e := m.entity
	if m.title == "" || len(m.names) != 1 || d.namedSince(e, pos-presence, pos) {
		return e
	}
	tg := titleGender(m.title)
	for _, o := range d.entities {
		s := o.seed.names
		if o.id == e || len(s) < 2 || s[len(s)-1] != m.names[0] || (tg != "" && o.gender != tg) {
			continue
		}
		if d.namedSince(o.id, pos-presence, pos) {
			return o.id
		}
	}
	return e
}

// presence is how far back, in tokens, a character named in the
// narration still counts as present in the scene.
const presence = 1500

// namedSince reports whether the narration names character e between
// token positions from and to.
func (d *doc) namedSince(e, from, to int) bool {
	ps := d.namedAt[e] // in text order
	k := sort.SearchInts(ps, from)
	return k < len(ps) && ps[k] < to
}

// present reports whether character e is in the scene of quotation i:
// named in the narration or speaking within the last presence tokens.
// Someone called by name who is not ("No, Mrs. Knightley, till she is
// in being") does not answer. Only people with a title are checked:
// someone the narration never names, or only by a given name or a role
// ("Francis", "Duchess"), is usually being spoken to.
func (d *doc) present(qs []quoteInfo, i, e int) bool {
	pos := d.units[qs[i].unit].pos
	if len(d.namedAt[e]) == 0 || len(d.entities[e].titles) == 0 || d.namedSince(e, pos-presence, pos) {
		return true // only ever addressed, called by a bare name, or named lately
	}
	for k := i - 1; k >= 0 && pos-d.units[qs[k].unit].pos < presence; k-- {
		if qs[k].speaker == e {
			return true
		}
	}
	return false
}

// namedTogether reports whether the narration names two characters in
// one sentence, more often than a writer varying the names of one person
// would (one in ten mentions of the rarer name).
func (d *doc) namedTogether(a, b *entity) bool {
	n := 0
	for ka := range a.forms {
		for kb := range b.forms {
			n += d.cooc[[2]string{ka, kb}]
		}
	}
	return n > 0 && n*10 >= min(a.mentions, b.mentions)
}

// sieve runs the rules once over qs; guess, when not nil, holds a
// previous run's speakers.
func (d *doc) sieve(qs []quoteInfo, guess []int) ([]int, []string) {
	d.lead = leadCount{} // persons and mentions may have changed since a previous run
	d.heroes = map[string]int{}
	d.apposed = nil // joins since the last run may have moved mentions
	d.described = map[int]string{}
	// S1: speech tags naming the speaker or the narrator.
	for i := range qs {
		q := &qs[i]
		q.tag = d.findTag(q)
		if describes(q.tag) && q.self >= 0 && d.personShaped(q.self) {
			// "\"I am Bartholomew Badger,\" said the animal": the
			// description has a name now.
			q.tag = ref{kind: refName, entity: q.self, unit: q.tag.unit, tok: q.tag.tok}
		} else if e, ok := d.epithets[d.epithetKey(q)]; ok {
			q.tag = ref{kind: refName, entity: e, unit: q.tag.unit, tok: q.tag.tok}
		}
		q.listener = d.tagObject(q.tag)
		switch q.tag.kind {
		case refName:
			if q.tag.entity >= 0 {
				d.assign(q, q.tag.entity, "tag-name")
			}
		case refFirst:
			d.assign(q, d.narratorID(), "tag-I")
		}
	}
	d.markCitedSources(qs)
	d.markPersons(qs)
	d.propagate(qs)
	turns := d.turns(qs)
	turnOf := make([]int, len(qs))
	for k, t := range turns {
		for _, i := range t.quotes {
			turnOf[i] = k
		}
	}
	// S3: action beats naming one character ("Emma smiled. \"...\""),
	// before the pronoun tags, which lean on the turns around them.
	for i := range qs {
		q := &qs[i]
		if q.speaker >= 0 || q.tag.kind != refNone || !q.firstInPara {
			continue
		}
		if e := d.beatName(qs, i); e >= 0 {
			d.assign(q, e, "beat-name")
		} else if self := paraSelf(qs, i); self >= 0 && d.maybePerson(self) && d.tagAllows(q, self) {
			// "I am Mrs. Pembury"; "I am Marsyas" is a figure of speech.
			d.assign(q, self, "self-named")
			d.propagatePara(qs, i)
		} else if d.narrator >= 0 && i+1 < len(qs) && d.units[qs[i+1].unit].cont && d.tellsNext(qs, i) {
			// "I tell it here as I told it then." and a speech of
			// several paragraphs: the narrator tells a story.
			d.assign(q, d.narrator, "tells")
		} else if d.narrator >= 0 && d.beatFirst(q) {
			// In a book told in the first person, "I waved. \"...\""
			// is the narrator's line.
			d.assign(q, d.narrator, "beat-I")
		} else if e := d.approachesMe(q); e >= 0 && !q.addressees[e] && d.tagAllows(q, e) {
			d.assign(q, e, "approach")
		}
	}
	d.propagate(qs)
	// S2: pronoun and noun-phrase tags, in document order so that each
	// can lean on the turns before it.
	for i := range qs {
		q := &qs[i]
		if q.speaker >= 0 || (q.tag.kind != refPron && q.tag.kind != refNP) {
			continue
		}
		prev, prev2 := -1, -1
		var called []int
		if k := turnOf[i]; k >= 1 && turns[k-1].last == turns[k].first-1 {
			prev = turnSpeaker(qs, turns[k-1])
			if k >= 2 && turns[k-2].last == turns[k-1].first-1 {
				prev2 = turnGuess(qs, turns[k-2], guess)
			}
			for _, j := range turns[k-1].quotes {
				called = append(called, qs[j].vocatives...)
			}
		}
		if i > 0 && qs[i-1].speaker >= 0 && qs[i-1].tag == q.tag && qs[i-1].para == q.para {
			// The second half of a split quotation ("A," said he,
			// "b."): one tag names the speaker of both.
			d.assign(q, qs[i-1].speaker, "split")
			continue
		}
		if q.tag.kind == refPron && q.firstInPara && d.continues(q.tag) {
			// "he continued": the last speaker of that sex goes on.
			if e := d.lastVoice(qs, i, q.tag.gender); e >= 0 {
				d.assign(q, e, "tag-pron/continues")
				d.propagatePara(qs, i)
				continue
			}
		}
		if q.tag.head != "" {
			// "said the duchess": the last one named with that rank.
			if e := d.rankBearer(q.tag); e >= 0 {
				d.assign(q, e, "tag-np/title")
				d.propagatePara(qs, i)
				continue
			}
		}
		if q.tag.order != "" {
			// "replied the former": of the last two people the
			// narration named, the one named first.
			if e := d.formerLatter(q.tag); e >= 0 && d.tagAllows(q, e) {
				d.assign(q, e, "tag-np/"+q.tag.order)
				d.propagatePara(qs, i)
				continue
			}
		}
		if q.tag.noun != "" {
			// "Dr. Grantly, the archdeacon, ..." and later "said the
			// archdeacon": the name the narration set beside it.
			if e := d.appositive(q.tag); e >= 0 && d.tagAllows(q, e) {
				d.assign(q, e, "tag-np/appositive")
				d.propagatePara(qs, i)
				continue
			}
		}
		if q.tag.epithet != "" {
			// "said the gamekeeper": someone the narration may never
			// name. Turn-taking decides, within the tag's sex.
			continue
		}
		if q.tag.kind == refPron {
			if l := d.newcomer(q.tag); l != "" {
				q.newcomer = l
				continue
			}
		}
		if q.self >= 0 && q.tag.kind == refPron && d.maybePerson(q.self) && d.tagAllows(q, q.self) {
			// "\"I am Colonel Forster,\" said he"
			d.assign(q, q.self, "self-named")
			d.propagatePara(qs, i)
			continue
		}
		if q.tag.kin != "" {
			if e := d.resolveKin(qs, i, q.tag, prev, prev2); e >= 0 {
				d.assign(q, e, "tag-kin")
				d.propagatePara(qs, i)
				continue
			}
		}
		if q.tag.kind == refPron && d.thinks(q.tag) {
			// "she thought": a thought answers no one, so the turns
			// of the talk say nothing of whose it is; the last
			// speaker may well think on. Whom the last turn called
			// is on the scene to think, as to answer.
			prev, prev2 = -1, -1
		}
		if e := d.resolvePronoun(qs, i, q.tag, prev, prev2, called); e >= 0 {
			kind := "tag-pron/"
			if q.tag.kind == refNP {
				kind = "tag-np/"
			}
			d.assign(q, e, kind+d.step)
			d.propagatePara(qs, i)
		}
	}
	d.propagate(qs)
	// S4 and S5: conversation structure.
	d.converse(qs, turns)
	d.propagate(qs)
	// S6: fallback, the most recent other character nearby.
	addr := make([]string, len(turns))
	for k := range turns {
		addr[k] = d.addressed(qs, turns[k])
	}
	for i := range qs {
		q := &qs[i]
		if q.speaker >= 0 {
			continue
		}
		if q.tag.kind == refNone && describedMate(qs, i) || q.newcomer != "" {
			continue // the description's line, labelled later
		}
		if q.firstInPara && d.units[q.unit].cont && i > 0 && qs[i-1].speaker >= 0 && d.tagAllows(q, qs[i-1].speaker) {
			// A speech over several paragraphs keeps the speaker this
			// fallback gave its first paragraph.
			d.assign(q, qs[i-1].speaker, "continued")
			d.propagatePara(qs, i)
			continue
		}
		prev := -1
		if k := turnOf[i]; k >= 1 && turns[k-1].last == turns[k].first-1 {
			prev = turnSpeaker(qs, turns[k-1])
		}
		r, rule := q.tag, "nearest"
		if r.kind == refNone {
			r = ref{kind: refPron, unit: q.unit, tok: 0}
			// An action beat with a pronoun ("He hesitated. \"Very
			// well.\"") gives the speaker's gender.
			if b := d.beatPronoun(q); b.kind == refPron {
				r, rule = b, "beat-pron"
			} else if g := addressedBy(addr, turns, turnOf[i]); g != "" {
				// The turns around it call their listener "sir" or
				// "ma'am", if someone of that sex is at hand.
				if e := d.resolvePronoun(qs, i, ref{kind: refPron, gender: g, unit: q.unit}, prev, -1, nil); e >= 0 {
					d.assign(q, e, "addressed")
					d.propagatePara(qs, i)
					continue
				}
			}
		}
		if e := d.resolvePronoun(qs, i, r, prev, -1, nil); e >= 0 {
			d.assign(q, e, rule)
			d.propagatePara(qs, i)
		}
	}
	// S7: a pronoun or noun-phrase tag still unresolved names the
	// chapter's most mentioned person of its gender who is not addressed
	// in the paragraph: in a chapter, "she" is most often its heroine.
	for i := range qs {
		q := &qs[i]
		if q.speaker >= 0 || (q.tag.kind != refPron && q.tag.kind != refNP) || q.tag.gender == "" {
			continue
		}
		if e := d.chapterLead(qs, i, q.tag.gender); e >= 0 && d.tagAllows(q, e) {
			d.assign(q, e, "chapter-lead")
			d.propagatePara(qs, i)
			continue
		}
		if e := d.calledPartner(qs, i, q.tag.gender); e >= 0 && d.tagAllows(q, e) {
			d.assign(q, e, "called-partner")
			d.propagatePara(qs, i)
		}
	}
	out := make([]int, len(qs))
	rules := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.speaker
		rules[i] = q.rule
		if q.speaker >= 0 && d.entities[q.speaker].cited {
			out[i], rules[i] = -1, "cited"
		}
		switch {
		case q.speaker >= 0 && d.entities[q.speaker].epithet:
			out[i], rules[i] = -1, "described/"+q.rule
			d.described[i] = "the " + d.entities[q.speaker].name
		case q.speaker < 0 && describes(q.tag):
			// "said the fisherman", and nobody could be named for it.
			rules[i] = "described"
			d.described[i] = "the " + q.tag.noun
		case q.speaker < 0 && q.newcomer != "":
			rules[i] = "described/newcomer"
			d.described[i] = q.newcomer
		}
	}
	// The description speaks the paragraph's other quotations that no
	// one was named for: "\"Swim,\" said the fisherman. \"It is warm.\""
	for i, q := range qs {
		if l := d.described[i]; l != "" {
			for _, k := range q.paraQuotes {
				if out[k] < 0 && d.described[k] == "" && qs[k].tag.kind == refNone {
					d.described[k], rules[k] = l, "described/same-para"
				}
			}
		}
	}
	return out, rules
}

// markCitedSources marks the authors an essay cites ("It
// was a lucky stroke," says Georg Brandes, "that made Andersen..."): in
// a book whose speech tags are in the past tense, a name tagged only in
// the present, at least once, never in the past and never in a
// conversation, is a source, not a character, and must not lend its
// voice to the stories around it.
func (d *doc) markCitedSources(qs []quoteInfo) {
	// The tense of the book's speech tags: the first speech verb of the
	// narration right after each quotation.
	allPresent, allPast := 0, 0
	for ui := 1; ui < len(d.units); ui++ {
		u := &d.units[ui]
		if u.quote || !d.units[ui-1].quote || d.units[ui-1].para != u.para {
			continue
		}
		for j := 0; j < len(u.toks) && j < 5; j++ {
			if w := u.toks[j].lower; speechVerbs[w] {
				if presentVerbs[w] {
					allPresent++
				} else {
					allPast++
				}
				break
			}
		}
	}
	if allPast < 3*allPresent {
		return // a story told in the present tense
	}
	present, past := map[int]int{}, map[int]int{}
	for i := range qs {
		t := qs[i].tag
		if t.kind != refName || t.entity < 0 {
			continue
		}
		toks := d.units[t.unit].toks
		for j := max(t.tok-2, 0); j < len(toks) && j <= t.tok+4; j++ {
			if w := toks[j].lower; speechVerbs[w] {
				if presentVerbs[w] {
					present[t.entity]++
				} else {
					past[t.entity]++
				}
				break
			}
		}
	}
	// A citation stands in the narration, not in a talk: a name tagged
	// next to a paragraph where another name is tagged speaks in a scene
	// (of a story told in the present in some chapters only).
	tagIn := map[int]map[int]bool{} // paragraph -> names tagged in it
	for i := range qs {
		if t := qs[i].tag; t.kind == refName && t.entity >= 0 {
			if tagIn[qs[i].para] == nil {
				tagIn[qs[i].para] = map[int]bool{}
			}
			tagIn[qs[i].para][t.entity] = true
		}
	}
	for i := range qs {
		t := qs[i].tag
		if t.kind != refName || t.entity < 0 {
			continue
		}
		for _, p := range []int{qs[i].para - 1, qs[i].para + 1} {
			if n := len(tagIn[p]); n > 1 || n == 1 && !tagIn[p][t.entity] {
				past[t.entity]++ // answered by, or answering, someone else
			}
		}
	}
	for e, n := range present {
		if n > 0 && past[e] == 0 {
			// Its tags keep its quotations from the other rules; the
			// sieve's result leaves them unattributed.
			d.entities[e].cited = true
		}
	}
}

// markPersons marks the characters the text treats as people: named in a
// speech tag, or addressed by name inside a quotation. Places, titles of
// books and sources of quotations are neither.
// One clue is enough for a name with a title or a known given name; a
// name also used as a place ("at Enscombe") needs three.
func (d *doc) markPersons(qs []quoteInfo) {
	clues := make([]int, len(d.entities))
	ante := make([]int, len(d.entities))
	for i := range qs {
		if t := qs[i].tag; t.kind == refName && t.entity >= 0 {
			clues[t.entity]++
		}
		for _, v := range qs[i].vocatives {
			clues[v]++
		}
		// The character a pronoun tag points back to ("It was Dr. Rowe.
		// ... 'I am sorry,' she said"): someone who only ever speaks
		// through pronouns is a person too, but the name before a
		// pronoun is often a bystander's, so one such clue is not
		// enough.
		if t := qs[i].tag; t.kind == refPron {
			if e := d.antecedent(qs, i, t); e >= 0 {
				ante[e]++
			}
		}
	}
	// Narration that introduces someone by title and full name ("Dr.
	// Amelia Rowe stood on the pavement") is weaker evidence, which
	// counts only together with a pronoun tag.
	intro := make([]int, len(d.entities))
	// A short story gives few tags to prove anyone a person: there a
	// titled name that acts in the narration ("Mr. Hobbes stopped")
	// is one.
	short := len(qs) < shortStory
	for _, m := range d.mentions {
		if m.entity >= 0 && !m.inQuote && m.subject && m.title != "" && len(m.names) >= 2 {
			intro[m.entity] = 1
		}
		if short && m.entity >= 0 && !m.inQuote && m.agent && m.title != "" && !d.possessive(&m) {
			clues[m.entity] = max(clues[m.entity], 1)
		}
	}
	for id, e := range d.entities {
		if len(e.seed.names) == 0 {
			continue // the narrator, or a title standing alone
		}
		need := 2
		if d.personShaped(id) {
			need = 1
		}
		place, all := 0, 0
		for k := range e.forms {
			if f := d.forms[k]; f != nil {
				place += f.place
				all += f.count
			}
		}
		if place*4 >= all && all >= 5 {
			need = 3
		}
		e.person = !e.cited && (clues[id] >= need || (ante[id] > 0 && clues[id]+ante[id]+intro[id] > need))
	}
}

// shortStory is how many quotations a text has at most to be read as a
// short story, whose people the tags have little room to prove.
const shortStory = 300

// antecedent returns the character whose name comes last before the
// pronoun tag r of quotation i in the narration, within a scene's reach,
// if its known gender is the pronoun's; -1 otherwise. Names addressed in
// the paragraph's quotations are skipped: they are the listeners.
func (d *doc) antecedent(qs []quoteInfo, i int, r ref) int {
	q := &qs[i]
	pos := d.units[r.unit].pos + r.tok
	for mi := d.byUnit[r.unit+1] - 1; mi >= 0; mi-- {
		m := &d.mentions[mi]
		mp := d.units[m.unit].pos + m.from
		if mp >= pos {
			continue
		}
		// Out of reach before anything else: skipping the names inside
		// quotations first walked back through all of a paragraph's.
		if pos-mp > antecedentReach || q.para-d.units[m.unit].para > 3 {
			break
		}
		if m.inQuote || m.entity < 0 {
			continue
		}
		if !m.subject || m.place {
			continue
		}
		skip := false
		for _, k := range qs[i].paraQuotes {
			skip = skip || qs[k].addressees[m.entity]
		}
		if skip {
			continue
		}
		if d.entities[m.entity].gender == r.gender {
			if !d.personShaped(m.entity) {
				return -1
			}
			return m.entity
		}
	}
	return -1
}

// personShaped reports whether a character's name has a person's shape
// by itself: a title or a known given name.
func (d *doc) personShaped(e int) bool {
	en := d.entities[e]
	return len(en.seed.names) > 0 && (len(en.titles) > 0 || givenNameGender(en.seed.names[0]) != "")
}

// antecedentReach is how many tokens back a pronoun tag looks for the
// name it stands for when deciding who is a person.
const antecedentReach = 400

// maybePerson reports a character who is a person, or whose name has a
// person's shape (a title, a known given name): one a rule that reads
// the narration itself may give a line to.
func (d *doc) maybePerson(e int) bool {
	return d.isPerson(e) || e >= 0 && d.personShaped(e)
}

// isPerson reports whether entity e may be given lines by a guessing rule.
func (d *doc) isPerson(e int) bool {
	return e >= 0 && (d.entities[e].person || d.entities[e].narrator)
}

func (d *doc) assign(q *quoteInfo, e int, rule string) {
	q.speaker, q.rule = e, rule
}

// narratorID returns the first-person narrator's entity, creating it.
func (d *doc) narratorID() int {
	if d.narrator < 0 {
		e := &entity{id: len(d.entities), narrator: true, name: d.o.NarratorName,
			forms: map[string]int{}, titles: map[string]int{}}
		d.entities = append(d.entities, e)
		d.namedAt = append(d.namedAt, nil)
		d.narrator = e.id
	}
	return d.narrator
}

// quotes collects the dialogue spans with their paragraph context.
func (d *doc) quotes() []quoteInfo {
	var qs []quoteInfo
	for ui, u := range d.units {
		if !u.quote {
			continue
		}
		q := quoteInfo{unit: ui, para: u.para, before: -1, after: -1, speaker: -1, listener: -1, self: -1, addressees: map[int]bool{}}
		if ui > 0 && !d.units[ui-1].quote && d.units[ui-1].para == u.para {
			q.before = ui - 1
		}
		if ui+1 < len(d.units) && !d.units[ui+1].quote && d.units[ui+1].para == u.para {
			q.after = ui + 1
		}
		// A narration paragraph ending in a colon or comma introduces
		// the quotation that opens the next one ("Emma replied,").
		if q.before < 0 && ui > 0 && !d.units[ui-1].quote && d.units[ui-1].para == u.para-1 && !u.cont {
			if toks := d.units[ui-1].toks; len(toks) > 0 {
				switch toks[len(toks)-1].text {
				case ",", ":", "--", "—":
					q.before = ui - 1
				}
			}
		}
		for _, m := range d.unitMentions(ui) {
			if m.entity >= 0 {
				e := m.entity
				alone := m.to >= len(u.toks)-1
				if m.from == 0 && (m.to == len(u.toks) || u.toks[m.to].text == ".") &&
					(alone && len(m.names) >= 2 || d.answersQuestion(ui)) {
					// The quotation opens with a name as a statement: a
					// full name alone, or a name after a question,
					// answers "your name?" or "who else?" ("Madame
					// Delisle. Yesterday."); "Henry." after a remark,
					// "Steve Garland. I mind ye", and "Harriet!" call
					// someone.
					continue
				}
				if m.from == 0 && alone && m.to < len(u.toks) && u.toks[m.to].text == "?" && len(qs) > 0 {
					if last := &qs[len(qs)-1]; last.para != u.para && last.addressees[e] && !slices.Contains(last.vocatives, e) {
						// "I did it to annoy Archie." "Archie?": an echo
						// of a name just said, not a call.
						q.addressees[e] = true
						continue
					}
				}
				if formerNameAfter(u.toks, m.to) {
					continue // "Susan Tillott. That was my name": the speaker's once, no one addressed
				}
				if namesSelf(u.toks[:m.from]) && !d.possessive(&m) || ownNameAfter(u.toks, m.to) {
					q.self = e // "My name is Peleg": the speaker, not the one spoken to
					continue
				}
				if d.vocative(u.toks, m.from, m.to) || identifiesYou(u.toks[:m.from]) && !d.possessive(&m) {
					// "You are Mrs. Rudd?" asks her as surely as "Mrs.
					// Rudd!" calls her.
					e = d.presentNamesake(&m, u.pos+m.from)
					q.vocatives = append(q.vocatives, e)
				}
				q.addressees[e] = true
			}
		}
		qs = append(qs, q)
	}
	for i := range qs {
		if i == 0 || qs[i-1].para != qs[i].para {
			qs[i].firstInPara = true
		}
	}
	for i := 0; i < len(qs); {
		j := i
		for j < len(qs) && qs[j].para == qs[i].para {
			j++
		}
		idx := make([]int, 0, j-i)
		for k := i; k < j; k++ {
			idx = append(idx, k)
		}
		for k := i; k < j; k++ {
			// The nearby ones only: a paragraph of thousands of
			// quotations (hostile input) would make every rule that
			// reads them quadratic.
			qs[k].paraQuotes = idx[max(0, k-i-paraWindow):min(len(idx), k-i+paraWindow+1)]
		}
		i = j
	}
	return qs
}

func (d *doc) unitMentions(ui int) []mention {
	return d.mentions[d.byUnit[ui]:d.byUnit[ui+1]]
}

// mentionAt returns the mention of unit ui starting at token i.
func (d *doc) mentionAt(ui, i int) *mention {
	for k := d.byUnit[ui]; k < d.byUnit[ui+1]; k++ {
		if d.mentions[k].from == i {
			return &d.mentions[k]
		}
	}
	return nil
}

// mentionEndingAt returns the mention of unit ui ending just before token i.
func (d *doc) mentionEndingAt(ui, i int) *mention {
	for k := d.byUnit[ui]; k < d.byUnit[ui+1]; k++ {
		if d.mentions[k].to == i {
			return &d.mentions[k]
		}
	}
	return nil
}

// vocative reports whether the name at toks[from:to] inside a quotation
// is in address position: set off by commas, or opening or closing the
// quotation, or after "dear" or "oh".
func (d *doc) vocative(toks []token, from, to int) bool {
	var prev, next string
	if from > 0 {
		prev = toks[from-1].lower
	}
	if to < len(toks) {
		next = toks[to].lower
	}
	if to < len(toks) && toks[to].lower == "'" {
		return false // possessive
	}
	before := prev == "" || prev == "," || prev == "dear" || prev == "oh" || prev == "o" || prev == "my" || prev == "--" || prev == "!"
	after := next == "" || next == "," || next == "!" || next == "?" || next == "." || next == ";" || next == "--"
	if prev == "" && next == "" {
		return true
	}
	return before && after
}

// findTag finds the speech tag of a quotation: the speech verb and its
// subject next to the quotation, after it or before it.
func (d *doc) findTag(q *quoteInfo) ref {
	if q.before >= 0 && q.after >= 0 && d.introduces(q.after) {
		// "When Clara said, \"A,\" Arthur replied, \"B\"": the tag
		// between two quotations belongs to the second when the first
		// has its own.
		if r := d.tagBefore(q.before); r.kind != refNone {
			return r
		}
	}
	if q.after >= 0 {
		if r := d.tagAfter(q.after); r.kind != refNone {
			return r
		}
	}
	if q.before >= 0 {
		if r := d.tagBefore(q.before); r.kind != refNone {
			return r
		}
		if r := d.leadIn(q.before); r.kind != refNone {
			return r
		}
	}
	return ref{}
}

// leadIn reads the subject of narration that leads into a quotation
// without a verb of saying, ending in a comma or colon: "He cut her
// short with," or "His answer was,". The he or she opening that last
// sentence, or the his or her of a noun of speech opening it, is the
// speaker (CoreNLP's paragraph-end rule, kept to the sentence's
// subject).
func (d *doc) leadIn(ui int) ref {
	toks := d.units[ui].toks
	n := len(toks)
	if n == 0 || (toks[n-1].text != "," && toks[n-1].text != ":") {
		return ref{}
	}
	start := 0
	for k := n - 2; k >= 0; k-- {
		if toks[k].endsSentence() || toks[k].text == ";" {
			start = k + 1
			break
		}
	}
	for start < n && !toks[start].word {
		start++
	}
	if start >= n-1 {
		return ref{}
	}
	t := toks[start]
	switch t.lower {
	case "he", "she":
		return ref{kind: refPron, gender: pronounGender[t.lower], unit: ui, tok: start}
	case "his", "her":
		// "His answer was,"
		for j := start + 1; j < n-1 && j <= start+3 && toks[j].word; j++ {
			if speechNouns[toks[j].lower] {
				return ref{kind: refPron, gender: pronounGender[t.lower], unit: ui, tok: start}
			}
		}
	}
	return ref{}
}

// skipFillers moves i past adverbs and fillers that can sit inside a
// speech tag ("said Emma quickly", "then said he", "at last she said").
func skipFillers(toks []token, i int, limit int) int {
	for n := 0; i < len(toks) && n < limit; n++ {
		t := toks[i]
		if t.word && !t.cap && (tagFillers[t.lower] || (strings.HasSuffix(t.lower, "ly") && len(t.lower) > 4 && t.lower != "only" && t.lower != "early")) {
			i++
			continue
		}
		break
	}
	return i
}

// subjectAt reads a speaker reference starting at token i of unit ui:
// a name, a pronoun, or a gendered noun phrase. It returns the reference
// and the index after it.
func (d *doc) subjectAt(ui, i int) (ref, int) {
	toks := d.units[ui].toks
	if i >= len(toks) || !toks[i].word {
		return ref{}, i
	}
	t := toks[i]
	if m := d.mentionAt(ui, i); m != nil {
		// "Emma's father said": a possessive is not the subject.
		if m.to < len(toks) && (toks[m.to].text == "'" || toks[m.to].text == "’" || toks[m.to].text == "s") {
			k := m.to + 2
			if toks[m.to].text == "s" {
				k = m.to + 1 // texts that lost their apostrophes: "Emma s"
			}
			// "Emma's answer was", "Mr. Woodhouse's first exclamation",
			// "roused by Miss Bates's saying"
			for j := k; j < len(toks) && j <= k+1; j++ {
				if speechNouns[toks[j].lower] || speechGerund(toks[j]) {
					return ref{kind: refName, entity: m.entity, unit: ui, tok: i}, j + 1
				}
				if !toks[j].word || toks[j].cap {
					break
				}
			}
			if k < len(toks) {
				if g, ok := genderedNouns[toks[k].lower]; ok {
					return ref{kind: refNP, gender: g, unit: ui, tok: i}, k + 1
				}
			}
			return ref{}, i
		}
		return ref{kind: refName, entity: m.entity, unit: ui, tok: i}, m.to
	}
	switch t.lower {
	case "he":
		return ref{kind: refPron, gender: "male", unit: ui, tok: i}, i + 1
	case "she":
		return ref{kind: refPron, gender: "female", unit: ui, tok: i}, i + 1
	case "i":
		if t.text == "I" {
			return ref{kind: refFirst, unit: ui, tok: i}, i + 1
		}
	case "the", "his", "her", "my", "their", "our", "a", "an", "your", "its":
		// A short noun phrase ending in a person noun.
		for j := i + 1; j < len(toks) && j <= i+4; j++ {
			if !toks[j].word {
				break
			}
			if m := d.mentionAt(ui, j); m != nil && t.lower == "the" {
				// "said the still waiting Harriet"; but in "said the
				// Radical member" the capital is an adjective of a noun.
				if m.to < len(toks) && toks[m.to].word && !toks[m.to].cap && !tagFillers[toks[m.to].lower] &&
					!strings.HasSuffix(toks[m.to].lower, "ly") && !clauseWords[toks[m.to].lower] && !objectPreps[toks[m.to].lower] {
					break
				}
				return ref{kind: refName, entity: m.entity, unit: ui, tok: j}, m.to
			}
			if g, ok := genderedNouns[toks[j].lower]; ok && toks[j].lower != "old" {
				if m := d.mentionAt(ui, j+1); m != nil && m.entity >= 0 {
					// "said her sister Cecily", "said his friend
					// Walter Penrose": the name says who.
					return ref{kind: refName, entity: m.entity, unit: ui, tok: j + 1}, m.to
				}
				r := ref{kind: refNP, gender: g, unit: ui, tok: i}
				if t.lower == "the" && roleTitles[toks[j].lower] {
					r.head = toks[j].lower
				}
				if t.lower == "the" {
					r.noun = phrase(toks[i+1 : j+1])
				}
				if j == i+1 && kinNouns[toks[j].lower] && (t.lower == "his" || t.lower == "her") {
					r.kin, r.owner = toks[j].lower, pronounGender[t.lower]
				}
				return r, j + 1
			}
			if tt, ok := titles[toks[j].lower]; ok && toks[j].cap {
				return ref{kind: refNP, gender: tt.gender, unit: ui, tok: i}, j + 1
			}
		}
	}
	return ref{}, i
}

// tagAfter reads a tag at the start of the narration following a
// quotation: `said Emma`, `Emma said`, `said he`, `he replied coldly`.
func (d *doc) tagAfter(ui int) ref {
	toks := d.units[ui].toks
	i := 0
	for i < len(toks) && !toks[i].word && (toks[i].text == "--" || toks[i].text == "," || toks[i].text == "_") {
		i++
	}
	if i < len(toks) && (toks[i].lower == "and" || toks[i].lower == "then") {
		i++
	}
	if i < len(toks) && (toks[i].lower == "was" || toks[i].lower == "were") {
		// "was Mr. Woodhouse's observation"
		if r, _ := d.subjectAt(ui, i+1); r.kind == refName {
			return r
		}
		// "was Emma's conclusion", "was Mr. Hobbes's quick amendment":
		// a quotation said to be someone's something is theirs,
		// whatever the noun.
		if m := d.mentionAt(ui, i+1); m != nil && m.entity >= 0 && d.possessive(m) {
			return ref{kind: refName, entity: m.entity, unit: ui, tok: i + 1}
		}
		return ref{}
	}
	// Quotative inversion with a particle: "broke in Lord Henry",
	// "spoke up Mr. Hobbes". Only a verb of saying puts its subject
	// after it next to a quotation, so the verb need not be known.
	if i+2 < len(toks) && toks[i].word && !toks[i].cap && particles[toks[i+1].lower] &&
		!objectPreps[toks[i].lower] && !clauseWords[toks[i].lower] && !tagFillers[toks[i].lower] {
		if r, _ := d.subjectAt(ui, i+2); r.kind == refName {
			return r
		}
	}
	// The same with a past tense the verb list lacks ("grunted Tom").
	if i+1 < len(toks) && toks[i].word && !toks[i].cap && len(toks[i].lower) > 4 && strings.HasSuffix(toks[i].lower, "ed") {
		if m := d.mentionAt(ui, i+1); m != nil && m.entity >= 0 && !d.possessive(m) {
			return ref{kind: refName, entity: m.entity, unit: ui, tok: i + 1}
		}
	}
	i = skipFillers(toks, i, 2)
	if i >= len(toks) {
		return ref{}
	}
	if speechVerbs[toks[i].lower] && !toks[i].cap {
		j := skipFillers(toks, i+1, 3)
		if r, _ := d.subjectAt(ui, j); r.kind != refNone {
			return r
		}
		if continuing[toks[i].lower] {
			return ref{} // "continued the dwarf": the speaker goes on
		}
		return d.epithetAt(ui, j)
	}
	r, j := d.subjectAt(ui, i)
	if r.kind == refNone {
		// "the fisherman said": a description the noun lists lack,
		// right before a verb of saying.
		if r, j = d.epithetSpan(ui, i); r.kind == refNone || j >= len(toks) || !speechVerbs[toks[j].lower] || weakVerbs[toks[j].lower] {
			return ref{}
		}
		return r
	}
	k := skipFillers(toks, j, 2)
	// Auxiliaries: "Emma had said", "he was saying" are rare in tags
	// but harmless.
	for n := 0; n < 2 && k < len(toks) && auxiliaries[toks[k].lower]; n++ {
		k++
	}
	if k < len(toks) && speechVerbs[toks[k].lower] && (!weakVerbs[toks[k].lower] || k == j) {
		return r
	}
	// "\"Nonsense,\" Mr. Hobbes harrumphed.": a past tense with no
	// object after a quotation that a comma left open is its tag,
	// known verb or not.
	if k == j && k < len(toks) && len(toks[k].lower) > 4 && strings.HasSuffix(toks[k].lower, "ed") && !toks[k].cap &&
		(k+1 == len(toks) || !toks[k+1].word) && ui > 0 && d.units[ui-1].quote {
		if qt := d.units[ui-1].toks; len(qt) > 0 && qt[len(qt)-1].text == "," {
			return r
		}
	}
	return ref{}
}

// tagBefore reads a tag in the narration before a quotation:
// `Emma said,`, `Then, turning to her, he added:`, `said Emma:`.
func (d *doc) tagBefore(ui int) ref {
	toks := d.units[ui].toks
	n := len(toks)
	if n == 0 {
		return ref{}
	}
	end := n
	last := toks[n-1]
	if !last.word {
		if last.text != "," && last.text != ":" && last.text != "--" && last.text != "_" {
			return ref{}
		}
		end = n - 1
	}
	// The last sentence of the narration.
	start := 0
	for k := end - 1; k >= 0; k-- {
		if toks[k].endsSentence() || toks[k].text == ";" {
			start = k + 1
			break
		}
	}
	for v := end - 1; v >= start; v-- {
		t := toks[v]
		if t.word && (speechNouns[t.lower] || speechGerund(t)) && v >= 2 {
			// "Emma's remark was--", "by Emma's saying,"
			for s := max(start, v-6); s < v; s++ {
				if r, e := d.subjectAt(ui, s); r.kind == refName && e == v+1 {
					return r
				}
			}
		}
		if !t.word || t.cap || !speechVerbs[t.lower] {
			continue
		}
		// Subject right before the verb ("Emma said", "she quickly
		// added").
		k := v
		for k > start && toks[k-1].word && !toks[k-1].cap && (tagFillers[toks[k-1].lower] || strings.HasSuffix(toks[k-1].lower, "ly") || auxiliaries[toks[k-1].lower]) {
			k--
		}
		if m := d.mentionEndingAt(ui, k); m != nil {
			if r, _ := d.subjectAt(ui, m.from); r.kind != refNone {
				return r
			}
		}
		if k > start {
			if r, e := d.subjectAt(ui, k-1); r.kind != refNone && e == k {
				return r
			}
			// "heard him add", "heard her saying"
			switch toks[k-1].lower {
			case "him":
				return ref{kind: refPron, gender: "male", unit: ui, tok: k - 1}
			case "her":
				return ref{kind: refPron, gender: "female", unit: ui, tok: k - 1}
			}
			// Noun phrases of two to four words before the verb.
			for s := k - 2; s >= start && s >= k-5; s-- {
				if r, e := d.subjectAt(ui, s); r.kind == refNP && e == k {
					return r
				}
			}
		}
		// Inverted: "said Emma:".
		j := skipFillers(toks, v+1, 3)
		if r, _ := d.subjectAt(ui, j); r.kind != refNone {
			return r
		}
		// The subject further back: "Mr. Weston, turning to Emma,
		// said". The nearest name or he/she that opens a clause is the
		// verb's ("When Clara was gone, Mr. Hobbes rose and said"); a
		// name in an object's place is not. Failing that, the first
		// subject of the sentence.
		for s := v - 1; s >= start; s-- {
			// "without Mr. Woodhouse's giving a sigh, and saying": a
			// possessive before a gerund is the subject of the gerund
			// of saying, even after a preposition.
			if m := d.mentionAt(ui, s); m != nil && m.entity >= 0 && d.possessive(m) && strings.HasSuffix(t.lower, "ing") {
				if g := m.to + 2; g < v && strings.HasSuffix(toks[g].lower, "ing") {
					return ref{kind: refName, entity: m.entity, unit: ui, tok: s}
				}
			}
			if s > start && objectPreps[toks[s-1].lower] {
				continue
			}
			r, _ := d.subjectAt(ui, s)
			if r.kind == refPron && (s == start || clauseWords[toks[s-1].lower] || toks[s-1].text == ",") {
				return r
			}
			if r.kind == refName {
				if m := d.mentionAt(ui, r.tok); m == nil || m.agent {
					return r
				}
			}
		}
		for s := start; s < v; s++ {
			if s > start && objectPreps[toks[s-1].lower] {
				continue
			}
			if r, _ := d.subjectAt(ui, s); r.kind == refName || r.kind == refPron || r.kind == refFirst {
				return r
			}
		}
		// A verb whose clause has no subject shares the one of the
		// clauses before it ("He made no answer; merely looked; and
		// soon afterwards said,").
		for s := start; s < v; s++ {
			if r, _ := d.subjectAt(ui, s); r.kind != refNone {
				return ref{} // a subject the tag cannot use ("her mother")
			}
		}
		for end, n := start-1, 0; n < 3 && end > 0 && toks[end].text == ";"; n++ {
			from := 0
			for k := end - 1; k >= 0; k-- {
				if toks[k].endsSentence() || toks[k].text == ";" {
					from = k + 1
					break
				}
			}
			for s := from; s < end; s++ {
				if s > from && objectPreps[toks[s-1].lower] {
					continue
				}
				if r, _ := d.subjectAt(ui, s); r.kind == refName || r.kind == refPron || r.kind == refFirst {
					return r
				}
			}
			end = from - 1
		}
		return ref{}
	}
	return ref{}
}

// propagate copies speakers within paragraphs (split quotations share a
// speaker) and into continuation paragraphs.
func (d *doc) propagate(qs []quoteInfo) {
	for i := range qs {
		q := &qs[i]
		if q.speaker >= 0 {
			continue
		}
		if q.firstInPara && d.units[q.unit].cont && i > 0 && qs[i-1].speaker >= 0 && d.tagAllows(q, qs[i-1].speaker) {
			d.assign(q, qs[i-1].speaker, "continued")
			continue
		}
	}
	for i := range qs {
		q := &qs[i]
		if q.speaker >= 0 || q.tag.kind != refNone {
			continue
		}
		// Another quote of the same paragraph: the nearest attributed
		// one before, else after.
		best := -1
		for _, k := range q.paraQuotes {
			if qs[k].speaker < 0 {
				continue
			}
			if best < 0 || (k < i && (best > i || k > best)) {
				best = k
			}
		}
		if best >= 0 {
			d.assign(q, qs[best].speaker, "same-para")
		}
	}
	// Continuations again, now that paragraph-level speakers are known.
	for i := range qs {
		q := &qs[i]
		if q.speaker < 0 && q.firstInPara && d.units[q.unit].cont && i > 0 && qs[i-1].speaker >= 0 && d.tagAllows(q, qs[i-1].speaker) {
			d.assign(q, qs[i-1].speaker, "continued")
			for _, k := range q.paraQuotes {
				if qs[k].speaker < 0 && qs[k].tag.kind == refNone {
					d.assign(&qs[k], q.speaker, "same-para")
				}
			}
		}
	}
}

// paraWindow is how many quotations on either side of one in its
// paragraph the paragraph rules consider.
const paraWindow = 16

// resolvePronoun picks the character a he/she or noun-phrase tag refers
// to: the one the last turn called by name (called), if in the scene;
// the nearest fitting name in the paragraph's narration; the speaker
// before last (prev2)
// when the last (prev) is someone else; else the most recent fitting
// character. Never someone addressed in the paragraph's quotations.
// d.step names the step that decided.
func (d *doc) resolvePronoun(qs []quoteInfo, i int, r ref, prev, prev2 int, called []int) int {
	q := &qs[i]
	d.step = ""
	excluded := map[int]bool{}
	for _, k := range q.paraQuotes {
		if k != i && d.otherSexTagged(&qs[k], q, r) {
			// "when he once said, \"Emma, you have been no friend\" ...
			// \"But,\" she added": a man named as the speaker of a line
			// to her does not stop her answering it.
			continue
		}
		for e := range qs[k].addressees {
			excluded[e] = true
		}
	}
	// "he asked Campbell", "she said to Emma": the tag's object is
	// the listener.
	if r == q.tag && q.listener >= 0 {
		excluded[q.listener] = true
	}
	fits := func(e int) bool {
		if !d.isPerson(e) || excluded[e] || d.rulesOutNarrator(r, e) {
			return false
		}
		g := d.entities[e].gender
		return r.gender == "" || g == "" || g == r.gender
	}
	strict := func(e int) bool {
		return fits(e) && (r.gender == "" || d.entities[e].gender == r.gender)
	}
	// "Mrs. Wells came in and sat down by the fire. / \"It is colder
	// outside,\" said she.": someone the paragraph before brings on,
	// by a title or a known given name, before the tags have shown her
	// to be a person.
	if r == q.tag && r.kind == refPron && r.gender != "" && q.firstInPara {
		if e := d.arrival(q, r.gender); e >= 0 && !excluded[e] && !d.isPerson(e) {
			d.step = "arrival"
			return e
		}
	}
	// The one the last turn called by name answers it.
	for _, v := range called {
		if v != prev && strict(v) && d.present(qs, i, v) {
			d.step = "voc"
			return v
		}
	}
	// The nearest subject-like name earlier in this paragraph.
	pos := d.units[r.unit].pos + r.tok
	for mi := d.byUnit[r.unit+1] - 1; mi >= 0; mi-- {
		m := &d.mentions[mi]
		mp := d.units[m.unit].pos + m.from
		if mp >= pos {
			continue
		}
		if d.units[m.unit].para != d.units[r.unit].para || pos-mp > 3000 {
			break
		}
		if !m.inQuote && m.subject && strict(m.entity) && !(r.gender != "" && d.otherSubject(m, r.gender)) {
			d.step = "para"
			return m.entity
		}
	}
	// In a conversation, the speaker before last answers the last.
	if prev2 >= 0 && prev != prev2 && strict(prev2) {
		d.step = "conv"
		return prev2
	}
	if prev >= 0 {
		excluded[prev] = true
	}
	// The most recent fitting character: a narration mention or a
	// speaker, within a window.
	best, bestPos, subject := -1, -1, false
	for mi := d.byUnit[r.unit] - 1; mi >= 0; mi-- {
		m := &d.mentions[mi]
		mp := d.units[m.unit].pos + m.from
		if pos-mp > 3000 || d.units[m.unit].ch != d.units[r.unit].ch {
			break // a chapter is a new scene
		}
		if !m.inQuote && strict(m.entity) {
			if m.agent && d.leaves(m) {
				// "Mr. Rendel had come in, and had gone out again":
				// not here to speak.
				continue
			}
			if r.gender != "" && d.otherSubject(m, r.gender) {
				// "he wrote a note to Lord Henry": the name is not
				// the one the pronouns of its sentence stand for.
				continue
			}
			best, bestPos = m.entity, mp
			d.step = "mention"
			if !m.agent || d.possessive(m) {
				// A name in an object's place yields to a subject of
				// its paragraph ("Harriet, who stood apart, ... as
				// agitated as Emma's.").
				for mj := mi - 1; mj >= 0 && d.units[d.mentions[mj].unit].para == d.units[m.unit].para; mj-- {
					o := &d.mentions[mj]
					if !o.inQuote && (o.agent || o.subject && d.possessive(m)) && !d.possessive(o) && o.entity != m.entity && strict(o.entity) {
						best, subject = o.entity, true
						d.step = "mention-agent"
						break
					}
				}
				// With no subject there, "she" is the book's heroine if
				// she is in the scene: "a sudden resolution, of getting
				// Harriet into the house, made her find something amiss.
				// \"Part of my lace is gone,\" said she".
				if !subject && r.gender != "" {
					if p := d.protagonist(r.gender); p >= 0 && p != m.entity && strict(p) && d.spokeLately(qs, i, p) {
						best, subject = p, true
						d.step = "mention-protagonist"
					}
				}
			}
			break
		}
	}
	// A speaker more recent than the mention takes over, unless the
	// mention's paragraph gave a subject of the pronoun's sex.
	for k := i - 1; k >= 0 && !subject; k-- {
		kp := d.units[qs[k].unit].pos
		if kp <= bestPos || pos-kp > 3000 || d.units[qs[k].unit].ch != d.units[r.unit].ch {
			break
		}
		if qs[k].para == q.para {
			continue
		}
		if strict(qs[k].speaker) {
			best = qs[k].speaker
			d.step = "speaker"
			break
		}
	}
	return best
}

// otherSexTagged reports a quotation o, beside q, whose own tag found a
// speaker of the other sex than pronoun tag r asks for.
func (d *doc) otherSexTagged(o, q *quoteInfo, r ref) bool {
	if o.speaker < 0 || o.tag == q.tag || o.tag.kind == refNone || r.gender == "" {
		return false
	}
	g := d.entities[o.speaker].gender
	return g != "" && g != r.gender
}

// arrival returns the one character of the given sex that the
// narration paragraph right before quotation q's paragraph names as a
// subject, when that character has a title or a known given name and
// no one else of that sex is named there; -1 otherwise.
func (d *doc) arrival(q *quoteInfo, gender string) int {
	found := -1
	for ui := q.unit - 1; ui >= 0 && d.units[ui].para >= q.para-1; ui-- {
		u := &d.units[ui]
		if u.para == q.para {
			continue
		}
		if u.quote {
			return -1 // the paragraph before is talk, not an arrival
		}
		for _, m := range d.unitMentions(ui) {
			if m.inQuote || m.entity < 0 || d.entities[m.entity].gender != gender {
				continue
			}
			if found >= 0 && found != m.entity || !m.agent || !d.personShaped(m.entity) || d.leaves(&m) {
				return -1
			}
			found = m.entity
		}
	}
	return found
}

// spokeLately reports whether character e spoke within presence tokens
// before quotation i, in its chapter: someone in the scene, not only
// talked about.
func (d *doc) spokeLately(qs []quoteInfo, i, e int) bool {
	u := d.units[qs[i].unit]
	for k := i - 1; k >= 0; k-- {
		v := d.units[qs[k].unit]
		if u.pos-v.pos > presence || v.ch != u.ch {
			return false
		}
		if qs[k].speaker == e {
			return true
		}
	}
	return false
}

// protagonist returns the character of the given sex whom the book names
// half as often again as any other of that sex, or -1: in a novel told
// over one heroine's shoulder, "she" is mostly her.
func (d *doc) protagonist(gender string) int {
	if p, ok := d.heroes[gender]; ok {
		return p
	}
	p := d.findProtagonist(gender)
	d.heroes[gender] = p
	return p
}

func (d *doc) findProtagonist(gender string) int {
	first, second := -1, 0
	for _, e := range d.entities {
		if e.merged || !e.person || e.narrator || e.gender != gender {
			continue
		}
		switch {
		case first < 0 || e.mentions > d.entities[first].mentions:
			if first >= 0 {
				second = d.entities[first].mentions
			}
			first = e.id
		case e.mentions > second:
			second = e.mentions
		}
	}
	if first < 0 || d.entities[first].mentions*2 < 3*second {
		return -1
	}
	return first
}

// tagObject returns the character named right after the verb of the
// pronoun or noun-phrase tag r ("he asked Campbell", "said she to
// Emma"), or -1.
func (d *doc) tagObject(r ref) int {
	if r.kind != refPron && r.kind != refNP || r.unit < 0 || r.unit >= len(d.units) {
		return -1
	}
	toks := d.units[r.unit].toks
	// The verb stands within two words of the pronoun, before or after.
	for j := max(r.tok-2, 0); j <= r.tok+2 && j < len(toks); j++ {
		if !speechVerbs[toks[j].lower] {
			continue
		}
		k := j + 1
		for k < len(toks) && (k == r.tok || toks[k].lower == "to") {
			k++ // "said she to", "said to"
		}
		for _, m := range d.unitMentions(r.unit) {
			if m.from == k && m.entity >= 0 {
				return m.entity
			}
		}
		return -1
	}
	return -1
}

// beatPronoun finds the he or she that opens a sentence of the narration
// around quotation q in its paragraph, the one before it first.
func (d *doc) beatPronoun(q *quoteInfo) ref {
	for _, ui := range []int{q.unit - 1, q.unit + 1} {
		if ui < 0 || ui >= len(d.units) || d.units[ui].quote || d.units[ui].para != q.para {
			continue
		}
		for ti, t := range d.units[ui].toks {
			if !t.initial {
				continue
			}
			if g, ok := map[string]string{"he": "male", "she": "female"}[t.lower]; ok {
				return ref{kind: refPron, gender: g, unit: ui, tok: ti}
			}
		}
	}
	return ref{}
}

// beatFirst reports whether the narration next to quotation q in its
// paragraph (the unit before it, then the one after) names no one and
// has I as the first pronoun to open one of its sentences.
func (d *doc) beatFirst(q *quoteInfo) bool {
	for _, ui := range []int{q.unit - 1, q.unit + 1} {
		if ui < 0 || ui >= len(d.units) || d.units[ui].quote || d.units[ui].para != q.para {
			continue
		}
		for _, m := range d.unitMentions(ui) {
			if !m.inQuote && m.subject && d.isPerson(m.entity) {
				return false
			}
		}
		for _, t := range d.units[ui].toks {
			if !t.initial {
				continue
			}
			if t.text == "I" {
				return true
			}
			if t.lower == "he" || t.lower == "she" {
				return false
			}
		}
	}
	return false
}

// resolveKin resolves a family tag ("said her father"), as CoreNLP's
// family rule does: find the owner (someone the quotation calls by name,
// else the last speaker, else the pronoun's referent), then the one
// character of the tag's gender who shares the owner's family name; if
// there is none in the scene and the owner spoke last, the one the owner
// spoke to (prev2, the speaker before).
func (d *doc) resolveKin(qs []quoteInfo, i int, r ref, prev, prev2 int) int {
	owner := -1
	for _, k := range qs[i].paraQuotes {
		for _, v := range qs[k].vocatives {
			if owner < 0 && d.entities[v].gender == r.owner {
				owner = v
			}
		}
	}
	if owner < 0 && prev >= 0 && d.entities[prev].gender == r.owner {
		owner = prev
	}
	// The last turn called someone by the kin noun ("If you wish it,
	// father"): the one it answered, the turn before, is that relative,
	// whatever family name the owner goes by (a married daughter's is
	// her husband's).
	if (owner == prev || prev < 0) && prev2 >= 0 && prev2 != owner && d.entities[prev2].gender == r.gender &&
		d.isPerson(prev2) && d.callsKin(qs, i, r.kin) {
		return prev2
	}
	if owner < 0 {
		owner = d.resolvePronoun(qs, i, ref{kind: refPron, gender: r.owner, unit: r.unit, tok: r.tok}, -1, -1, nil)
	}
	if owner < 0 {
		return -1
	}
	// The owner's family names: a woman's maiden name ("Miss ...") for
	// her blood relatives, her married one for her husband.
	spouse := r.kin == "husband" || r.kin == "wife"
	family := map[string]bool{}
	for pass := 0; pass < 2 && len(family) == 0; pass++ {
		for k, n := range d.entities[owner].forms {
			f := d.forms[k]
			if f == nil || n == 0 || givenTitles[f.title] || (f.title == "" && len(f.names) < 2) {
				continue
			}
			if pass == 0 && ((f.title == "Miss") == spouse) && r.owner == "female" {
				continue
			}
			family[f.names[len(f.names)-1]] = true
		}
	}
	// Parents, uncles, aunts and spouses go by title and surname (Mr.
	// Gradgrind); brothers, sisters and children by given name (Tom).
	elder := spouse || r.kin == "father" || r.kin == "mother" || r.kin == "uncle" || r.kin == "aunt" ||
		r.kin == "papa" || r.kin == "mamma" || r.kin == "mama"
	best, bestScore := -1, 0
	for _, e := range d.entities {
		if e.id == owner || !d.isPerson(e.id) || e.gender != r.gender {
			continue
		}
		kin := false
		for k, n := range e.forms {
			if f := d.forms[k]; f != nil && n > 0 && !givenTitles[f.title] && (f.title != "" || len(f.names) >= 2) && family[f.names[len(f.names)-1]] {
				kin = true
				break
			}
		}
		if !kin {
			continue
		}
		score := e.mentions
		if titled := e.seed.title != "" && len(e.seed.names) == 1; titled == elder {
			score += 1 << 20
		}
		if score > bestScore {
			best, bestScore = e.id, score
		}
	}
	pos := d.units[r.unit].pos + r.tok
	if (best < 0 || !d.namedSince(best, pos-presence, pos)) && owner == prev && prev2 >= 0 && prev2 != owner &&
		d.entities[prev2].gender == r.gender && d.isPerson(prev2) {
		// No relative by the family name in the scene: when the owner
		// has just spoken, the one who answers is the one spoken to
		// ("Tell him, father," ... "It is quite right," returned her
		// father).
		return prev2
	}
	return best
}

// chapterLead returns the person of gender g named most often in the
// narration of quotation i's chapter, leaving out those addressed in its
// paragraph.
func (d *doc) chapterLead(qs []quoteInfo, i int, g string) int {
	u := qs[i].unit
	ch := d.units[u].ch
	// The counts run on from the last call, which the sieve makes in
	// document order: counting the chapter afresh for each quotation was
	// quadratic in a long chapter.
	c := &d.lead
	if c.count == nil || c.ch != ch || c.upto > u+1 {
		c.ch, c.count = ch, map[int]int{}
		c.upto = u
		for c.upto > 0 && d.units[c.upto-1].ch == ch {
			c.upto--
		}
	}
	for ; c.upto <= u; c.upto++ {
		for _, m := range d.unitMentions(c.upto) {
			if !m.inQuote && d.isPerson(m.entity) {
				c.count[m.entity]++
			}
		}
	}
	away := map[int]bool{}
	for _, k := range qs[i].paraQuotes {
		for e := range qs[k].addressees {
			away[e] = true
		}
	}
	best, most := -1, 0
	for e, n := range c.count {
		if d.entities[e].gender != g || away[e] {
			continue
		}
		if n > most || (n == most && e < best) {
			best, most = e, n
		}
	}
	return best
}

// leadCount is chapterLead's running count of the narration's mentions
// of persons, in chapter ch, of units before upto.
type leadCount struct {
	ch, upto int
	count    map[int]int
}

// continues reports whether the speech verb next to tag r says that a
// speaker goes on ("he continued", "resumed she").
func (d *doc) continues(r ref) bool {
	toks := d.units[r.unit].toks
	for k := max(0, r.tok-3); k < len(toks) && k <= r.tok+3; k++ {
		if continuing[toks[k].lower] {
			return true
		}
	}
	return false
}

var continuing = wordSet("continued continues resumed resumes pursued pursues proceeded went added adds")

// thinks reports a pronoun tag of thinking: "she thought", "thought
// he", "he said to himself".
func (d *doc) thinks(r ref) bool {
	toks := d.units[r.unit].toks
	for k := max(0, r.tok-2); k < len(toks) && k <= r.tok+3; k++ {
		if thinking[toks[k].lower] {
			return true
		}
		if (toks[k].lower == "himself" || toks[k].lower == "herself") && k > 0 && toks[k-1].lower == "to" {
			return true
		}
	}
	return false
}

var thinking = wordSet("thought thinks mused muses reflected reflects wondered wonders")

// lastVoice returns the speaker of gender g of the latest quotation
// before i by a speaker of that gender, a few paragraphs back at most.
func (d *doc) lastVoice(qs []quoteInfo, i int, g string) int {
	for k := i - 1; k >= 0 && qs[i].para-qs[k].para <= 6; k-- {
		if qs[k].para == qs[i].para || qs[k].speaker < 0 {
			continue
		}
		if e := qs[k].speaker; d.entities[e].gender == g && d.isPerson(e) {
			return e
		}
	}
	return -1
}

// possessive reports whether mention m is a possessive ("Harriet's
// account").
func (d *doc) possessive(m *mention) bool {
	toks := d.units[m.unit].toks
	return m.to < len(toks) && (toks[m.to].text == "'" || toks[m.to].text == "’")
}

// beatName returns the only character named as a possible subject in the
// narration of quotation i's paragraph, if the narration names exactly
// one and uses no he/she that could point elsewhere.
func (d *doc) beatName(qs []quoteInfo, i int) int {
	q := &qs[i]
	found := -1
	pronouns := map[string]bool{}
	for ui := q.unit - 1; ui >= 0 && d.units[ui].para == q.para; ui-- {
		if !d.beatUnit(ui, &found, pronouns) {
			return -1
		}
	}
	for ui := q.unit + 1; ui < len(d.units) && d.units[ui].para == q.para; ui++ {
		if !d.beatUnit(ui, &found, pronouns) {
			return -1
		}
	}
	if found < 0 || q.addressees[found] {
		return -1
	}
	// "Mr. Bounderby threw on his hat, as he always did. \"...\"": a he
	// of the named one's sex is the named one; any other is someone else
	// who may be speaking.
	if len(pronouns) == 0 {
		return found
	}
	for g := range pronouns {
		if g != d.entities[found].gender {
			return -1
		}
	}
	// Nobody else of that sex, or of none known, is named there.
	g := d.entities[found].gender
	from, to := q.unit, q.unit
	for from > 0 && d.units[from-1].para == q.para {
		from--
	}
	for to+1 < len(d.units) && d.units[to+1].para == q.para {
		to++
	}
	named := false // the name comes before its pronouns: "she did ... But Harriet" is not Harriet's she
	for ui := from; ui <= to; ui++ {
		if d.units[ui].quote {
			continue
		}
		ms := d.unitMentions(ui)
		for _, m := range ms {
			if m.entity >= 0 && m.entity != found && !m.inQuote {
				if og := d.entities[m.entity].gender; og == g || og == "" {
					return -1
				}
			}
		}
		k := 0 // ms are in text order
		for ti, t := range d.units[ui].toks {
			for ; k < len(ms) && ms[k].from <= ti; k++ {
				named = named || ms[k].entity == found
			}
			if (t.lower == "he" || t.lower == "she") && !named {
				return -1
			}
		}
	}
	return found
}

// beatUnit folds the subject-like names of a narration unit into found,
// and the sexes of its he and she into pronouns; it returns false when
// the unit rules the beat rule out.
func (d *doc) beatUnit(ui int, found *int, pronouns map[string]bool) bool {
	u := &d.units[ui]
	if u.quote {
		return true
	}
	for _, m := range d.unitMentions(ui) {
		if !d.maybePerson(m.entity) || !m.subject {
			continue
		}
		if m.to < len(u.toks) && (u.toks[m.to].text == "'" || u.toks[m.to].text == "’") {
			continue
		}
		if *found >= 0 && *found != m.entity {
			return false
		}
		*found = m.entity
	}
	for _, t := range u.toks {
		switch {
		case t.lower == "he":
			pronouns["male"] = true
		case t.lower == "she":
			pronouns["female"] = true
		case t.text == "I" && t.word:
			return false
		}
	}
	return true
}

// leaves reports a name whose own clause takes it out of the scene
// ("had come in, and had gone out again", "left the room") and not
// back ("who had left the room, came back again").
func (d *doc) leaves(m *mention) bool {
	toks := d.units[m.unit].toks
	gone := false
	for i := m.to; i < len(toks) && !toks[i].clauseBreak(); i++ {
		switch toks[i].lower {
		case "departed", "withdrew":
			gone = true
		case "went", "gone", "walked", "hurried", "strode":
			if i+1 < len(toks) && (toks[i+1].lower == "out" || toks[i+1].lower == "away" || toks[i+1].lower == "off") {
				gone = true
			}
		case "left":
			if i+2 < len(toks) && toks[i+1].lower == "the" && (toks[i+2].lower == "room" || toks[i+2].lower == "house") {
				gone = true
			}
		case "came", "come", "returned", "entered", "reappeared":
			gone = false
		}
	}
	return gone
}

// approachesMe returns the one named person who, in the last sentence
// of the narration paragraph just before quotation q's, acts on the
// teller of a book told in the first person ("In the corridor Varvara
// caught me by the sleeve. / \"How much did you lose?\""): the one who
// speaks first. -1 otherwise. In a book told in the third person the
// subject of the paragraph before is as often the listener.
func (d *doc) approachesMe(q *quoteInfo) int {
	ui := q.unit - 1
	if !d.firstPerson || !q.firstInPara || q.before >= 0 || ui < 0 || d.units[ui].quote || d.units[ui].para != q.para-1 || d.units[q.unit].cont {
		return -1
	}
	toks := d.units[ui].toks
	from := len(toks) - 1
	for from > 0 && !toks[from-1].endsSentence() {
		from--
	}
	meAt := -1 // the name comes before the "me" it acts on
	for i := len(toks) - 1; i >= from; i-- {
		if toks[i].lower == "me" {
			meAt = i
			break
		}
	}
	if meAt < 0 {
		return -1
	}
	found := -1
	for _, m := range d.unitMentions(ui) {
		if m.from < from || m.inQuote || m.entity < 0 || m.entity == d.narrator {
			continue
		}
		if !m.subject || !d.maybePerson(m.entity) || found >= 0 && found != m.entity || m.from > meAt {
			return -1
		}
		found = m.entity
	}
	return found
}

// turn is one speaker's turn in a conversation: a paragraph holding
// quotations, together with the paragraphs that continue its speech.
type turn struct {
	first, last int   // paragraph numbers
	quotes      []int // quotation indices
}

// turns groups quotations into turns.
func (d *doc) turns(qs []quoteInfo) []turn {
	var ts []turn
	for i := range qs {
		q := &qs[i]
		if !q.firstInPara {
			ts[len(ts)-1].quotes = append(ts[len(ts)-1].quotes, i)
			continue
		}
		if d.units[q.unit].cont && len(ts) > 0 && ts[len(ts)-1].last == q.para-1 {
			t := &ts[len(ts)-1]
			t.last = q.para
			t.quotes = append(t.quotes, i)
			continue
		}
		ts = append(ts, turn{first: q.para, last: q.para, quotes: []int{i}})
	}
	return ts
}

func turnSpeaker(qs []quoteInfo, t turn) int {
	for _, i := range t.quotes {
		if qs[i].speaker >= 0 {
			return qs[i].speaker
		}
	}
	return -1
}

// turnGuess is the turn's speaker, else the speaker guess gives its
// first quotation.
func turnGuess(qs []quoteInfo, t turn, guess []int) int {
	if e := turnSpeaker(qs, t); e >= 0 || guess == nil {
		return e
	}
	return guess[t.quotes[0]]
}

func setTurn(d *doc, qs []quoteInfo, t turn, e int, rule string) {
	for _, i := range t.quotes {
		if qs[i].speaker < 0 {
			d.assign(&qs[i], e, rule)
		}
	}
}

// converse fills turns of runs of adjacent quotation paragraphs: a
// character addressed by name in one turn speaks the next, and speakers
// alternate, so turn k has the speaker of turn k-2 or k+2.
func (d *doc) converse(qs []quoteInfo, ts []turn) {
	for start := 0; start < len(ts); {
		end := start + 1
		for end < len(ts) && ts[end].first == ts[end-1].last+1 {
			end++
		}
		run := ts[start:end]
		d.fillRun(qs, run)
		if start > 0 && turnSpeaker(qs, run[0]) < 0 {
			// A conversation interrupted by one paragraph of narration
			// (a gesture, a pause, a thought) resumes with the one who
			// spoke last before it, when nothing in the talk says who.
			prev := ts[start-1]
			a := turnSpeaker(qs, prev)
			if a >= 0 && run[0].first-prev.last == 2 && d.quietInterlude(qs, run[0].quotes[0], a) &&
				!d.namedInTurn(qs, run[0], a) && d.agrees(qs, run[0], a) {
				setTurn(d, qs, run[0], a, "resumed")
				// The one a spoke to answers again.
				if start >= 2 && ts[start-2].last == prev.first-1 && len(run) > 1 && turnSpeaker(qs, run[1]) < 0 {
					if b := turnSpeaker(qs, ts[start-2]); b >= 0 && b != a && !d.namedInTurn(qs, run[1], b) && d.agrees(qs, run[1], b) {
						setTurn(d, qs, run[1], b, "alternate")
					}
				}
				d.fillRun(qs, run)
			}
		}
		start = end
	}
}

// quietInterlude reports whether the paragraph before quotation i is
// narration that leaves the floor to a, the last speaker: it does not
// report the next speech ("There was a little hesitation in Ann's
// answer.") or lead into it with a colon or a dash, and the narration
// of quotation i's own paragraph names no one else (a tag the tag rules
// missed). Which of the two a gesture of the listener leads to is a
// toss-up, but the speaker resuming is the likelier.
func (d *doc) quietInterlude(qs []quoteInfo, i, a int) bool {
	us := d.interlude(qs, i)
	if us == nil {
		return false
	}
	for _, ui := range us {
		for _, t := range d.units[ui].toks {
			if speechNouns[t.lower] {
				return false
			}
		}
		// "Here Ann joined them.": someone who comes in speaks next.
		named := false
		for _, m := range d.unitMentions(ui) {
			named = named || (!m.inQuote && d.isPerson(m.entity))
		}
		for _, t := range d.units[ui].toks {
			if named && entering[t.lower] {
				return false
			}
		}
	}
	if toks := d.units[us[0]].toks; len(toks) > 0 {
		switch toks[len(toks)-1].text {
		case ",", ":", "--", "—":
			return false
		}
		// "Ann, who had said little, spoke now.": a paragraph ending
		// on a verb of speaking announces the next speech.
		k := len(toks) - 1
		for k > 0 && !toks[k].word {
			k--
		}
		for n := 0; n < 2 && k > 0 && tagFillers[toks[k].lower]; n++ {
			k--
		}
		if w := toks[k].lower; speechVerbs[w] || announcing[w] {
			return false
		}
	}
	for ui := qs[i].unit + 1; ui < len(d.units) && d.units[ui].para == qs[i].para; ui++ {
		for _, m := range d.unitMentions(ui) {
			if !m.inQuote && d.isPerson(m.entity) && m.entity != a {
				return false
			}
		}
	}
	return true
}

// entering holds verbs of coming into a scene.
var entering = wordSet("joined entered arrived appeared")

// announcing holds verbs of speaking that the tag rules leave out,
// since they rarely tag a quotation, but that end a paragraph leading
// into one.
var announcing = wordSet("spoke speaks began begins")

// interlude returns the narration units of the paragraph just before
// quotation i's, last first, when quotation i opens its paragraph and
// the one before is narration only, in the same chapter as the
// paragraph before it; else nil.
func (d *doc) interlude(qs []quoteInfo, i int) []int {
	ui := qs[i].unit - 1
	p := qs[i].para - 1
	var us []int
	for ; ui >= 0 && d.units[ui].para == p; ui-- {
		if d.units[ui].quote {
			return nil
		}
		us = append(us, ui)
	}
	if len(us) == 0 || ui < 0 || d.units[ui].para != p-1 || d.units[ui].ch != d.units[us[0]].ch {
		return nil
	}
	return us
}

func (d *doc) fillRun(qs []quoteInfo, run []turn) {
	sp := make([]int, len(run))
	addr := make([]string, len(run))
	for k := range run {
		sp[k] = turnSpeaker(qs, run[k])
		addr[k] = d.addressed(qs, run[k])
	}
	// A turn that says "sir" or "ma'am" speaks to a man or a woman: most
	// often the one who spoke just before or speaks just after.
	fits := func(k, e int) bool {
		g := d.entities[e].gender
		return g == "" || ((k == 0 || addr[k-1] == "" || addr[k-1] == g) && (k+1 == len(run) || addr[k+1] == "" || addr[k+1] == g))
	}
	// Vocatives: the person addressed answers.
	for k := 1; k < len(run); k++ {
		if sp[k] >= 0 {
			continue
		}
		for _, i := range run[k-1].quotes {
			for _, v := range qs[i].vocatives {
				// A place cried out ("Coketown!") does not answer; a
				// name the narration never uses is a listener's.
				if v != sp[k-1] && sp[k] < 0 && (d.isPerson(v) || len(d.namedAt[v]) == 0) &&
					!d.namedInTurn(qs, run[k], v) && d.present(qs, i, v) && d.agrees(qs, run[k], v) && fits(k, v) {
					sp[k] = v
					setTurn(d, qs, run[k], v, "vocative")
				}
			}
		}
	}
	// Alternation, propagated in both directions until stable.
	alternate := func() {
		for changed := true; changed; {
			changed = false
			for k := range run {
				if sp[k] >= 0 {
					continue
				}
				e := -1
				switch {
				case k >= 2 && sp[k-2] >= 0 && sp[k-2] != sp[k-1]:
					e = sp[k-2]
				case k+2 < len(run) && sp[k+2] >= 0 && sp[k+2] != sp[k+1]:
					e = sp[k+2]
				}
				if e >= 0 && !d.namedInTurn(qs, run[k], e) && d.agrees(qs, run[k], e) && fits(k, e) {
					sp[k] = e
					setTurn(d, qs, run[k], e, "alternate")
					changed = true
				}
			}
		}
	}
	alternate()
	// In a book told in the first person the narrator is in nearly every
	// scene: a talk of one named speaker and turns nobody can name is a
	// talk with "I" ("I'm tired," Brett said. / "You look fine.").
	if d.narrator >= 0 && d.toldInFirstPerson(qs, run) {
		for k := range run {
			if sp[k] >= 0 {
				continue
			}
			other := func(j int) bool { return j >= 0 && j < len(run) && sp[j] >= 0 && sp[j] != d.narrator }
			unnamed := func(j int) bool { return j < 0 || j >= len(run) || sp[j] < 0 || sp[j] == d.narrator }
			if (other(k-1) || other(k+1)) && unnamed(k-2) && unnamed(k+2) && d.agrees(qs, run[k], d.narrator) && fits(k, d.narrator) {
				sp[k] = d.narrator
				setTurn(d, qs, run[k], d.narrator, "narrator-turn")
			}
		}
		alternate()
	}
	// The one a turn calls by name is most often the one it answers as
	// well ("Yes, Ann."): the turn before is Ann's, if Ann is someone
	// the narration names (not a name only ever heard in quotations).
	for k := 0; k+1 < len(run); k++ {
		if sp[k] >= 0 || d.tagged(qs, run[k]) {
			continue
		}
		for _, i := range run[k+1].quotes {
			for _, v := range qs[i].vocatives {
				if v != sp[k+1] && sp[k] < 0 && d.isPerson(v) && len(d.namedAt[v]) > 0 &&
					!d.namedInTurn(qs, run[k], v) && d.present(qs, i, v) && d.agrees(qs, run[k], v) && fits(k, v) {
					sp[k] = v
					setTurn(d, qs, run[k], v, "vocative-back")
				}
			}
		}
	}
	alternate()
}

// tellsNext reports whether the paragraph just before quotation i is
// narration in which "I" tells or narrates ("I once narrated it", "I
// will tell you").
func (d *doc) tellsNext(qs []quoteInfo, i int) bool {
	us := d.interlude(qs, i)
	for _, ui := range us {
		toks := d.units[ui].toks
		for j, t := range toks {
			if t.text != "I" {
				continue
			}
			for k := j + 1; k < len(toks) && k <= j+3; k++ {
				if telling[toks[k].lower] {
					return true
				}
			}
		}
	}
	return false
}

var telling = wordSet("tell told narrate narrated relate related recount recounted")

// toldInFirstPerson reports whether the narrator takes part in the run:
// the narration of the paragraph before it says "we" or "us", or a line
// of the run is already the narrator's. A narrator who says only "I" may
// be watching others talk, as Ishmael mostly does.
func (d *doc) toldInFirstPerson(qs []quoteInfo, run []turn) bool {
	first := qs[run[0].quotes[0]].unit
	ch := d.units[first].ch
	for ui := first - 1; ui >= 0 && d.units[ui].ch == ch && d.units[first].para-d.units[ui].para <= 1; ui-- {
		if !d.units[ui].quote && saysWe(d.units[ui].toks) {
			return true
		}
	}
	// Or the run itself has a line of the narrator's.
	for _, t := range run {
		for _, i := range t.quotes {
			if qs[i].speaker == d.narrator {
				return true
			}
		}
	}
	return false
}

// saysWe reports narration that puts the narrator in the scene with
// others: "we", "us", or a "me" someone else acts on ("Clara caught me
// by the sleeve"). A narrator who says "I" may be watching others talk,
// or thinking alone ("I began to bethink me").
func saysWe(toks []token) bool {
	sawI := false // in this clause
	for _, t := range toks {
		switch {
		case t.lower == "we" || t.lower == "us":
			return true
		case t.lower == "me" && !sawI:
			return true
		case t.text == "I" && t.word:
			sawI = true
		case t.clauseBreak() || t.text == ",":
			sawI = false // "I heard steps behind me, and Varvara caught me"
		}
	}
	return false
}

// tagged reports whether a quotation of turn t has a speech tag.
func (d *doc) tagged(qs []quoteInfo, t turn) bool {
	for _, i := range t.quotes {
		if qs[i].tag.kind != refNone {
			return true
		}
	}
	return false
}

// addressTerms are the words that address a man or a woman without a
// name ("Yes, sir.", "Thank you, ma'am.").
var addressTerms = map[string]string{
	"sir": "male", "papa": "male", "father": "male", "uncle": "male",
	"ma'am": "female", "ma’am": "female", "madam": "female", "mamma": "female", "mama": "female",
	"mother": "female", "aunt": "female",
}

// addressReach is how many tokens from either end of a quotation a
// term of address may stand.
const addressReach = 12

// addressed returns the sex that the quotations of turn t address by a
// term of address, or "" when they use none, or terms of both sexes.
func (d *doc) addressed(qs []quoteInfo, t turn) string {
	g := ""
	for _, i := range t.quotes {
		toks := d.units[qs[i].unit].toks
		for j, tok := range toks {
			a, ok := addressTerms[tok.lower]
			// "my father." is spoken of; and a term deep inside a long
			// speech may be someone else's, quoted ("I said, 'Are you
			// hurt, father?'"), where an address to the listener opens
			// or closes the speech.
			if !ok || (j > 0 && toks[j-1].lower == "my") || (j >= addressReach && len(toks)-j > addressReach) || !d.vocative(toks, j, j+1) {
				continue
			}
			if g != "" && g != a {
				return ""
			}
			g = a
		}
	}
	return g
}

// addressedBy returns the sex that the turns next to turn k, in its
// conversation, address by a term of address, "" if none or both; addr
// holds what each turn addresses.
func addressedBy(addr []string, ts []turn, k int) string {
	g := ""
	for _, n := range []int{k - 1, k + 1} {
		if n < 0 || n >= len(ts) || (n < k && ts[n].last != ts[k].first-1) || (n > k && ts[n].first != ts[k].last+1) {
			continue
		}
		a := addr[n]
		if a != "" && g != "" && a != g {
			return ""
		}
		if a != "" {
			g = a
		}
	}
	return g
}

// agrees reports whether character e may speak turn t: no he or she
// tag of the turn says the other sex ("\"Indeed,\" she said" is no
// man's line, whatever the turn-taking says).
func (d *doc) agrees(qs []quoteInfo, t turn, e int) bool {
	for _, i := range t.quotes {
		if !d.tagAllows(&qs[i], e) {
			return false
		}
		// The first-person narrator is "I" in their own beats: a line
		// whose beat is "She drew a card" is hers, not the narrator's.
		if d.entities[e].narrator && qs[i].tag.kind == refNone && d.thirdPersonBeat(&qs[i]) {
			return false
		}
	}
	return true
}

// thirdPersonBeat reports whether the first I, he or she to open a
// sentence of the narration around quotation q in its paragraph (the
// unit before it first) is he or she.
func (d *doc) thirdPersonBeat(q *quoteInfo) bool {
	for _, ui := range []int{q.unit - 1, q.unit + 1} {
		if ui < 0 || ui >= len(d.units) || d.units[ui].quote || d.units[ui].para != q.para {
			continue
		}
		for _, t := range d.units[ui].toks {
			switch {
			case !t.initial:
			case t.text == "I":
				return false
			case t.lower == "he" || t.lower == "she":
				return true
			}
		}
	}
	return false
}

// rulesOutNarrator reports whether e is the first-person narrator and
// r a he, a she or a noun phrase: the narrator is "I", never "she said"
// or "said the landlady".
func (d *doc) rulesOutNarrator(r ref, e int) bool {
	return d.entities[e].narrator && (r.kind == refNP || r.kind == refPron && r.gender != "")
}

// tagAllows reports whether quotation q's tag allows character e as
// its speaker: a he, she or gendered noun phrase of the other sex does
// not.
func (d *doc) tagAllows(q *quoteInfo, e int) bool {
	r, g := q.tag, d.entities[e].gender
	if d.rulesOutNarrator(r, e) || q.newcomer != "" {
		return false
	}
	if q.listener == e {
		return false // "he asked Campbell": Campbell listens
	}
	return (r.kind != refPron && r.kind != refNP) || r.gender == "" || g == "" || r.gender == g
}

// namedInTurn reports whether character e is named inside the turn's
// quotations, which makes e its addressee rather than its speaker.
func (d *doc) namedInTurn(qs []quoteInfo, t turn, e int) bool {
	for _, i := range t.quotes {
		if qs[i].addressees[e] {
			return true
		}
	}
	return false
}

// propagatePara gives quotation i's speaker to the untagged quotations
// of its paragraph.
func (d *doc) propagatePara(qs []quoteInfo, i int) {
	for _, k := range qs[i].paraQuotes {
		if qs[k].speaker < 0 && qs[k].tag.kind == refNone {
			d.assign(&qs[k], qs[i].speaker, "same-para")
		}
	}
}

// rankBearer returns the character last named in the narration of the
// chapter, or the one before, with the rank that the noun-phrase tag r stands for ("the
// Duchess of Harley" for "said the duchess"), or -1. A writer who names
// one duchess calls her "the duchess" until another is named, and a
// scene may go on over a chapter break; the prince of chapters before
// may be another story's.
func (d *doc) rankBearer(r ref) int {
	if d.ranked == nil {
		// The narration's mentions by the rank they name, in text order,
		// so that each tag finds its bearer by binary search rather than
		// by walking back through a chapter's names.
		d.ranked = map[string][]int{}
		for mi := range d.mentions {
			m := &d.mentions[mi]
			if m.entity < 0 || m.inQuote {
				continue
			}
			t := rankOf(m.title)
			if t == "" && len(m.names) == 1 {
				t = strings.ToLower(m.names[0])
			}
			if t != "" {
				d.ranked[t] = append(d.ranked[t], mi)
			}
		}
	}
	list := d.ranked[r.head]
	k := sort.Search(len(list), func(k int) bool {
		m := &d.mentions[list[k]]
		return m.unit > r.unit || (m.unit == r.unit && m.from >= r.tok)
	})
	if k == 0 {
		return -1
	}
	m := &d.mentions[list[k-1]]
	if d.units[m.unit].ch < d.units[r.unit].ch-1 {
		return -1
	}
	return m.entity
}

// otherSubject reports whether the sentence of mention m, before it,
// has a subject of gender g other than the name: a he or she, or a
// noun phrase ("the lad looked over at Lord Henry", "he remembered
// that Lord Henry had said"). A name after such a subject in its
// sentence is someone else than the one its pronouns stand for.
func (d *doc) otherSubject(m *mention, g string) bool {
	toks := d.units[m.unit].toks
	for i := m.from - 1; i >= 0; i-- {
		t := toks[i]
		if t.endsSentence() {
			return false
		}
		if (t.lower == "he" || t.lower == "she") && pronounGender[t.lower] == g {
			if i > 0 && toks[i-1].text == "," && i+2 < m.from && toks[i+1].word && toks[i+2].text == "," {
				continue // "Harriet, she found, had never": a parenthesis
			}
			if m.agent && d.subordinate(toks, i, m.from) {
				// "As he was passing out, Dorian touched him": the
				// pronoun's clause is subordinate to the name's.
				continue
			}
			return true
		}
		if ng, ok := genderedNouns[t.lower]; ok && ng == g && i > 0 && toks[i-1].lower == "the" {
			return true
		}
	}
	return false
}

// speechGerund reports whether t is the -ing form of a speech verb that
// only speaks ("saying", "replying"), which after a possessive names
// the speaker as a noun of speech does ("her cousin's saying,").
func speechGerund(t token) bool {
	if !t.word || t.cap || !strings.HasSuffix(t.lower, "ing") || !speechVerbs[t.lower] {
		return false
	}
	stem := strings.TrimSuffix(t.lower, "ing")
	return !weakVerbs[stem] && !weakVerbs[stem+"e"] // not "smiling"
}

// introduces reports whether narration unit ui leads into a quotation
// of its paragraph: it ends with a comma or colon and a quotation
// follows.
func (d *doc) introduces(ui int) bool {
	toks := d.units[ui].toks
	if len(toks) == 0 || ui+1 >= len(d.units) || !d.units[ui+1].quote || d.units[ui+1].para != d.units[ui].para {
		return false
	}
	last := toks[len(toks)-1].text
	return last == "," || last == ":"
}

// particles complete a phrasal verb of saying ("broke in", "spoke up").
var particles = wordSet("in out up forth")

// calledPartner returns the person of gender g whom the conversation of
// quotation i calls by name, for a he or she tag nothing else resolved:
// someone called in the next turn spoke this one ("\"Being so
// impulsive,\" she said. / \"Mrs. Hale, no: ...\""); failing that, the
// latest one called in the turns before, in the chapter, who is still a
// listener in the talk. People called in this quotation's own paragraph
// are its listeners, not its speaker.
func (d *doc) calledPartner(qs []quoteInfo, i int, g string) int {
	q := &qs[i]
	ch := d.units[q.unit].ch
	own := map[int]bool{}
	for _, k := range q.paraQuotes {
		for e := range qs[k].addressees {
			own[e] = true
		}
	}
	fits := func(e int) bool {
		return !own[e] && d.isPerson(e) && d.entities[e].gender == g
	}
	// The next turn: the first quotation paragraph after this one, when
	// at most one paragraph of narration lies between. (Found by binary
	// search: a paragraph of thousands of quotations is not walked for
	// each of them.)
	next := i + 1 + sort.Search(len(qs)-i-1, func(k int) bool { return qs[i+1+k].para > q.para })
	for k := next; k < len(qs) && d.units[qs[k].unit].ch == ch && qs[k].para == qs[next].para && qs[k].para-q.para <= 2; k++ {
		for _, v := range qs[k].vocatives {
			if fits(v) {
				return v
			}
		}
	}
	for k := i - 1; k >= 0 && i-k <= partnerQuotes && d.units[qs[k].unit].ch == ch && q.para-qs[k].para <= partnerReach; k-- {
		for _, v := range qs[k].vocatives {
			if fits(v) && v != qs[k].speaker {
				return v
			}
		}
	}
	return -1
}

// partnerReach is how many paragraphs back a conversation's called
// names still count as its listeners, and partnerQuotes how many
// quotations at most (a bound for paragraphs of many).
const (
	partnerReach  = 12
	partnerQuotes = 64
)

// callsKin reports whether the last turn before quotation i calls
// someone by the kin noun ("Tell him, father"): the one who speaks
// that turn is talking to that relative.
func (d *doc) callsKin(qs []quoteInfo, i int, kin string) bool {
	para := -1
	for k := i - 1; k >= 0; k-- {
		if qs[k].para == qs[i].para {
			continue
		}
		if para >= 0 && qs[k].para != para {
			break
		}
		para = qs[k].para
		toks := d.units[qs[k].unit].toks
		for ti, t := range toks {
			if t.word && kinWord(t.lower) == kinWord(kin) && d.vocative(toks, ti, ti+1) {
				return true
			}
		}
	}
	return false
}

// kinWord folds the nursery forms of a kin noun into it.
func kinWord(w string) string {
	switch w {
	case "papa":
		return "father"
	case "mamma", "mama":
		return "mother"
	}
	return w
}

// epithetAt reads a noun phrase the word list does not know as a
// person, right after an inverted verb of saying, where only the
// speaker can stand ("said the whelp", "said her patron"). Its sex is
// that of the first he or she, his or her, that follows in the
// sentence ("growled the whelp, moving uneasily in his corner"),
// unless an object pronoun comes first, which stands for someone else.
func (d *doc) epithetAt(ui, i int) ref {
	r, _ := d.epithetSpan(ui, i)
	return r
}

// epithetSpan is epithetAt, also returning the index after the noun
// phrase.
func (d *doc) epithetSpan(ui, i int) (ref, int) {
	toks := d.units[ui].toks
	if i >= len(toks) {
		return ref{}, i
	}
	switch toks[i].lower {
	case "the", "his", "her", "this", "that":
	default:
		return ref{}, i
	}
	end := i + 1
	for end < len(toks) && end <= i+3 && toks[end].word && !toks[end].cap && !clauseWords[toks[end].lower] &&
		!objectPreps[toks[end].lower] && !tagFillers[toks[end].lower] && !strings.HasSuffix(toks[end].lower, "ly") &&
		pronounGender[toks[end].lower] == "" && !relatives[toks[end].lower] && !speechVerbs[toks[end].lower] {
		end++
	}
	if end == i+1 || (end < len(toks) && toks[end].word && toks[end].cap) {
		return ref{}, i
	}
	// "shouted the children": a plural is a crowd, no one speaker.
	if head := toks[end-1].lower; (strings.HasSuffix(head, "s") && !strings.HasSuffix(head, "ss")) || irregularPlurals[head] {
		return ref{}, i
	}
	r := ref{kind: refNP, unit: ui, tok: i, epithet: toks[end-1].lower, gender: nounGender(toks[end-1].lower)}
	if toks[i].lower == "the" {
		r.noun = phrase(toks[i+1 : end])
	}
	switch r.epithet {
	case "other":
		// "said the other": the other one of the talk, whom the turns
		// find, not someone described.
		r.epithet, r.noun = "", ""
	case "former", "latter":
		r.order, r.epithet, r.noun = r.epithet, "", ""
	}
	for k := end; k < len(toks) && !toks[k].endsSentence(); k++ {
		w := toks[k].lower
		if w == "him" || (w == "her" && (k+1 == len(toks) || !toks[k+1].word || objectPreps[toks[k+1].lower] || clauseWords[toks[k+1].lower])) {
			break // an object ("cried the soldier to him") is someone else
		}
		if g := pronounGender[w]; g != "" {
			r.gender = g
			break
		}
	}
	return r, end
}

// subordinate reports whether the he or she at toks[i] is in a clause
// opened by a subordinating word ("as", "when", "while") that a comma
// closes before the name at toks[name].
func (d *doc) subordinate(toks []token, i, name int) bool {
	k := i
	for k > 0 && !toks[k-1].endsSentence() && toks[k-1].text != "," && toks[k-1].text != ";" {
		k--
	}
	if k == i || !subordinators[toks[k].lower] {
		return false
	}
	for j := i + 1; j < name; j++ {
		if toks[j].text == "," {
			return true
		}
	}
	return false
}

// subordinators open an adverbial clause.
var subordinators = wordSet("as when while whilst though although if after before since because till until once whenever")

// relatives open a relative clause after a noun ("the ladies who
// stood round").
var relatives = wordSet("who whom whose which")

// irregularPlurals are the plurals of nouns for people that do not end
// in s.
var irregularPlurals = wordSet("children men women gentlemen noblemen people folk")
