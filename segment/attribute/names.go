package attribute

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mention is one occurrence of a proper name in the text.
type mention struct {
	unit     int // index into doc.units
	from, to int // token range in the unit
	title    string
	names    []string
	form     string // title and names joined, the clustering key
	entity   int    // resolved character, -1 if none
	inQuote  bool
	place    bool // follows a place preposition ("at Hartfield")
	subject  bool // not after a preposition, so it may be a clause subject
	// agent marks a name that likely starts a clause as its subject:
	// at a sentence start, after punctuation, a conjunction or an
	// inverted speech verb, and not a possessive.
	agent   bool
	initial bool // the name's first token starts a sentence
	sent    int  // global sentence number
}

// entity is a discovered character.
type entity struct {
	id       int
	seed     form
	forms    map[string]int // form -> mentions
	titles   map[string]int
	mentions int
	base     int // mentions by unambiguous forms
	lines    int
	male     float64
	female   float64
	gender   string
	evidence int
	lastSeen int // global token position of the last mention, for recency
	// person says the text treats the name as a person's: it is the
	// subject of a speech tag or is addressed inside a quotation. Only
	// persons are given lines by the rules that guess.
	person   bool
	narrator bool
	cited    bool // an author an essay quotes, not a character
	epithet  bool // known only by a description ("the stranger"); its lines stay unattributed
	name     string
	merged   bool // joined to another character, whose name it is
}

// unsureForm records a name form kept apart from a character that it
// may well name.
type unsureForm struct {
	form   string
	entity int
}

// form is a distinct name as written: an optional title and name words.
type form struct {
	key   string
	title string
	names []string
	count int
	place int // mentions after a place preposition
	cands []int
}

// isNameWord reports whether token t can be part of a person's name,
// using counts over the whole book: it must be capitalised, seen
// capitalised away from sentence starts, and rarely seen in lower case.
func (d *doc) isNameWord(t token) bool {
	if !t.word || !t.cap {
		return false
	}
	rare := d.lowerCount[t.lower]*2 <= d.capMid[t.text]
	switch d.attested[t.text] {
	case byTag:
		// "Will you?", "May I?": at a sentence start, a name that is
		// also a common word is the word.
		return !t.initial || rare || t.named
	case byTitle:
		// "Mrs. March", but not "Prince Charming" or "St. Mark's":
		// a title lifts the stop list, not the count of lower case.
	default:
		if notNames[t.text] {
			return false
		}
	}
	if _, ok := titles[t.lower]; ok {
		return false
	}
	if len(t.text) == 2 && t.text[1] == '.' {
		return true // an initial
	}
	if len(t.text) < 2 || !nameShaped(t.text) {
		return false
	}
	return d.capMid[t.text] >= 1 && rare
}

// attest finds the words that the text's structure shows to be names,
// whatever else they mean: a word after a title ("Mrs. March") or one
// that a speech tag makes the speaker twice ("said Will", "Pooh said").
// Counting capitals alone would miss them, since "will" and "march" are
// common words and "Pooh" an interjection.
func (d *doc) attest() {
	titled, tagged := map[string]int{}, map[string]int{}
	spellings := map[string]map[string]int{} // title -> spelling -> count
	can := func(t token) bool {
		_, title := titles[t.lower]
		return t.word && t.cap && !title && !functionWords[t.lower] && len(t.text) >= 2 && nameShaped(t.text)
	}
	for ui, u := range d.units {
		toks := u.toks
		for i := 0; i+1 < len(toks); i++ {
			if tt, ok := titles[toks[i].lower]; ok && toks[i].cap && !toks[i+1].initial && can(toks[i+1]) {
				titled[toks[i+1].text]++
				if spellings[tt.norm] == nil {
					spellings[tt.norm] = map[string]int{}
				}
				spellings[tt.norm][toks[i].text]++
			}
			// "May's husband" inside a sentence: a word that owns
			// something in capitals is a name, not "may".
			if i+2 < len(toks) && !toks[i].initial && can(toks[i]) && (toks[i+1].text == "'" || toks[i+1].text == "’") && toks[i+2].lower == "s" {
				tagged[toks[i].text] += 2
			}
		}
		// The narration right after a quotation of its paragraph.
		if u.quote || ui == 0 || !d.units[ui-1].quote || d.units[ui-1].para != u.para {
			continue
		}
		// Its first words: "said Will", "Pooh said", "said the March
		// Hare", "the March Hare said". The capitals must be the whole
		// subject: "said the English captain" names a captain.
		var w []int
		for i, t := range toks {
			if t.word {
				if w = append(w, i); len(w) == 5 {
					break
				}
			}
		}
		verb := len(w) > 0 && speechVerbs[toks[w[0]].lower]
		k := 0
		if verb {
			k = 1
		}
		if k < len(w) && toks[w[k]].lower == "the" {
			k++
		}
		from := k
		for k < len(w) && can(toks[w[k]]) && (!verb || !toks[w[k]].initial) {
			k++
		}
		if k == from {
			continue
		}
		after := w[k-1] + 1
		whole := false
		if verb {
			whole = after == len(toks) || !toks[after].word
		} else {
			whole = after < len(toks) && speechVerbs[toks[after].lower]
		}
		if whole {
			for _, ti := range w[from:k] {
				// "said May." is a name at once; "May said" could
				// begin a sentence of another kind, so it needs a
				// second tag.
				tagged[toks[ti].text]++
				if verb {
					tagged[toks[ti].text]++
				}
			}
		}
	}
	// A title shows as the book writes it most often: "Mlle. Blanche",
	// not "Mademoiselle Blanche", in a book that abbreviates.
	d.titleSpelling = map[string]string{}
	for norm, by := range spellings {
		best := norm
		for sp, n := range by {
			if n > by[best] || (n == by[best] && sp < best) {
				best = sp
			}
		}
		if best != norm {
			d.titleSpelling[norm] = best
		}
	}
	d.attested = map[string]attestation{}
	for w := range titled {
		d.attested[w] = byTitle
	}
	for w, n := range tagged {
		if n >= 2 {
			d.attested[w] = byTag
		}
	}
	// At a sentence start, such a word is the name unless a subject
	// follows it, as after an auxiliary ("Will laughed", "May I?").
	for _, u := range d.units {
		for i := 0; i+1 < len(u.toks); i++ {
			if t, next := u.toks[i], u.toks[i+1]; t.initial && d.attested[t.text] == byTag && next.word && !subjects[next.lower] {
				u.toks[i].named = true
			}
		}
	}
}

