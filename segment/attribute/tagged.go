package attribute

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/speechtag"
)

// The sieve reads English. In another language its name finder takes
// capitalised nouns for people (all German nouns are capitalised) and
// its speech tags do not match, so it would give lines to the wrong
// people. Books in the languages speechtag knows are attributed from
// their speech tags instead, and from what follows safely from them: one
// tag speaks for every quotation of its paragraph, an action beat naming
// a tagged speaker gives them the line, the one a turn calls by name
// answers it, and in a conversation of two a pronoun tag or an untagged
// turn goes to the other of the last two speakers. What no rule reaches
// stays unattributed, which the listener hears in the default dialogue
// voice, rather than in a wrong one.

// taggedQuote is a dialogue span with its paragraph and tag.
type taggedQuote struct {
	span   *segment.Span
	para   int    // global paragraph number
	tag    string // named speaker from the tag
	gender string // from a pronoun, a role's article or the verb
	tagged bool   // a tag was found, with or without a name
	// stranger is set by a tag naming someone new ("dijo una voz"),
	// whom turn-taking must not take for one of the speakers so far.
	stranger bool
	speaker  string
	rule     string // the rule that chose speaker, for Explain
	// vocative is a name the quotation addresses, who is not its speaker.
	vocative string
	// beat is the narration around the quotation in its paragraph, where
	// an action may name the speaker ("Claire rit. « … »").
	beat string
}

