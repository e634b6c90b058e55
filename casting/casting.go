// Package casting gives each character of a book a voice: it proposes a
// cast from the characters that attribution found and the voices a
// backend offers, and reads and writes the cast file users edit.
package casting

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/narrate-audio/narrate/attribute"
	"github.com/narrate-audio/narrate/synth"
)

// Member is one character and the voice that speaks their lines.
type Member struct {
	Name     string   `yaml:"name"`
	Aliases  []string `yaml:"aliases,omitempty"`
	Gender   string   `yaml:"gender,omitempty"`
	Evidence int      `yaml:"gender_evidence,omitempty"`
	Lines    int      `yaml:"lines"`
	Voice    string   `yaml:"voice"`
	// Shared marks a minor character speaking with a pooled voice.
	Shared bool `yaml:"shared,omitempty"`
	// Narrator marks the first-person narrator, who speaks their own
	// dialogue in the narrator's voice.
	Narrator bool `yaml:"narrator,omitempty"`
	// MaybeSame names characters that may be this one under another
	// name, kept apart for want of evidence; Write says so in a comment.
	MaybeSame []string `yaml:"-"`
}

// Cast is the content of a cast file.
type Cast struct {
	Book       string   `yaml:"book,omitempty"`
	Backend    string   `yaml:"backend,omitempty"`
	Narrator   string   `yaml:"narrator"`
	Dialogue   string   `yaml:"dialogue"`
	Characters []Member `yaml:"characters"`
}

// Options tune the proposal.
type Options struct {
	// Major is how many of the most frequent characters get a voice of
	// their own; 0 means 12. Characters with fewer than MinLines lines
	// share pooled voices.
	Major    int
	MinLines int // 0 means 3
	// Pool is how many voices per gender minor characters share; 0
	// means 2.
	Pool int
}

// Propose assigns voices: the most frequent characters get distinct
// voices that fit their gender, in the backend's order of preference;
// minor characters share a few pooled voices, chosen by name so that a
// character keeps its voice when the book changes. Narrator and dialogue
// voices are never given to a character, so characters stand apart from
// the narration.
func Propose(c attribute.Cast, voices []synth.Voice, narrator, dialogue string, o Options) Cast {
	if o.Major <= 0 {
		o.Major = 12
	}
	if o.MinLines <= 0 {
		o.MinLines = 3
	}
	if o.Pool <= 0 {
		o.Pool = 2
	}
	lang := language(voices, narrator)
	byGender := map[string][]string{}
	for _, v := range voices {
		if v.ID == narrator || v.ID == dialogue || v.Language != lang || v.Gender == "" {
			continue
		}
		byGender[v.Gender] = append(byGender[v.Gender], v.ID)
	}
	// Reserve the pool from the end of each list, so that the major
	// characters take the backend's preferred voices.
	pools := map[string][]string{}
	for g, ids := range byGender {
		n := min(o.Pool, len(ids)/2)
		pools[g] = ids[len(ids)-n:]
		byGender[g] = ids[:len(ids)-n]
	}
	used := map[string]bool{}
	unused := func(ids []string) string {
		for _, id := range ids {
			if !used[id] {
				return id
			}
		}
		return ""
	}
	// take gives a major character a voice nobody has yet: from its
	// gender's list, then from its gender's pool; an unknown gender takes
	// from either. Only when every voice is taken are voices reused.
	take := func(gender string, known bool) string {
		genders := []string{gender}
		if !known {
			genders = append(genders, map[string]string{"male": "female", "female": "male"}[gender])
		}
		for _, g := range genders {
			if v := unused(byGender[g]); v != "" {
				used[v] = true
				return v
			}
			if v := unused(pools[g]); v != "" {
				used[v] = true
				return v
			}
		}
		if ids := byGender[gender]; len(ids) > 0 {
			return ids[len(used)%len(ids)]
		}
		return dialogue
	}
	out := Cast{Narrator: narrator, Dialogue: dialogue}
	alternate := 0
	for i, ch := range c.Characters {
		if ch.Lines == 0 {
			continue
		}
		m := Member{Name: ch.Name, Aliases: ch.Aliases, Gender: ch.Gender, Evidence: ch.GenderEvidence, Lines: ch.Lines, MaybeSame: ch.MaybeSame}
		if ch.Narrator {
			// "I said": the narrator's own voice, not a character's.
			m.Voice, m.Narrator = narrator, true
			out.Characters = append(out.Characters, m)
			continue
		}
		gender := ch.Gender
		if gender == "" {
			// Unknown: alternate, so that two unknowns are told apart.
			gender = []string{"male", "female"}[alternate%2]
			alternate++
		}
		if i < o.Major && ch.Lines >= o.MinLines {
			m.Voice = take(gender, ch.Gender != "")
		} else if pool := pools[gender]; len(pool) > 0 {
			h := fnv.New32a()
			h.Write([]byte(ch.Name))
			m.Voice = pool[int(h.Sum32())%len(pool)]
			m.Shared = true
		} else {
			m.Voice = take(gender, ch.Gender != "")
		}
		out.Characters = append(out.Characters, m)
	}
	return out
}

// language is the language of the narrator's voice, so that characters
// speak with the same accent family.
func language(voices []synth.Voice, narrator string) string {
	for _, v := range voices {
		if v.ID == narrator && v.Language != "" {
			return v.Language
		}
	}
	lang, _, _ := strings.Cut(narrator, "+")
	return lang
}

// Voices maps every name and alias of the cast to its voice.
func (c Cast) Voices() map[string]string {
	out := map[string]string{}
	for _, m := range c.Characters {
		if m.Voice == "" {
			continue
		}
		out[m.Name] = m.Voice
		for _, a := range m.Aliases {
			if _, taken := out[a]; !taken {
				out[a] = m.Voice
			}
		}
	}
	return out
}

// Check reports cast members whose voice the backend does not list.
func (c Cast) Check(voices []synth.Voice) error {
	have := map[string]bool{}
	for _, v := range voices {
		have[v.ID] = true
	}
	for _, m := range c.Characters {
		if m.Voice != "" && !have[m.Voice] {
			return fmt.Errorf("character %q: voice %q: %w", m.Name, m.Voice, synth.ErrUnknownVoice)
		}
	}
	return nil
}