// subjects are the words that, after a sentence-initial "Will" or "May",
// make it an auxiliary asking a question.
var subjects = wordSet("i you he she it we they not there one")

// spelled writes a name's title as the book writes it most often.
// Initials get back the period the name keys drop: "J. Smith", "M.
// Dupré".
func (d *doc) spelled(name string) string {
	f := strings.Fields(name)
	for i := range len(f) - 1 {
		if r, size := utf8.DecodeRuneInString(f[i]); size == len(f[i]) && unicode.IsUpper(r) {
			f[i] += "."
		}
	}
	if len(f) > 1 {
		if sp, found := d.titleSpelling[f[0]]; found {
			f[0] = sp
		}
	}
	return strings.Join(f, " ")
}

// attestation says how the text shows a word to be a name.
type attestation uint8

const (
	byTitle attestation = 1 + iota // after a title: not a stop word
	byTag                          // a speech tag's speaker: a name
)

// openingAdverbs open sentences before a subject ("Later Arthur came
// back") and so never start a name there, even in a book that never
// writes them in lower case. (Adverbs in -ly are left to that count:
// Polly and Emily are names.)
var openingAdverbs = wordSet(`later meanwhile meantime presently afterwards afterward soon once instead
	sometimes often always never usually suddenly
	besides nevertheless therefore thus hence today tonight tomorrow yesterday outside inside
	downstairs upstairs again already also next`)

// functionWords are never names, whatever a speech tag or title before
// them suggests.
var functionWords = wordSet(`god lord heaven heavens christ jesus devil providence
	i a an the this that these those there here he she it we you they
	his her its our your their him them me my mine us what who whom whose which when where why how
	and but or nor for so yet if then than as at by in of on to up with from into upon after before
	since until till while though although because unless whether oh o ah yes no not now well
	indeed all some any every each both either neither such much many more most one none nothing
	somebody nobody everybody anybody someone everyone anyone`)

// nameShaped rejects capitalised words that are not names whatever
// their frequency: words in capitals (headings, inscriptions, "CLOSES"),
// words with digits ("L150") and compass directions ("East-south-east").
func nameShaped(w string) bool {
	lower := false
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			return false
		case unicode.IsLower(r):
			lower = true
		}
	}
	if !lower {
		return false
	}
	// Contractions ("I’ll", "Shan't"), unlike O'Brien.
	if i := strings.IndexAny(w, "'’"); i >= 0 {
		_, size := utf8.DecodeRuneInString(w[i:])
		if contractions[strings.ToLower(w[i+size:])] {
			return false
		}
	}
	for _, part := range strings.FieldsFunc(strings.ToLower(w), func(r rune) bool { return r == '-' }) {
		if !compass[part] {
			return true
		}
	}
	return false
}

var contractions = wordSet("ll ve re m d t s")

var compass = wordSet("north south east west northeast northwest southeast southwest nor by")

// trimSuffixes drops "Esquire", "Junior" and the like after a name.
func trimSuffixes(names []string) []string {
	for len(names) > 1 && nameSuffixes[names[len(names)-1]] {
		names = names[:len(names)-1]
	}
	return names
}

var nameSuffixes = wordSet("Esquire Esq Junior Senior Jr Sr")

// connectors may join name words ("Ludwig van Beethoven").
var connectors = map[string]bool{"de": true, "van": true, "von": true, "du": true, "da": true, "di": true, "le": true, "la": true, "der": true, "st.": true}

