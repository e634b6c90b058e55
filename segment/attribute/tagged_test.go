package attribute

import (
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment"
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
		{"italian: a capitalised word opening the tag's sentence is nobody unless the book names someone so", "it",
			"— Sì.\n\n— No.\n\n— Forse.\n\nGiulia bevve in silenzio. Poi chiese: — Papà torna oggi?\n\nLa madre rise. Marta disse: — Stasera.\n\nEntrò Marta con il pane.",
			[]string{"", "", "", "", "Marta"},
			[]string{"Marta"}},
		{"spanish: someone new is not one of the two talking", "es",
			"—¿Vienes o no? —preguntó Rosa.\n\n—Ya voy —dijo Pablo.\n\n—Silencio —dijo una voz desde la ventana.\n\n—¿Quién anda ahí? —gritó Pablo.",
			[]string{"Rosa", "Pablo", "", "Pablo"},
			[]string{"Pablo", "Rosa"}},
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

// TestTaggedLongParagraphLinear: attribution of one paragraph holding
// thousands of quotations allocates in proportion to it. Reading the
// paragraph's narration afresh for each of its quotations made it
// quadratic: a 2 MB paragraph took over 20 GB.
func TestTaggedLongParagraphLinear(t *testing.T) {
	alloc := func(n int) uint64 {
		text := "—Sí.\n\n—No.\n\n—Quizá.\n\n" + strings.Repeat("—Bueno —dijo ella, y luego— nada ", n) + "\n"
		b, err := reader.Read("t.txt", []byte(text), reader.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b.Language = "es"
		chs, _ := segment.Book(b, segment.Options{})
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		Attribute(b, chs, Options{})
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(1000), alloc(8000)
	// Linear is 8 times as much; quadratic was 64.
	if large > 16*small {
		t.Errorf("8 times the quotations take %.1f times the memory (%d against %d bytes)", float64(large)/float64(small), large, small)
	}
}

// A conversation whose only tags close it: the turns before are named
// back from its end.
func TestTaggedTurnsBackwards(t *testing.T) {
	var b strings.Builder
	b.WriteString("Llovía.\n\n")
	for range 40 {
		b.WriteString("—¿Sí?\n\n—No.\n\n")
	}
	b.WriteString("—¿Seguro? —preguntó Rosa.\n\n—Seguro —respondió Pablo.")
	got, _ := runLang(t, "es", b.String())
	for i, s := range got {
		want := []string{"Rosa", "Pablo"}[i%2]
		if s != want {
			t.Fatalf("turn %d: speaker %q, want %q (all: %q)", i, s, want, got)
		}
	}
}

// FuzzTagged attributes text as a book in a language read from its
// speech tags; it must not panic, and speakers are only set on dialogue.
func FuzzTagged(f *testing.F) {
	f.Add("es", "—Sí.\n\n—No.\n\n—Quizá.\n\n—Hola — . — . — . —Bueno —dijo ella, y luego— nada —Bueno —dijo ella")
	f.Add("fr", "« Tu viens ? demanda-t-il.\n\n— Non, dit Claire, je reste.\n\n— Ah ! Pardon, monsieur. Asseyez-vous, dit M. Martin. »")
	f.Add("ru", "— Да, — сказал он. — Нет.\n\n— Почему? — спросила она.\n\n—\n\n— —")
	f.Add("it", "— Niente, signorina — rispose il signor Bianchi. — Solo bollette.\n\nPoi chiese: — Papà?")
	f.Fuzz(func(t *testing.T, lang, text string) {
		b, err := reader.Read("fuzz.txt", []byte(text), reader.Options{})
		if err != nil {
			return
		}
		b.Language = lang
		chs, _ := segment.Book(b, segment.Options{})
		Attribute(b, chs, Options{})
		for _, c := range chs {
			for _, s := range c.Spans {
				if s.Speaker != "" && s.Kind != segment.Dialogue && s.Kind != segment.Narration {
					t.Fatalf("a %s span has speaker %q", s.Kind, s.Speaker)
				}
			}
		}
	})
}
