package openai

import (
	"strings"
	"unicode"

	"github.com/narrate-audio/narrate/synth"
)

// builtin are the voices of OpenAI's speech API with the character
// OpenAI's documentation and voice gallery give them. They speak every
// language the models support, hence "mul"; alloy is presented as
// neutral, so its gender stays unknown.
var builtin = []struct{ id, gender, accent string }{
	{"alloy", "", "American"},
	{"ash", "male", "American"},
	{"ballad", "male", "British"},
	{"coral", "female", "American"},
	{"echo", "male", "American"},
	{"fable", "male", "British"},
	{"onyx", "male", "American"},
	{"nova", "female", "American"},
	{"sage", "female", "American"},
	{"shimmer", "female", "American"},
	{"verse", "male", "American"},
	{"marin", "female", "American"},
	{"cedar", "male", "American"},
}

// Builtin returns OpenAI's built-in voices.
func Builtin() []synth.Voice {
	out := make([]synth.Voice, len(builtin))
	for i, v := range builtin {
		out[i] = synth.Voice{ID: v.id, Name: title(v.id), Language: "mul", Gender: v.gender, Accent: v.accent, Source: synth.SourceBuiltin}
	}
	return out
}

// kokoroLanguages decode the first letter of a Kokoro voice name.
var kokoroLanguages = map[byte]struct{ tag, accent string }{
	'a': {"en-US", "American"},
	'b': {"en-GB", "British"},
	'e': {"es", ""},
	'f': {"fr-FR", ""},
	'h': {"hi", ""},
	'i': {"it", ""},
	'j': {"ja", ""},
	'p': {"pt-BR", "Brazilian"},
	'z': {"zh", "Mandarin"},
}

// decode describes a voice from its name alone: a built-in OpenAI name
// gets its known character, a Kokoro name ("bf_emma": British English,
// female, Emma) is read, and any other name gets no metadata.
func decode(id, source string) synth.Voice {
	for _, v := range Builtin() {
		if v.ID == id {
			v.Source = source
			return v
		}
	}
	v := synth.Voice{ID: id, Name: id, Source: source}
	lang, gender, name, ok := kokoroName(id)
	if !ok {
		return v
	}
	l := kokoroLanguages[lang]
	v.Language, v.Accent, v.Name = l.tag, l.accent, title(name)
	v.Gender = map[byte]string{'f': "female", 'm': "male"}[gender]
	return v
}

// kokoroName splits "af_bella" into its language letter, gender letter
// and name.
func kokoroName(id string) (lang, gender byte, name string, ok bool) {
	if len(id) < 4 || id[2] != '_' {
		return 0, 0, "", false
	}
	if _, known := kokoroLanguages[id[0]]; !known || (id[1] != 'f' && id[1] != 'm') {
		return 0, 0, "", false
	}
	for _, r := range id[3:] {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return 0, 0, "", false
		}
	}
	return id[0], id[1], id[3:], true
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