// findMentions scans one unit for proper-name mentions.
func (d *doc) findMentions(ui int) {
	u := &d.units[ui]
	toks := u.toks
	// Sentence numbers, for the co-occurrence test in fits.
	sents := make([]int, len(toks))
	n := 0
	for i, t := range toks {
		sents[i] = n
		if t.endsSentence() {
			n++
		}
	}
	defer func() { d.sentence += n + 1 }()
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// "the Duchess of Harley": a peer is named by title and place.
		if tt, ok := titles[t.lower]; ok && d.peerName(toks, i) {
			j := i + 2
			for j < len(toks) && d.isNameWord(toks[j]) {
				j++
			}
			var place []string
			for _, pt := range toks[i+2 : j] {
				place = append(place, strings.TrimSuffix(pt.text, "."))
			}
			d.addMention(ui, i, j, tt.norm, []string{"of " + strings.Join(place, " ")}, sents)
			i = j - 1
			continue
		}
		// "the Queen", "the Colonel": a title standing for a person.
		if t.lower == "the" && i+1 < len(toks) && toks[i+1].cap && roleTitles[toks[i+1].lower] &&
			(i+2 >= len(toks) || !d.isNameWord(toks[i+2])) && !d.peerName(toks, i+1) {
			w := toks[i+1].text
			m := mention{unit: ui, from: i + 1, to: i + 2, names: []string{w}, form: w, entity: -1,
				inQuote: u.quote, subject: true, agent: agentAt(toks, i, i+2), sent: d.sentence + sents[i+1]}
			d.mentions = append(d.mentions, m)
			i++
			continue
		}
		start := i
		ttl := ""
		if tt, ok := titles[t.lower]; ok && t.cap && i+1 < len(toks) && d.isNameWord(toks[i+1]) {
			ttl = tt.norm
			i++
		} else if !d.isNameWord(t) {
			// A sentence-initial word never written in lower case,
			// followed by a name, starts the name ("Fitzwilliam Darcy
			// was proud").
			if t.word && t.cap && t.initial && !notNames[t.text] && !openingAdverbs[t.lower] && d.lowerCount[t.lower] == 0 && len(t.text) > 1 &&
				i+1 < len(toks) && d.isNameWord(toks[i+1]) {
				if _, ok := titles[t.lower]; !ok {
					names := []string{t.text}
					i++
					for i < len(toks) && d.isNameWord(toks[i]) {
						names = append(names, strings.TrimSuffix(toks[i].text, "."))
						i++
					}
					d.addMention(ui, start, i, "", trimSuffixes(names), sents)
					i--
				}
			}
			continue
		}
		var names []string
		for i < len(toks) {
			if d.isNameWord(toks[i]) {
				names = append(names, strings.TrimSuffix(toks[i].text, "."))
				i++
				continue
			}
			if connectors[toks[i].lower] && i+1 < len(toks) && d.isNameWord(toks[i+1]) && len(names) > 0 {
				names = append(names, toks[i].lower)
				i++
				continue
			}
			break
		}
		// Initials alone are not a name; a trailing initial is a
		// sentence-final "A." or similar.
		for len(names) > 0 && len(names[len(names)-1]) == 1 {
			names = names[:len(names)-1]
		}
		names = trimSuffixes(names)
		if len(names) == 0 {
			i--
			continue
		}
		d.addMention(ui, start, i, ttl, names, sents)
		i--
	}
}

// addMention records the name toks[from:to] of unit ui.
func (d *doc) addMention(ui, from, to int, ttl string, names []string, sents []int) {
	u := &d.units[ui]
	toks := u.toks
	// An oath ("by George!", "by Jove,") names nobody present.
	if u.quote && from > 0 && toks[from-1].lower == "by" && ttl == "" && len(names) == 1 &&
		(to >= len(toks) || toks[to].text == "!" || toks[to].text == ",") {
		return
	}
	m := mention{unit: ui, from: from, to: to, title: ttl, names: names, entity: -1,
		inQuote: u.quote, initial: toks[from].initial, sent: d.sentence + sents[from]}
	m.form = strings.TrimSpace(ttl + " " + strings.Join(names, " "))
	if from > 0 {
		p := toks[from-1].lower
		m.place = placePreps[p] && ttl == ""
		m.subject = !objectPreps[p]
		// "Bounderby of Coketown", "Mr. Knightley of Donwell": a name
		// after a name and "of" is where that one comes from.
		if p == "of" && ttl == "" && from >= 2 {
			if n := len(d.mentions); n > 0 && d.mentions[n-1].unit == ui && d.mentions[n-1].to == from-1 {
				m.place = true
			}
		}
	} else {
		m.subject = true
	}
	m.agent = agentAt(toks, from, to)
	d.mentions = append(d.mentions, m)
}

// agentAt reports whether the name at toks[from:to] likely is the
// subject of its clause: it opens a sentence or clause, or follows an
// inverted speech verb ("said Emma"), and is not a possessive.
func agentAt(toks []token, from, to int) bool {
	if to < len(toks) && (toks[to].text == "'" || toks[to].text == "’") {
		return false
	}
	if from == 0 || toks[from].initial {
		return true
	}
	p := toks[from-1]
	if !p.word {
		switch p.text {
		case ",", ";", ":", "--", "—", "(", "_":
			return true
		}
		return false
	}
	return clauseWords[p.lower] || (speechVerbs[p.lower] && !p.cap)
}

