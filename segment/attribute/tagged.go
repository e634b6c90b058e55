package attribute

import (
	"sort"
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
// their speech tags instead, with two safe extensions: one tag speaks
// for every quotation of its paragraph, and in a conversation of two a
// pronoun tag or an untagged turn goes to the other of the last two
// speakers. What no rule reaches stays unattributed, which the listener
// hears in the default dialogue voice, rather than in a wrong one.

// taggedQuote is a dialogue span with its paragraph and tag.
type taggedQuote struct {
	span   *segment.Span
	ch     int
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
	// first and end bound the quotations of its paragraph in the list,
	// so that finding the turns around it does not walk the paragraph.
	first, end int
}

func attributeTags(b *book.Book, chapters []segment.Chapter, lex *speechtag.Lexicon, o Options) Cast {
	var qs []taggedQuote
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
		// A paragraph's beat is read once for all its quotations: read
		// for each, a long paragraph of many made attribution quadratic.
		beatPara, paraBeat := -1, ""
		for si := range spans {
			s := &spans[si]
			maxPara = max(maxPara, s.Para)
			if s.Kind != segment.Dialogue {
				continue
			}
			q := taggedQuote{span: s, ch: ci, para: para + s.Para, speaker: s.Speaker}
			if s.Speaker == "" && lex != nil {
				readTag(&q, lex, text, spans, si, inside)
				q.vocative = vocative(text[s.Start:s.End])
				if s.Para != beatPara {
					beatPara, paraBeat = s.Para, beat(text, spans, si)
				}
				q.beat = paraBeat
			}
			qs = append(qs, q)
		}
		para += maxPara + 10 // conversations do not run across chapters
	}

	for i := 0; i < len(qs); {
		j := i
		for j < len(qs) && qs[j].para == qs[i].para {
			j++
		}
		for k := i; k < j; k++ {
			qs[k].first, qs[k].end = i, j
		}
		i = j
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
	shareTags(qs)
	// An action beat that names a speaker of the book, and no tag,
	// gives the quotation to them. Only names that speak elsewhere with
	// a tag count: capitalised words are not always people.
	known := map[string]bool{}
	for _, q := range qs {
		if q.tag != "" {
			known[q.tag] = true
		}
	}
	beatNames := map[int]string{} // by paragraph
	for i := range qs {
		q := &qs[i]
		if q.speaker == "" && !q.tagged {
			n, ok := beatNames[q.para]
			if !ok {
				n = beatName(q.beat, known)
				beatNames[q.para] = n
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
	genders := nameGenders(qs, false)
	turn := func(i int) bool {
		q := &qs[i]
		if q.speaker != "" || q.stranger || !q.tagged && strings.TrimSpace(q.beat) != "" {
			// Narration around an untagged quotation may bring in
			// someone new ("La mère entra.").
			return false
		}
		fits := func(name string) bool {
			g := genders[name]
			return name != "" && name != q.vocative && (q.gender == "" || g == "" || g == q.gender)
		}
		prev := turnBefore(qs, i)
		// The one the last turn called by name answers it.
		if prev >= 0 && known[qs[prev].vocative] && qs[prev].vocative != qs[prev].speaker && fits(qs[prev].vocative) {
			q.speaker, q.rule = qs[prev].vocative, "addressee"
			return true
		}
		// A-B-A, looking back, then looking ahead.
		for _, pair := range [][2]int{{prev, turnBefore(qs, prev)}, {turnAfter(qs, i), turnAfter(qs, turnAfter(qs, i))}} {
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
	for changed := true; changed; {
		// A pass forwards carries a named turn down a conversation, and
		// one backwards carries it up, so that a long conversation with
		// its one tag at the end takes a few passes, not one per turn.
		changed = false
		for i := range qs {
			changed = turn(i) || changed
		}
		for i := len(qs) - 1; i >= 0; i-- {
			changed = turn(i) || changed
		}
		shareTags(qs)
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
	genders = nameGenders(qs, true)
	var c Cast
	for name, n := range lines {
		ch := Character{Name: name, Lines: n, Narrator: narr[name]}
		if g := genders[name]; g != "" && !ch.Narrator {
			ch.Gender, ch.GenderEvidence = g, genderEvidence(qs, name, g)
		}
		c.Characters = append(c.Characters, ch)
	}
	sort.Slice(c.Characters, func(i, j int) bool { return c.Characters[i].Name < c.Characters[j].Name })
	c.sort()
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
// a tagged one.
func shareTags(qs []taggedQuote) {
	// The nearest tagged quotation before each untagged one, then for
	// those still untold the nearest after it: one pass each way, as a
	// paragraph may hold thousands of quotations.
	share := func(i, j int) {
		qs[i].speaker, qs[i].gender, qs[i].rule = qs[j].speaker, qs[j].gender, "paragraph"
	}
	teller := func(j int) bool { return qs[j].tagged && qs[j].rule != "" }
	last := -1
	for i := range qs {
		if i == qs[i].first {
			last = -1
		}
		switch {
		case teller(i):
			last = i
		case !qs[i].tagged && qs[i].speaker == "" && last >= 0:
			share(i, last)
		}
	}
	next := -1
	for i := len(qs) - 1; i >= 0; i-- {
		if i == qs[i].end-1 {
			next = -1
		}
		switch {
		case teller(i):
			next = i
		case !qs[i].tagged && qs[i].speaker == "" && next >= 0:
			share(i, next)
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

// turnBefore is the quotation that took the turn before qs[i]: the last
// quotation of the paragraph right before qs[i]'s, or -1 when narration
// or a gap lies between, or when i is -1.
func turnBefore(qs []taggedQuote, i int) int {
	if i < 0 {
		return -1
	}
	if j := qs[i].first - 1; j >= 0 && qs[j].para == qs[i].para-1 {
		return j
	}
	return -1
}

// turnAfter is the quotation that takes the turn after qs[i]: the first
// quotation of the paragraph right after qs[i]'s, or -1.
func turnAfter(qs []taggedQuote, i int) int {
	if i < 0 {
		return -1
	}
	if j := qs[i].end; j < len(qs) && qs[j].para == qs[i].para+1 {
		return j
	}
	return -1
}

// nameGenders is the gender that the tags of each speaker's quotations
// show, when at least two in three agree: the named tags only, or with
// resolved also the pronoun tags given to a speaker.
func nameGenders(qs []taggedQuote, resolved bool) map[string]string {
	votes := map[string]map[string]int{}
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
	out := map[string]string{}
	for name, vs := range votes {
		total, best, bestN := 0, "", 0
		for g, n := range vs {
			total += n
			if n > bestN {
				best, bestN = g, n
			}
		}
		if 3*bestN >= 2*total {
			out[name] = best
		}
	}
	return out
}

func genderEvidence(qs []taggedQuote, name, g string) int {
	n := 0
	for _, q := range qs {
		if q.speaker == name && q.gender == g {
			n++
		}
	}
	return n
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
