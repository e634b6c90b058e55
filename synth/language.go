package synth

import "strings"

// LanguageMatch scores how well a voice's language tag serves text in
// the language want (both BCP 47, compared without regard to case; ""
// wants English): 3 for the same tag, 2 for the same language in another
// region or script ("en-GB" for "en-US"), 1 for a voice that speaks many
// languages ("mul"), 0 otherwise.
func LanguageMatch(voice, want string) int {
	if want == "" {
		want = "en"
	}
	v, w := strings.ToLower(strings.ReplaceAll(voice, "_", "-")), strings.ToLower(strings.ReplaceAll(want, "_", "-"))
	switch {
	case v == "":
		return 0
	case v == w:
		return 3
	case primary(v) == primary(w):
		return 2
	case v == "mul":
		return 1
	}
	return 0
}

// primary is the language subtag of a tag: "en" of "en-gb-x-rp".
func primary(tag string) string {
	p, _, _ := strings.Cut(tag, "-")
	return p
}

// Speakers returns the voices whose language serves want (LanguageMatch
// above 0), best match first and otherwise in the backend's order.
func Speakers(voices []Voice, want string) []Voice {
	var out []Voice
	for score := 3; score > 0; score-- {
		for _, v := range voices {
			if LanguageMatch(v.Language, want) == score {
				out = append(out, v)
			}
		}
	}
	return out
}