// clauseWords open a clause whose subject may follow ("than" a
// comparative one: "more than Clara had heard").
var clauseWords = wordSet("than and but then when while whilst as till until though although if that so yet where because since unless or nor")

// compatibleTitles reports whether two titles can belong to one person.
func compatibleTitles(a, b string) bool {
	if a == "" || b == "" || a == b {
		return true
	}
	ga, gb := titleGender(a), titleGender(b)
	if ga != "" && gb != "" && ga != gb {
		return false
	}
	// A woman's title beside a rank ("Dr. Grantham" and "Mrs.
	// Grantham", "Colonel and Mrs. Harville"): husband and wife.
	if (ga == "female") != (gb == "female") {
		return false
	}
	// Miss and Mrs. are different women of one family.
	if (a == "Miss" && b == "Mrs.") || (a == "Mrs." && b == "Miss") {
		return false
	}
	// A knight or a peer is "Sir Walter" or "Lord Henry", never "Mr.
	// Elliot", nor his wife "Mrs.": a "Mr. Elliot" beside Sir Walter
	// Elliot is another man of the family.
	plain := func(t string) bool { return t == "Mr." || t == "Mrs." }
	styled := func(t string) bool { return t == "Sir" || t == "Lord" || t == "Lady" }
	return !(plain(a) && styled(b) || plain(b) && styled(a))
}

func titleGender(t string) string {
	if tt, ok := titles[strings.ToLower(strings.TrimSuffix(t, "."))]; ok {
		return tt.gender
	}
	return ""
}

// patronymicGender reads the sex a Russian patronymic, second in a
// name, gives: "Varvara Nikolaevna", "Alexey Ivanovitch", "Pyotr
// Stepanovich".
func patronymicGender(n string) string {
	l := strings.ToLower(n)
	for _, suf := range []string{"ovna", "evna", "ichna", "yevna"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf)+2 {
			return "female"
		}
	}
	for _, suf := range []string{"ovich", "evich", "ovitch", "evitch", "yevich", "ievich"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf)+2 {
			return "male"
		}
	}
	return ""
}

// patronymicOf returns the sex the patronymics among e's forms agree
// on, or "".
func (d *doc) patronymicOf(e *entity) string {
	agreed := ""
	for k := range e.forms {
		if f := d.forms[k]; f != nil && len(f.names) >= 2 {
			if g := patronymicGender(f.names[1]); g != "" {
				if agreed != "" && agreed != g {
					return ""
				}
				agreed = g
			}
		}
	}
	return agreed
}

// givenNameGender guesses gender from a first name.
func givenNameGender(n string) string {
	n = canonGiven(n)
	switch {
	case maleNames[n]:
		return "male"
	case femaleNames[n]:
		return "female"
	}
	return ""
}

// formGender is the gender a form states by itself: its title, its
// given name, else the pronouns that follow it in narration.
func (d *doc) formGender(f *form) string {
	if g := titleGender(f.title); g != "" {
		return g
	}
	if len(f.names) >= 1 && (len(f.names) >= 2 || f.title == "") {
		if g := givenNameGender(f.names[0]); g != "" {
			return g
		}
	}
	if len(f.names) >= 2 {
		if g := patronymicGender(f.names[1]); g != "" {
			return g
		}
	}
	v := d.formVotes[f.key]
	switch {
	case v[0] >= 3 && v[0] >= 2*v[1]+1:
		return "male"
	case v[1] >= 3 && v[1] >= 2*v[0]+1:
		return "female"
	}
	return ""
}

// countFormVotes counts, for each name form, the he/his and she/her that
// follow its mentions closely in the narration of one paragraph, before
// forms are clustered, so that a form without title or known given name
// still has a gender ("Sissy Jupe ... she").
func (d *doc) countFormVotes() {
	d.formVotes = map[string][2]int{}
	d.pronounsAfter(func(m *mention) bool { return !m.inQuote }, func(m *mention, g string) {
		v := d.formVotes[m.form]
		if g == "male" {
			v[0]++
		} else {
			v[1]++
		}
		d.formVotes[m.form] = v
	})
}

// pronounsAfter walks the he/his/she/her of the narration and calls vote
// with each and the latest narration mention before it that keep
// accepts, when that mention is in the same paragraph and at most
// pronounReach tokens before: the pronoun most likely stands for it.
// Pronouns inside quotations do not vote, nor are their names counted.
func (d *doc) pronounsAfter(keep func(m *mention) bool, vote func(m *mention, gender string)) {
	last := -1 // index into d.mentions of the latest kept mention
	mi := 0
	for ui := range d.units {
		u := &d.units[ui]
		if u.quote {
			for mi < len(d.mentions) && d.mentions[mi].unit == ui {
				mi++
			}
			continue
		}
		for ti, t := range u.toks {
			for mi < len(d.mentions) && d.mentions[mi].unit == ui && d.mentions[mi].from <= ti {
				if keep(&d.mentions[mi]) {
					last = mi
				}
				mi++
			}
			g, ok := pronounGender[t.lower]
			if !ok || last < 0 {
				continue
			}
			lm := &d.mentions[last]
			if d.units[lm.unit].para != u.para || u.pos+ti-(d.units[lm.unit].pos+lm.from) > pronounReach {
				continue
			}
			vote(lm, g)
		}
		for mi < len(d.mentions) && d.mentions[mi].unit == ui {
			if keep(&d.mentions[mi]) {
				last = mi
			}
			mi++
		}
	}
}

