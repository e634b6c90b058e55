package lang

import (
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/segment/book"
)

// Short passages written for these tests, two or three sentences each, as
// a book's first paragraph might read.
// whatlanggo's Swedish profile is weak: on short text it either finds
// Swedish or gives no guess, which the test accepts, but never a wrong
// language.
var passages = []struct{ want, text string }{
	{"en", "The rain had not stopped for three days, and the river was already over the lower road. Nobody in the village remembered a spring like it."},
	{"fr", "La pluie n'avait pas cessé depuis trois jours, et la rivière couvrait déjà la route du bas. Personne au village ne se souvenait d'un printemps pareil."},
	{"de", "Der Regen hatte seit drei Tagen nicht aufgehört, und der Fluss stand schon über der unteren Straße. Niemand im Dorf erinnerte sich an einen solchen Frühling."},
	{"es", "La lluvia no había parado en tres días y el río ya cubría el camino de abajo. Nadie en el pueblo recordaba una primavera así."},
	{"it", "La pioggia non era cessata da tre giorni e il fiume aveva già coperto la strada più bassa. Nessuno in paese ricordava una primavera simile."},
	{"pt", "A chuva não parava havia três dias, e o rio já tinha coberto a estrada de baixo. Ninguém na aldeia se lembrava de uma primavera assim."},
	{"nl", "Het had al drie dagen zonder ophouden geregend en de rivier stond al over de lage weg. Niemand in het dorp kon zich zo'n voorjaar herinneren."},
	{"ru", "Дождь не прекращался уже три дня, и река давно залила нижнюю дорогу. Никто в деревне не помнил такой весны."},
	{"ar", "لم يتوقف المطر منذ ثلاثة أيام، وكان النهر قد غمر الطريق السفلي. لم يتذكر أحد في القرية ربيعا مثل هذا."},
	{"ja", "雨は三日間やまず、川はもう下の道まであふれていた。村のだれも、こんな春を覚えていなかった。"},
	{"pl", "Deszcz nie przestawał padać od trzech dni, a rzeka zalała już dolną drogę. Nikt we wsi nie pamiętał takiej wiosny."},
	{"sv", "Han sade att han inte visste något om det, men hon trodde honom inte. Det var för sent att gå tillbaka nu."},
	{"sv", "Regnet hade inte upphört på tre dagar, och älven hade redan svämmat över den nedre vägen. Ingen i byn mindes en sådan vår."},
}

func TestDetectPassages(t *testing.T) {
	right := 0
	for _, p := range passages {
		g, ok := Detect(p.text)
		if ok && g.Tag == p.want {
			right++
			continue
		}
		if !ok && p.want == "sv" {
			continue
		}
		t.Errorf("Detect(%.30q...) = %q, %v; want %q", p.text, g.Tag, ok, p.want)
	}
	t.Logf("detected %d of %d passages", right, len(passages))
}

// A story of a few thousand words, an AO3 one-shot, is guessed in
// windows as a book is: whatlanggo's guess on 5 to 18 KB at once goes
// astray (negative confidence, or Yoruba for Emma).
func TestDetectMidLengthText(t *testing.T) {
	for _, f := range []string{"../../../shared/samples/schism.txt", "../../../shared/eval/quotes/dev/Emma.txt"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{3000, 5000, 8000, 12000, 16000, 18000} {
			text := strings.ToValidUTF8(string(b[2000:2000+n]), "")
			if g, ok := Detect(text); !ok || g.Tag != "en" {
				t.Errorf("Detect(%s, %d bytes) = %q, %v; want en", f, n, g.Tag, ok)
			}
		}
	}
}

// Too little text, or text with no letters, is no evidence of a language.
func TestDetectNothingToGo(t *testing.T) {
	for _, s := range []string{"", "   \n\n ", "12345 678 9.10", "1865", "Chapter 1", "* * *", "\x00\xff\xfe", "Ok."} {
		if g, ok := Detect(s); ok {
			t.Errorf("Detect(%q) = %q; want no guess", s, g.Tag)
		}
	}
}

// A long book is sampled in windows spread over it, so an English
// licence at the top does not outvote the French prose.
func TestDetectBookSamplesTheWholeBook(t *testing.T) {
	var text strings.Builder
	var paras []book.Paragraph
	add := func(s string) {
		start := text.Len()
		text.WriteString(s)
		paras = append(paras, book.Paragraph{Kind: book.Prose, Start: start, End: text.Len()})
		text.WriteString("\n\n")
	}
	for range 40 {
		add(passages[0].text) // English front matter
	}
	for range 400 {
		add(passages[1].text)
	}
	b := &book.Book{Chapters: []book.Chapter{{Text: text.String(), Paragraphs: paras}}}
	g, ok := DetectBook(b)
	if !ok || g.Tag != "fr" {
		t.Fatalf("DetectBook = %+v, %v; want fr", g, ok)
	}
	if g.Share >= 1 {
		t.Errorf("share %v: the English front matter should have been sampled too", g.Share)
	}
}

