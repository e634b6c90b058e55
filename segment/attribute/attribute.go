// Package attribute names the speaker of each quotation in a segmented
// book, offline and by rules. It discovers the characters (proper names
// clustered into people with aliases and a guessed gender), then runs a
// sieve over the quotations, most precise rule first: speech tags with a
// name, speech tags with a pronoun, continued and split quotations,
// vocatives, action beats and conversational turn-taking.
package attribute

import (
	"slices"
	"sort"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/lang"
	"github.com/narrate-audio/narrate/segment/speechtag"
)

// Options control attribution.
type Options struct {
	// NarratorName names the first-person narrator ("I said"); empty
	// means "Narrator".
	NarratorName string
	// Explain, when set, is called for every dialogue span with the name
	// of the rule that attributed it ("" when none did), for debugging
	// and evaluation.
	Explain func(s *segment.Span, rule string)
}

// Character is a person found in the book.
type Character struct {
	// Name is the fullest usual name, such as "Emma Woodhouse" or
	// "Mr. Knightley"; it is the name written into dialogue spans.
	Name string
	// Aliases are the other forms the text uses for the character.
	Aliases []string
	// Gender is "male", "female" or "" when unknown.
	Gender string
	// GenderEvidence counts the observations behind Gender.
	GenderEvidence int
	// Lines counts the dialogue spans attributed to the character.
	Lines int
	// Mentions counts the character's name mentions.
	Mentions int
	// Narrator marks the first-person narrator ("I said"), whose own
	// dialogue is read in the narrator's voice.
	Narrator bool
	// MaybeSame names other characters that may be this one under
	// another name, kept apart because the evidence was thin.
	MaybeSame []string
}

// Cast is the list of characters of a book.
type Cast struct {
	// Characters are sorted by Lines, then Mentions, descending.
	Characters []Character
	// Described counts the lines of speakers the book only describes
	// ("the stranger"), by the label their dialogue spans carry. They
	// are no characters: the text may name them later, and one person
	// must not have two voices.
	Described map[string]int
}

// Find returns the character with the given name or alias.
func (c Cast) Find(name string) (Character, bool) {
	for _, ch := range c.Characters {
		if ch.Name == name {
			return ch, true
		}
		for _, a := range ch.Aliases {
			if a == name {
				return ch, true
			}
		}
	}
	return Character{}, false
}

// unit is one narration or dialogue span with its tokens.
type unit struct {
	ch, span int // chapter and span index
	para     int // global paragraph number, with gaps between chapters
	quote    bool
	cont     bool // the quotation continues the previous paragraph's
	toks     []token
	pos      int // global position of the first token
}

// doc is the working state of one attribution run.
type doc struct {
	units    []unit
	mentions []mention
	forms    map[string]*form
	entities []*entity
	capMid   map[string]int         // capitalised, not sentence-initial
	attested map[string]attestation // words the text's structure shows to be names
	// titleSpelling maps a title to the book's usual spelling of it,
	// when that is another ("Mademoiselle" -> "Mlle.").
	titleSpelling map[string]string
	lowerCount    map[string]int
	narrator      int  // entity id of the first-person narrator, -1 if none
	firstPerson   bool // the narration is told by "I" (toldByI)
	sentence      int  // sentence counter while finding mentions
	cooc          map[[2]string]int
	forms0        map[string]*form  // forms while clustering
	formVotes     map[string][2]int // he and she after each form, while clustering
	pcooc         map[[2]string]int // forms named in one paragraph of narration
	o             Options
	// byUnit indexes d.mentions by unit: mentions of unit u are
	// d.mentions[byUnit[u]:byUnit[u+1]].
	byUnit []int
	names  []string // display name of each entity
	// namedAt lists, for each entity, the token positions of its
	// mentions in narration.
	namedAt [][]int
	// unsureForms and unsurePairs are characters kept apart that may
	// be one, for the cast's MaybeSame.
	unsureForms []unsureForm
	unsurePairs [][2]int
	// epithets maps "chapter\x00description" to the character a
	// chapter's tags only ever describe ("the stranger").
	epithets map[string]int
	lead     leadCount               // chapterLead's running counts
	ranked   map[string][]int        // rankBearer's mentions by rank
	heroes   map[string]int          // protagonist by sex, for one sieve run
	apposed  map[string][]apposition // names set beside a description, by description
	// described labels, by quotation index, the lines of people the
	// text only describes ("the old woman", "the butler"), whom no
	// character speaks for.
	described map[int]string
	// step names the step of resolvePronoun that decided, for Explain.
	step string
}