// pronounReach is how many tokens after a name a he or she still votes
// for its gender (BookNLP's window).
const pronounReach = 25

// subsequence reports whether every word of a appears in b in order,
// counting a nickname as its full given name ("Tom" in "Thomas
// Gradgrind"), but only as b's given name: "Dick" in "Moby Dick" is no
// Richard.
func subsequence(a, b []string) bool {
	j := 0
	for i, w := range b {
		if j < len(a) && (a[j] == w || (i == 0 && canonGiven(a[j]) == canonGiven(w))) {
			j++
		}
	}
	return j == len(a)
}

func canonGiven(w string) string {
	if c, ok := nicknames[w]; ok {
		return c
	}
	return w
}

// givenTitles combine with a given name rather than a surname.
var givenTitles = map[string]bool{"Sir": true, "Lord": true, "Lady": true, "Miss": true, "Master": true,
	"Aunt": true, "Uncle": true, "Dame": true, "Prince": true, "Princess": true, "King": true, "Queen": true,
	"Brother": true, "Sister": true, "Father": true, "Mother": true}

// cluster groups name forms into characters, BookNLP-style: the most
// specific forms seed characters and shorter forms join the one they are
// a part of; a form that fits several characters stays ambiguous and is
// resolved by recency at each mention.
// formCount is a form and how many mentions of a run have it.
type formCount struct {
	form  string
	count int
}

// narratedForms lists the forms of the mentions outside quotations, in
// the order they first appear, with their numbers.
func narratedForms(ms []mention) []formCount {
	var out []formCount
	at := map[string]int{}
	for _, m := range ms {
		if m.inQuote {
			continue
		}
		k, ok := at[m.form]
		if !ok {
			k = len(out)
			at[m.form] = k
			out = append(out, formCount{form: m.form})
		}
		out[k].count++
	}
	return out
}

func (d *doc) cluster() {
	forms := map[string]*form{}
	for i := range d.mentions {
		m := &d.mentions[i]
		f := forms[m.form]
		if f == nil {
			f = &form{key: m.form, title: m.title, names: m.names}
			forms[m.form] = f
		}
		f.count++
		if m.place {
			f.place++
		}
	}
	// Two forms named in one sentence are usually two people ("Mr.
	// Gradgrind looked at Tom").
	d.cooc = map[[2]string]int{}
	for i := 0; i < len(d.mentions); {
		j := i
		for j < len(d.mentions) && d.mentions[j].sent == d.mentions[i].sent {
			j++
		}
		// Every pair of mentions of two forms counts: the product of
		// their numbers, counted by form so that a sentence naming one
		// person a thousand times stays linear.
		n := narratedForms(d.mentions[i:j])
		for _, a := range n {
			for _, b := range n {
				if a.form != b.form {
					d.cooc[[2]string{a.form, b.form}] += a.count * b.count
				}
			}
		}
		i = j
	}
	// The same in one paragraph of narration.
	d.pcooc = map[[2]string]int{}
	for i := 0; i < len(d.mentions); {
		j := i
		para := d.units[d.mentions[i].unit].para
		for j < len(d.mentions) && d.units[d.mentions[j].unit].para == para {
			j++
		}
		n := narratedForms(d.mentions[i:j])
		for _, a := range n {
			for _, b := range n {
				if a.form != b.form {
					d.pcooc[[2]string{a.form, b.form}]++
				}
			}
		}
		i = j
	}
	d.forms0 = forms
	d.countFormVotes()
	list := make([]*form, 0, len(forms))
	for _, f := range forms {
		// Names mostly seen after "at", "in", "from" are places.
		if f.title == "" && f.place*2 > f.count {
			continue
		}
		list = append(list, f)
	}
	// A full name seeds a character before the same name with a title,
	// which then joins it ("Mr. Josiah Bounderby" joins "Josiah
	// Bounderby"); a title adds to a single name.
	spec := func(f *form) int {
		n := len(f.names) * 2
		if f.title != "" && len(f.names) == 1 {
			n++
		}
		return n
	}
	sort.Slice(list, func(i, j int) bool {
		si, sj := spec(list[i]), spec(list[j])
		if si != sj {
			return si > sj
		}
		if ti, tj := list[i].title == "", list[j].title == ""; ti != tj {
			return ti
		}
		if list[i].count != list[j].count {
			return list[i].count > list[j].count
		}
		return list[i].key < list[j].key
	})
	for _, f := range list {
		fg := d.formGender(f)
		for _, e := range d.entities {
			if d.fits(f, fg, e, forms) {
				f.cands = append(f.cands, e.id)
			}
		}
		// A namesake named once in passing ("George Gradgrind, or
		// Augustus Gradgrind") does not share a frequent form with
		// the character the book keeps naming.
		if len(f.cands) > 1 {
			top := 0
			for _, c := range f.cands {
				top = max(top, d.entities[c].seed.count)
			}
			kept := f.cands[:0]
			for _, c := range f.cands {
				if d.entities[c].seed.count*20 >= top {
					kept = append(kept, c)
				}
			}
			f.cands = kept
		}
		if len(f.cands) == 0 {
			f.cands = d.variantOf(f, forms)
		}
		if len(f.cands) == 0 {
			e := &entity{id: len(d.entities), seed: *f, forms: map[string]int{}, titles: map[string]int{}}
			d.entities = append(d.entities, e)
			f.cands = []int{e.id}
		}
		if len(f.cands) == 1 {
			e := d.entities[f.cands[0]]
			e.base += f.count
			e.forms[f.key] += 0
			if f.title != "" {
				e.titles[f.title] += 0
			}
		}
	}
	d.forms = forms
	d.forms0 = nil
}

