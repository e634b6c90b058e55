// Package elevenlabs is the backend for ElevenLabs' text-to-speech API:
// POST {base}/v1/text-to-speech/{voice_id}?output_format=pcm_24000 with
// the key in the xi-api-key header, voices from GET {base}/v1/voices.
//
// Params (all optional):
//
//	model_id          default "eleven_multilingual_v2"
//	voice             default voice_id ("JBFqnCBsd6RMkjVDRZzb")
//	base_url          default https://api.elevenlabs.io (regional hosts work too;
//	                  a trailing /v1 is dropped)
//	endpoints         several base URLs, balanced as in synth/fleet
//	api_key_env       environment variable with the key (default ELEVENLABS_API_KEY)
//	api_key_file      file with the key, instead
//	output_format     pcm_<rate> (default pcm_24000), wav_<rate> or mp3_<rate>_<kbps>;
//	                  44.1 kHz PCM/WAV needs a Pro plan
//	stability, similarity_boost, style, use_speaker_boost, speed
//	                  voice_settings; only the ones set are sent, so the
//	                  voice's stored settings apply otherwise
//	max_chars         default per model (eleven_v3 5000, multilingual_v2 10000,
//	                  flash/turbo_v2_5 40000, turbo_v2 30000, others 5000)
//	timeout           per request (default 120s)
//	concurrency       requests in flight in total (default 2, the smallest plan's limit)
//	breaker_failures, breaker_cooldown  as in synth/fleet
//
// Request.Previous and Request.Next go out as previous_text and next_text,
// which ElevenLabs uses to keep prosody continuous across requests.
//
// Errors quote ElevenLabs' message and read its detail.status: quota_exceeded
// and detected_unusual_activity are not blamed on the key although sent as
// 401s, max_character_limit_exceeded wraps synth.ErrTooLong, voice_not_found
// synth.ErrUnknownVoice; 429 (too_many_concurrent_requests, system_busy)
// and 5xx are transient.
package elevenlabs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
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
const Name = "elevenlabs"

// DefaultBaseURL is ElevenLabs' global API host.
const DefaultBaseURL = "https://api.elevenlabs.io"

// modelMaxChars are the documented per-request limits.
var modelMaxChars = map[string]int{
	"eleven_v3":              5000,
	"eleven_multilingual_v2": 10000,
	"eleven_flash_v2_5":      40000,
	"eleven_turbo_v2_5":      40000,
	"eleven_turbo_v2":        30000,
	"eleven_flash_v2":        30000,
}

type voiceSettings struct {
	Stability       *float64 `json:"stability,omitempty"`
	SimilarityBoost *float64 `json:"similarity_boost,omitempty"`
	Style           *float64 `json:"style,omitempty"`
	UseSpeakerBoost *bool    `json:"use_speaker_boost,omitempty"`
	Speed           *float64 `json:"speed,omitempty"`
}

type body struct {
	Text          string         `json:"text"`
	ModelID       string         `json:"model_id"`
	VoiceSettings *voiceSettings `json:"voice_settings,omitempty"`
	PreviousText  string         `json:"previous_text,omitempty"`
	NextText      string         `json:"next_text,omitempty"`
}

// Backend talks to ElevenLabs.
type Backend struct {
	model, voice, outputFormat string
	format                     audio.Format
	rate                       int
	settings                   voiceSettings
	speed                      float64
	timeout                    time.Duration
	maxChars, concurrency      int
	price                      float64 // USD per million characters
	key, keySource             string
	fleet                      *fleet.Fleet
	client                     *http.Client

	mu     sync.Mutex
	voices []synth.Voice
}

