package elevenlabs

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fleet"
)

// apiError is what an ElevenLabs error body says: {"detail": {"status":
// "quota_exceeded", "message": ...}} (newer replies name it "code"), a
// bare {"detail": "..."}, or FastAPI's validation list {"detail":
// [{"loc": [...], "msg": ...}]}.
type apiError struct {
	Status, Message string
}

func parseAPIError(data []byte) apiError {
	var top struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(data, &top) != nil {
		return apiError{}
	}
	var obj struct{ Status, Code, Message string }
	if json.Unmarshal(top.Detail, &obj) == nil {
		status := obj.Status
		if status == "" {
			status = obj.Code
		}
		return apiError{Status: status, Message: obj.Message}
	}
	var s string
	if json.Unmarshal(top.Detail, &s) == nil {
		return apiError{Message: s}
	}
	if msg, _, ok := fleet.ValidationDetail(top.Detail); ok {
		return apiError{Message: msg}
	}
	return apiError{}
}

// statusError turns a non-2xx reply into the error the user sees: the
// status, what to fix, and ElevenLabs' own message.
func (b *Backend) statusError(resp *http.Response, data []byte, voice, method, u string) error {
	e := fleet.StatusError(Name, resp, data, time.Now(), b.key)
	a := parseAPIError(data)
	msg := fleet.Excerpt(data, b.key)
	if a.Message != "" {
		msg = fleet.Excerpt([]byte(a.Message), b.key)
	}
	status := resp.StatusCode
	lower := strings.ToLower(a.Message)
	hint := ""
	var sentinel error
	switch {
	case status/100 == 3:
		hint = fmt.Sprintf("%s %s redirects to %q; set base_url to match it", method, u, resp.Header.Get("Location"))
	case a.Status == "quota_exceeded":
		// A 401, but the key is fine: the account is out of credits.
		hint = "the account's character quota is used up (add credits or wait for the next billing period)"
	case a.Status == "detected_unusual_activity":
		hint = "ElevenLabs has disabled free use for this account"
	case strings.Contains(a.Status, "output_format"):
		hint = fmt.Sprintf("output_format %q: check the output_format setting (44.1 kHz PCM and WAV need a Pro plan)", b.outputFormat)
	case strings.Contains(a.Status, "model"):
		hint = fmt.Sprintf("model_id %q: check the model_id setting (backends.elevenlabs.model_id)", b.model)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		hint = "check " + b.keySource
	case status == http.StatusRequestEntityTooLarge || a.Status == "max_character_limit_exceeded" || a.Status == "text_too_long":
		sentinel = synth.ErrTooLong
	case e.Transient:
	case a.Status == "voice_not_found" || a.Status == "voice_does_not_exist" ||
		voice != "" && status == http.StatusNotFound && strings.Contains(lower, "voice"):
		sentinel = fmt.Errorf("%w %q", synth.ErrUnknownVoice, voice)
	case strings.Contains(lower, "model"):
		hint = fmt.Sprintf("model_id %q: check the model_id setting (backends.elevenlabs.model_id)", b.model)
	case strings.Contains(lower, "output_format"):
		hint = fmt.Sprintf("output_format %q: check the output_format setting", b.outputFormat)
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		hint = fmt.Sprintf("%s %s: no such route; check base_url (the API host, such as https://api.elevenlabs.io)", method, u)
	}
	return fleet.Explain(e, status, msg, hint, sentinel)
}

// apiHost brings a configured base URL to the host the /v1 routes hang
// from: users copy "https://api.elevenlabs.io/v1" from the API reference.
func apiHost(raw string) (string, error) {
	u, ok := fleet.AbsoluteHTTP(strings.TrimSpace(raw))
	if !ok {
		return "", fmt.Errorf("base URL %q is not an absolute http(s) URL", raw)
	}
	u.Path = strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/v1")
	u.RawPath = ""
	return u.String(), nil
}