// variantOf finds the character a rare single name is a spelling
// variant of, one letter added or dropped ("Rachel" for the "Rachael"
// of every other page): a name of five letters or more, seen at least
// ten times as often.
func (d *doc) variantOf(f *form, forms map[string]*form) []int {
	if f.title != "" || len(f.names) != 1 || len(f.names[0]) < 5 {
		return nil
	}
	// "Winnie-the-Pooh" is Pooh: a name joined by a lower-case word
	// ends in the name it is known by. ("Mary-Jane", with no such word,
	// is not Jane.)
	if parts := strings.Split(f.names[0], "-"); len(parts) >= 3 {
		last := parts[len(parts)-1]
		for _, p := range parts[1 : len(parts)-1] {
			if p == "" || p != strings.ToLower(p) {
				last = ""
			}
		}
		for _, e := range d.entities {
			if last != "" && slices.Contains(e.seed.names, last) {
				return []int{e.id}
			}
		}
	}
	for _, e := range d.entities {
		for _, n := range e.seed.names {
			if g := forms[n]; g != nil && g.count >= 10*f.count && oneLetterApart(f.names[0], n) {
				return []int{e.id}
			}
		}
	}
	return nil
}

// oneLetterApart reports whether b is a with one letter inserted or
// removed.
func oneLetterApart(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b) != len(a)+1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return a[i:] == b[i+1:]
}

// fits reports whether form f can name entity e.
func (d *doc) fits(f *form, fg string, e *entity, forms map[string]*form) bool {
	s := &e.seed
	if !subsequence(f.names, s.names) {
		return false
	}
	eg := d.formGender(s)
	for t := range e.titles {
		if g := titleGender(t); g != "" && eg == "" {
			eg = g
		}
		if !compatibleTitles(f.title, t) {
			return false
		}
	}
	if !compatibleTitles(f.title, s.title) {
		return false
	}
	// A given name seen in one sentence with another name of the
	// character, which does not contain it, names someone else ("Mr.
	// Gradgrind looked at Tom").
	if f.title == "" && len(f.names) == 1 && f.names[0] != s.names[len(s.names)-1] {
		for k := range e.forms {
			// Often, not by chance: a frequent name meets the other
			// forms of a main character now and then.
			n := d.cooc[[2]string{f.key, k}]
			if n >= 2 && n*10 >= min(f.count, d.forms0[k].count) && !subsequence(f.names, d.forms0[k].names) {
				return false
			}
		}
	}
	if fg != "" && eg != "" && fg != eg {
		return false
	}
	// A gendered title with a surname joins a full name only when the
	// full name's gender is known to match: "Signor Jupe" may be Sissy
	// Jupe's father. When unsure, keep them apart.
	if f.title != "" && fg != "" && eg == "" && s.title == "" && len(s.names) >= 2 {
		return false
	}
	// A rare full name with a title does not absorb a frequent titled
	// short one: "Miss Jane Bates", named once, is not the "Miss Bates"
	// of every chapter.
	if s.title != "" && f.title != "" && s.count*20 < f.count {
		return false
	}
	// A married title is a person of its own unless the text joins it
	// to the full name ("Mrs. Vane" is not "Sibyl Vane").
	if f.title == "Mrs." && s.title != "Mrs." && len(s.names) >= 2 {
		return false
	}
	if f.title != "" && len(f.names) == 1 && len(s.names) >= 2 {
		surname := f.names[0] == s.names[len(s.names)-1]
		if !surname && !givenTitles[f.title] && s.title != f.title && f.names[0] != s.names[0] {
			return false
		}
		// "Mr. Knightley" beside "Mr. John Knightley": by convention
		// the bare title and surname is the head of the family, and
		// the given name marks a younger relative.
		if surname && f.count >= 3 {
			// Only when both are named in one paragraph: then they are
			// two people ("Mr. Knightley and Mr. John Knightley").
			if full := forms[f.title+" "+strings.Join(s.names, " ")]; full != nil && d.pcooc[[2]string{f.key, full.key}] >= 1 {
				// Often the same man all the same: say so in the cast.
				d.unsureForms = append(d.unsureForms, unsureForm{f.key, e.id})
				return false
			}
		}
	}
	return true
}

