package espeak

import (
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/narrate-audio/narrate/synth"
)

// VoiceFor returns the voice of voices (espeak-ng's list, from Voices)
// that best speaks the BCP 47 language tag: the same tag ("pt-BR" ->
// "pt-br"), else the same region or one containing it ("es-MX" ->
// "es-419"), else the language's own voice ("pt" -> "pt", "ar" -> "ar"),
// else the voice of the country where the language is most spoken ("fr"
// -> "fr-fr", "en" -> "en-us"). Chinese is "cmn" (Mandarin) unless the
// tag says Cantonese or Hong Kong. ok is false when no voice speaks the
// language.
func VoiceFor(tag string, voices []synth.Voice) (id string, ok bool) {
	want, err := language.Parse(tag)
	if err != nil {
		return "", false
	}
	base, _ := want.Base()
	region, regionConf := want.Region()
	// The country where the language is most spoken, for a tag without
	// a region or with one no voice has ("fr-CA").
	likely, _ := language.Make(base.String()).Region()
	b := base.String()
	switch b {
	case "zh":
		b = "cmn"
		if region.String() == "HK" || region.String() == "MO" {
			b = "yue"
		}
	case "no":
		b = "nb"
	}
	type cand struct {
		id    string
		score int
	}
	var cands []cand
	for _, v := range voices {
		if v.Language == "" || strings.Contains(v.ID, "+") {
			continue // variants have no language of their own
		}
		have, err := language.Parse(v.Language)
		if err != nil {
			continue
		}
		hb, _ := have.Base()
		if hb.String() != b {
			continue
		}
		hr, hrConf := have.Region()
		explicit := hrConf == language.Exact
		score := 0
		switch {
		case strings.EqualFold(v.Language, tag):
			score = 5
		case regionConf == language.Exact && explicit && hr == region:
			score = 4
		case regionConf == language.Exact && explicit && hr.Contains(region):
			score = 3
		case !explicit && !strings.Contains(strings.ToLower(v.Language), "-"):
			score = 2 // the language's own voice: "pt", "de", "ar"
		case explicit && hr == likely:
			score = 1
		}
		// Accents with a private-use subtag ("en-gb-x-rp") and other
		// scripts ("cmn-latn-pinyin") are particular; the plain voice of
		// the same score comes first.
		if strings.Contains(strings.ToLower(v.Language), "-x-") || hasScript(have) {
			score = score*2 - 1
		} else {
			score *= 2
		}
		cands = append(cands, cand{v.ID, score})
	}
	if len(cands) == 0 {
		return "", false
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		if len(cands[i].id) != len(cands[j].id) {
			return len(cands[i].id) < len(cands[j].id)
		}
		return cands[i].id < cands[j].id
	})
	return cands[0].id, true
}

func hasScript(t language.Tag) bool {
	_, conf := t.Script()
	return conf == language.Exact
}
