// Package casting gives each character of a book a voice: it proposes a
// cast from the characters that attribution found and the voices a
// backend offers, and reads and writes the cast file users edit.
package casting

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/narrate-audio/narrate/segment/attribute"
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
	// Line is the line of the name in the cast file Read parsed, for
	// errors; 0 otherwise.
	Line int `yaml:"-"`
}

// Cast is the content of a cast file.
type Cast struct {
	Book       string   `yaml:"book,omitempty"`
	Backend    string   `yaml:"backend,omitempty"`
	Narrator   string   `yaml:"narrator"`
	Dialogue   string   `yaml:"dialogue"`
	Characters []Member `yaml:"characters"`
	// Notes explain choices the proposal had to make; they are written
	// as comments.
	Notes []string `yaml:"-"`
	// About describes voices whose IDs say nothing to a reader (a
	// service's opaque IDs), by ID; written as comments beside them.
	About map[string]string `yaml:"-"`
}

// Options tune the proposal.
type Options struct {
	// Major is how many of the most frequent characters keep a voice of
	// their own when the voices run short; 0 means 12. Characters with
	// fewer than MinLines lines count as minor whatever their rank.
	Major    int
	MinLines int // 0 means 3
	// Pool is how many voices per gender minor characters share when
	// there are more characters than voices; 0 means 2.
	Pool int
	// Language is the book's language (BCP 47; "" means English): voices
	// that speak it are preferred, those of the narrator's accent first.
	Language string
}

// Propose assigns voices from the backend's catalogue. Characters are
// taken most frequent first; each gets a voice of its gender nobody has
// yet, while there are such voices, so that a book with few characters
// gives everyone a voice of their own. Where a gender has fewer voices
// than characters, the major characters keep distinct voices and the
// minor ones share a small pool, picked by name so that a character
// keeps its voice when the book changes; when even the major characters
// outnumber the voices, voices are reused in the catalogue's order, and
// the cast says so. Characters of unknown gender alternate between the
// genders; voices of unknown gender (a server that does not say) are
// handed out in catalogue order. Effect voices (whispers, robots) and the
// narrator's and dialogue voices are never given to a character.
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
	out := Cast{Narrator: narrator, Dialogue: dialogue}
	byGender := candidates(voices, narrator, dialogue, o.Language)
	var speaking []attribute.Character
	for _, ch := range c.Characters {
		if ch.Lines > 0 {
			speaking = append(speaking, ch)
		}
	}
	// Unknown genders alternate, so that two unknowns are told apart.
	genders := make([]string, len(speaking))
	need := map[string]int{}
	alternate := 0
	majors := map[string]int{}
	for i, ch := range speaking {
		if ch.Narrator {
			continue // speaks in the narrator's voice
		}
		genders[i] = ch.Gender
		if genders[i] != "male" && genders[i] != "female" {
			genders[i] = []string{"male", "female"}[alternate%2]
			alternate++
		}
		need[genders[i]]++
		if i < o.Major && ch.Lines >= o.MinLines {
			majors[genders[i]]++
		}
	}
	if alternate > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%d characters of unknown gender alternate between male and female voices.", alternate))
	}
	if n := describedNote(c.Described); n != "" {
		out.Notes = append(out.Notes, n)
	}
	if len(byGender["male"])+len(byGender["female"]) == 0 && len(byGender[""]) > 0 {
		out.Notes = append(out.Notes, "This backend's voices have no gender: characters take its voices in catalogue order; set genders where the backend allows it, or edit the voices below.")
	}
	// pick returns the voices a gender's characters draw from, and how
	// many of them minor characters share when voices run short.
	used := map[string]bool{}
	reused := map[string]bool{}
	next := map[string]int{}
	pool := map[string][]string{}
	for _, g := range []string{"male", "female"} {
		ids := byGender[g]
		if len(ids) == 0 {
			// No voice of this gender: fall back to voices without one,
			// then to the other gender, rather than to nobody's voice.
			if ids = byGender[""]; len(ids) == 0 {
				ids = byGender[other(g)]
			}
			if len(ids) > 0 && need[g] > 0 {
				out.Notes = append(out.Notes, fmt.Sprintf("The backend has no %s voices: %s characters speak with other voices.", g, g))
			}
		}
		if need[g] > len(ids) && need[g] > majors[g] && len(ids) > 1 {
			// The major characters keep what they need, leaving at
			// least a small pool for the minor ones to share.
			split := min(majors[g], len(ids)-min(o.Pool, len(ids)/2))
			if split > 0 {
				pool[g] = ids[split:]
				ids = ids[:split]
			} else {
				pool[g] = ids
			}
		}
		byGender[g] = ids
	}
	for i, ch := range speaking {
		m := Member{Name: ch.Name, Aliases: ch.Aliases, Gender: ch.Gender, Evidence: ch.GenderEvidence, Lines: ch.Lines, MaybeSame: ch.MaybeSame}
		if ch.Narrator {
			// "I said": the narrator's own voice, not a character's.
			m.Voice, m.Narrator = narrator, true
			out.Characters = append(out.Characters, m)
			continue
		}
		g := genders[i]
		ids := byGender[g]
		major := i < o.Major && ch.Lines >= o.MinLines
		switch {
		case len(ids) == 0 && len(pool[g]) == 0:
			m.Voice = dialogue
		case !major && len(pool[g]) > 0:
			h := fnv.New32a()
			h.Write([]byte(ch.Name))
			m.Voice = pool[g][int(h.Sum32())%len(pool[g])]
			m.Shared = true
		default:
			m.Voice = ""
			for _, id := range ids {
				if !used[id] {
					m.Voice = id
					break
				}
			}
			if m.Voice == "" && len(ids) == 0 {
				m.Voice = pool[g][next[g]%len(pool[g])]
				next[g]++
				m.Shared = true
			} else if m.Voice == "" {
				m.Voice = ids[next[g]%len(ids)]
				next[g]++
				reused[g] = true
				m.Shared = true
			}
		}
		used[m.Voice] = true
		out.Characters = append(out.Characters, m)
	}
	if len(speaking) > 0 && len(byGender["male"])+len(byGender["female"])+len(pool["male"])+len(pool["female"]) == 0 {
		out.Notes = append(out.Notes, "No voice is left for the characters: they speak with the dialogue voice. List more of the backend's voices in its settings, or set them below.")
	}
	out.About = about(voices, out)
	for _, g := range []string{"male", "female"} {
		if reused[g] {
			out.Notes = append(out.Notes, fmt.Sprintf("More %s characters than %s voices: these voices are reused in this order: %s.", g, g, strings.Join(byGender[g], ", ")))
		}
	}
	return out
}

