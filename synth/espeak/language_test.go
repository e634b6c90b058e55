package espeak

import (
	"context"
	"testing"
)

// The table runs against espeak-ng's own voice list, so it checks the
// names this espeak-ng really has.
func TestVoiceFor(t *testing.T) {
	voices, err := openEngine(t, "program").Voices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ tag, want string }{
		{"en", "en-us"}, {"en-US", "en-us"}, {"en-GB", "en-gb"}, {"en-AU", "en-us"},
		{"fr", "fr-fr"}, {"fr-FR", "fr-fr"}, {"fr-CA", "fr-fr"}, {"fr-BE", "fr-be"},
		{"de", "de"}, {"de-AT", "de"}, {"es", "es"}, {"es-MX", "es-419"}, {"es-419", "es-419"},
		{"pt", "pt"}, {"pt-BR", "pt-br"}, {"pt-PT", "pt"}, {"ar", "ar"}, {"ru", "ru"},
		{"zh", "cmn"}, {"zh-Hans-CN", "cmn"}, {"zh-HK", "yue"}, {"yue", "yue"}, {"no", "nb"},
		{"nb", "nb"}, {"vi", "vi"}, {"ja", "ja"}, {"he", "he"}, {"sv", "sv"},
	} {
		got, ok := VoiceFor(c.tag, voices)
		if !ok || got != c.want {
			t.Errorf("VoiceFor(%q) = %q, %v; want %q", c.tag, got, ok, c.want)
		}
	}
	for _, tag := range []string{"xh", "zu-ZA", "tlh", "", "not a tag"} {
		if got, ok := VoiceFor(tag, voices); ok {
			t.Errorf("VoiceFor(%q) = %q; want no voice", tag, got)
		}
	}
}
