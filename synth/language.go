package synth

import (
	"strings"

	"golang.org/x/text/language"
)

// LanguageMatch scores how well a voice whose language tag is voice
// serves text in the language want (both BCP 47; "" wants English).
// Macrolanguages compare by their canonical form (a "cmn" voice speaks
// "zh", an "nb" voice "no"), and a region without a tag's region is its
// most likely one ("en" is spoken as "en-US"):
//
//	5  the same tag
//	4  the same language and region, or a region that contains the
//	   wanted one ("es-419" for "es-MX")
//	3  the same language in the region where it is most spoken, when no
//	   voice can match the wanted region ("fr-FR" for "fr-CA")
//	2  the same language elsewhere ("en-GB" for "en"), or a particular
//	   form of it (another script, a private-use accent such as
//	   "en-gb-x-rp") that would otherwise score higher
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
		return 5
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
	vb, wb := macro(vt), macro(wt)
	wr, _ := wt.Region()
	if wb.String() == "zh" && (wr.String() == "HK" || wr.String() == "MO") {
		// Chinese of Hong Kong and Macau is Cantonese.
		wb, _ = language.ParseBase("yue")
	}
	if vb != wb {
		return 0
	}
	vr, vconf := vt.Region()
	likely, _ := language.Make(wb.String()).Region()
	score := 2
	switch {
	case vr == wr, vconf == language.Exact && vr.Contains(wr):
		score = 4
	case vr == likely:
		score = 3
	}
	vs, vsconf := vt.Script()
	ws, _ := wt.Script()
	if score > 2 && (vsconf == language.Exact && vs != ws || strings.Contains(v, "-x-")) {
		score--
	}
	return score
}

// macro is a tag's language with macrolanguages folded in: "cmn" is
// "zh", "nb" is "no".
func macro(t language.Tag) language.Base {
	if c, err := language.All.Canonicalize(t); err == nil {
		t = c
	}
	b, _ := t.Base()
	return b
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
	for score := 5; score > 0; score-- {
		for _, v := range voices {
			if LanguageMatch(v.Language, want) == score {
				out = append(out, v)
			}
		}
	}
	return out
}