// New opens the backend from its params.
func New(p synth.Params) (synth.Backend, error) {
	r := params.New(Name, p)
	if r.Has("api_key") || r.Has("xi_api_key") {
		return nil, errors.New("elevenlabs: API keys are not accepted in config files; put the key in an environment variable (api_key_env, default ELEVENLABS_API_KEY) or a file (api_key_file)")
	}
	b := &Backend{
		model:        r.String("model_id", "eleven_multilingual_v2"),
		price:        r.Float("price_per_million", -1),
		voice:        r.String("voice", "JBFqnCBsd6RMkjVDRZzb"),
		outputFormat: r.String("output_format", "pcm_24000"),
		timeout:      r.Duration("timeout", 120*time.Second),
		concurrency:  r.Int("concurrency", 2),
		speed:        r.Float("speed", 1),
		client:       &http.Client{CheckRedirect: fleet.SameHostRedirect},
	}
	fptr := func(k string) *float64 {
		if !r.Has(k) {
			return nil
		}
		v := r.Float(k, 0)
		if v < 0 || v > 1 {
			r.Failf(k, "%g is outside 0..1", v)
		}
		return &v
	}
	b.settings.Stability = fptr("stability")
	b.settings.SimilarityBoost = fptr("similarity_boost")
	b.settings.Style = fptr("style")
	if r.Has("use_speaker_boost") {
		v := r.Bool("use_speaker_boost", true)
		b.settings.UseSpeakerBoost = &v
	}
	defMax, ok := modelMaxChars[b.model]
	if !ok {
		defMax = 5000
	}
	b.maxChars = r.Int("max_chars", defMax)
	threshold := r.Int("breaker_failures", 3)
	cooldown := r.Duration("breaker_cooldown", 30*time.Second)
	endpoints := r.Strings("endpoints")
	baseURL := r.String("base_url", "")
	keyEnv := r.String("api_key_env", "")
	keyFile := r.String("api_key_file", "")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var err error
	if b.format, b.rate, err = parseOutputFormat(b.outputFormat); err != nil {
		return nil, fmt.Errorf("elevenlabs: param \"output_format\": %w", err)
	}
	if b.speed < 0.7 || b.speed > 1.2 {
		return nil, fmt.Errorf("elevenlabs: param \"speed\": %g is outside ElevenLabs' 0.7..1.2", b.speed)
	}
	if b.timeout <= 0 || b.maxChars < 0 || b.concurrency < 0 {
		return nil, errors.New("elevenlabs: timeout must be positive, max_chars and concurrency not negative")
	}
	if baseURL != "" && len(endpoints) > 0 {
		return nil, errors.New("elevenlabs: set base_url or endpoints, not both")
	}
	if len(endpoints) == 0 {
		if baseURL == "" {
			baseURL = DefaultBaseURL
		}
		endpoints = []string{baseURL}
	}
	for i, e := range endpoints {
		if endpoints[i], err = apiHost(e); err != nil {
			return nil, fmt.Errorf("elevenlabs: %w", err)
		}
	}
	if b.fleet, err = fleet.New(endpoints, fleet.Options{Backend: Name, Threshold: threshold, Cooldown: cooldown}); err != nil {
		return nil, fmt.Errorf("elevenlabs: %w", err)
	}
	if b.price < 0 {
		b.price = 0 // a self-hosted or proxy endpoint, unless configured
		if len(endpoints) == 1 && strings.TrimRight(endpoints[0], "/") == DefaultBaseURL {
			b.price = listPrice(b.model)
		}
	}
	if keyEnv != "" && keyFile != "" {
		return nil, errors.New("elevenlabs: set api_key_env or api_key_file, not both")
	}
	if keyFile != "" {
		data, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, fmt.Errorf("elevenlabs: api_key_file: %w", err)
		}
		b.key, b.keySource = strings.TrimSpace(string(data)), "the key in "+keyFile
	} else {
		if keyEnv == "" {
			keyEnv = "ELEVENLABS_API_KEY"
		}
		b.key, b.keySource = strings.TrimSpace(os.Getenv(keyEnv)), keyEnv
		if b.key == "" {
			b.keySource = keyEnv + " (it is not set)"
		}
	}
	return b, nil
}

// parseOutputFormat reads codec_rate[_bitrate] for the codecs we decode.
func parseOutputFormat(s string) (audio.Format, int, error) {
	parts := strings.Split(s, "_")
	if len(parts) < 2 {
		return "", 0, fmt.Errorf("%q is not codec_samplerate[_bitrate]", s)
	}
	rate, err := strconv.Atoi(parts[1])
	if err != nil || rate < 8000 || rate > 48000 {
		return "", 0, fmt.Errorf("%q has no valid sample rate", s)
	}
	switch {
	case parts[0] == "pcm" && len(parts) == 2:
		return audio.RawS16, rate, nil
	case parts[0] == "wav" && len(parts) == 2:
		return audio.WAV, rate, nil
	case parts[0] == "mp3" && len(parts) == 3:
		return audio.MP3, rate, nil
	}
	return "", 0, fmt.Errorf("%q is not supported; use pcm_<rate>, wav_<rate> or mp3_<rate>_<kbps>", s)
}