// resolve assigns each mention to a character, choosing among ambiguous
// candidates by recency and then by frequency.
func (d *doc) resolve() {
	const window = 400 // tokens within which a mention counts as recent
	for i := range d.mentions {
		m := &d.mentions[i]
		f := d.forms[m.form]
		if f == nil || len(f.cands) == 0 {
			continue
		}
		pos := d.units[m.unit].pos + m.from
		best := -1
		if len(f.cands) == 1 {
			best = f.cands[0]
		} else {
			bestScore := -1.0
			maxBase := 0
			for _, c := range f.cands {
				maxBase = max(maxBase, d.entities[c].base)
			}
			// A bare surname names the head of the family: a man
			// called by title and surname alone ("Sleary" is Mr.
			// Sleary, not Josephine Sleary).
			pref := map[int]bool{}
			if f.title == "" && len(f.names) == 1 {
				for _, c := range f.cands {
					s := &d.entities[c].seed
					if len(s.names) == 1 && s.names[0] == f.names[0] && titleGender(s.title) == "male" {
						pref[c] = true
					}
				}
			}
			for _, c := range f.cands {
				e := d.entities[c]
				if len(pref) > 0 && !pref[c] {
					continue
				}
				// Minor namesakes yield to a main character unless
				// just mentioned.
				score := float64(e.base) / 1e6
				if e.mentions > 0 && pos-e.lastSeen < window && e.base*10 >= maxBase {
					score += float64(1 + e.lastSeen)
				}
				if score > bestScore {
					best, bestScore = c, score
				}
			}
		}
		m.entity = best
		e := d.entities[best]
		e.mentions++
		e.lastSeen = pos
		e.forms[m.form]++
		if m.title != "" {
			e.titles[m.title]++
		}
	}
}

// inferGender sets each character's gender from titles, given names and
// the pronouns that follow its mentions in narration.
func (d *doc) inferGender() {
	// Pronoun statistics: a he/she/his/her in narration votes for the
	// nearest preceding name mention in the same paragraph, within a
	// short window.
	d.pronounsAfter(func(m *mention) bool { return m.entity >= 0 && !m.inQuote }, func(m *mention, g string) {
		e := d.entities[m.entity]
		if g == "male" {
			e.male++
		} else {
			e.female++
		}
	})
	for _, e := range d.entities {
		var tm, tf int
		for t, n := range e.titles {
			switch titleGender(t) {
			case "male":
				tm += n
			case "female":
				tf += n
			}
		}
		ng := ""
		if len(e.seed.names) >= 2 || e.seed.title == "" {
			ng = givenNameGender(e.seed.names[0])
		}
		if ng == "" {
			ng = d.patronymicOf(e)
		}
		switch {
		case tm > tf:
			e.gender, e.evidence = "male", tm
		case tf > tm:
			e.gender, e.evidence = "female", tf
		case ng == "male" && e.female > e.male && e.female < 3*e.male+crossVotes,
			ng == "female" && e.male > e.female && e.male < 3*e.female+crossVotes:
			// A known given name holds against a few pronouns of the
			// other sex, which mostly stand for someone else nearby
			// ("Henry ... she", of the child's aunt).
			e.gender, e.evidence = ng, 1
		case e.male >= 2*e.female+1 && e.male >= 2:
			e.gender, e.evidence = "male", int(e.male)
		case e.female >= 2*e.male+1 && e.female >= 2:
			e.gender, e.evidence = "female", int(e.female)
		case ng != "":
			e.gender, e.evidence = ng, 1
		case e.female == 0 && manByTitle(e.titles):
			// "Major Trent", "Dr. Grantham" with nothing else to go
			// by: the books that name officers, doctors and parsons
			// so are mostly old ones, in which they are men; a she of
			// the text overrules it.
			e.gender, e.evidence = "male", 1
		}
	}
}

// menByDefault are the titles, by their normalised spelling, of ranks
// and callings that old books give to men: officers and soldiers,
// doctors, clergymen, professors, judges, inspectors.
var menByDefault = map[string]bool{"Captain": true, "Colonel": true, "Major": true, "General": true,
	"Lieutenant": true, "Sergeant": true, "Corporal": true, "Admiral": true, "Dr.": true, "Doctor": true,
	"Reverend": true, "Professor": true, "Judge": true, "Inspector": true, "Squire": true, "Parson": true}

// manByTitle reports whether any of the titles is one of menByDefault.
func manByTitle(ts map[string]int) bool {
	for t := range ts {
		if tt, ok := titles[strings.ToLower(strings.TrimSuffix(t, "."))]; ok && menByDefault[tt.norm] {
			return true
		}
	}
	return false
}

// crossVotes is how many more pronouns of the other sex than three
// times those of the name's own it takes to overrule a known given name.
const crossVotes = 10

