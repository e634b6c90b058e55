package fleet

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/narrate-audio/narrate/synth"
)

func TestValidationDetail(t *testing.T) {
	for _, tc := range []struct {
		detail, msg, field string
		ok                 bool
	}{
		{`[{"loc":["body","voice"],"msg":"field required"},{"loc":[],"msg":"bad"}]`, "voice: field required; bad", "voice", true},
		{`[]`, "", "", false},
		{`"just a string"`, "", "", false},
		{`{"message":"x"}`, "", "", false},
	} {
		msg, field, ok := ValidationDetail(json.RawMessage(tc.detail))
		if msg != tc.msg || field != tc.field || ok != tc.ok {
			t.Errorf("%s: got %q, %q, %v; want %q, %q, %v", tc.detail, msg, field, ok, tc.msg, tc.field, tc.ok)
		}
	}
}

func TestExplain(t *testing.T) {
	err := Explain(&synth.Error{Backend: "b"}, 400, "too long", "shorten it", synth.ErrTooLong)
	var h *HTTPError
	if !errors.Is(err, synth.ErrTooLong) || !errors.As(err, &h) || h.Body != "shorten it; the server said: too long" {
		t.Errorf("got %v", err)
	}
	if err := Explain(&synth.Error{Backend: "b"}, 404, "nope", "", nil); !errors.As(err, &h) || h.Body != "nope" {
		t.Errorf("got %v", err)
	}
}
