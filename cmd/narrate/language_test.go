package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/audio/id3"
)

// A French book written for this test: digits, a title and money that
// the English rules would turn into English words.
const frenchBook = `Chapitre 1

La pluie n'avait pas cessé depuis 3 jours, et la rivière couvrait déjà la route du bas. Personne au village ne se souvenait d'un printemps pareil, pas même le vieux M. Dupont, qui avait 92 ans.

Il dit à sa fille qu'il faudrait partir avant le 12 mai. Elle lui répondit qu'ils n'avaient que 40 € pour le voyage, et que la charrette avait perdu une roue.

Chapitre 2

Le lendemain, ils comptèrent les sacs de grain : il y en avait 7, et chacun pesait 25 kg. Le vieil homme soupira, puis il alla chercher son manteau dans la grange.
`

// dryRunVoices returns the voices listed by render --dry-run, by role.
func dryRunVoices(t *testing.T, out string) map[string]string {
	t.Helper()
	voices := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	listing := false
	for sc.Scan() {
		line := sc.Text()
		if line == "voices:" {
			listing = true
			continue
		}
		if listing {
			f := strings.Fields(line)
			if len(f) > 0 {
				voices[f[len(f)-1]] = f[0]
			}
		}
	}
	return voices
}

// TestFrenchBookEndToEnd: a French plain-text book with no declared
// language is detected as French, read by espeak-ng's French voice with
// its digits left for that voice (not expanded in English), tagged fra,
// and its chapters titled in French.
func TestFrenchBookEndToEnd(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	in := writeInput(t, dir, "pluie.txt", []byte(frenchBook))

	out, _, err := run(t, "segment", in, "--format", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var speech strings.Builder
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var s struct{ Speech string }
		if err := dec.Decode(&s); err != nil {
			t.Fatal(err)
		}
		speech.WriteString(s.Speech + "\n")
	}
	// French rules expand the title; digits, money and units are left
	// to the French voice.
	for _, want := range []string{"92 ans", "le 12 mai", "40 €", "Monsieur Dupont", "25 kg"} {
		if !strings.Contains(speech.String(), want) {
			t.Errorf("spoken text lacks %q as written:\n%s", want, speech.String())
		}
	}
	if english := regexp.MustCompile(`(?i)\b(ninety|twelve|forty|euros?|mister|kilograms?|seven)\b`).FindString(speech.String()); english != "" {
		t.Errorf("spoken text has the English %q:\n%s", english, speech.String())
	}

	out, _, err = run(t, "render", in, "--dry-run", "--no-cache")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "language: fr (detected from the text)") {
		t.Errorf("dry run does not say the language was detected:\n%s", out)
	}
	if v := dryRunVoices(t, out); v["narrator"] != "fr-fr" {
		t.Errorf("narrator voice %q, want fr-fr:\n%s", v["narrator"], out)
	}

	outDir := filepath.Join(dir, "out")
	if _, _, err := run(t, "render", in, "-o", outDir, "--no-cache", "-q"); err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"Chapitre 1", "Chapitre 2"} {
		path := filepath.Join(outDir, fmt.Sprintf("%02d - %s.mp3", i+1, title))
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		tag, err := id3.Read(fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		if tag.Language != "fra" || tag.Narrator != "espeak-ng fr-fr" || tag.Title != title {
			t.Errorf("%s: language %q, narrator %q, title %q; want fra, espeak-ng fr-fr, %s", path, tag.Language, tag.Narrator, tag.Title, title)
		}
	}
}

// A language the user sets wins over detection, and a voice the user
// sets wins over the language's.
func TestLanguageSettings(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	in := writeInput(t, dir, "pluie.txt", []byte(frenchBook))
	cfg := writeInput(t, dir, "narrate.yaml", []byte("language: de\n"))

	for _, c := range []struct {
		name     string
		env      string
		args     []string
		language string
		narrator string
		dialogue string
	}{
		{"flag", "", []string{"--language", "pt-BR"}, "pt-BR (from the settings)", "pt-br", "pt-br+f1"},
		{"file", "", []string{"--config", cfg}, "de (from the settings)", "de", "de+f1"},
		{"environment over file", "es-MX", []string{"--config", cfg}, "es-MX (from the settings)", "es-419", "es-419+f1"},
		{"flag over environment", "es", []string{"--language", "it"}, "it (from the settings)", "it", "it+f1"},
		{"user's voice", "", []string{"--voice", "en-gb"}, "fr (detected from the text)", "en-gb", "en-gb+f1"},
		{"user's voices", "", []string{"--voice", "fr-be", "--dialogue-voice", "fr-fr+m3"}, "fr (detected from the text)", "fr-be", "fr-fr+m3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("NARRATE_LANGUAGE", c.env)
			}
			// Characters get voices of their own; narration and unnamed
			// dialogue are what the language decides.
			args := append([]string{"render", in, "--dry-run", "--no-cache"}, c.args...)
			out, _, err := run(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "language: "+c.language+"\n") {
				t.Errorf("want language: %s in\n%s", c.language, out)
			}
			if v := dryRunVoices(t, out); v["narrator"] != c.narrator {
				t.Errorf("narrator %q, want %q:\n%s", v["narrator"], c.narrator, out)
			}
			cast, _, err := run(t, append([]string{"cast", in}, c.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(cast, "narrator: "+c.narrator+"\n") || !strings.Contains(cast, "dialogue: "+c.dialogue+"\n") {
				t.Errorf("cast file does not have narrator %s and dialogue %s:\n%s", c.narrator, c.dialogue, cast)
			}
		})
	}
}

