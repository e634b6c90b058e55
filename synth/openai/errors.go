package openai

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fleet"
)

// apiError is what an error body says, in any of the shapes the
// OpenAI-compatible servers use: OpenAI's {"error": {"message", "code",
// "param"}}, Kokoro-FastAPI's {"detail": {"error", "message"}}, FastAPI's
// validation list {"detail": [{"loc", "msg"}]}, or a bare string.
type apiError struct {
	Message, Code, Param string
}

func parseAPIError(data []byte) apiError {
	var top struct {
		Error   json.RawMessage `json:"error"`
		Detail  json.RawMessage `json:"detail"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(data, &top) != nil {
		return apiError{}
	}
	var obj struct {
		Message, Error, Code, Param, Status, Msg string
	}
	var s string
	switch {
	case json.Unmarshal(top.Error, &obj) == nil && obj.Message != "":
		return apiError{Message: obj.Message, Code: firstOf(obj.Code, obj.Status), Param: obj.Param}
	case json.Unmarshal(top.Error, &s) == nil && s != "":
		return apiError{Message: s, Code: top.Message}
	case json.Unmarshal(top.Detail, &obj) == nil && (obj.Message != "" || obj.Msg != ""):
		return apiError{Message: firstOf(obj.Message, obj.Msg), Code: firstOf(obj.Error, obj.Code, obj.Status), Param: obj.Param}
	case json.Unmarshal(top.Detail, &s) == nil && s != "":
		return apiError{Message: s}
	}
	if msg, param, ok := fleet.ValidationDetail(top.Detail); ok {
		return apiError{Message: msg, Param: param}
	}
	return apiError{Message: top.Message}
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// said is the service's own message for an error body, made fit for an
// error text; a body in no known shape is shown as an excerpt.
func (b *Backend) said(a apiError, data []byte) string {
	if a.Message != "" {
		return fleet.Excerpt([]byte(a.Message), b.key)
	}
	return fleet.Excerpt(data, b.key)
}

// tooLong reports whether an error says the input was over the server's
// length limit: 413, or a 400/422 whose code or message says so.
func (a apiError) tooLong(status int) bool {
	if status == http.StatusRequestEntityTooLarge {
		return true
	}
	if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
		return false
	}
	switch a.Code {
	case "string_above_max_length", "string_too_long", "max_character_limit_exceeded", "text_too_long":
		return true
	}
	m := strings.ToLower(a.Message)
	for _, s := range []string{"too long", "maximum length", "max_length", "character limit", "string_too_long"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// statusError turns a non-2xx reply into the error the user sees: the
// status, what to fix, and the service's own message. checkVoice asks
// whether a 4xx is about the voice (false for the voice listing itself,
// whose check would list voices again).
func (b *Backend) statusError(ctx context.Context, resp *http.Response, data []byte, voice, method, u string, checkVoice bool) error {
	e := fleet.StatusError(Name, resp, data, time.Now(), b.key)
	switch strings.ToLower(resp.Header.Get("x-should-retry")) {
	case "true":
		e.Transient = true
	case "false":
		e.Transient, e.RetryAfter = false, 0
	}
	a := parseAPIError(data)
	status := resp.StatusCode
	msg := b.said(a, data)
	hint := ""
	var sentinel error
	modelErr := a.Param == "model" || a.Code == "model_not_found" || a.Code == "invalid_model"
	switch {
	case status/100 == 3:
		hint = fmt.Sprintf("%s %s redirects to %q; set base_url to match it", method, u, resp.Header.Get("Location"))
	case a.Code == "insufficient_quota":
		// OpenAI sends it as a 429, but waiting does not bring credit back.
		e.Transient, e.RetryAfter = false, 0
		hint = "the account is out of credit (check its plan and billing)"
	case status == http.StatusForbidden && modelErr:
		// The key is fine; it may not use this model.
		hint = fmt.Sprintf("model %q: check the model setting (backends.openai.model)", b.model)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		hint = "check " + b.keySource
	case a.tooLong(status):
		sentinel = synth.ErrTooLong
	case e.Transient:
	case checkVoice && (status == http.StatusBadRequest || status == http.StatusNotFound || status == http.StatusUnprocessableEntity) && !modelErr && b.badVoice(ctx, data, voice, status != http.StatusNotFound):
		sentinel = fmt.Errorf("%w %q", synth.ErrUnknownVoice, voice)
	case modelErr:
		hint = fmt.Sprintf("model %q: check the model setting (backends.openai.model)", b.model)
	case a.Param == "response_format":
		hint = fmt.Sprintf("response_format %q: check the response_format setting (pcm, wav or mp3)", b.format)
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		hint = fmt.Sprintf("%s %s: no such route; check base_url (the API base, such as https://api.openai.com/v1 or http://localhost:8880/v1)", method, u)
	}
	return fleet.Explain(e, status, msg, hint, sentinel)
}

// badVoice decides whether a 4xx reply is about the voice: the error body
// says so (OpenAI's "param": "voice", Kokoro-FastAPI's message), or, when
// list is set, the voice is not among those the server lists. A 404 is
// not judged by the list: it is more often a wrong base_url.
func (b *Backend) badVoice(ctx context.Context, data []byte, voice string, list bool) bool {
	a := parseAPIError(data)
	if a.Param == "voice" {
		return true
	}
	msg := strings.ToLower(a.Message)
	if strings.Contains(msg, "voice") {
		for _, s := range []string{"not found", "invalid", "unknown", "not available", "not supported", "unsupported", "does not exist", "no such"} {
			if strings.Contains(msg, s) {
				return true
			}
		}
	}
	if !list {
		return false
	}
	vs, err := b.Voices(ctx)
	if err != nil {
		return false
	}
	for _, v := range vs {
		if v.ID == voice {
			return false
		}
	}
	// Kokoro-FastAPI mixes voices ("af_bella(2)+af_sky"); such a name is
	// never listed, so a 400 for it says nothing about the voice.
	return !strings.ContainsAny(voice, "+-(")
}

// apiBase brings a configured base URL to the API base the routes hang
// from: users write "http://localhost:8880", ".../v1/" or even the whole
// speech URL, and OpenAI's SDKs expect ".../v1".
func apiBase(raw string) (string, error) {
	u, ok := fleet.AbsoluteHTTP(strings.TrimSpace(raw))
	if !ok {
		return "", fmt.Errorf("base URL %q is not an absolute http(s) URL", raw)
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/audio/speech")
	if p == "" {
		p = "/v1"
	}
	u.Path, u.RawPath = p, ""
	return u.String(), nil
}

var errNoAudio = errors.New("reply held no audio")

// streamedWAV gives a WAV streamed before its length was known, whose
// data chunk says 0 bytes (Python's wave module on a pipe writes that),
// the placeholder size that makes the decoder read to the end of the
// body; any other WAV is returned as it is.
func streamedWAV(data []byte) []byte {
	for p := 12; p+8 <= len(data); {
		size := binary.LittleEndian.Uint32(data[p+4:])
		if string(data[p:p+4]) == "data" {
			if size != 0 || p+8 == len(data) {
				return data
			}
			out := bytes.Clone(data)
			binary.LittleEndian.PutUint32(out[p+4:], 0xFFFFFFFF)
			return out
		}
		p += 8 + int(size) + int(size&1)
	}
	return data
}
