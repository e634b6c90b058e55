// Package openai is the backend for OpenAI's POST /v1/audio/speech and the
// servers that copy it (Kokoro-FastAPI, LocalAI, openedai-speech, Orpheus).
//
// Params (all optional):
//
//	model            "tts-1" (default), "tts-1-hd", "gpt-4o-mini-tts", "kokoro", …
//	voice            default voice when a request names none ("alloy")
//	base_url         API base, default $OPENAI_BASE_URL or https://api.openai.com/v1;
//	                 a URL without a path gets /v1 ("http://localhost:8880"), and
//	                 a trailing slash or /audio/speech is dropped
//	endpoints        several base URLs serving the same model; requests go to the
//	                 least busy one and a failing one is set aside (see synth/fleet)
//	api_key_env      environment variable holding the key (default OPENAI_API_KEY)
//	api_key_file     file holding the key, instead of an environment variable
//	response_format  "pcm", "wav" or "mp3"; default "pcm" from api.openai.com
//	                 (24 kHz by contract), "wav" from any other server,
//	                 whose rate only the WAV header tells
//	pcm_rate         sample rate of "pcm" replies when the server does not say (24000)
//	speed            0.25..4, multiplied by each request's Rate (default 1)
//	instructions     style prompt; sent only when set (gpt-4o-mini-tts)
//	voices           fixed voice list, for servers without GET /audio/voices
//	timeout          per-request timeout (default 120s)
//	max_chars        longest input (default 4096, OpenAI's limit)
//	concurrency      requests in flight per endpoint (default 4)
//	breaker_failures consecutive failures that set an endpoint aside (default 3)
//	breaker_cooldown how long it stays aside (default 30s)
//
// The key is never read from the config file itself, never logged and
// never put in an error message. Without a key no Authorization header is
// sent, which is what local servers expect.
//
// Replies are decoded by Content-Type: audio/pcm (rate from a ";rate="
// parameter, else pcm_rate), audio/wav (rate from the header), audio/mpeg
// (decoded with go-mp3, for servers that ignore response_format). A 200
// reply with any other type is a permanent error: it nearly always means
// base_url points at something that is not a speech API (a web page, a
// proxy's login form), and retrying would only repeat it. A reply cut
// off, empty, or ended early by the connection's close is transient.
//
// Error replies are quoted in the error (the service's own message, in
// OpenAI's, Kokoro-FastAPI's or FastAPI's shape) after what to fix: the
// key's source for 401/403, the model, response_format or base_url
// setting. Input over the server's limit wraps synth.ErrTooLong, so the
// pipeline cuts the text smaller; insufficient_quota is permanent though
// sent as a 429; x-should-retry overrides the status's usual class.
package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
	"github.com/narrate-audio/narrate/synth/fleet"
	"github.com/narrate-audio/narrate/synth/params"
)

// Name is the registry name.
const Name = "openai"

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1"

// Backend talks to one or more OpenAI-compatible endpoints.
type Backend struct {
	model, voice, format, instructions string
	pcmRate                            int
	speed                              float64
	timeout                            time.Duration
	maxChars, concurrency              int
	price                              float64 // USD per million characters
	key, keySource                     string
	fixedVoices                        []string
	fleet                              *fleet.Fleet
	client                             *http.Client

	mu     sync.Mutex
	voices []synth.Voice // cached listing
}

