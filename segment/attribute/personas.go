package attribute

import (
	"sort"
	"strings"

	"github.com/narrate-audio/narrate/segment"
)

// personas are the speakers the book's own markup names: a play's
// speeches say who speaks them, so no rule guesses. Each persona is a
// character under the name the play gives; the character the names in
// the text found under that name, if any, lends it its gender and
// mentions.
type personas struct {
	lines map[string]int
	order []string
}

// credit counts a line of the persona.
func (p *personas) credit(name string) {
	if p.lines == nil {
		p.lines = map[string]int{}
	}
	if p.lines[name] == 0 {
		p.order = append(p.order, name)
	}
	p.lines[name]++
}

// named reports whether the span's speaker came from the markup: the
// segmenter sets Speaker only from it.
func named(s *segment.Span) bool { return s.Kind == segment.Dialogue && s.Speaker != "" }

// adopt gives each persona its character: an entity with a form of that
// exact name takes the persona's name and lines; any other persona
// becomes a character of its own, its gender from its title or given
// name.
func (d *doc) adopt(p personas) []Character {
	var extra []Character
	adopted := map[*entity]bool{}
	for _, name := range p.order {
		e := d.entityNamed(name)
		if e != nil && adopted[e] {
			// A second name of one character ("SIR TOBY", "TOBY"): its
			// speeches are the same character's, found by this alias.
			e.lines += p.lines[name]
			e.forms[name] = max(e.forms[name], 1)
			continue
		}
		if e == nil {
			ch := Character{Name: name, Lines: p.lines[name]}
			if words := strings.Fields(name); len(words) > 0 {
				if ch.Gender = titleGender(words[0]); ch.Gender == "" {
					ch.Gender = givenNameGender(words[0])
				}
				if ch.Gender != "" {
					ch.GenderEvidence = 1
				}
			}
			extra = append(extra, ch)
			continue
		}
		e.lines += p.lines[name]
		d.names[e.id] = name
		adopted[e] = true
	}
	return extra
}

// entityNamed finds the unmerged entity with a form spelled name, the
// most mentioned if several.
func (d *doc) entityNamed(name string) *entity {
	var found []*entity
	for _, e := range d.entities {
		if !e.merged && (d.names[e.id] == name || e.forms[name] > 0) {
			found = append(found, e)
		}
	}
	if len(found) == 0 {
		return nil
	}
	sort.SliceStable(found, func(a, b int) bool { return found[a].mentions > found[b].mentions })
	return found[0]
}
