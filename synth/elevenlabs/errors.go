package elevenlabs

import (
	"encoding/binary"

	"encoding/json"
	"fmt"
	"github.com/narrate-audio/narrate/synth/audio"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

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
	var list []struct {
		Loc []any  `json:"loc"`
		Msg string `json:"msg"`
	}
	if json.Unmarshal(top.Detail, &list) == nil {
		var parts []string
		for _, v := range list {
			if n := len(v.Loc); n > 0 {
				parts = append(parts, fmt.Sprint(v.Loc[n-1])+": "+v.Msg)
			} else {
				parts = append(parts, v.Msg)
			}
		}
		return apiError{Message: strings.Join(parts, "; ")}
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
	case a.Status == "model_not_found" || strings.Contains(a.Status, "model") || strings.Contains(lower, "model"):
		hint = fmt.Sprintf("model_id %q: check the model_id setting (backends.elevenlabs.model_id)", b.model)
	case strings.Contains(a.Status, "output_format") || strings.Contains(lower, "output_format"):
		hint = fmt.Sprintf("output_format %q: check the output_format setting", b.outputFormat)
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		hint = fmt.Sprintf("%s %s: no such route; check base_url (the API host, such as https://api.elevenlabs.io)", method, u)
	}
	body := msg
	if hint != "" {
		body = hint + "; the server said: " + msg
	}
	var err error = &fleet.HTTPError{Status: status, Body: body}
	if sentinel != nil {
		err = fmt.Errorf("%w: %w", sentinel, err)
	}
	e.Err = err
	return e
}

// apiHost brings a configured base URL to the host the /v1 routes hang
// from: users copy "https://api.elevenlabs.io/v1" from the API reference.
func apiHost(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("base URL %q is not an absolute http(s) URL", raw)
	}
	u.Path = strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/v1")
	u.RawPath = ""
	return u.String(), nil
}

// speakable reports whether text has anything to say: a reply without
// audio is a glitch for such text, but may be honest for text of
// punctuation alone ("…", "—").
func speakable(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// cutShort reports audio that ends before it says it does: headerless
// 16-bit PCM with half a sample, or a WAV whose data chunk announces more
// bytes than arrived. A reply whose end is the connection's close cannot
// be seen to be cut off otherwise. Placeholder sizes of streamed WAVs
// (0, 0xFFFFFFFF, espeak-ng's 0x7ffff000) promise nothing.
func cutShort(f audio.Format, data []byte) bool {
	switch f {
	case audio.RawS16:
		return len(data)%2 != 0
	case audio.WAV:
		for p := 12; p+8 <= len(data); {
			size := binary.LittleEndian.Uint32(data[p+4:])
			if string(data[p:p+4]) == "data" {
				return size != 0 && size < 0x7fff0000 && int(size) > len(data)-p-8
			}
			p += 8 + int(size) + int(size&1)
		}
	}
	return false
}

// checkRedirect follows a redirect only on the same host with the same
// method (a server adding a slash answers 307). Any other would turn the
// POST into a GET or send the key to another host; the 3xx comes back
// instead, and its error names where base_url points.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	if req.Method != first.Method || req.URL.Host != first.URL.Host || req.URL.Scheme != first.URL.Scheme || len(via) > 3 {
		return http.ErrUseLastResponse
	}
	return nil
}

// isMP3 reports whether data really is MP3: an ID3 tag, or two
// consecutive Layer III frame headers. Proxies label any reply
// audio/mpeg, and one frame sync alone is no proof: headerless PCM
// starting at a sample of -1 has one.
func isMP3(data []byte) bool {
	if len(data) >= 3 && string(data[:3]) == "ID3" {
		return true
	}
	n := mp3Frame(data)
	return n > 0 && mp3Frame(data[min(n, len(data)):]) > 0
}

// mp3Frame returns the length of the Layer III frame whose header starts
// data, or 0 when there is none.
func mp3Frame(h []byte) int {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return 0
	}
	version, layer := h[1]>>3&3, h[1]>>1&3 // version 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
	bi, si := int(h[2]>>4), int(h[2]>>2&3)
	if version == 1 || layer != 1 || bi == 0 || bi == 15 || si == 3 {
		return 0
	}
	pad := int(h[2] >> 1 & 1)
	if version == 3 {
		kbps := [...]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}[bi]
		return 144*kbps*1000/[...]int{44100, 48000, 32000}[si] + pad
	}
	kbps := [...]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}[bi]
	rate := [...]int{22050, 24000, 16000}[si]
	if version == 0 {
		rate /= 2
	}
	return 72*kbps*1000/rate + pad
}
