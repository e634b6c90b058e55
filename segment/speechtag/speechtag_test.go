package speechtag

import "testing"

func TestAfter(t *testing.T) {
	tests := []struct {
		lang, text   string
		name, gender string
		ok           bool
	}{
		{"de", "sagte Maria und lachte.", "Maria", "", true},
		{"de", "fragte er leise.", "", "male", true},
		{"de", "sagte die Großmutter.", "die Großmutter", "female", true},
		{"de", "Hans sagte es noch einmal.", "Hans", "", true},
		{"de", "Der Regen hörte auf.", "", "", false},
		{"fr", "répondit-il.", "", "male", true},
		{"fr", "s'écria-t-elle en riant.", "", "female", true},
		{"fr", "dit Claire.", "Claire", "", true},
		{"fr", "dit la mère.", "la mère", "female", true},
		{"fr", "Il pleuvait.", "", "", false},
		{"es", "dijo Juan mirando el cielo.", "Juan", "", true},
		{"es", "respondió ella.", "", "female", true},
		{"es", "dijo.", "", "", true},
		{"it", "disse lui.", "", "male", true},
		{"pt", "perguntou Ana.", "Ana", "", true},
		{"nl", "zei hij.", "", "male", true},
		{"ru", "сказала Маша.", "Маша", "female", true},
		{"ru", "ответил он.", "", "male", true},
		{"pl", "powiedziała cicho.", "", "female", true},
		{"pt-BR", "disse ela.", "", "female", true},
		{"fr", "dis-je.", "", Narrator, true},
		{"de", "sagte Frau Müller leise.", "Frau Müller", "female", true},
		{"es", "dijo Juan Pablo.", "Juan Pablo", "", true},
		{"es", "respondió Don Pedro.", "Don Pedro", "male", true},
		{"fr", "répondit M. Dupont.", "M. Dupont", "male", true},
		{"fr", "dit Madame.", "", "", true},
		{"de", "Frau Müller sagte es.", "Frau Müller", "female", true},
		{"pl", "odpowiedział pan Kowalski.", "pan Kowalski", "male", true},
		{"es", "dije yo.", "", Narrator, true},
		{"es", "pregunté.", "", Narrator, true},
		{"pt", "perguntei a Ana.", "", Narrator, true},
		{"de", "sagte ich.", "", Narrator, true},
		// A full stop joins an abbreviated title to its name, not a
		// title in full ending a sentence; and the subject ends at the
		// verb.
		{"es", "Sr. Gómez dijo algo.", "Sr. Gómez", "male", true},
		{"fr", "monsieur. Asseyez-vous là, dit M. Martin.", "", "", false},
		// Object pronouns before the verb or between it and its
		// subject; an article before a title and name.
		{"es", "la interrumpió Tomás.", "Tomás", "", true},
		{"fr", "me demanda-t-il.", "", "male", true},
		{"it", "gli chiese Marco.", "Marco", "", true},
		{"ru", "ответил ему Иван.", "Иван", "male", true},
		{"pt", "perguntou-lhe o pai.", "o pai", "male", true},
		{"it", "rispose il signor Bianchi.", "signor Bianchi", "male", true},
		{"es", "dijo la señora Pérez.", "señora Pérez", "female", true},
		{"fr", "dit le docteur.", "le docteur", "male", true},
		{"es", "contestó el Sargento García.", "Sargento García", "male", true},
		{"de", "sagte der Vater.", "der Vater", "male", true},
		{"de", "Herr. Dann sagte er", "", "", false},
	}
	for _, tc := range tests {
		l := For(tc.lang)
		if l == nil {
			t.Fatalf("no lexicon for %s", tc.lang)
		}
		got, ok := l.After(tc.text)
		if ok != tc.ok || got.Name != tc.name || got.Gender != tc.gender {
			t.Errorf("%s After(%q) = %+v, %v; want name %q gender %q, %v", tc.lang, tc.text, got, ok, tc.name, tc.gender, tc.ok)
		}
		if ok && (got.Start < 0 || got.End > len(tc.text) || got.Start >= got.End) {
			t.Errorf("%s After(%q): offsets %d-%d", tc.lang, tc.text, got.Start, got.End)
		}
	}
}