// displayName picks the fullest usual name of a character: the most
// frequent name of two words or more (title and surname, or given name
// and surname), else the most frequent form.
func (e *entity) displayName(taken map[string]bool) string {
	if e.epithet {
		return e.name
	}
	// The narrator has no seed: they go by the name the others call
	// them ("Watson") once the talk has shown it, else by e.name. Their
	// lines take the narrator's voice either way, which follows
	// Character.Narrator, not the name.
	best, bestScore := e.seed.key, -1
	most := 0
	for _, n := range e.forms {
		most = max(most, n)
	}
	for k, n := range e.forms {
		if n == 0 {
			continue
		}
		f := strings.Fields(k)
		// A name used once, in no fuller form either, beside one used
		// five times or more, is a chance run of capitals ("the Parsee
		// Ahab saw") or a namesake (a book's author named once), not
		// the usual name.
		if n == 1 && most >= 5 {
			support := 0
			for k2, n2 := range e.forms {
				if strings.Contains(" "+k2+" ", " "+k+" ") {
					support += n2
				}
			}
			if support == 1 {
				continue
			}
		}
		_, hasTitle := titles[strings.ToLower(strings.TrimSuffix(f[0], "."))]
		score := n * 4
		switch {
		case len(f) >= 2 && !hasTitle:
			score += 3 // given name and surname, on a tie
		case len(f) >= 2:
			score += 2
		default:
			score = n // a single name only when nothing fuller is used
			if len(e.forms) > 1 {
				score = n / 4
			}
		}
		if taken[k] {
			continue
		}
		if score > bestScore || (score == bestScore && k < best) {
			best, bestScore = k, score
		}
	}
	// A title that goes with a given name ("Sir Geoffrey") is a short
	// form of the name with the surname, when the text gives it ("Sir
	// Geoffrey Clouston"), even once: a namesake seldom shares both the
	// title and the given name. The fullest name is the one to show.
	if f := strings.Fields(best); len(f) == 2 && givenTitles[f[0]] {
		for k, n := range e.forms {
			if g := strings.Fields(k); n > 0 && len(g) == 3 && g[0] == f[0] && g[1] == f[1] && !taken[k] {
				best = k
				break
			}
		}
	}
	if best == "" && e.narrator {
		return e.name
	}
	return best
}

// peerName reports a peer's title and place at toks[i:] ("Duchess of
// Harley").
func (d *doc) peerName(toks []token, i int) bool {
	return i+2 < len(toks) && toks[i].cap && peerTitles[toks[i].lower] && toks[i+1].text == "of" && d.isNameWord(toks[i+2])
}

// rankMentions adds, as mentions of a peer or officer, the narration's
// "the duchess", "the Colonel" after a name with that rank in the
// chapter or the one before ("the Duchess of Harley", "Colonel Brandon"): a writer who
// has named one duchess calls her "the duchess" until another is named.
// It rebuilds byUnit.
func (d *doc) rankMentions() {
	last := map[string]int{}   // rank -> the character last named with it
	lastCh := map[string]int{} // and the chapter naming it
	out := make([]mention, 0, len(d.mentions))
	byUnit := make([]int, 0, len(d.byUnit))
	for ui := range d.units {
		byUnit = append(byUnit, len(out))
		u := &d.units[ui]
		// A scene may go on over a chapter break; the prince of
		// chapters before may be another story's.
		near := func(r string) bool {
			c, ok := lastCh[r]
			return ok && c >= u.ch-1
		}
		ms := d.mentions[d.byUnit[ui]:d.byUnit[ui+1]]
		k := 0
		for i, t := range u.toks {
			for k < len(ms) && ms[k].from <= i {
				m := ms[k]
				k++
				if m.entity >= 0 && m.title != "" {
					if r := rankOf(m.title); roleTitles[r] {
						last[r], lastCh[r] = m.entity, u.ch
					}
				}
				if m.title == "" && len(m.names) == 1 && m.from > 0 && u.toks[m.from-1].lower == "the" {
					// "the Duchess" standing alone: her.
					if r := strings.ToLower(m.names[0]); !u.quote && near(r) {
						m.entity = last[r]
					}
				}
				out = append(out, m)
			}
			if u.quote || t.cap || !roleTitles[t.lower] || i == 0 || u.toks[i-1].lower != "the" {
				continue
			}
			if (t.lower == "general" || t.lower == "major") && i+1 < len(u.toks) && u.toks[i+1].word {
				continue // "the general opinion", "the major part"
			}
			if near(t.lower) {
				out = append(out, mention{unit: ui, from: i, to: i + 1, names: []string{t.text}, form: t.text,
					entity: last[t.lower], subject: true, agent: agentAt(u.toks, i-1, i+1), sent: -1 - len(out)})
			}
		}
		out = append(out, ms[k:]...)
	}
	byUnit = append(byUnit, len(out))
	d.mentions, d.byUnit = out, byUnit
}

// rankOf returns the rank a title gives, as the noun that stands for
// its bearer ("Dr." -> "doctor").
func rankOf(title string) string {
	r := strings.ToLower(strings.TrimSuffix(title, "."))
	if full, ok := rankAbbreviations[r]; ok {
		return full
	}
	return r
}

var rankAbbreviations = map[string]string{"dr": "doctor", "capt": "captain", "col": "colonel", "lieut": "lieutenant",
	"prof": "professor", "gen": "general", "sgt": "sergeant"}
