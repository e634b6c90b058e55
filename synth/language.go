package synth

import (
	"strings"

	"golang.org/x/text/language"
)

// LanguageMatch scores how well a voice whose language tag is voice
// serves text in the language want (both BCP 47; "" wants English):
//
//	4  the same tag
//	3  the same language and region, the region of a tag without one
//	   being its most likely ("en" is spoken as "en-US")
//	2  the same language in another region or script ("en-GB" for "en")
//	1  a voice that speaks many languages ("mul")
//	0  anything else, including a voice of unknown language
func LanguageMatch(voice, want string) int {
	if want == "" {
		want = "en"
	}
	v, w := norm(voice), norm(want)
	switch {
	case v == "":
		return 0
	case v == w:
		return 4
	case v == "mul":
		return 1
	}
	vt, verr := parse(v)
	wt, werr := parse(w)
	if verr != nil || werr != nil {
		if primary(v) == primary(w) {
			return 2
		}
		return 0
	}
	vb, _ := vt.Base()
	wb, _ := wt.Base()
	if vb != wb {
		return 0
	}
	vr, _ := vt.Region()
	wr, _ := wt.Region()
	if vr == wr {
		return 3
	}
	return 2
}

func norm(tag string) string {
	return strings.ToLower(strings.TrimSpace(strings.ReplaceAll(tag, "_", "-")))
}

// parse reads a tag, dropping subtags from the end until it parses:
// espeak-ng names voices "en-us-nyc", which BCP 47 does not allow.
func parse(tag string) (language.Tag, error) {
	for {
		t, err := language.Parse(tag)
		i := strings.LastIndex(tag, "-")
		if err == nil || i < 0 {
			return t, err
		}
		tag = tag[:i]
	}
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
	for score := 4; score > 0; score-- {
		for _, v := range voices {
			if LanguageMatch(v.Language, want) == score {
				out = append(out, v)
			}
		}
	}
	return out
}