func TestSampleIsBoundedAndValid(t *testing.T) {
	long := strings.Repeat("é"+passages[7].text, 5000) // about 600 KB
	ws := sample([]string{long})
	if len(ws) != windows {
		t.Fatalf("%d windows, want %d", len(ws), windows)
	}
	total := 0
	for _, w := range ws {
		total += len(w)
		if !utf8.ValidString(w) {
			t.Errorf("window is not valid UTF-8: %.40q", w)
		}
	}
	if total > windows*(windowSize+1) {
		t.Errorf("sampled %d bytes, want at most %d", total, windows*(windowSize+1))
	}
}

func TestCanonical(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"en", "en"}, {"EN-us", "en-US"}, {"pt_BR", "pt-BR"}, {"fre", "fr"}, {"deu", "de"},
		{"iw", "he"}, {"zh-Hant-TW", "zh-Hant-TW"}, {" ar", ""}, {"English", ""}, {"und", ""},
		{"mul", ""}, {"zxx", ""}, {"qaa", ""}, {"x-klingon", ""}, {"", ""},
	} {
		got, err := Canonical(c.in)
		if got != c.want || (err == nil) != (c.want != "") {
			t.Errorf("Canonical(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if err != nil && !errors.Is(err, ErrTag) {
			t.Errorf("Canonical(%q): error %v does not wrap ErrTag", c.in, err)
		}
	}
}

func TestChoosePriority(t *testing.T) {
	french := book.Chapter{Text: passages[1].text, Paragraphs: []book.Paragraph{{Start: 0, End: len(passages[1].text)}}}
	for _, c := range []struct {
		name, setting, declared string
		chapters                []book.Chapter
		want                    string
		from                    Source
		note                    bool
	}{
		{"detected", "", "", []book.Chapter{french}, "fr", FromText, false},
		{"declared wins over text", "", "de-AT", []book.Chapter{french}, "de-AT", FromBook, false},
		{"setting wins over all", "it", "de", []book.Chapter{french}, "it", FromSetting, false},
		{"bad declaration is noted", "", "French", []book.Chapter{french}, "fr", FromText, true},
		{"nothing to go on", "", "", nil, "en", FromFallback, true},
		{"und declared, nothing to go on", "", "und", nil, "en", FromFallback, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := &book.Book{Language: c.declared, Chapters: c.chapters}
			got, err := Choose(c.setting, b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Tag != c.want || got.Source != c.from || (got.Note != "") != c.note {
				t.Errorf("Choose = %+v; want %s from %s, note %v", got, c.want, c.from, c.note)
			}
			if b.Language != got.Tag {
				t.Errorf("book.Language = %q, want %q", b.Language, got.Tag)
			}
		})
	}
	if _, err := Choose("Klingon", &book.Book{}); !errors.Is(err, ErrTag) || !strings.Contains(err.Error(), "Klingon") {
		t.Errorf("Choose with a bad setting: %v; want an error naming it", err)
	}
}

func FuzzDetect(f *testing.F) {
	for _, p := range passages {
		f.Add(p.text)
	}
	f.Add("")
	f.Add("0123456789")
	f.Add("Москва Paris 東京 القاهرة Αθήνα")
	f.Add("\xff\xfe\x00abc")
	f.Fuzz(func(t *testing.T, s string) {
		g, ok := Detect(s)
		if !ok {
			return
		}
		if c, err := Canonical(g.Tag); err != nil || c != g.Tag {
			t.Fatalf("Detect gave %q, not a canonical tag (%v)", g.Tag, err)
		}
		if g.Share <= 0.5 || g.Share > 1 {
			t.Fatalf("share %v out of (0.5, 1]", g.Share)
		}
	})
}

func TestTitleChapters(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"fr-CA", "Chapitre 2"}, {"de", "Kapitel 2"}, {"hu", "2. fejezet"}, {"ja", "第2章"},
		{"en", "Chapter 2"}, {"yo", "Chapter 2"}, // no title for Yoruba here: the reader's stays
	} {
		b := &book.Book{Language: c.lang, Chapters: []book.Chapter{
			{Title: "Le départ"}, {Title: "Chapter 2", Untitled: true},
		}}
		TitleChapters(b)
		if b.Chapters[0].Title != "Le départ" || b.Chapters[1].Title != c.want {
			t.Errorf("%s: titles %q, %q; want the first kept and %q", c.lang, b.Chapters[0].Title, b.Chapters[1].Title, c.want)
		}
	}
}