func attributeTags(b *book.Book, chapters []segment.Chapter, lex *speechtag.Lexicon, o Options) Cast {
	var qs []taggedQuote
	beats := map[int]string{}
	var inside map[string]bool
	if lex != nil {
		inside = capitalisedInside(b)
	}
	para := 0
	for ci := range chapters {
		if ci >= len(b.Chapters) {
			break
		}
		text := b.Chapters[ci].Text
		spans := chapters[ci].Spans
		maxPara := 0
		for si := range spans {
			s := &spans[si]
			maxPara = max(maxPara, s.Para)
			if s.Kind != segment.Dialogue {
				continue
			}
			q := taggedQuote{span: s, para: para + s.Para, speaker: s.Speaker}
			if s.Speaker == "" && lex != nil {
				readTag(&q, lex, text, spans, si, inside)
				q.vocative = vocative(text[s.Start:s.End])
				// A paragraph's narration is gathered once, however
				// many quotations it holds.
				if _, ok := beats[q.para]; !ok {
					beats[q.para] = beat(text, spans, si)
				}
				q.beat = beats[q.para]
			}
			qs = append(qs, q)
		}
		para += maxPara + 10 // conversations do not run across chapters
	}

	narrator := o.NarratorName
	for i := range qs {
		q := &qs[i]
		switch {
		case q.speaker != "":
		case q.tag != "":
			q.speaker, q.rule = q.tag, "tag"
		case q.gender == speechtag.Narrator:
			q.speaker, q.rule = narrator, "tag-narrator"
		}
	}
	// One tag speaks for its paragraph's untagged quotations
	// ("—Ahora no —dije—. Más tarde.").
	turns := newTurnIndex(qs)
	shareTags(qs, turns)
	// An action beat that names a speaker of the book, and no tag,
	// gives the quotation to them. Only names that speak elsewhere with
	// a tag count: capitalised words are not always people.
	known := map[string]bool{}
	for _, q := range qs {
		if q.tag != "" {
			known[q.tag] = true
		}
	}
	named := map[int]string{} // the beat's name, by paragraph
	for i := range qs {
		q := &qs[i]
		if q.speaker == "" && !q.tagged {
			n, ok := named[q.para]
			if !ok {
				n = beatName(q.beat, known)
				named[q.para] = n
			}
			if n != "" && n != q.vocative {
				q.speaker, q.rule = n, "beat"
			}
		}
	}
	// Conversations of two: a pronoun tag or an untagged turn is the
	// speaker before last, if the turns alternate paragraph by
	// paragraph and nothing says otherwise. Each turn filled may let
	// the next be, so the rule runs until nothing changes.
	genders := nameGenders(qs, false, nil)
	fill := func(i int) bool {
		q := &qs[i]
		if q.speaker != "" || q.stranger || !q.tagged && strings.TrimSpace(q.beat) != "" {
			// Narration around an untagged quotation may bring in
			// someone new ("La mère entra.").
			return false
		}
		fits := func(name string) bool {
			g := genders[name].gender
			return name != "" && name != q.vocative && (q.gender == "" || g == "" || g == q.gender)
		}
		prev := turns.before(i)
		// The one the last turn called by name answers it.
		if prev >= 0 && known[qs[prev].vocative] && qs[prev].vocative != qs[prev].speaker && fits(qs[prev].vocative) {
			q.speaker, q.rule = qs[prev].vocative, "addressee"
			return true
		}
		// A-B-A, looking back, then looking ahead.
		next := turns.after(i)
		for _, pair := range [][2]int{{prev, turns.before(prev)}, {next, turns.after(next)}} {
			if pair[0] < 0 || pair[1] < 0 {
				continue
			}
			a, b := qs[pair[0]].speaker, qs[pair[1]].speaker
			if a != "" && a != b && fits(b) {
				q.speaker, q.rule = b, "turn"
				return true
			}
		}
		return false
	}
	// Forwards, then backwards, so that a conversation fills from
	// either end in one round.
	for changed := true; changed; {
		changed = false
		for i := range qs {
			changed = fill(i) || changed
		}
		for i := len(qs) - 1; i >= 0; i-- {
			changed = fill(i) || changed
		}
		shareTags(qs, turns)
	}

	lines := map[string]int{}
	narr := map[string]bool{}
	for i := range qs {
		q := &qs[i]
		if o.Explain != nil && q.span.Speaker == "" {
			o.Explain(q.span, q.rule)
		}
		if q.speaker == "" {
			continue
		}
		q.span.Speaker = q.speaker
		lines[q.speaker]++
		if q.speaker == narrator && q.gender == speechtag.Narrator {
			narr[q.speaker] = true
		}
	}
	genders = nameGenders(qs, true, narrationVotes(b, chapters, lex, lines))
	var c Cast
	for name, n := range lines {
		ch := Character{Name: name, Lines: n, Narrator: narr[name]}
		if g := genders[name]; g.gender != "" && !ch.Narrator {
			ch.Gender, ch.GenderEvidence = g.gender, g.evidence
		}
		c.Characters = append(c.Characters, ch)
	}
	c.sort() // lines, then name: the map's order does not show
	return c
}

// readTag fills q's tag from the narration right after its span in the
// paragraph, else right before it. A name of one word must be written
// capitalised inside a sentence somewhere in the book: the first word of
// "Poi chiese:" or "Luego dijo:" is capitalised for its place, and is
// nobody.
func readTag(q *taggedQuote, lex *speechtag.Lexicon, text string, spans []segment.Span, si int, inside map[string]bool) {
	s := spans[si]
	var t speechtag.Tag
	ok := false
	if si+1 < len(spans) && spans[si+1].Para == s.Para && spans[si+1].Kind == segment.Narration {
		n := spans[si+1]
		t, ok = lex.After(strings.TrimLeft(text[n.Start:n.End], " ,;:—–―-"))
	}
	if !ok && si > 0 && spans[si-1].Para == s.Para && spans[si-1].Kind == segment.Narration {
		n := spans[si-1]
		t, ok = lex.Before(text[n.Start:n.End])
	}
	if !ok {
		return
	}
	q.tagged, q.stranger = true, t.Someone
	q.tag, q.gender = t.Name, t.Gender
	if !strings.Contains(t.Name, " ") && !inside[t.Name] {
		q.tag = ""
	}
}