// Attribute fills Speaker on every dialogue span of chapters that it can
// attribute, in place, and returns the characters it found. chapters must
// come from segment.Book(b, ...).
func Attribute(b *book.Book, chapters []segment.Chapter, o Options) Cast {
	if o.NarratorName == "" {
		o.NarratorName = "Narrator"
	}
	if base := lang.Base(b.Language); base != "" && base != "en" {
		// nil for a language speechtag does not know: only the speakers
		// a play's markup names.
		return attributeTags(b, chapters, speechtag.For(b.Language), o)
	}
	d := &doc{capMid: map[string]int{}, lowerCount: map[string]int{}, narrator: -1, o: o}
	d.build(b, chapters)
	d.attest()
	for ui := range d.units {
		d.byUnit = append(d.byUnit, len(d.mentions))
		d.findMentions(ui)
	}
	d.byUnit = append(d.byUnit, len(d.mentions))
	d.cluster()
	d.resolve()
	d.inferGender()
	d.rankMentions()
	d.namedAt = make([][]int, len(d.entities))
	for _, m := range d.mentions {
		if m.entity >= 0 && !m.inQuote {
			d.namedAt[m.entity] = append(d.namedAt[m.entity], d.units[m.unit].pos+m.from)
		}
	}
	speakers, rules := d.attribute()
	// Display names, most mentioned characters first, so that a lesser
	// character sharing a name ("Mr. Gradgrind") shows another of its
	// names.
	d.names = make([]string, len(d.entities))
	order := make([]int, len(d.entities))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.entities[order[a]].mentions > d.entities[order[b]].mentions })
	taken := map[string]bool{}
	for _, i := range order {
		d.names[i] = d.spelled(d.entities[i].displayName(taken))
		taken[d.names[i]] = true
	}
	var given personas
	var described map[string]int
	for qi, ui := range d.quoteUnits() {
		u := d.units[ui]
		sp := &chapters[u.ch].Spans[u.span]
		if named(sp) {
			if o.Explain != nil {
				o.Explain(sp, "markup")
			}
			given.credit(sp.Speaker)
			continue
		}
		if o.Explain != nil {
			o.Explain(sp, rules[qi])
		}
		if e := speakers[qi]; e >= 0 {
			sp.Speaker = d.names[e]
			d.entities[e].lines++
		} else if l := d.described[qi]; l != "" {
			// Someone the text only describes is labelled so, but is no
			// character of the cast: the lines take the dialogue voice,
			// since the text may name the person later (the stranger is
			// Mr. Harthouse), and one person must not have two voices.
			sp.Speaker = l
			if described == nil {
				described = map[string]int{}
			}
			described[l]++
		}
	}
	extra := d.adopt(given)
	c := d.cast()
	c.Described = described
	if len(extra) > 0 {
		c.Characters = append(c.Characters, extra...)
		c.sort()
	}
	return c
}

