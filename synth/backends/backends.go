// Package backends lists every TTS backend narrate ships in one registry
// value, so that the CLI, its help text and tests see the same set.
package backends

import (
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/command"
	"github.com/narrate-audio/narrate/synth/elevenlabs"
	"github.com/narrate-audio/narrate/synth/espeak"
	"github.com/narrate-audio/narrate/synth/flite"
	"github.com/narrate-audio/narrate/synth/openai"
)

// New returns a registry holding every built-in backend.
func New() *synth.Registry {
	r := synth.NewRegistry()
	r.Register(espeak.Name, espeak.New)
	r.Register(flite.Name, flite.New)
	r.Register(command.Name, command.New)
	r.Register(openai.Name, openai.New)
	r.Register(elevenlabs.Name, elevenlabs.New)
	return r
}
