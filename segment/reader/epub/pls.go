package epub

import (
	"encoding/xml"
	"strings"

	"github.com/narrate-audio/narrate/segment/book"
)

// plsLexicon is the part of a W3C Pronunciation Lexicon (PLS 1.0) that
// every TTS engine can use: lexemes with a written alias. Phoneme
// transcriptions (IPA, X-SAMPA) need engine-specific markup that narrate
// does not send, so lexemes with only a <phoneme> are left out.
type plsLexicon struct {
	Lexemes []struct {
		Graphemes []string `xml:"grapheme"`
		Aliases   []string `xml:"alias"`
	} `xml:"lexeme"`
}

// lexicons reads every PLS lexicon in the manifest. A broken lexicon is
// skipped: it only changes how some words sound.
func (rd *reader) lexicons() []book.Pronunciation {
	var out []book.Pronunciation
	for _, m := range rd.pkg.Manifest {
		it, ok := rd.items[m.ID]
		if !ok || it.mediaType != "application/pls+xml" {
			continue
		}
		data, err := rd.a.read(it.name)
		if err != nil {
			continue
		}
		var lex plsLexicon
		if err := xml.Unmarshal(data, &lex); err != nil {
			continue
		}
		for _, l := range lex.Lexemes {
			if len(l.Aliases) == 0 {
				continue
			}
			say := strings.Join(strings.Fields(l.Aliases[0]), " ")
			for _, g := range l.Graphemes {
				if g = strings.Join(strings.Fields(g), " "); g != "" && say != "" {
					out = append(out, book.Pronunciation{Word: g, Say: say})
				}
			}
		}
	}
	return out
}
