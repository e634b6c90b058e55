// Package synth defines how narrate talks to text-to-speech engines: the
// Backend interface every engine implements, the Registry that lists them
// without global state, and the error classes the pipeline uses to decide
// whether a failure is worth retrying.
package synth

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/audio/pcm"
)

// Request is one piece of text to speak.
type Request struct {
	Text  string
	Voice string
	// Rate scales the speaking speed: 1 is the engine's normal speed.
	Rate float64
	// Pitch shifts the voice: 0 is the engine's default, the range is
	// -1 (lowest) to 1 (highest); engines map it to their own scale.
	Pitch float64
	// Previous and Next are the neighbouring texts, for engines that use
	// context to keep prosody continuous. They are never spoken.
	Previous, Next string
}

// Voice describes one voice a backend offers. The JSON form is what a
// catalogue kept in the span cache holds.
type Voice struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Language is a BCP 47 tag ("en-US", "fr"); "mul" marks a voice that
	// speaks many languages, "" an unknown language.
	Language string `json:"language,omitempty"`
	Gender   string `json:"gender,omitempty"` // "male", "female" or ""
	Accent   string `json:"accent,omitempty"` // "American", "British"... when known
	// Source says where the description comes from: SourceServer (the
	// service listed it), SourceBuiltin (narrate's knowledge of the
	// engine or service) or SourceConfig (the user's settings).
	Source string `json:"source,omitempty"`
	// Labels are further facts the service gives, such as "age" or
	// "use_case".
	Labels map[string]string `json:"labels,omitempty"`
	// Effect marks a novelty or effect voice (whispering, robotic,
	// monstrous) that casting never picks on its own.
	Effect bool `json:"effect,omitempty"`
}

// Where a voice's description comes from.
const (
	SourceServer  = "server"
	SourceBuiltin = "builtin"
	SourceConfig  = "config"
	SourceModel   = "model" // a model file, such as Piper's .onnx.json
)

// ErrNoCatalogue is wrapped by Voices errors of a backend that cannot
// know its voices without being told (a server without a voice list);
// configured voices stand in for the catalogue then.
var ErrNoCatalogue = errors.New("no voice list")

// Backend is a text-to-speech engine. Implementations must be safe for
// concurrent use.
type Backend interface {
	// Synthesize speaks req.Text and returns the audio at the engine's
	// real sample rate. Empty text yields an empty buffer, not an error.
	Synthesize(ctx context.Context, req Request) (pcm.Buffer, error)
	// Voices lists the voices the engine offers.
	Voices(ctx context.Context) ([]Voice, error)
	// Info describes the engine's limits and identity.
	Info() Info
	// Close releases what the backend holds (worker processes, idle
	// connections). The caller that opened a backend closes it once, after
	// its last call; Close of a backend that holds nothing returns nil.
	Close() error
}

// Info describes a backend for callers that plan work around it.
type Info struct {
	// Name is the registry name, such as "espeak-ng".
	Name string
	// Model names everything besides voice and text that changes the
	// audio (engine version, model id, settings); it is part of cache keys.
	Model string
	// MaxChars is the longest text one request may carry; 0 means no limit.
	MaxChars int
	// Concurrency is how many requests may run at once; 0 means no limit.
	Concurrency int
	// Price is the list price in USD per million characters, for cost
	// estimates; 0 means free or unknown.
	Price float64
	// Catalogue names where a remote backend's voice list comes from
	// (its servers, a fixed list), so that the list can be kept between
	// runs instead of asked for again; "" for a local engine, whose
	// list costs nothing. It is not part of span cache keys.
	Catalogue string
	// Context says the engine uses Request.Previous and Next; the
	// pipeline fills them only then, so that other engines' cache keys do
	// not change when a neighbouring paragraph is edited.
	Context bool
}

// ErrUnknownVoice is wrapped by errors for a voice the backend does not have.
var ErrUnknownVoice = errors.New("unknown voice")

// ErrTooLong is wrapped by the permanent error a backend returns, before
// doing any work, for text longer than its Info().MaxChars. Backends never
// split text themselves: the pipeline splits at sentence boundaries.
var ErrTooLong = errors.New("text too long")

// Precheck does what every backend does before any work: it fails if the
// context is already done, reports blank text (which gets an empty buffer,
// not an error), and rejects text over maxChars with ErrTooLong.
func Precheck(ctx context.Context, backend string, req Request, maxChars int) (blank bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, &Error{Backend: backend, Err: err}
	}
	if strings.TrimSpace(req.Text) == "" {
		return true, nil
	}
	return false, CheckLength(backend, req.Text, maxChars)
}

// CheckLength returns the error for text longer than max characters
// (runes); max <= 0 means no limit.
func CheckLength(backend, text string, max int) error {
	if max <= 0 {
		return nil
	}
	if n := utf8.RuneCountInString(text); n > max {
		return &Error{Backend: backend, Err: fmt.Errorf("%w: %d characters, the limit is %d; split the text at sentence boundaries", ErrTooLong, n, max)}
	}
	return nil
}

// Error is a failed backend call. Transient errors (rate limits, server
// errors, timeouts) may succeed when retried; the rest will not.
type Error struct {
	Backend    string
	Transient  bool
	RetryAfter time.Duration // how long the server asked us to wait, if it did
	Err        error
}

func (e *Error) Error() string { return e.Backend + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// IsTransient reports whether err is worth retrying.
func IsTransient(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Transient
}

// RetryAfter returns the wait a server asked for, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Params are a backend's settings from configuration, keyed by name.
type Params map[string]any

// Factory opens a backend from its settings.
type Factory func(p Params) (Backend, error)

// Registry maps backend names to factories. The zero value is not usable;
// use NewRegistry.
type Registry struct {
	factories map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{factories: map[string]Factory{}} }

// Register adds a backend. Registering a name twice panics, as it is a
// programming error.
func (r *Registry) Register(name string, f Factory) {
	if _, dup := r.factories[name]; dup {
		panic("synth: Register called twice for backend " + name)
	}
	r.factories[name] = f
}

// Names lists the registered backends in sorted order.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.factories))
	for n := range r.factories {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Has reports whether a backend of that name is registered.
func (r *Registry) Has(name string) bool {
	_, ok := r.factories[name]
	return ok
}

// Open creates the named backend.
func (r *Registry) Open(name string, p Params) (Backend, error) {
	f, ok := r.factories[name]
	if !ok {
		return nil, fmt.Errorf("synth: unknown backend %q (known: %s)", name, strings.Join(r.Names(), ", "))
	}
	b, err := f(p)
	if err != nil {
		// Backends name themselves in their errors.
		return nil, fmt.Errorf("synth: %w", err)
	}
	return b, nil
}
