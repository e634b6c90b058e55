package synth

import "testing"

func TestLanguageMatch(t *testing.T) {
	tests := []struct {
		voice, want string
		score       int
	}{
		{"en-US", "en-us", 5},
		{"en-us", "", 4},
		{"en-us-nyc", "en", 4},
		{"en-GB", "en", 2},
		{"en-gb-x-rp", "en-GB", 3},
		{"en-gb-x-rp", "en", 2},
		{"pt-BR", "pt", 4},
		{"pt-PT", "pt", 2},
		{"pt-BR", "pt-br", 5},
		{"fr-FR", "fr", 4},
		{"fr-FR", "fr-CA", 3},
		{"fr-BE", "fr-CA", 2},
		{"es-419", "es-MX", 4},
		{"es", "es-MX", 3},
		{"cmn", "zh", 4},
		{"cmn", "zh-Hans-CN", 4},
		{"cmn-latn-pinyin", "zh", 3},
		{"yue", "zh-HK", 4},
		{"cmn", "zh-HK", 0},
		{"nb", "no", 4},
		{"mul", "ja", 1},
		{"de", "en", 0},
		{"", "en", 0},
		{"zh", "zh-CN", 4},
	}
	for _, tt := range tests {
		if got := LanguageMatch(tt.voice, tt.want); got != tt.score {
			t.Errorf("LanguageMatch(%q, %q) = %d, want %d", tt.voice, tt.want, got, tt.score)
		}
	}
	vs := []Voice{{ID: "mul1", Language: "mul"}, {ID: "gb", Language: "en-GB"}, {ID: "de", Language: "de"}, {ID: "us", Language: "en-US"}}
	got := ""
	for _, v := range Speakers(vs, "en") {
		got += v.ID + " "
	}
	if got != "us gb mul1 " {
		t.Errorf("Speakers = %q", got)
	}
}
