// Package params reads a backend's synth.Params with types checked and
// unknown keys rejected, so a typo in a config file ("base_ur") is an
// error that names the key and suggests the right one instead of a
// setting that silently does nothing.
package params

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/internal/suggest"
	"github.com/narrate-audio/narrate/synth"
)

// Reader reads one backend's params. Read every key you support, then call
// Err: it reports the first type error, else the first unknown key.
type Reader struct {
	backend string
	p       synth.Params
	known   map[string]bool
	err     error
}

// New starts reading p for the named backend.
func New(backend string, p synth.Params) *Reader {
	return &Reader{backend: backend, p: p, known: map[string]bool{}}
}

func (r *Reader) get(key string) (any, bool) {
	r.known[key] = true
	v, ok := r.p[key]
	return v, ok && v != nil
}

func (r *Reader) fail(key string, v any, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: param %q: got %v (%T), want %s", r.backend, key, v, v, want)
	}
}

// Failf records a validation error for key unless one is already recorded.
func (r *Reader) Failf(key, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: param %q: %s", r.backend, key, fmt.Sprintf(format, args...))
	}
}

// Has reports whether key is set, and marks it as known.
func (r *Reader) Has(key string) bool {
	_, ok := r.get(key)
	return ok
}

// String reads a string.
func (r *Reader) String(key, def string) string {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail(key, v, "a string")
		return def
	}
	return s
}

// Strings reads a list of strings. A single string is a one-item list.
func (r *Reader) Strings(key string) []string {
	v, ok := r.get(key)
	if !ok {
		return nil
	}
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return append([]string(nil), x...)
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, isStr := e.(string)
			if !isStr {
				r.fail(key, v, "a list of strings")
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	r.fail(key, v, "a list of strings")
	return nil
}

// StringMap reads a mapping of names to strings, such as a gender per
// voice.
func (r *Reader) StringMap(key string) map[string]string {
	v, ok := r.get(key)
	if !ok {
		return nil
	}
	out := map[string]string{}
	switch x := v.(type) {
	case map[string]string:
		for k, e := range x {
			out[k] = e
		}
		return out
	case map[string]any:
		for k, e := range x {
			s, isStr := e.(string)
			if !isStr {
				r.fail(key, v, "a mapping of names to strings")
				return nil
			}
			out[k] = s
		}
		return out
	}
	r.fail(key, v, "a mapping of names to strings")
	return nil
}

// Float reads a number; numeric strings are accepted because environment
// variables arrive as strings.
func (r *Reader) Float(key string, def float64) float64 {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case string:
		p, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			r.fail(key, v, "a number")
			return def
		}
		f = p
	default:
		r.fail(key, v, "a number")
		return def
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		r.fail(key, v, "a finite number")
		return def
	}
	return f
}

// Int reads a whole number.
func (r *Reader) Int(key string, def int) int {
	if !r.Has(key) {
		return def
	}
	f := r.Float(key, float64(def))
	if f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		r.fail(key, r.p[key], "a whole number")
		return def
	}
	return int(f)
}

// Bool reads a boolean ("true"/"false" strings too).
func (r *Reader) Bool(key string, def bool) bool {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	switch x := v.(type) {
	case bool:
		return x
	case string:
		if b, err := strconv.ParseBool(x); err == nil {
			return b
		}
	}
	r.fail(key, v, "true or false")
	return def
}

// Duration reads a Go duration string ("90s", "2m") or a number of seconds.
func (r *Reader) Duration(key string, def time.Duration) time.Duration {
	v, ok := r.get(key)
	if !ok {
		return def
	}
	switch x := v.(type) {
	case time.Duration:
		return x
	case string:
		if d, err := time.ParseDuration(strings.TrimSpace(x)); err == nil {
			return d
		}
		if _, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			r.fail(key, v, `a duration such as "30s" or a number of seconds`)
			return def
		}
	}
	secs := r.Float(key, def.Seconds())
	return time.Duration(secs * float64(time.Second))
}

// Err returns the first type or validation error, else an error for the
// first unknown key with a suggestion.
func (r *Reader) Err() error {
	if r.err != nil {
		return r.err
	}
	var unknown []string
	for k := range r.p {
		if !r.known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	known := make([]string, 0, len(r.known))
	for k := range r.known {
		known = append(known, k)
	}
	sort.Strings(known)
	msg := fmt.Sprintf("%s: unknown param %q", r.backend, unknown[0])
	if s := suggest.Closest(unknown[0], known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%s; known params: %s", msg, strings.Join(known, ", "))
}
