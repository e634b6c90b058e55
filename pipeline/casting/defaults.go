package casting

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/narrate-audio/narrate/internal/suggest"
	"github.com/narrate-audio/narrate/synth"
)

// ErrNoLanguage is wrapped by Defaults when no voice of the backend
// speaks the book's language.
var ErrNoLanguage = errors.New("no voice speaks the book's language")

// Defaults picks the narrator and the dialogue voice the user left unset
// (narrator or dialogue ""), from voices that speak the book's language
// lang (BCP 47, "" meaning English): the best language match first, in
// the backend's order, then voices of unknown language, never an effect
// voice. The dialogue voice is the
// narrator's language's first voice of another gender, else the next
// voice, so that unattributed dialogue stands apart from narration.
func Defaults(voices []synth.Voice, lang, narrator, dialogue string) (string, string, error) {
	usable := speakers(voices, lang)
	if narrator == "" {
		if len(usable) == 0 {
			if lang == "" {
				lang = "en"
			}
			return "", "", fmt.Errorf("%w (%s): its voices speak %s", ErrNoLanguage, lang, languages(voices))
		}
		narrator = usable[0].ID
	}
	if dialogue == "" {
		nv := find(voices, narrator)
		// Dialogue follows the narrator's language, which is the book's
		// unless the user named a narrator of another.
		pool := usable
		if nv.Language != "" {
			if same := speakers(voices, nv.Language); len(same) > 0 {
				pool = same
			}
		}
		best := ""
		for _, v := range pool {
			if v.ID == narrator {
				continue
			}
			if best == "" {
				best = v.ID
			}
			if nv.Gender != "" && v.Gender != "" && v.Gender != nv.Gender && strings.EqualFold(v.Language, nv.Language) {
				best = v.ID
				break
			}
		}
		if best == "" {
			best = narrator
		}
		dialogue = best
	}
	return narrator, dialogue, nil
}

func find(voices []synth.Voice, id string) synth.Voice {
	for _, v := range voices {
		if v.ID == id {
			return v
		}
	}
	return synth.Voice{ID: id}
}

// languages summarises the languages of a catalogue for an error.
func languages(voices []synth.Voice) string {
	seen := map[string]bool{}
	var out []string
	for _, v := range voices {
		l := v.Language
		if l == "" {
			l = "an unknown language"
		}
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.Strings(out)
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("and %d more", len(out)-12))
	}
	return strings.Join(out, ", ")
}

// Near lists up to three voice IDs of the catalogue close to id, for "did
// you mean" hints: the closest by spelling, then those sharing its
// beginning.
func Near(voices []synth.Voice, id string) []string {
	ids := make([]string, len(voices))
	for i, v := range voices {
		ids[i] = v.ID
	}
	var out []string
	if c := suggest.Closest(id, ids); c != "" {
		out = append(out, c)
	}
	lower := strings.ToLower(id)
	for n := len(lower); n >= 2 && len(out) < 3; n-- {
		for _, c := range ids {
			if len(out) == 3 {
				break
			}
			if strings.HasPrefix(strings.ToLower(c), lower[:n]) && !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