// Close implements synth.Backend: it drops the idle keep-alive
// connections to the service.
func (b *Backend) Close() error {
	b.client.CloseIdleConnections()
	return nil
}

// Info describes the backend.
func (b *Backend) Info() synth.Info {
	js, _ := json.Marshal(b.settings)
	return synth.Info{
		Name:        Name,
		Model:       fmt.Sprintf("%s format=%s speed=%g settings=%s", b.model, b.outputFormat, b.speed, js),
		MaxChars:    b.maxChars,
		Concurrency: b.concurrency,
		Price:       b.price,
		Catalogue:   strings.Join(b.fleet.URLs(), " "),
		// previous_text and next_text keep prosody continuous.
		Context: true,
	}
}

// listPrice is ElevenLabs' API list price per million characters (2026):
// $0.10 per thousand for the multilingual and v3 models, half that for
// Flash and Turbo.
func listPrice(model string) float64 {
	if strings.Contains(model, "flash") || strings.Contains(model, "turbo") {
		return 50
	}
	return 100
}

// Synthesize speaks req.Text; it never retries (the pipeline does).
func (b *Backend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if blank, err := synth.Precheck(ctx, Name, req, b.maxChars); blank || err != nil {
		return pcm.Buffer{Rate: b.rate}, err
	}
	voice := req.Voice
	if voice == "" {
		voice = b.voice
	}
	settings := b.settings
	speed := b.speed
	if req.Rate > 0 {
		speed *= req.Rate
	}
	if speed != 1 {
		speed = min(max(speed, 0.7), 1.2)
		settings.Speed = &speed
	}
	bd := body{Text: req.Text, ModelID: b.model, PreviousText: req.Previous, NextText: req.Next}
	if settings != (voiceSettings{}) {
		bd.VoiceSettings = &settings
	}
	data, err := json.Marshal(bd)
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	lease, err := b.fleet.Wait(ctx)
	if err != nil {
		return pcm.Buffer{}, err
	}
	buf, err := b.post(ctx, lease.URL(), voice, req.Text, data)
	lease.Release(err)
	return buf, err
}

func (b *Backend) do(parent context.Context, method, u string, body []byte) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequest(method, u, rd)
	if err != nil {
		return nil, nil, &synth.Error{Backend: Name, Err: err}
	}
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if b.key != "" {
		hreq.Header.Set("xi-api-key", b.key)
	}
	return fleet.Send(parent, b.client, b.timeout, Name, hreq)
}

func (b *Backend) post(ctx context.Context, base, voice, text string, body []byte) (pcm.Buffer, error) {
	u := base + "/v1/text-to-speech/" + url.PathEscape(voice) + "?output_format=" + url.QueryEscape(b.outputFormat)
	resp, data, err := b.do(ctx, http.MethodPost, u, body)
	if err != nil {
		return pcm.Buffer{}, err
	}
	if resp.StatusCode/100 != 2 {
		return pcm.Buffer{}, b.statusError(resp, data, voice, http.MethodPost, u)
	}
	if len(data) == 0 {
		// Text always yields some audio: an empty body is a glitch.
		return pcm.Buffer{}, &synth.Error{Backend: Name, Transient: true, Err: errors.New("reply held no audio (an empty body)")}
	}
	ct := resp.Header.Get("Content-Type")
	format := b.format
	if f, _, ok := audio.FromContentType(ct); ok && f != audio.RawS16 {
		// Trust a self-describing container over what we asked for, when
		// the data is one: proxies label any reply audio/mpeg.
		if f == audio.WAV && audio.Sniff(data) == audio.WAV || f == audio.MP3 && audio.IsMP3(data) {
			format = f
		}
	} else if !ok {
		mt := strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
		if mt != "" && mt != "application/octet-stream" && !strings.HasPrefix(mt, "audio/") {
			said := parseAPIError(data).Message
			if said == "" {
				said = string(data[:min(len(data), 300)])
			}
			return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%s replied with content type %q, not audio: is base_url the ElevenLabs API? (%s)", base, ct, fleet.Excerpt([]byte(said), b.key))}
		}
	}
	if audio.Sniff(data) == audio.WAV {
		format = audio.WAV // a RIFF header is unmistakable
	}
	if audio.Truncated(format, data) {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("%s reply truncated: the audio ends before it says it does", format)}
	}
	buf, err := audio.Decode(format, data, b.rate)
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("decoding %s reply: %w", b.outputFormat, err)}
	}
	if len(buf.Samples) == 0 && synth.Speakable(text) {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Transient: true, Err: errors.New("reply held no audio")}
	}
	return buf, nil
}