// build tokenizes the prose spans and counts capitalisation.
func (d *doc) build(b *book.Book, chapters []segment.Chapter) {
	para := 0
	pos := 0
	// Every span's tokens live in one array, sized for English prose
	// (about a token to four bytes): growing a slice per span was a
	// fifth of attribution's time.
	size := 0
	for _, c := range chapters {
		for _, s := range c.Spans {
			size += max(s.End-s.Start, 0)
		}
	}
	arena := make([]token, 0, size/4+16)
	for ci := range chapters {
		if ci >= len(b.Chapters) {
			break
		}
		text := b.Chapters[ci].Text
		base := para
		maxPara := 0
		for si, s := range chapters[ci].Spans {
			maxPara = max(maxPara, s.Para)
			if s.Kind != segment.Dialogue && s.Kind != segment.Narration {
				continue
			}
			if s.Start < 0 || s.End > len(text) || s.Start > s.End {
				continue
			}
			first := true
			if s.Kind == segment.Narration && si > 0 {
				prev := chapters[ci].Spans[si-1]
				if prev.Para == s.Para && prev.Kind == segment.Dialogue {
					// Narration after a quotation starts a sentence
					// only if the quotation ended one.
					first = endsWithStop(text[prev.Start:prev.End])
				}
			}
			u := unit{ch: ci, span: si, para: base + s.Para, quote: s.Kind == segment.Dialogue, cont: s.Continues, pos: pos}
			from := len(arena)
			arena = appendTokens(arena, text[s.Start:s.End], s.Start, first)
			u.toks = arena[from:len(arena):len(arena)]
			pos += len(u.toks)
			for _, t := range u.toks {
				if !t.word {
					continue
				}
				if t.cap {
					if !t.initial {
						d.capMid[t.text]++
					}
				} else {
					d.lowerCount[t.lower]++
				}
			}
			d.units = append(d.units, u)
		}
		// A gap in paragraph numbers keeps conversations from running
		// across chapters.
		para = base + maxPara + 10
	}
}

func endsWithStop(s string) bool {
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ' ', '\n', '\t', '\r', '_', '\'', ')':
			continue
		case '.', '!', '?':
			return true
		}
		return false
	}
	return true
}

// quoteUnits lists the unit indices of the dialogue spans, in order.
func (d *doc) quoteUnits() []int {
	var out []int
	for i, u := range d.units {
		if u.quote {
			out = append(out, i)
		}
	}
	return out
}

// cast builds the public character list.
func (d *doc) cast() Cast {
	var c Cast
	for _, e := range d.entities {
		if e.merged || (e.lines == 0 && e.mentions < 2) {
			continue
		}
		name := d.names[e.id]
		ch := Character{Name: name, Gender: e.gender, GenderEvidence: e.evidence, Lines: e.lines, Mentions: e.mentions, Narrator: e.narrator}
		for k, n := range e.forms {
			if k = d.spelled(k); k != name && n > 0 && !slices.Contains(ch.Aliases, k) {
				ch.Aliases = append(ch.Aliases, k)
			}
		}
		sort.Strings(ch.Aliases)
		ch.MaybeSame = d.maybeSame(e.id)
		c.Characters = append(c.Characters, ch)
	}
	c.sort()
	return c
}

// sort orders the characters by lines, then mentions, then name.
func (c Cast) sort() {
	sort.SliceStable(c.Characters, func(i, j int) bool {
		a, b := c.Characters[i], c.Characters[j]
		if a.Lines != b.Lines {
			return a.Lines > b.Lines
		}
		if a.Mentions != b.Mentions {
			return a.Mentions > b.Mentions
		}
		return a.Name < b.Name
	})
}

// maybeSame lists the display names of the characters that may be e
// under another name.
func (d *doc) maybeSame(e int) []string {
	other := map[int]bool{}
	for _, u := range d.unsureForms {
		f := d.forms[u.form]
		if f == nil || len(f.cands) != 1 || !sameSurname(d.entities[f.cands[0]], d.entities[u.entity]) {
			continue
		}
		switch e {
		case u.entity:
			other[f.cands[0]] = true
		case f.cands[0]:
			other[u.entity] = true
		}
	}
	for _, p := range d.unsurePairs {
		switch e {
		case p[0]:
			other[p[1]] = true
		case p[1]:
			other[p[0]] = true
		}
	}
	var out []string
	for o := range other {
		if o != e && !d.entities[o].merged && d.entities[o].lines > 0 {
			out = append(out, d.names[o])
		}
	}
	sort.Strings(out)
	return out
}

func sameSurname(a, b *entity) bool {
	x, y := a.seed.names, b.seed.names
	return len(x) > 0 && len(y) > 0 && x[len(x)-1] == y[len(y)-1]
}