func TestBefore(t *testing.T) {
	tests := []struct {
		lang, text, name, gender string
		ok                       bool
	}{
		{"de", "Dann sah er auf. Maria sagte:", "Maria", "", true},
		{"es", "Entonces Juan dijo:", "Juan", "", true},
		{"fr", "Puis Pierre demanda :", "Pierre", "", true},
		{"ru", "Она сказала:", "", "female", true},
		{"de", "Maria sagte nichts.", "", "", false},
		{"de", "Dann sagte Frau Müller:", "Frau Müller", "female", true},
		{"es", "Entonces Juan Pablo dijo:", "Juan Pablo", "", true},
		{"de", "Er ging hinaus.", "", "", false},
		{"es", "Juan le dijo:", "Juan", "", true},
	}
	for _, tc := range tests {
		got, ok := For(tc.lang).Before(tc.text)
		if ok != tc.ok || got.Name != tc.name || got.Gender != tc.gender {
			t.Errorf("%s Before(%q) = %+v, %v; want name %q gender %q, %v", tc.lang, tc.text, got, ok, tc.name, tc.gender, tc.ok)
		}
	}
}

func TestIncise(t *testing.T) {
	tests := []struct {
		lang, quoted, incise string
	}{
		{"fr", "Tu vois, dit Claire, il pleut.", " dit Claire,"},
		{"fr", "Non, maman, dit Claire. Le facteur est passé.", " dit Claire."},
		{"fr", "Oui, répondit-il en souriant, demain.", " répondit-il en souriant,"},
		{"fr", "Je le dis, et je le répète.", ""},
		{"fr", "Non, dit-il", " dit-il"},
		{"de", "Ich weiß, sagte er, dass du recht hast.", " sagte er,"},
		{"fr", "Il faut partir, dit le vieux marchand de vin de la rue, qui riait.", ""},
		{"fr", "Ah ! Pardon, monsieur. Asseyez-vous là, dit M. Martin.", " dit M. Martin."},
		{"fr", "Tu as mangé ? demanda-t-il.", " demanda-t-il."},
		{"fr", "Tu es en avance, dit une voix derrière elle.", " dit une voix derrière elle."},
		{"ru", "Нет, — сказал Иван, — я не пойду", " — сказал Иван, —"},
		{"pl", "Nie — powiedział Jan — pójdę jutro", " powiedział Jan —"},
		{"ru", "Ты всегда устал, — повторила она. — Всегда", " — повторила она. —"},
		{"fr", "Hors de question ! s'écria Julien.", " s'écria Julien."},
		{"fr", "Je ne sais pas… murmura-t-elle, peut-être.", " murmura-t-elle,"},
		{"fr", "Tu viens ? Il pleut, dit-il.", " dit-il."},
		{"fr", "Pas du tout, répondit Antoine en se frottant les yeux. Le voisin joue.", " répondit Antoine en se frottant les yeux."},
	}
	for _, tc := range tests {
		from, to, ok := For(tc.lang).Incise(tc.quoted)
		got := ""
		if ok {
			got = tc.quoted[from:to]
		}
		if got != tc.incise {
			t.Errorf("%s Incise(%q) = %q, want %q", tc.lang, tc.quoted, got, tc.incise)
		}
	}
}

// TestSomeone: an indefinite subject is someone the tag does not name.
func TestSomeone(t *testing.T) {
	tests := []struct {
		lang, text string
		someone    bool
	}{
		{"es", "dijo una voz desde la ventana.", true},
		{"de", "sagte eine Frau.", true},
		{"pt", "perguntou uma voz.", true},
		{"es", "dijo la voz.", false},
		{"pt", "disse a mãe.", false},
	}
	for _, tc := range tests {
		got, ok := For(tc.lang).After(tc.text)
		if !ok || got.Someone != tc.someone || got.Someone && got.Name != "" {
			t.Errorf("%s After(%q) = %+v, %v; want someone %v", tc.lang, tc.text, got, ok, tc.someone)
		}
	}
}

func TestEnglishHasNoLexicon(t *testing.T) {
	for _, tag := range []string{"en", "en-GB", "", "xx-nonsense"} {
		if For(tag) != nil {
			t.Errorf("For(%q) is not nil: English tags are the sieve's", tag)
		}
	}
}

func FuzzTags(f *testing.F) {
	f.Add("fr", "Tu vois, dit Claire, il pleut.")
	f.Add("ru", "— сказала она, — и ушла.")
	f.Add("de", "Maria sagte:")
	f.Add("fr", ", s'écria-t-")
	f.Fuzz(func(t *testing.T, lang, text string) {
		l := For(lang)
		if l == nil {
			l = For("fr")
		}
		if tag, ok := l.After(text); ok && (tag.Start < 0 || tag.End > len(text) || tag.Start > tag.End) {
			t.Fatalf("After offsets %d-%d of %d", tag.Start, tag.End, len(text))
		}
		if tag, ok := l.Before(text); ok && (tag.Start < 0 || tag.Start > tag.End) {
			t.Fatalf("Before offsets %d-%d", tag.Start, tag.End)
		}
		if from, to, ok := l.Incise(text); ok && (from < 0 || to > len(text) || from >= to) {
			t.Fatalf("Incise offsets %d-%d of %d", from, to, len(text))
		}
	})
}