// New opens the backend from its params.
func New(p synth.Params) (synth.Backend, error) {
	r := params.New(Name, p)
	if r.Has("api_key") {
		return nil, errors.New("openai: param \"api_key\" is not accepted: keys do not belong in config files; put the key in an environment variable (api_key_env, default OPENAI_API_KEY) or a file (api_key_file)")
	}
	b := &Backend{
		model:        r.String("model", "tts-1"),
		voice:        r.String("voice", "alloy"),
		format:       r.String("response_format", ""),
		instructions: r.String("instructions", ""),
		pcmRate:      r.Int("pcm_rate", 24000),
		speed:        r.Float("speed", 1),
		timeout:      r.Duration("timeout", 120*time.Second),
		maxChars:     r.Int("max_chars", 4096),
		fixedVoices:  r.Strings("voices"),
		client:       &http.Client{CheckRedirect: fleet.SameHostRedirect},
	}
	perEndpoint := r.Int("concurrency", 4)
	threshold := r.Int("breaker_failures", 3)
	cooldown := r.Duration("breaker_cooldown", 30*time.Second)
	endpoints := r.Strings("endpoints")
	baseURL := r.String("base_url", "")
	price := r.Float("price_per_million", -1)
	keyEnv := r.String("api_key_env", "")
	keyFile := r.String("api_key_file", "")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch b.format {
	case "":
		// Set below, once the endpoints are known.
	case "pcm", "wav", "mp3":
	default:
		return nil, fmt.Errorf("openai: param \"response_format\": %q is not supported; use pcm, wav or mp3", b.format)
	}
	if b.speed < 0.25 || b.speed > 4 {
		return nil, fmt.Errorf("openai: param \"speed\": %g is outside 0.25..4", b.speed)
	}
	if b.pcmRate < 8000 || b.pcmRate > 48000 || b.timeout <= 0 || b.maxChars < 0 || perEndpoint < 0 {
		return nil, fmt.Errorf("openai: pcm_rate must be 8000..48000, timeout positive, max_chars and concurrency not negative")
	}
	if baseURL != "" && len(endpoints) > 0 {
		return nil, errors.New("openai: set base_url or endpoints, not both")
	}
	if len(endpoints) == 0 {
		if baseURL == "" {
			baseURL = os.Getenv("OPENAI_BASE_URL")
		}
		if baseURL == "" {
			baseURL = DefaultBaseURL
		}
		endpoints = []string{baseURL}
	}
	for i, e := range endpoints {
		var err error
		if endpoints[i], err = apiBase(e); err != nil {
			return nil, fmt.Errorf("openai: %w", err)
		}
	}
	f, err := fleet.New(endpoints, fleet.Options{Backend: Name, Threshold: threshold, Cooldown: cooldown})
	if err != nil {
		return nil, fmt.Errorf("openai: %w", err)
	}
	b.fleet = f
	if b.format == "" {
		// api.openai.com's PCM is 24 kHz by contract; other servers
		// speak at their model's rate, which only WAV's header tells.
		b.format = "wav"
		if b.official() {
			b.format = "pcm"
		}
	}
	b.concurrency = perEndpoint * len(endpoints)
	b.price = price
	if price < 0 {
		b.price = 0 // a local server: free, unless configured
		if len(endpoints) == 1 && strings.TrimRight(endpoints[0], "/") == DefaultBaseURL {
			b.price = listPrice[b.model]
		}
	}
	if err := b.loadKey(keyEnv, keyFile); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Backend) loadKey(env, file string) error {
	if env != "" && file != "" {
		return errors.New("openai: set api_key_env or api_key_file, not both")
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			// The path is not secret; the content is never shown.
			return fmt.Errorf("openai: api_key_file: %w", err)
		}
		b.key, b.keySource = strings.TrimSpace(string(data)), "the key in "+file
		return nil
	}
	if env == "" {
		env = "OPENAI_API_KEY"
	}
	b.key, b.keySource = strings.TrimSpace(os.Getenv(env)), env
	if b.key == "" {
		b.keySource = env + " (it is not set)"
	}
	return nil
}

// Close implements synth.Backend: it drops the idle keep-alive
// connections to the endpoints.
func (b *Backend) Close() error {
	b.client.CloseIdleConnections()
	return nil
}

// Info describes the backend. Model covers everything that changes the
// audio besides text and voice, for cache keys.
func (b *Backend) Info() synth.Info {
	h := fnv.New32a()
	io.WriteString(h, b.instructions)
	return synth.Info{
		Name:        Name,
		Model:       fmt.Sprintf("%s format=%s speed=%g instructions=%08x", b.model, b.format, b.speed, h.Sum32()),
		MaxChars:    b.maxChars,
		Concurrency: b.concurrency,
		Price:       b.price,
		Catalogue:   strings.Join(b.fleet.URLs(), " ") + " voices=" + strings.Join(b.fixedVoices, ","),
	}
}

// listPrice is OpenAI's list price per million input characters (2026);
// gpt-4o-mini-tts is billed by tokens, about $0.015 a minute of speech,
// which is close to $15 per million characters at narration speed.
var listPrice = map[string]float64{"tts-1": 15, "tts-1-hd": 30, "gpt-4o-mini-tts": 15}

type speechRequest struct {
	Model          string  `json:"model"`
	Input          string  `json:"input"`
	Voice          string  `json:"voice"`
	ResponseFormat string  `json:"response_format"`
	Speed          float64 `json:"speed"`
	Instructions   string  `json:"instructions,omitempty"`
}

