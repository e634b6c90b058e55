package speech

import "testing"

// A book in a language without rules keeps its digits, symbols and
// abbreviations for the engine; only the rules of every language apply.
func TestNeutralLanguages(t *testing.T) {
	for _, lang := range []string{"it", "nl", "ar", "pt_BR"} {
		runNormalize(t, Options{Language: lang}, []normCase{
			{"Il avait 42 ans en 1865.", "Il avait 42 ans en 1865."},
			{"Das kostet 12,50 € oder $5.", "Das kostet 12,50 € oder $5."},
			{"M. Dupont et Dr. Weber, 3e étage, n° 7.", "M. Dupont et Dr. Weber, 3e étage, n° 7."},
			{"le 14/07/1789 à 10:30", "le 14/07/1789 à 10:30"},
			{"50 % et 3°C", "50 % et 3°C"},
			{"Henri IV et Louis XIV", "Henri IV et Louis XIV"},
			{"vu en 1914–1918", "vu en 1914-1918"},
			// The rules of every language.
			{"Attends — non… pas ça", "Attends, non... pas ça"},
			{"Il vint -- puis partit", "Il vint, puis partit"},
			{"un *vrai* héros_[12]_ ici", "un vrai héros ici"},
			{"<i>Oui</i> &amp; non", "Oui & non"},
			{"  - Oui, dit-il.", "Oui, dit-il."},
			{"لديه 3 كتب.", "لديه 3 كتب."},
		})
	}
}

// English keeps its rules, with the language set or not.
func TestEnglishRulesOnlyForEnglish(t *testing.T) {
	for _, lang := range []string{"", "en", "en-GB", "EN_us", "eng"} {
		runNormalize(t, Options{Language: lang}, []normCase{
			{"Mr. Smith paid £5 in 1865.", "Mister Smith paid five pounds in eighteen sixty-five."},
		})
	}
	runNormalize(t, Options{Language: "fr"}, []normCase{
		{"Mr. Smith paid £5 in 1865.", "Mr. Smith paid £5 in 1865."},
	})
}

// The user's pronunciations apply in every language.
func TestNeutralLexicon(t *testing.T) {
	runNormalize(t, Options{Language: "nl", Lexicon: []Entry{{Word: "Nr.", Say: "Nummer"}}}, []normCase{
		{"Haus Nr. 5", "Haus Nummer 5"},
	})
}
