package casting_test

import (
	"context"
	"os/exec"
	"testing"

	"github.com/narrate-audio/narrate/pipeline/casting"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/espeak"
)

// TestDefaultsSpeakTheBooksLanguage runs against espeak-ng's own voice
// list, so it checks the names this espeak-ng really has: the narrator of
// a book in each language is that language's voice, the region's where
// there is one, else the region where the language is most spoken.
func TestDefaultsSpeakTheBooksLanguage(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed (make test installs it)")
	}
	b, err := espeak.New(synth.Params{"engine": "program"})
	if err != nil {
		t.Fatal(err)
	}
	voices, err := b.Voices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ tag, want string }{
		{"", "en-us"}, {"en", "en-us"}, {"en-US", "en-us"}, {"en-GB", "en-gb"}, {"en-AU", "en-us"},
		{"fr", "fr-fr"}, {"fr-FR", "fr-fr"}, {"fr-CA", "fr-fr"}, {"fr-BE", "fr-be"},
		{"de", "de"}, {"de-AT", "de"}, {"es", "es"}, {"es-MX", "es-419"}, {"es-419", "es-419"},
		{"pt-BR", "pt-br"}, {"pt-PT", "pt"}, {"ar", "ar"}, {"ru", "ru"},
		{"zh", "cmn"}, {"zh-Hans-CN", "cmn"}, {"zh-HK", "yue"}, {"yue", "yue"}, {"no", "nb"},
		{"nb", "nb"}, {"vi", "vi"}, {"ja", "ja"}, {"he", "he"}, {"sv", "sv"},
	} {
		narrator, dialogue, err := casting.Defaults(voices, c.tag, "", "")
		if err != nil || narrator != c.want {
			t.Errorf("Defaults(%q): narrator %q, %v; want %q", c.tag, narrator, err, c.want)
		}
		if dialogue == "" {
			t.Errorf("Defaults(%q): no dialogue voice", c.tag)
		}
	}
	for _, tag := range []string{"xh", "zu-ZA", "tlh"} {
		if narrator, _, err := casting.Defaults(voices, tag, "", ""); err == nil {
			t.Errorf("Defaults(%q) = %q; want an error: no voice speaks it", tag, narrator)
		}
	}
}