// Synthesize speaks req.Text. It does not retry: transient errors go back
// to the pipeline, which owns retry policy.
func (b *Backend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if blank, err := synth.Precheck(ctx, Name, req, b.maxChars); blank || err != nil {
		return pcm.Buffer{Rate: b.pcmRate}, err
	}
	voice := req.Voice
	if voice == "" {
		voice = b.voice
	}
	speed := b.speed
	if req.Rate > 0 {
		speed *= req.Rate
	}
	speed = min(max(speed, 0.25), 4)
	body, err := json.Marshal(speechRequest{Model: b.model, Input: req.Text, Voice: voice, ResponseFormat: b.format, Speed: speed, Instructions: b.instructions})
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	lease, err := b.fleet.Wait(ctx)
	if err != nil {
		return pcm.Buffer{}, err
	}
	buf, err := b.post(ctx, lease.URL(), voice, req.Text, body)
	lease.Release(err)
	return buf, err
}

func (b *Backend) post(parent context.Context, base, voice, text string, body []byte) (pcm.Buffer, error) {
	url := base + "/audio/speech"
	hreq, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/octet-stream")
	if b.key != "" {
		hreq.Header.Set("Authorization", "Bearer "+b.key)
	}
	resp, data, err := fleet.Send(parent, b.client, b.timeout, Name, hreq)
	if err != nil {
		return pcm.Buffer{}, err
	}
	if resp.StatusCode/100 != 2 {
		return pcm.Buffer{}, b.statusError(parent, resp, data, voice, http.MethodPost, url, true)
	}
	return b.decode(url, resp.Header.Get("Content-Type"), text, data)
}

func (b *Backend) decode(url, ct, text string, data []byte) (pcm.Buffer, error) {
	if len(data) == 0 {
		// Non-empty text never yields no audio; treat it as a server glitch.
		return pcm.Buffer{}, &synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("%s: %w (an empty body)", url, errNoAudio)}
	}
	format, rate, ok := audio.FromContentType(ct)
	if !ok {
		mt := strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
		switch {
		case mt == "" || mt == "application/octet-stream" || mt == "binary/octet-stream":
			format = audio.Sniff(data)
			if format == audio.Unknown && b.format == "pcm" {
				format = audio.RawS16
			}
		default:
			return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%s replied with content type %q, not audio: is base_url an OpenAI-compatible API? (%s)", url, ct, b.said(parseAPIError(data), data[:min(len(data), 300)]))}
		}
	}
	if rate == 0 {
		rate = b.pcmRate
	}
	switch {
	case audio.Sniff(data) == audio.WAV:
		// A RIFF header is unmistakable, whatever the label says.
		format = audio.WAV
	case format == audio.MP3 && b.format == "pcm" && !audio.IsMP3(data):
		// Labelled audio/mpeg by a proxy, but the PCM that was asked for.
		format = audio.RawS16
	}
	if audio.Truncated(format, data) {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("%s: %s reply truncated: the audio ends before it says it does", url, format)}
	}
	if format == audio.WAV {
		data = streamedWAV(data)
	}
	buf, err := audio.Decode(format, data, rate)
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%s: decoding %q reply: %w", url, ct, err)}
	}
	if len(buf.Samples) == 0 && synth.Speakable(text) {
		// Words never yield no audio; treat it as a server glitch.
		return pcm.Buffer{}, &synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("%s: %w", url, errNoAudio)}
	}
	return buf, nil
}

// Voices lists the server's voices: the "voices" param when set, else
// OpenAI's built-in voices for api.openai.com (which has no listing
// route), else GET {base}/audio/voices (Kokoro-FastAPI, Orpheus). A
// server without that route gets OpenAI's built-in voices when the model
// is one of OpenAI's, since such servers copy OpenAI's voice names; for
// any other model the error wraps synth.ErrNoCatalogue. A successful
// listing is kept for the life of the backend.
func (b *Backend) Voices(ctx context.Context) ([]synth.Voice, error) {
	if len(b.fixedVoices) > 0 {
		return describe(b.fixedVoices, synth.SourceConfig), nil
	}
	if b.official() {
		return Builtin(), nil
	}
	b.mu.Lock()
	cached := b.voices
	b.mu.Unlock()
	if cached != nil {
		return append([]synth.Voice(nil), cached...), nil
	}
	vs, err := b.listVoices(ctx)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.voices = vs
	b.mu.Unlock()
	return append([]synth.Voice(nil), vs...), nil
}

