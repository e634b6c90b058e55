package attribute

import (
	"slices"
	"testing"

	"github.com/narrate-audio/narrate/segment/reader"
)

// runLang attributes text as a plain-text book in the language tag.
func runLang(t *testing.T, tag, text string) ([]string, Cast) {
	t.Helper()
	b, err := reader.Read("t.txt", []byte(text), reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.Language = tag
	return runBook(b, Options{})
}

func names(c Cast) []string {
	var out []string
	for _, ch := range c.Characters {
		out = append(out, ch.Name)
	}
	slices.Sort(out)
	return out
}

func TestTaggedLanguages(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
		cast             []string
	}{
		{"german: tags, beats, turns, a role, and capitalised nouns that are nobody", "de",
			"Der Morgen war kalt. Paul stand am Fenster.\n\n" +
				"„Es regnet nicht“, sagte Paul, „ganz sicher.“\n\n" +
				"Lena lachte. „Das sagst du jeden Tag, Paul.“\n\n" +
				"„Heute stimmt es“, antwortete er.\n\n" +
				"„Und morgen?“ fragte Lena.\n\n" +
				"Die Tante kam mit der Zeitung herein. „Guten Morgen, Kinder!“\n\n" +
				"„Guten Morgen“, sagte die Tante noch einmal.",
			[]string{"Paul", "Paul", "Lena", "Paul", "Lena", "", "die Tante"},
			[]string{"Lena", "Paul", "die Tante"}},
		{"french: incises inside the guillemets", "fr",
			"« Tu viens ? » demanda Luc.\n\n« Oui, répondit Anne, j'arrive. »\n\n« Vite, dit-il. »",
			[]string{"Luc", "Anne", "Anne", "Luc"},
			[]string{"Anne", "Luc"}},
		{"spanish: dashes, a first-person narrator", "es",
			"—¿Vienes? —preguntó Rosa.\n\n—Ahora no —dije—. Más tarde.\n\n—Como quieras —respondió ella.",
			[]string{"Rosa", "Narrator", "Narrator", "Rosa"},
			[]string{"Narrator", "Rosa"}},
		{"russian: the verb tells the gender", "ru",
			"— Ты идёшь? — спросила Вера.\n\n— Нет, — ответил Пётр.\n\n— Почему? — спросила она.",
			[]string{"Вера", "Пётр", "Вера"},
			[]string{"Вера", "Пётр"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, cast := runLang(t, tc.lang, tc.text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("speakers %q, want %q", got, tc.want)
			}
			if n := names(cast); !slices.Equal(n, tc.cast) {
				t.Errorf("cast %q, want %q", n, tc.cast)
			}
		})
	}
}

func TestTaggedGenderAndNarrator(t *testing.T) {
	_, cast := runLang(t, "ru", "— Ты идёшь? — спросила Вера.\n\n— Нет, — ответил Пётр.\n\n— Почему? — сказала Вера.\n\n— Устал, — сказал я.")
	want := map[string]string{"Вера": "female", "Пётр": "male"}
	for _, ch := range cast.Characters {
		if ch.Narrator {
			if ch.Name != "Narrator" || ch.Gender != "" {
				t.Errorf("narrator %+v", ch)
			}
			continue
		}
		if ch.Gender != want[ch.Name] {
			t.Errorf("%s: gender %q, want %q", ch.Name, ch.Gender, want[ch.Name])
		}
	}
	if _, ok := cast.Find("Narrator"); !ok {
		t.Errorf("no narrator in %+v", cast)
	}
}

// A language without a lexicon gets no speakers from English rules,
// which would take its capitalised words for people; a play's markup
// still names its speakers.
func TestUnknownLanguageNoGuesses(t *testing.T) {
	got, cast := runLang(t, "sv", "\"Kom hit, Anna\", sa Erik.\n\n\"Nej\", svarade Anna.\n\n\"Varför inte, Anna?\"")
	for _, s := range got {
		if s != "" {
			t.Errorf("speakers %q: want none", got)
			break
		}
	}
	if len(cast.Characters) != 0 {
		t.Errorf("cast %+v: want none", cast.Characters)
	}
}

// The narration's pronouns after a speaker's name tell their gender
// when no tag does.
func TestTaggedGenderFromNarration(t *testing.T) {
	_, cast := runLang(t, "es", "Rosa dejó el café en la mesa. Ella sonrió.\n\n—Buenos días —dijo Rosa.\n\n"+
		"Tomás no contestó. Él miraba la calle.\n\n—Hola —dijo Tomás.\n\n—¿Qué tal? —preguntó Rosa.\n\nRosa se sentó. Ella esperaba.")
	want := map[string]string{"Rosa": "female", "Tomás": "male"}
	for _, ch := range cast.Characters {
		if ch.Gender != want[ch.Name] || ch.GenderEvidence < 1 {
			t.Errorf("%s: gender %q (%d clues), want %q", ch.Name, ch.Gender, ch.GenderEvidence, want[ch.Name])
		}
	}
	if len(cast.Characters) != 2 {
		t.Errorf("cast %+v", cast.Characters)
	}
}