// capitalisedInside is the set of capitalised words the book writes
// after a word or a comma, where only names and the nouns of languages
// that capitalise them are.
func capitalisedInside(b *book.Book) map[string]bool {
	out := map[string]bool{}
	// Paragraph by paragraph: a plain-text book's chapters share the
	// whole file as their Text.
	for ci := range b.Chapters {
		ch := &b.Chapters[ci]
		for _, p := range ch.Paragraphs {
			if p.Kind == book.Prose {
				capitalisedIn(ch.Source(p), out)
			}
		}
	}
	return out
}

func capitalisedIn(text string, out map[string]bool) {
	prev := ' ' // the last rune before the spaces
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsUpper(r) || !(unicode.IsLetter(prev) || prev == ',') || i == 0 || !unicode.IsSpace(rune(text[i-1])) {
			if !unicode.IsSpace(r) {
				prev = r
			}
			i += size
			continue
		}
		end := i + size
		for end < len(text) {
			c, n := utf8.DecodeRuneInString(text[end:])
			if !unicode.IsLetter(c) && !unicode.IsMark(c) {
				break
			}
			end += n
		}
		out[text[i:end]] = true
		_, n := utf8.DecodeLastRuneInString(text[i:end])
		prev, _ = utf8.DecodeRuneInString(text[end-n:])
		i = end
	}
}

// shareTags gives the untagged quotations of a paragraph the speaker of
// a tagged one: the nearest before, else the nearest after. Two sweeps
// per paragraph keep a paragraph of thousands of quotations linear.
func shareTags(qs []taggedQuote, turns turnIndex) {
	source := func(q *taggedQuote) bool { return q.tagged && q.rule != "" }
	take := func(q, from *taggedQuote) {
		q.speaker, q.gender, q.rule = from.speaker, from.gender, "paragraph"
	}
	for lo := 0; lo < len(qs); lo = turns.last[lo] + 1 {
		hi := turns.last[lo] + 1
		last := -1
		for i := lo; i < hi; i++ {
			switch {
			case source(&qs[i]):
				last = i
			case !qs[i].tagged && qs[i].speaker == "" && last >= 0:
				take(&qs[i], &qs[last])
			}
		}
		next := -1
		for i := hi - 1; i >= lo; i-- {
			switch {
			case source(&qs[i]):
				next = i
			case !qs[i].tagged && qs[i].speaker == "" && next >= 0:
				take(&qs[i], &qs[next])
			}
		}
	}
}

// beat returns the narration of span si's paragraph, before and after
// it, that is not a quotation.
func beat(text string, spans []segment.Span, si int) string {
	from, to := si, si+1
	for from > 0 && spans[from-1].Para == spans[si].Para {
		from--
	}
	for to < len(spans) && spans[to].Para == spans[si].Para {
		to++
	}
	var b strings.Builder
	for _, s := range spans[from:to] {
		if s.Kind == segment.Narration {
			b.WriteString(text[s.Start:s.End])
			b.WriteString(" ")
		}
	}
	return b.String()
}

// beatName returns the known name that opens a sentence of narration,
// the subject of an action ("Claire rit et posa le café"), or "" when
// none or more than one does.
func beatName(narration string, known map[string]bool) string {
	found := ""
	start := true
	for _, w := range strings.Fields(narration) {
		name := strings.TrimRight(w, ",.;:!?…")
		if start && known[name] {
			if found != "" && found != name {
				return ""
			}
			found = name
		}
		start = strings.ContainsAny(w[len(w)-1:], ".!?…")
	}
	return found
}

// turnIndex finds the turns around a quotation: the paragraph of each
// quotation spans qs[first[i]:last[i]+1].
type turnIndex struct {
	qs          []taggedQuote
	first, last []int
}

func newTurnIndex(qs []taggedQuote) turnIndex {
	t := turnIndex{qs: qs, first: make([]int, len(qs)), last: make([]int, len(qs))}
	for lo := 0; lo < len(qs); {
		hi := lo
		for hi < len(qs) && qs[hi].para == qs[lo].para {
			hi++
		}
		for i := lo; i < hi; i++ {
			t.first[i], t.last[i] = lo, hi-1
		}
		lo = hi
	}
	return t
}

