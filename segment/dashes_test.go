package segment

import (
	"slices"
	"strings"
	"testing"
)

func TestDashDialogue(t *testing.T) {
	// Books set their speech with dashes throughout; each case is a
	// short book of three such paragraphs around the one under test.
	const filler = "—Sí.\n\n—No.\n\n—Quizá."
	tests := []struct {
		name, para string
		want       []string
	}{
		{"speech only", "—Esta vez es verdad.", []string{"dialogue:Esta vez es verdad."}},
		{"insert to the end", "—No creo que llueva —dijo Juan mirando el cielo.",
			[]string{"dialogue:No creo que llueva", "narration:dijo Juan mirando el cielo."}},
		{"closed insert", "—No creo —dijo Juan, mirando el cielo—. Vamos a casa.",
			[]string{"dialogue:No creo", "narration:dijo Juan, mirando el cielo", "dialogue:Vamos a casa."}},
		{"closed insert mid sentence", "—Yo no —respondió ella—, pero tú sí.",
			[]string{"dialogue:Yo no", "narration:respondió ella", "dialogue:pero tú sí."}},
		{"closing dash ends the paragraph", "—¿Cómo? —preguntó Ana—.",
			[]string{"dialogue:¿Cómo?", "narration:preguntó Ana—."}},
		{"spaced dashes", "— Не думаю, — сказал Иван. — Пойдём домой.",
			[]string{"dialogue:Не думаю,", "narration:сказал Иван.", "dialogue:Пойдём домой."}},
		{"a dash inside a word is no insert", "—Yo—yo no lo sé.", []string{"dialogue:Yo—yo no lo sé."}},
		{"speech after a colon", "Entonces Juan dijo: —Vamos ya.",
			[]string{"narration:Entonces Juan dijo:", "dialogue:Vamos ya."}},
		{"dashes in narration stay narration", "Llegó tarde —como siempre— y se sentó.",
			[]string{"narration:Llegó tarde —como siempre— y se sentó."}},
		{"speech after a colon and a spaced dash", "Poi chiese: — Papà torna oggi?",
			[]string{"narration:Poi chiese:", "dialogue:Papà torna oggi?"}},
		{"a spaced closing dash before a comma", "— Está bem — disse ela —, mas só um bocadinho.",
			[]string{"dialogue:Está bem", "narration:disse ela", "dialogue:mas só um bocadinho."}},
		{"guillemets in a dash book", "«Ho portato i biscotti», disse la zia. «Quelli alle mandorle.»",
			[]string{"dialogue:Ho portato i biscotti", "narration:, disse la zia.", "dialogue:Quelli alle mandorle."}},
		{"guillemets inside dash speech", "—Me dijo «ven mañana» y se fue.",
			[]string{"dialogue:Me dijo «ven mañana» y se fue."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := spansOf(t, filler+"\n\n"+tc.para)
			got = got[3:]
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestDashDialogueByLanguage: French sets the narrator's words inside
// dash speech between commas, so a dash there is the speaker's own
// unless a speech tag follows it; Spanish sets them between dashes.
func TestDashDialogueByLanguage(t *testing.T) {
	tests := []struct {
		name, lang, para string
		want             []string
	}{
		{"french aside", "fr", "— Non, il n'a pas dormi, à cause du voisin — celui du cinquième, tu sais. On viendra dimanche.",
			[]string{"dialogue:Non, il n'a pas dormi, à cause du voisin — celui du cinquième, tu sais. On viendra dimanche."}},
		{"french tag between dashes", "fr", "— Oui — dit-elle — je viens.",
			[]string{"dialogue:Oui", "narration:dit-elle", "dialogue:je viens."}},
		{"french incise", "fr", "— Pas du tout, répondit Antoine en se frottant les yeux. Le voisin joue.",
			[]string{"dialogue:Pas du tout,", "narration:répondit Antoine en se frottant les yeux.", "dialogue:Le voisin joue."}},
		{"spanish action insert", "es", "—No sé —Juan se encogió de hombros—. Quizá mañana.",
			[]string{"dialogue:No sé", "narration:Juan se encogió de hombros", "dialogue:Quizá mañana."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bookOf(t, "— Oui.\n\n— Non.\n\n— Peut-être.\n\n"+tc.para)
			b.Language = tc.lang
			chs, _ := Book(b, Options{})
			var got []string
			for _, s := range chs[0].Spans[3:] {
				got = append(got, string(s.Kind)+":"+s.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestDashBookQuotes: a book whose paragraphs open with dashes far more
// often than with quotation marks still reads its quoted speech, be it
// an English story with a list set with dashes or a French one whose
// conversations open with « and go on with dashes.
func TestDashBookQuotes(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"english list", "The rules were posted.\n\n— Nobody leaves camp.\n\n— Water is rationed.\n\n— Fires out by ten.\n\n— Maps stay here.\n\n\"Ten o'clock,\" said Moss. \"He means it.\"",
			[]string{"narration:The rules were posted.", "dialogue:Nobody leaves camp.", "dialogue:Water is rationed.", "dialogue:Fires out by ten.", "dialogue:Maps stay here.",
				"dialogue:Ten o'clock,", "narration:said Moss.", "dialogue:He means it."}},
		{"an epigraph's source", "«El tiempo es la sustancia de que estoy hecho».\n\n—Jorge Luis Borges\n\n—¿Hay alguien?\n\n—Aquí.\n\n—¿Lucía?",
			[]string{"narration:El tiempo es la sustancia de que estoy hecho", "narration:—Jorge Luis Borges", "dialogue:¿Hay alguien?", "dialogue:Aquí.", "dialogue:¿Lucía?"}},
		{"a name answering a question is speech", "—¿Hay alguien?\n\n—Aquí.\n\n«¿Quién eres?», preguntó.\n\n—Lucía Fernández\n\n—Pasa.",
			[]string{"dialogue:¿Hay alguien?", "dialogue:Aquí.", "dialogue:¿Quién eres?", "narration:, preguntó.", "dialogue:Lucía Fernández", "dialogue:Pasa."}},
		{"french conversation opened by a guillemet", "« Tu viens ? demanda Paul.\n\n— Non.\n\n— Pourquoi ?\n\n— Je suis fatiguée.\n\n— Dommage. »\n\nIl partit.",
			[]string{"dialogue:Tu viens ? demanda Paul.", "dialogue:Non.", "dialogue:Pourquoi ?", "dialogue:Je suis fatiguée.", "dialogue:Dommage. »", "narration:Il partit."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := spansOf(t, tc.text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestQuoteStyleDetection: in a book known to be English, paragraphs led
// by dashes are speech only when enough of them sound spoken; a list is
// read as narration.
func TestQuoteStyleDetection(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             quoteStyle
	}{
		{"dashes", "", "—Hola —dijo.\n\n—Adiós.\n\n—Bien.\n\nSe fue.", dashes},
		{"quotes with a few dash paragraphs", "", "\"Hi,\" he said.\n\n\"Yes.\"\n\n\"No.\"\n\n\"Well.\"\n\n\"Fine.\"\n\n\"Go.\"\n\n\"Now.\"\n\n—First.\n\n—Second.\n\n—Third.", doubleQuotes},
		{"a dash paragraph or two", "", "—a list item\n\n—another\n\nProse follows here.", doubleQuotes},
		{"british speech quoting american", "", "'I think,' said Harry, 'it will rain.'\n\nMary laughed. 'You said \"it won't\" and \"never\" last week.'\n\n'That was different,' he said.", singleQuotes},
		{"american speech quoting british", "", "\"I think,\" said Harry, \"it will rain.\"\n\n\"You said 'it won't' last week.\"\n\n\"Different,\" he said.", doubleQuotes},
		{"an english list", "en", "The rules were posted.\n\n— Nobody leaves camp.\n\n— Water is rationed.\n\n— Fires out by ten.\n\n— Maps stay here.\n\n\"Ten o'clock,\" said Moss.", doubleQuotes},
		{"english dash dialogue", "en", "—Will you come? —he asked.\n\n—I might, said Stephen.\n\n—When?\n\n—Tonight —he said— or never.", dashes},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bookOf(t, tc.text)
			b.Language = tc.lang
			if got := detectQuoteStyle(b); got != tc.want {
				t.Errorf("style %d, want %d", got, tc.want)
			}
		})
	}
}