// Voices lists the account's voices from GET /v1/voices; cached after the
// first success.
func (b *Backend) Voices(ctx context.Context) ([]synth.Voice, error) {
	b.mu.Lock()
	cached := b.voices
	b.mu.Unlock()
	if cached != nil {
		return append([]synth.Voice(nil), cached...), nil
	}
	lease, err := b.fleet.Wait(ctx)
	if err != nil {
		return nil, err
	}
	u := lease.URL() + "/v1/voices"
	resp, data, err := b.do(ctx, http.MethodGet, u, nil)
	if err != nil {
		lease.Release(err)
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		e := b.statusError(resp, data, "", http.MethodGet, u).(*synth.Error)
		e.Err = fmt.Errorf("listing voices: %w", e.Err)
		// A rate limit on the listing counts against the endpoint like
		// one on speech.
		lease.Release(e)
		return nil, e
	}
	lease.Release(nil)
	vs, err := parseVoices(data)
	if err != nil {
		return nil, &synth.Error{Backend: Name, Err: err}
	}
	b.mu.Lock()
	b.voices = vs
	b.mu.Unlock()
	return append([]synth.Voice(nil), vs...), nil
}

// parseVoices reads GET /v1/voices. The labels give gender, accent, age
// and use case; a voice speaks every language of the multilingual models
// ("mul") unless a "language" label or its verified languages say
// otherwise.
func parseVoices(data []byte) ([]synth.Voice, error) {
	var list struct {
		Voices []struct {
			VoiceID           string            `json:"voice_id"`
			Name              string            `json:"name"`
			Category          string            `json:"category"`
			Labels            map[string]string `json:"labels"`
			VerifiedLanguages []struct {
				Language string `json:"language"`
			} `json:"verified_languages"`
		} `json:"voices"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("voice list: %w", err)
	}
	var out []synth.Voice
	for _, v := range list.Voices {
		if v.VoiceID == "" {
			continue
		}
		g := strings.ToLower(v.Labels["gender"])
		if g != "male" && g != "female" {
			g = ""
		}
		lang := v.Labels["language"]
		if lang == "" {
			// Listed once per model: one language under several
			// models is still one language.
			distinct := map[string]bool{}
			for _, l := range v.VerifiedLanguages {
				if l.Language != "" {
					distinct[strings.ToLower(l.Language)] = true
					lang = l.Language
				}
			}
			if len(distinct) != 1 {
				lang = ""
			}
		}
		if lang == "" {
			lang = "mul"
		}
		labels := map[string]string{}
		for k, x := range v.Labels {
			if k != "gender" && k != "accent" && k != "language" && x != "" {
				labels[k] = x
			}
		}
		if v.Category != "" {
			labels["category"] = v.Category
		}
		if len(labels) == 0 {
			labels = nil
		}
		out = append(out, synth.Voice{ID: v.VoiceID, Name: v.Name, Gender: g, Language: lang,
			Accent: accent(v.Labels["accent"]), Source: synth.SourceServer, Labels: labels})
	}
	if len(out) == 0 {
		return nil, errors.New("voice list is empty")
	}
	return out, nil
}

// accent turns a label such as "british" or "american-southern" into
// "British" or "American southern".
func accent(label string) string {
	label = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(label, "_", " "), "-", " "))
	if label == "" {
		return ""
	}
	return strings.ToUpper(label[:1]) + label[1:]
}
