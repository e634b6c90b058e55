package speech

import "testing"

func TestFrench(t *testing.T) {
	runNormalize(t, Options{Language: "fr-CA"}, []normCase{
		// Titles before a name; alone, "M" is a letter and "Me" a word.
		{"M. Dupont et Mme Bovary", "Monsieur Dupont et Madame Bovary"},
		{"MM. Dupont et Durand", "Messieurs Dupont et Durand"},
		{"Me Girard plaida. Mgr Myriel pria.", "Maître Girard plaida. Monseigneur Myriel pria."},
		{"Mlle Vinteuil et le Dr Cottard", "Mademoiselle Vinteuil et le Docteur Cottard"},
		{"la lettre M et la lettre N", "la lettre M et la lettre N"},
		{"Il me dit", "Il me dit"},
		// Ordinals.
		{"le 1er mai, la 1re fois", "le premier mai, la première fois"},
		{"au 2e étage, le 3ème jour", "au deuxième étage, le troisième jour"},
		{"le 21e siècle, le 5e, le 9e, le 80e, le 100e", "le vingt et unième siècle, le cinquième, le neuvième, le quatre-vingtième, le centième"},
		{"le 2nd et la 2nde", "le second et la seconde"},
		{"au XIXe siècle, la Ve République", "au dix-neuvième siècle, la cinquième République"},
		{"François Ier et la IIIe", "François premier et la troisième"},
		// Not ordinals: words that look like numerals, a bad ending.
		{"Ce soir, Le Monde", "Ce soir, Le Monde"},
		{"le 1e", "le 1e"},
		// Numbers, times, pages.
		{"n° 7 et N° 12", "numéro 7 et numéro 12"},
		{"à 15 h 30, à 8h, à 1 h", "à 15 heures 30, à 8 heures, à 1 heure"},
		{"voir p. 12", "voir page 12"},
		// Left to the engine, which reads them in French.
		{"Il avait 92 ans en 1865 et 40 €.", "Il avait 92 ans en 1865 et 40 €."},
		{"Attends — non… pas ça", "Attends, non... pas ça"},
	})
}

func TestFrenchNumberWords(t *testing.T) {
	for n, want := range map[int]string{
		0: "zéro", 1: "un", 16: "seize", 17: "dix-sept", 21: "vingt et un", 22: "vingt-deux",
		70: "soixante-dix", 71: "soixante et onze", 77: "soixante-dix-sept", 80: "quatre-vingts",
		81: "quatre-vingt-un", 90: "quatre-vingt-dix", 91: "quatre-vingt-onze", 99: "quatre-vingt-dix-neuf",
		100: "cent", 101: "cent un", 200: "deux cents", 201: "deux cent un", 1000: "mille",
		1001: "mille un", 2000: "deux mille", 80000: "quatre-vingt mille", 200000: "deux cent mille",
		1000000: "un million", 2500000: "deux millions cinq cent mille",
	} {
		if got := frenchCardinal(n); got != want {
			t.Errorf("frenchCardinal(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{
		2: "deuxième", 4: "quatrième", 5: "cinquième", 9: "neuvième", 11: "onzième",
		21: "vingt et unième", 80: "quatre-vingtième", 200: "deux centième", 1000: "millième",
	} {
		if got := frenchOrdinal(n, false); got != want {
			t.Errorf("frenchOrdinal(%d) = %q, want %q", n, got, want)
		}
	}
}
