package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"narrator", "dialogue", "characters", "rate", "pitch"}
	tests := map[string]string{
		"narator":    "narrator",
		"NARRATOR":   "narrator",
		"dialog":     "dialogue",
		"charcters":  "characters",
		"rat":        "rate",
		"speed":      "",
		"x":          "",
		"background": "",
	}
	for in, want := range tests {
		if got := Closest(in, keys); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
