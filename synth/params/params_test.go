package params

import (
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/synth"
)

func TestRead(t *testing.T) {
	r := New("x", synth.Params{
		"s": "hi", "list": []any{"a", "b"}, "one": "solo", "f": 1.5, "i": 3, "istr": "7",
		"b": "true", "d": "90s", "dnum": 2.5, "ddur": time.Minute,
	})
	if r.String("s", "") != "hi" || r.String("missing", "def") != "def" {
		t.Error("String")
	}
	if got := r.Strings("list"); strings.Join(got, ",") != "a,b" {
		t.Errorf("Strings = %v", got)
	}
	if got := r.Strings("one"); len(got) != 1 || got[0] != "solo" {
		t.Errorf("Strings(single) = %v", got)
	}
	if r.Float("f", 0) != 1.5 || r.Int("i", 0) != 3 || r.Int("istr", 0) != 7 || !r.Bool("b", false) {
		t.Error("numbers or bool")
	}
	if r.Duration("d", 0) != 90*time.Second || r.Duration("dnum", 0) != 2500*time.Millisecond || r.Duration("ddur", 0) != time.Minute {
		t.Error("Duration")
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		p    synth.Params
		read func(r *Reader)
		want string
	}{
		{synth.Params{"base_ur": "x"}, func(r *Reader) { r.String("base_url", "") }, `unknown param "base_ur" (did you mean "base_url"?)`},
		{synth.Params{"zzzzzz": 1}, func(r *Reader) { r.String("base_url", "") }, `unknown param "zzzzzz"; known params: base_url`},
		{synth.Params{"n": "lots"}, func(r *Reader) { r.Int("n", 0) }, `param "n": got lots (string), want a number`},
		{synth.Params{"n": 1.5}, func(r *Reader) { r.Int("n", 0) }, `want a whole number`},
		{synth.Params{"l": []any{"a", 2}}, func(r *Reader) { r.Strings("l") }, `want a list of strings`},
		{synth.Params{"d": "soon"}, func(r *Reader) { r.Duration("d", 0) }, `want a duration`},
		{synth.Params{"b": "maybe"}, func(r *Reader) { r.Bool("b", false) }, `want true or false`},
		{synth.Params{"s": 3}, func(r *Reader) { r.String("s", "") }, `want a string`},
	}
	for _, tt := range tests {
		r := New("openai", tt.p)
		tt.read(r)
		err := r.Err()
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "openai: ") {
			t.Errorf("%v: err = %v, want it to contain %q", tt.p, err, tt.want)
		}
	}
}