// Bad language settings are errors that name the setting; a language
// espeak-ng has no voice for names the language, the backend and the
// way out.
func TestLanguageErrors(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	in := writeInput(t, dir, "pluie.txt", []byte(frenchBook))
	cfg := writeInput(t, dir, "narrate.yaml", []byte("backend: espeak-ng\nlanguage: Français\n"))
	if _, _, err := run(t, "segment", in, "--config", cfg); err == nil || !strings.Contains(err.Error(), "narrate.yaml:2") || !strings.Contains(err.Error(), `"Français"`) {
		t.Errorf("bad language in the file: %v; want an error naming narrate.yaml:2 and the value", err)
	}
	if _, _, err := run(t, "segment", in, "--language", "x-elvish"); err == nil || !strings.Contains(err.Error(), "x-elvish") {
		t.Errorf("bad --language: %v", err)
	}
	_, _, err := run(t, "render", in, "--dry-run", "--language", "yo")
	if err == nil || !strings.Contains(err.Error(), "yo") || !strings.Contains(err.Error(), "espeak-ng") || !strings.Contains(err.Error(), "--voice") {
		t.Errorf("language without an espeak-ng voice: %v; want an error naming it, the backend and --voice", err)
	}
	if _, _, err := run(t, "render", in, "--dry-run", "--language", "yo", "--voice", "en-us"); err != nil {
		t.Errorf("with --voice the language needs no voice of its own: %v", err)
	}
}

// languageEPUB writes a one-chapter EPUB whose package declares lang.
func languageEPUB(t *testing.T, path, lang, paragraph string) {
	t.Helper()
	epubIn(t, path, lang, []string{"c1.xhtml"}, map[string]string{"OEBPS/c1.xhtml": fmt.Sprintf(xhtml, paragraph)}, nil)
}

// The language an EPUB or HTML file declares wins over detection, and a
// declaration that is not a language tag is noted and detection decides.
func TestDeclaredLanguage(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	arabic := "لم يتوقف المطر منذ ثلاثة أيام، وكان النهر قد غمر الطريق السفلي. لم يتذكر أحد في القرية ربيعا مثل هذا، ولا حتى الشيخ الذي بلغ 92 عاما."
	english := "The rain had not stopped for three days, and the river was already over the lower road. Nobody in the village remembered a spring like it."
	arEPUB := filepath.Join(dir, "ar.epub")
	languageEPUB(t, arEPUB, "ar", arabic)
	// The declaration wins even where the text says otherwise.
	declaredDE := filepath.Join(dir, "de.epub")
	languageEPUB(t, declaredDE, "de-CH", english)
	badDecl := filepath.Join(dir, "bad.epub")
	languageEPUB(t, badDecl, "Arabic", arabic)
	html := writeInput(t, dir, "fr.html", []byte(`<!DOCTYPE html><html lang="fr"><head><title>Pluie</title></head><body><h1>Un</h1><p>`+english+`</p></body></html>`))

	for _, c := range []struct {
		path, language, narrator string
		note                     bool
	}{
		{arEPUB, "ar (declared by the book)", "ar", false},
		{declaredDE, "de-CH (declared by the book)", "de", false},
		{badDecl, "ar (detected from the text)", "ar", true},
		{html, "fr (declared by the book)", "fr-fr", false},
	} {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			out, stderr, err := run(t, "render", c.path, "--dry-run", "--no-cache")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "language: "+c.language+"\n") {
				t.Errorf("want language: %s in\n%s", c.language, out)
			}
			if v := dryRunVoices(t, out); v["narrator"] != c.narrator {
				t.Errorf("narrator %q, want %q:\n%s", v["narrator"], c.narrator, out)
			}
			if hasNote := strings.Contains(stderr, "note:"); hasNote != c.note {
				t.Errorf("note on stderr: %v, want %v:\n%s", hasNote, c.note, stderr)
			}
		})
	}

	// The Arabic book's digits are left to the Arabic voice.
	out, _, err := run(t, "segment", arEPUB, "--format", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "92 عاما") || strings.Contains(out, "ninety") {
		t.Errorf("Arabic digits were not kept for the engine:\n%s", out)
	}
}

