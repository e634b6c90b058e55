package flite

import (
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/synth"
)

func TestInfoModel(t *testing.T) {
	b := open(t, synth.Params{})
	in := b.Info()
	if in.Name != Name || !strings.HasPrefix(in.Model, "flite ") || strings.Contains(in.Model, "unknown") || strings.Contains(in.Model, "\n") {
		t.Fatalf("Info = %+v", in)
	}
}
