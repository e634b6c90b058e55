package backends

import (
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := New()
	got := strings.Join(r.Names(), ",")
	if got != "command,elevenlabs,espeak-ng,flite,openai" {
		t.Errorf("backends %s", got)
	}
	_, err := r.Open("festival", nil)
	if err == nil || !strings.Contains(err.Error(), `unknown backend "festival"`) || !strings.Contains(err.Error(), "espeak-ng") {
		t.Errorf("err = %v", err)
	}
}