// Text that tells no language (digits only, mixed scripts, almost
// nothing) is read as English with a note, and never fails or panics.
func TestUndetectableLanguage(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	for name, text := range map[string]string{
		"digits.txt": "1 2 3 4 5 6 7 8 9 10\n\n11 12 13 14 15\n",
		"short.txt":  "Ok.\n",
		"mixed.txt":  "Москва Paris 東京 القاهرة Αθήνα 12.\n\nשלום hello 안녕 नमस्ते\n",
	} {
		t.Run(name, func(t *testing.T) {
			in := writeInput(t, dir, name, []byte(text))
			out, stderr, err := run(t, "render", in, "--dry-run", "--no-cache")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "language: ") {
				t.Errorf("no language line:\n%s", out)
			}
			if strings.Contains(out, "language: en (default") && !strings.Contains(stderr, "note: could not detect") {
				t.Errorf("fell back to English without a note:\n%s", stderr)
			}
		})
	}
	in := writeInput(t, dir, "digits2.txt", []byte("1 2 3 4 5 6 7 8 9 10\n"))
	out, stderr, err := run(t, "render", in, "--dry-run", "--no-cache")
	if err != nil || !strings.Contains(out, "language: en (default") || !strings.Contains(stderr, "note: could not detect") {
		t.Errorf("digits only: %v; want English by default with a note:\n%s\n%s", err, out, stderr)
	}
}

// TestVoicesOfALanguage: narrate voices --language lists the voices that
// speak it, best match first, and says so when there are none.
func TestVoicesOfALanguage(t *testing.T) {
	requireEspeak(t)
	out, _, err := run(t, "voices", "--language", "fr-FR")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "fr-fr ") {
		t.Fatalf("want fr-fr first:\n%s", out)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "fr") {
			t.Errorf("not a French voice: %q", l)
		}
	}
	if _, _, err := run(t, "voices", "--language", "tlh"); err == nil || !strings.Contains(err.Error(), `"tlh"`) {
		t.Errorf("a language without voices: %v", err)
	}
}

// A Spanish book written for this test, its speech set with dashes.
const spanishBook = `Capítulo uno

La mañana era fría y la niebla cubría el valle. Tomás miraba por la ventana la calle donde el panadero abría su tienda.

—No creo que llueva hoy —dijo Tomás, mirando el cielo.

Rosa se rió y dejó el café sobre la mesa.

—Eso dices todas las mañanas, Tomás.

—Esta vez es verdad —respondió él—. Ya verás.

—¿Y qué haremos si llueve? —preguntó Rosa.

Capítulo dos

Por la tarde llovió de verdad. Tomás leía un libro sobre la historia de la ciudad y Rosa escribía una carta a su amiga.

—¿Ves? —dijo Rosa—. Llueve.

—Sí, sí —murmuró Tomás—. Me equivoqué.
`

// TestDialogueInAnotherLanguage: a Spanish book that sets its speech
// with dashes gets its chapters, its dialogue, the speakers its Spanish
// tags name (and those a conversation implies), each with a Spanish
// voice, and the narrator's inserts in the narrator's voice.
func TestDialogueInAnotherLanguage(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	in := writeInput(t, dir, "lluvia.txt", []byte(spanishBook))

	out, _, err := run(t, "render", in, "--dry-run", "--no-cache")
	if err != nil {
		t.Fatal(err)
	}
	v := dryRunVoices(t, out)
	if !strings.Contains(out, ", 2 chapters") || v["narrator"] != "es" {
		t.Errorf("want 2 chapters read by es:\n%s", out)
	}
	for _, who := range []string{"Tomás", "Rosa"} {
		if !strings.HasPrefix(v[who], "es") || v[who] == v["narrator"] {
			t.Errorf("%s speaks with %q:\n%s", who, v[who], out)
		}
	}

	outDir := filepath.Join(dir, "out")
	if _, _, err := run(t, "render", in, "-o", outDir, "--no-cache", "-q"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(outDir, "01 - Capítulo uno.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ch struct {
		Cues []struct{ Kind, Speaker, Text string }
	}
	if err := json.Unmarshal(data, &ch); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range ch.Cues {
		if c.Kind != "heading" {
			got = append(got, c.Kind[:1]+":"+c.Speaker+":"+c.Text)
		}
	}
	want := []string{
		"n::La mañana era fría y la niebla cubría el valle. Tomás miraba por la ventana la calle donde el panadero abría su tienda.",
		"d:Tomás:No creo que llueva hoy", "n::dijo Tomás, mirando el cielo.",
		"n::Rosa se rió y dejó el café sobre la mesa.",
		"d:Rosa:Eso dices todas las mañanas, Tomás.",
		"d:Tomás:Esta vez es verdad", "n::respondió él", "d:Tomás:Ya verás.",
		"d:Rosa:¿Y qué haremos si llueve?", "n::preguntó Rosa.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("chapter 1 cues:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