// official reports whether every endpoint is api.openai.com.
func (b *Backend) official() bool {
	for _, u := range b.fleet.URLs() {
		if strings.TrimRight(u, "/") != DefaultBaseURL {
			return false
		}
	}
	return true
}

// openAIModel reports whether model is one of OpenAI's speech models,
// whose voices are the built-in ones.
func openAIModel(model string) bool {
	return strings.HasPrefix(model, "tts-") || strings.HasPrefix(model, "gpt-")
}

func (b *Backend) listVoices(parent context.Context) ([]synth.Voice, error) {
	lease, err := b.fleet.Wait(parent)
	if err != nil {
		return nil, err
	}
	url := lease.URL() + "/audio/voices"
	hreq, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		lease.Release(nil)
		return nil, &synth.Error{Backend: Name, Err: err}
	}
	if b.key != "" {
		hreq.Header.Set("Authorization", "Bearer "+b.key)
	}
	resp, data, err := fleet.Send(parent, b.client, b.timeout, Name, hreq)
	if err != nil {
		lease.Release(err)
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		// api.openai.com and openedai-speech have no listing route.
		lease.Release(nil)
		if openAIModel(b.model) {
			return Builtin(), nil
		}
		return nil, &synth.Error{Backend: Name, Err: fmt.Errorf("%w: GET %s answered %d and model %q is not one of OpenAI's, whose voices narrate knows; list the server's voices in backends.openai.voices, or name one with --voice", synth.ErrNoCatalogue, url, resp.StatusCode, b.model)}
	case resp.StatusCode/100 != 2:
		e := b.statusError(parent, resp, data, "", http.MethodGet, url, false).(*synth.Error)
		e.Err = fmt.Errorf("listing voices: GET %s: %w", url, e.Err)
		lease.Release(e)
		return nil, e
	}
	lease.Release(nil)
	vs, err := parseVoiceList(data)
	if err != nil {
		return nil, &synth.Error{Backend: Name, Err: fmt.Errorf("GET %s: %w", url, err)}
	}
	return vs, nil
}

// parseVoiceList reads {"voices": [...]}, {"data": [...]} or a bare
// array, whose items are strings (Kokoro-FastAPI, Orpheus) or objects
// with "id", "voice_id" or "name" and a language under one of its usual
// names; it decodes Kokoro's voice names where the server gives no
// metadata.
func parseVoiceList(data []byte) ([]synth.Voice, error) {
	var list struct {
		Voices []json.RawMessage `json:"voices"`
		Data   []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(data, &list.Voices); err != nil {
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("voice list is not JSON of the form {\"voices\": [...]}: %w", err)
		}
	}
	if len(list.Voices) == 0 {
		list.Voices = list.Data
	}
	var out []synth.Voice
	for _, raw := range list.Voices {
		var id string
		if json.Unmarshal(raw, &id) == nil {
			if id != "" {
				out = append(out, decode(id, synth.SourceServer))
			}
			continue
		}
		var obj struct {
			ID, Name, Gender, Language string
			VoiceID                    string `json:"voice_id"`
			Lang                       string `json:"lang"`
			LanguageCode               string `json:"language_code"`
			Locale                     string `json:"locale"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("voice list item %s is neither a string nor an object", fleet.Excerpt(raw))
		}
		obj.ID = firstOf(obj.ID, obj.VoiceID, obj.Name)
		obj.Language = firstOf(obj.Language, obj.LanguageCode, obj.Locale, obj.Lang)
		if obj.ID == "" {
			continue
		}
		v := decode(obj.ID, synth.SourceServer)
		if obj.Name != "" && obj.Name != obj.ID {
			v.Name = obj.Name
		}
		if g := normGender(obj.Gender); g != "" {
			v.Gender = g
		}
		if obj.Language != "" {
			v.Language = obj.Language
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("server lists no voices")
	}
	return out, nil
}

func normGender(g string) string {
	switch strings.ToLower(g) {
	case "male", "m":
		return "male"
	case "female", "f":
		return "female"
	}
	return ""
}

func describe(ids []string, source string) []synth.Voice {
	out := make([]synth.Voice, len(ids))
	for i, id := range ids {
		out[i] = decode(id, source)
	}
	return out
}
