package synth

import "testing"

func TestLanguageMatch(t *testing.T) {
	tests := []struct {
		voice, want string
		score       int
	}{
		{"en-US", "en-us", 4},
		{"en-us", "", 3},
		{"en-us-nyc", "en", 3},
		{"en-GB", "en", 2},
		{"en-gb-x-rp", "en-GB", 3},
		{"pt-BR", "pt", 3},
		{"pt-PT", "pt", 2},
		{"pt-BR", "pt-br", 4},
		{"fr-FR", "fr", 3},
		{"mul", "ja", 1},
		{"de", "en", 0},
		{"", "en", 0},
		{"zh", "zh-CN", 3},
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