// about describes the cast's voices that a service lists under names
// other than their IDs (ElevenLabs' "JBFqnCBsd6RMkjVDRZzb" is George).
func about(voices []synth.Voice, c Cast) map[string]string {
	used := map[string]bool{c.Narrator: true, c.Dialogue: true}
	for _, m := range c.Characters {
		used[m.Voice] = true
	}
	out := map[string]string{}
	for _, v := range voices {
		if !used[v.ID] || v.Source != synth.SourceServer || v.Name == "" || strings.Contains(strings.ToLower(v.ID), strings.ToLower(v.Name)) {
			continue
		}
		parts := []string{v.Name}
		for _, x := range []string{v.Gender, v.Accent} {
			if x != "" {
				parts = append(parts, x)
			}
		}
		out[v.ID] = strings.Join(parts, ", ")
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func other(g string) string { return map[string]string{"male": "female", "female": "male"}[g] }

// candidates sorts the voices a character may get by gender ("" for
// unknown), in catalogue order: those of the narrator's language tag,
// so that characters share the narrator's accent; for a gender that tag
// has no voice of, the best matches for the book's language.
func candidates(voices []synth.Voice, narrator, dialogue, lang string) map[string][]string {
	narratorLang := ""
	for _, v := range voices {
		if v.ID == narrator {
			narratorLang = v.Language
		}
	}
	fit := speakers(voices, lang)
	if narratorLang == "" && len(fit) > 0 {
		// A narrator the catalogue does not list: keep the characters to
		// one accent, the book's language's best.
		narratorLang = fit[0].Language
	}
	same, all := map[string][]string{}, map[string][]string{}
	seen := map[string]bool{}
	for _, v := range fit {
		if v.ID == narrator || v.ID == dialogue || seen[v.ID] {
			continue
		}
		seen[v.ID] = true
		g := v.Gender
		if g != "male" && g != "female" {
			g = ""
		}
		all[g] = append(all[g], v.ID)
		if narratorLang != "" && strings.EqualFold(v.Language, narratorLang) {
			same[g] = append(same[g], v.ID)
		}
	}
	for g, ids := range same {
		all[g] = ids
	}
	return all
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

// speakers lists the voices fit for a book in lang: those that speak it,
// best match first, then those of unknown language (a server that does
// not say), never effect voices.
func speakers(voices []synth.Voice, lang string) []synth.Voice {
	var out []synth.Voice
	for _, v := range synth.Speakers(voices, lang) {
		if !v.Effect {
			out = append(out, v)
		}
	}
	for _, v := range voices {
		if v.Language == "" && !v.Effect {
			out = append(out, v)
		}
	}
	return out
}

// describedNote tells of the speakers the book only describes, whose
// lines take the dialogue voice unless the file gives them one.
func describedNote(described map[string]int) string {
	if len(described) == 0 {
		return ""
	}
	labels := make([]string, 0, len(described))
	for l := range described {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		a, b := labels[i], labels[j]
		return described[a] > described[b] || described[a] == described[b] && a < b
	})
	const shown = 5
	var parts []string
	for _, l := range labels[:min(len(labels), shown)] {
		unit := "lines"
		if described[l] == 1 {
			unit = "line"
		}
		parts = append(parts, fmt.Sprintf("%s (%d %s)", l, described[l], unit))
	}
	if len(labels) > shown {
		parts = append(parts, fmt.Sprintf("and %d more", len(labels)-shown))
	}
	return fmt.Sprintf("Some speakers are only described, never named: %s. They speak with the dialogue voice; "+
		"to give one a voice of its own, add it under characters by that label (name: %s).", strings.Join(parts, ", "), labels[0])
}
