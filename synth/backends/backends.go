// Package backends lists every TTS backend narrate ships in one registry
// value, so that the CLI, its help text and tests see the same set.
package backends

import (
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/espeak"
)

// New returns a registry holding every built-in backend.
func New() *synth.Registry {
	r := synth.NewRegistry()
	r.Register(espeak.Name, espeak.New)
	return r
}