// before is the quotation that took the turn before qs[i]: the last
// quotation of the paragraph right before qs[i]'s, or -1 when narration
// or a gap lies between, or when i is -1.
func (t turnIndex) before(i int) int {
	if i < 0 {
		return -1
	}
	if j := t.first[i] - 1; j >= 0 && t.qs[j].para == t.qs[i].para-1 {
		return j
	}
	return -1
}

// after is the quotation that takes the turn after qs[i]: the first
// quotation of the paragraph right after qs[i]'s, or -1.
func (t turnIndex) after(i int) int {
	if i < 0 {
		return -1
	}
	if j := t.last[i] + 1; j < len(t.qs) && t.qs[j].para == t.qs[i].para+1 {
		return j
	}
	return -1
}

// nameGenders is the gender that the tags of each speaker's quotations
// show, when at least two in three agree: the named tags only, or with
// resolved also the pronoun tags given to a speaker. votes, when not
// nil, are more votes to count, by name and gender.
func nameGenders(qs []taggedQuote, resolved bool, votes map[string]map[string]int) map[string]genderGuess {
	if votes == nil {
		votes = map[string]map[string]int{}
	}
	for _, q := range qs {
		name := q.tag
		if resolved {
			name = q.speaker
		}
		if name == "" || q.gender == "" || q.gender == speechtag.Narrator {
			continue
		}
		if votes[name] == nil {
			votes[name] = map[string]int{}
		}
		votes[name][q.gender]++
	}
	out := map[string]genderGuess{}
	for name, vs := range votes {
		total, best, bestN := 0, "", 0
		for g, n := range vs {
			total += n
			if n > bestN {
				best, bestN = g, n
			}
		}
		if 3*bestN >= 2*total {
			out[name] = genderGuess{best, bestN}
		}
	}
	return out
}

// genderGuess is a gender and the votes for it.
type genderGuess struct {
	gender   string
	evidence int
}

// narrationVotes counts, for each speaker, the sentences of narration
// that follow one naming them and open with a gendered pronoun ("Rosa
// dejó el café. Ella sonrió."), a vote for that gender.
func narrationVotes(b *book.Book, chapters []segment.Chapter, lex *speechtag.Lexicon, speakers map[string]int) map[string]map[string]int {
	votes := map[string]map[string]int{}
	if lex == nil {
		return votes
	}
	for ci := range chapters {
		if ci >= len(b.Chapters) {
			break
		}
		text := b.Chapters[ci].Text
		for _, s := range chapters[ci].Spans {
			if s.Kind != segment.Narration {
				continue
			}
			named := "" // the speaker the current sentence names
			start := true
			for _, w := range strings.Fields(text[s.Start:s.End]) {
				bare := strings.TrimRight(w, ",.;:!?…»\"”")
				if start && named != "" {
					if g, ok := lex.Pronoun(bare); ok && g != speechtag.Narrator {
						if votes[named] == nil {
							votes[named] = map[string]int{}
						}
						votes[named][g]++
					}
					named = ""
				}
				if speakers[bare] > 0 {
					named = bare
				}
				start = strings.ContainsAny(w[len(w)-1:], ".!?")
			}
		}
	}
	return votes
}

// vocative returns the name a quotation calls at its end or start
// ("…, Pierre.", "Pierre, …"), or "".
func vocative(quoted string) string {
	t := strings.TrimRight(quoted, " .!?…»«\"'“”")
	if i := strings.LastIndex(t, ", "); i >= 0 && isName(t[i+2:]) {
		return t[i+2:]
	}
	if i := strings.Index(t, ", "); i > 0 && isName(t[:i]) {
		return t[:i]
	}
	return ""
}

// isName reports one capitalised word.
func isName(s string) bool {
	r := []rune(s)
	if len(r) < 2 || !unicode.IsUpper(r[0]) {
		return false
	}
	for _, c := range r[1:] {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return true
}
