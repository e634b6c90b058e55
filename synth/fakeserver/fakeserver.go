// Package fakeserver runs in-process HTTP servers that speak the OpenAI
// /v1/audio/speech wire format (with Kokoro-FastAPI's voice listing) and
// the ElevenLabs /v1/text-to-speech format, return real audio, reject
// what the real services reject (unknown voices and models, input over
// their length limits, bad keys) with the services' own error bodies, and
// inject faults on demand: status codes with Retry-After and the API's
// error codes (rate limits, quota), on every kind of request; connection
// resets; slow replies; bodies cut off, streamed, empty or ended by the
// connection's close; WAV headers with streaming placeholder sizes; wrong
// content types.
//
// Backend tests, pipeline tests and benchmarks use it as "an
// OpenAI-compatible server with N endpoints, fixed latency, and every
// k-th request failing with 429".
package fakeserver

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
)

// Fault is what the server does instead of answering normally. The zero
// Fault answers normally.
type Fault struct {
	// Status replies with this HTTP status and an API-style JSON error.
	Status int
	// Code and Message fill that error: OpenAI's error.code and
	// error.message, ElevenLabs' detail.status and detail.message (such
	// as "quota_exceeded" with a 401). Message defaults to the status text.
	Code, Message string
	// RetryAfter is sent as the Retry-After header with Status.
	RetryAfter string
	// Header holds extra headers sent with Status, such as OpenAI's
	// Retry-After-Ms.
	Header map[string]string
	// Reset closes the TCP connection (with RST) without replying.
	Reset bool
	// Delay waits this long before replying, or until the client hangs up.
	Delay time.Duration
	// Truncate announces the full Content-Length but sends only half the
	// audio before closing the connection.
	Truncate bool
	// ContentType replies 200 with this content type and a body that is
	// not audio: the API's JSON error when the type is JSON, else an HTML
	// page, as proxies and login walls send.
	ContentType string
	// Empty replies 200 with the audio content type and no body.
	Empty bool
	// Stream sends the audio without a Content-Length, in chunks flushed
	// one by one, as Kokoro-FastAPI and OpenAI stream speech. With
	// Truncate the connection drops after half of the chunks.
	Stream bool
	// AudioType labels the audio with this Content-Type instead of its
	// own, as proxies that call every reply audio/mpeg do.
	AudioType string
	// WAVSizes rewrites a WAV reply's RIFF and data sizes as servers
	// that stream WAV write them, not knowing the length yet: "zero"
	// (Python's wave module on a pipe) or "max" (0xFFFFFFFF, ffmpeg).
	WAVSizes string
	// Unframed sends the audio with neither a Content-Length nor chunked
	// encoding: the body ends when the connection closes, as HTTP/1.0
	// servers and some proxies do. With Truncate it closes half-way, and
	// only the audio itself can tell.
	Unframed bool
}

// EveryK returns a fault plan that injects f on every k-th request
// (k, 2k, 3k...). k <= 0 never injects.
func EveryK(k int, f Fault) func(n int) Fault {
	return func(n int) Fault {
		if k > 0 && n%k == 0 {
			return f
		}
		return Fault{}
	}
}

// Options configure a server. Zero values pick the defaults.
type Options struct {
	// Latency is added to every speech request.
	Latency time.Duration
	// Voices the server knows; default OpenAIVoices, or KokoroVoices
	// with ListVoices. The ElevenLabs voice list gives their gender,
	// accent, language and labels as ElevenLabs labels.
	Voices []synth.Voice
	// ListVoices serves GET /v1/audio/voices in Kokoro-FastAPI's shape
	// and makes errors use Kokoro-FastAPI's {"detail": ...} body. Without
	// it the server acts like api.openai.com, which has no voice listing
	// (404) and answers 400 for a voice it does not have.
	ListVoices bool
	// APIKey, when set, must arrive as "Authorization: Bearer KEY" (OpenAI
	// routes) or "xi-api-key: KEY" (ElevenLabs routes); otherwise 401.
	APIKey string
	// Rate is the sample rate of OpenAI-route audio (default 24000).
	Rate int
	// ForceFormat answers OpenAI-route requests in this format ("wav",
	// "pcm", "mp3") whatever was asked, like servers that ignore
	// response_format.
	ForceFormat string
	// MP3 encodes mp3 replies; nil makes mp3 requests fail with 400.
	// LameMP3 is one.
	MP3 func(pcm.Buffer) ([]byte, error)
	// Fault plans faults by the 1-based number of the request, counted
	// over every kind (speech and voice lists, both APIs) as services
	// rate-limit them all; nil injects none.
	Fault func(n int) Fault
	// Models the speech routes accept; default OpenAIModels, or
	// KokoroModels with ListVoices, or the keys of ElevenModels on the
	// ElevenLabs route. An unknown model fails as the real service fails:
	// OpenAI 404 model_not_found, Kokoro-FastAPI 400 invalid_model,
	// ElevenLabs 400 model_not_found.
	Models []string
	// MaxConcurrent, when positive, is how many speech requests the
	// server answers at once; one more is refused with a 429 and no
	// Retry-After, as ElevenLabs enforces a plan's concurrency.
	MaxConcurrent int
	// MaxInput is the longest text (in characters) a speech request may
	// carry; longer text fails with the service's 400. 0 means OpenAI's
	// 4096 on the OpenAI route (none with ListVoices, as Kokoro-FastAPI
	// splits text itself) and the model's limit on the ElevenLabs route.
	MaxInput int
}

// OpenAIModels are api.openai.com's speech models.
var OpenAIModels = []string{"tts-1", "tts-1-hd", "gpt-4o-mini-tts", "gpt-4o-mini-tts-2025-12-15"}

// KokoroModels are the model names Kokoro-FastAPI maps to its model.
var KokoroModels = []string{"kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"}

// ElevenModels are ElevenLabs' speech models with their per-request
// character limits.
var ElevenModels = map[string]int{
	"eleven_v3": 5000, "eleven_multilingual_v2": 10000, "eleven_flash_v2_5": 40000,
	"eleven_turbo_v2_5": 40000, "eleven_turbo_v2": 30000, "eleven_flash_v2": 30000,
	"eleven_monolingual_v1": 10000, "eleven_multilingual_v1": 10000,
}

// KokoroVoices are the voices Kokoro-FastAPI lists for Kokoro-82M v1.0,
// named language letter, gender letter, underscore, name.
var KokoroVoices = ids(
	"af_alloy", "af_aoede", "af_bella", "af_heart", "af_jessica", "af_kore", "af_nicole", "af_nova", "af_river", "af_sarah", "af_sky",
	"am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam", "am_michael", "am_onyx", "am_puck", "am_santa",
	"bf_alice", "bf_emma", "bf_isabella", "bf_lily", "bm_daniel", "bm_fable", "bm_george", "bm_lewis",
	"ef_dora", "em_alex", "em_santa", "ff_siwis", "hf_alpha", "hf_beta", "hm_omega", "hm_psi",
	"if_sara", "im_nicola", "jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo",
	"pf_dora", "pm_alex", "pm_santa", "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi",
	"zm_yunjian", "zm_yunxi", "zm_yunxia", "zm_yunyang")

// ElevenVoices are a few of ElevenLabs' premade voices with their labels.
var ElevenVoices = []synth.Voice{
	{ID: "JBFqnCBsd6RMkjVDRZzb", Name: "George", Gender: "male", Accent: "british", Labels: map[string]string{"age": "middle_aged", "use_case": "narrative_story"}},
	{ID: "EXAVITQu4vr4xnSDxMaL", Name: "Sarah", Gender: "female", Accent: "american", Labels: map[string]string{"age": "young", "use_case": "news"}},
	{ID: "21m00Tcm4TlvDq8ikWAM", Name: "Rachel", Gender: "female", Accent: "american", Labels: map[string]string{"age": "young", "use_case": "narration"}},
	{ID: "TX3LPaxmHKxFdv7VOQHJ", Name: "Liam", Gender: "male", Accent: "american", Labels: map[string]string{"age": "young", "use_case": "narration"}},
	{ID: "onwK4e9ZLuTAKqWW03F9", Name: "Daniel", Gender: "male", Accent: "british", Labels: map[string]string{"age": "middle_aged", "use_case": "news_presenter"}},
	{ID: "XB0fDUnXU5powFXDhCwa", Name: "Charlotte", Gender: "female", Accent: "swedish", Labels: map[string]string{"age": "young", "use_case": "characters"}},
	{ID: "pNInz6obpgDQGcFmaJgB", Name: "Adam", Gender: "male", Accent: "american", Labels: map[string]string{"age": "middle_aged", "use_case": "narration"}},
	{ID: "N2lVS1w4EtoT3dr4eOWO", Name: "Callum", Gender: "male", Accent: "transatlantic", Labels: map[string]string{"age": "middle_aged", "use_case": "characters"}},
	{ID: "XrExE9yKIg1WjnnlVkGX", Name: "Matilda", Gender: "female", Accent: "american", Labels: map[string]string{"age": "middle_aged", "use_case": "audiobook"}},
	{ID: "nPczCjzI2devNBz1zQrb", Name: "Brian", Gender: "male", Accent: "american", Labels: map[string]string{"age": "middle_aged", "use_case": "narration"}},
}

func ids(names ...string) []synth.Voice {
	out := make([]synth.Voice, len(names))
	for i, n := range names {
		out[i] = synth.Voice{ID: n}
	}
	return out
}

// OpenAIVoices are OpenAI's built-in voices.
var OpenAIVoices = []synth.Voice{
	{ID: "alloy"}, {ID: "ash"}, {ID: "ballad"}, {ID: "coral"}, {ID: "echo"}, {ID: "fable"},
	{ID: "onyx"}, {ID: "nova"}, {ID: "sage"}, {ID: "shimmer"}, {ID: "verse"}, {ID: "marin"}, {ID: "cedar"},
}

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	// Body is the decoded JSON body, nil when there was none.
	Body map[string]any
}

// Server is a running fake. Close it, or let New's t.Cleanup do it.
type Server struct {
	*httptest.Server
	opts Options

	mu       sync.Mutex
	reqs     []Request
	speeches int
	counted  int // requests of every kind, for the fault plan
	inflight int // speech requests being answered
	refused  int // speech requests refused over MaxConcurrent
}

// New starts a server that is closed when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Rate == 0 {
		opts.Rate = 24000
	}
	if opts.Voices == nil {
		opts.Voices = OpenAIVoices
		if opts.ListVoices {
			opts.Voices = KokoroVoices
		}
	}
	s := &Server{opts: opts}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/audio/speech", s.openAISpeech)
	if opts.ListVoices {
		mux.HandleFunc("GET /v1/audio/voices", s.kokoroVoices)
	}
	mux.HandleFunc("POST /v1/text-to-speech/{voice_id}", s.elevenSpeech)
	mux.HandleFunc("GET /v1/voices", s.elevenVoices)
	mux.HandleFunc("/", s.notFound)
	s.Server = httptest.NewServer(s.record(mux))
	t.Cleanup(s.Close)
	return s
}

// NewFleet starts n servers with the same options; the fault plan counts
// each server's requests separately.
func NewFleet(t testing.TB, n int, opts Options) []*Server {
	out := make([]*Server, n)
	for i := range out {
		out[i] = New(t, opts)
	}
	return out
}

// BaseURL is the OpenAI-style base URL, ending in /v1.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Count is how many requests of any kind arrived.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// SpeechCount is how many speech requests arrived.
func (s *Server) SpeechCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.speeches
}

func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()}
		if len(raw) > 0 {
			_ = json.Unmarshal(raw, &rec.Body)
		}
		speech := r.Method == http.MethodPost && (r.URL.Path == "/v1/audio/speech" || strings.HasPrefix(r.URL.Path, "/v1/text-to-speech/"))
		s.mu.Lock()
		s.reqs = append(s.reqs, rec)
		over := false
		if speech && s.opts.MaxConcurrent > 0 {
			over = s.inflight >= s.opts.MaxConcurrent
			if over {
				s.refused++
			} else {
				s.inflight++
			}
		}
		s.mu.Unlock()
		if over {
			// As ElevenLabs answers a plan's concurrency limit: 429
			// without Retry-After.
			f := Fault{Status: http.StatusTooManyRequests, Code: "too_many_concurrent_requests",
				Message: fmt.Sprintf("Too many concurrent requests: your plan allows %d at a time.", s.opts.MaxConcurrent)}
			if strings.HasPrefix(r.URL.Path, "/v1/text-to-speech/") {
				writeJSON(w, f.Status, elevenFault(f))
			} else {
				writeJSON(w, f.Status, s.openAIFault(f))
			}
			return
		}
		if speech && s.opts.MaxConcurrent > 0 {
			defer func() {
				s.mu.Lock()
				s.inflight--
				s.mu.Unlock()
			}()
		}
		next.ServeHTTP(w, r)
	})
}

// Refused is how many speech requests were refused for going over
// MaxConcurrent.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// begin counts a speech request, applies latency and returns its fault.
// It reports false when the fault has already been served.
func (s *Server) begin(w http.ResponseWriter, r *http.Request, errBody func(Fault) any) (Fault, bool) {
	s.mu.Lock()
	s.speeches++
	s.mu.Unlock()
	return s.fault(w, r, s.opts.Latency, errBody)
}

// fault numbers a request of any kind, waits as planned and serves its
// fault, reporting false when it did.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, latency time.Duration, errBody func(Fault) any) (Fault, bool) {
	s.mu.Lock()
	s.counted++
	n := s.counted
	s.mu.Unlock()
	var f Fault
	if s.opts.Fault != nil {
		f = s.opts.Fault(n)
	}
	if !sleep(r, latency+f.Delay) {
		return f, false
	}
	switch {
	case f.Reset:
		reset(w)
		return f, false
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		writeJSON(w, f.Status, errBody(f))
		return f, false
	case f.ContentType != "":
		w.Header().Set("Content-Type", f.ContentType)
		if strings.Contains(f.ContentType, "json") {
			json.NewEncoder(w).Encode(errBody(f))
			return f, false
		}
		io.WriteString(w, "<html><body>502 Bad Gateway (but sent as 200)</body></html>")
		return f, false
	}
	return f, true
}

// message is a fault's error message: its own, else the status text.
func (f Fault) message() string {
	if f.Message != "" {
		return f.Message
	}
	if f.Status == 0 {
		return "Internal error"
	}
	return http.StatusText(f.Status)
}

func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST, not FIN
	}
	conn.Close()
}

// send writes the audio as the fault says: whole, empty, streamed in
// chunks, or cut off half-way.
func send(w http.ResponseWriter, ct string, data []byte, f Fault) {
	if f.AudioType != "" {
		ct = f.AudioType
	}
	w.Header().Set("Content-Type", ct)
	if f.Empty {
		data = nil
	}
	if f.WAVSizes != "" && audio.Sniff(data) == audio.WAV && len(data) >= 44 {
		v := uint32(0)
		if f.WAVSizes == "max" {
			v = 0xFFFFFFFF
		}
		data = bytes.Clone(data)
		binary.LittleEndian.PutUint32(data[4:], v)
		binary.LittleEndian.PutUint32(data[40:], v) // EncodeWAV's data size
	}
	if f.Unframed {
		w.Header().Set("Transfer-Encoding", "identity") // net/http: close-delimited
		w.WriteHeader(http.StatusOK)
		if f.Truncate {
			data = data[:len(data)/2|1] // an odd length: PCM cut mid-sample
		}
		w.Write(data)
		return
	}
	if f.Stream {
		// No Content-Length: net/http sends chunked encoding.
		const chunks = 8
		step := max(1, (len(data)+chunks-1)/chunks)
		rc := http.NewResponseController(w)
		for i := 0; i < len(data); i += step {
			if f.Truncate && i >= len(data)/2 {
				panic(http.ErrAbortHandler) // no final chunk: the reply is cut
			}
			w.Write(data[i:min(i+step, len(data))])
			rc.Flush()
		}
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	if !f.Truncate {
		w.Write(data)
		return
	}
	w.Write(data[:len(data)/2])
	http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler) // net/http closes the connection
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) knows(voice string) bool { return s.unknown(voice) == "" }

// unknown returns the part of voice the server does not have, or "".
// In Kokoro-FastAPI mode a voice may be a mix: "af_bella+af_sky" adds,
// "af_bella-af_sky" subtracts, "af_bella(2)+af_sky(1)" weighs.
func (s *Server) unknown(voice string) string {
	parts := []string{voice}
	if s.opts.ListVoices {
		parts = strings.FieldsFunc(voice, func(r rune) bool { return r == '+' || r == '-' })
		if len(parts) == 0 {
			return voice
		}
	}
	for _, part := range parts {
		name := strings.TrimSpace(part)
		if i := strings.Index(name, "("); i > 0 && strings.HasSuffix(name, ")") {
			if _, err := strconv.ParseFloat(name[i+1:len(name)-1], 64); err != nil {
				return part
			}
			name = name[:i]
		}
		if !slices.ContainsFunc(s.opts.Voices, func(v synth.Voice) bool { return v.ID == name }) {
			return name
		}
	}
	return ""
}

// openAIError builds the error body of api.openai.com or Kokoro-FastAPI.
func (s *Server) openAIError(status int, code, msg, param string) any {
	if s.opts.ListVoices {
		if code == "" {
			code = "validation_error"
			if status >= 500 {
				code = "processing_error"
			}
		}
		return map[string]any{"detail": map[string]any{"error": code, "message": msg, "type": "invalid_request_error"}}
	}
	e := map[string]any{"message": msg, "type": "invalid_request_error", "param": nil, "code": nil}
	if param != "" {
		e["param"] = param
		e["code"] = "invalid_value"
	}
	switch status {
	case http.StatusUnauthorized:
		e["code"] = "invalid_api_key"
	case http.StatusTooManyRequests:
		e["type"], e["code"] = "requests", "rate_limit_exceeded"
	default:
		if status >= 500 {
			e["type"] = "server_error"
		}
	}
	if code != "" {
		e["code"] = code
	}
	return map[string]any{"error": e}
}

func (s *Server) openAIFault(f Fault) any { return s.openAIError(f.Status, f.Code, f.message(), "") }

func (s *Server) models() []string {
	switch {
	case s.opts.Models != nil:
		return s.opts.Models
	case s.opts.ListVoices:
		return KokoroModels
	}
	return OpenAIModels
}

func (s *Server) openAISpeech(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, msg, param string) {
		writeJSON(w, status, s.openAIError(status, code, msg, param))
	}
	if s.opts.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.APIKey {
		fail(http.StatusUnauthorized, "", "Incorrect API key provided.", "")
		return
	}
	f, ok := s.begin(w, r, s.openAIFault)
	if !ok {
		return
	}
	var req struct {
		Model          string   `json:"model"`
		Input          *string  `json:"input"`
		Voice          string   `json:"voice"`
		ResponseFormat string   `json:"response_format"`
		Speed          *float64 `json:"speed"`
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		fail(http.StatusBadRequest, "", "invalid JSON body: "+err.Error(), "")
		return
	}
	maxInput := s.opts.MaxInput
	if maxInput == 0 && !s.opts.ListVoices {
		maxInput = 4096
	}
	switch {
	case req.Model == "":
		fail(http.StatusBadRequest, "", "you must provide a model parameter", "model")
		return
	case !slices.Contains(s.models(), req.Model):
		if s.opts.ListVoices {
			fail(http.StatusBadRequest, "invalid_model", fmt.Sprintf("Unsupported model: %s", req.Model), "")
		} else {
			fail(http.StatusNotFound, "model_not_found", fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", req.Model), "")
		}
		return
	case req.Input == nil || *req.Input == "":
		fail(http.StatusBadRequest, "", "input is required", "input")
		return
	case maxInput > 0 && utf8.RuneCountInString(*req.Input) > maxInput:
		fail(http.StatusBadRequest, "string_above_max_length", fmt.Sprintf("Invalid 'input': string too long. Expected a string with maximum length %d, but got a string with length %d instead.", maxInput, utf8.RuneCountInString(*req.Input)), "input")
		return
	case !s.knows(req.Voice):
		if s.opts.ListVoices {
			var ids []string
			for _, v := range s.opts.Voices {
				ids = append(ids, v.ID)
			}
			fail(http.StatusBadRequest, "", fmt.Sprintf("Voice '%s' not found. Available voices: %s", s.unknown(req.Voice), strings.Join(ids, ", ")), "")
		} else {
			fail(http.StatusBadRequest, "", fmt.Sprintf("Invalid value: '%s'. Voice not found.", req.Voice), "voice")
		}
		return
	case req.Speed != nil && (*req.Speed < 0.25 || *req.Speed > 4):
		fail(http.StatusBadRequest, "", "speed must be between 0.25 and 4.0", "speed")
		return
	}
	format := req.ResponseFormat
	if format == "" {
		format = "mp3" // the API's default
	}
	if s.opts.ForceFormat != "" {
		format = s.opts.ForceFormat
	}
	speed := 1.0
	if req.Speed != nil {
		speed = *req.Speed
	}
	data, ct, err := s.encode(format, reply(*req.Input, s.opts.Rate, speed))
	if err != nil {
		fail(http.StatusBadRequest, "", err.Error(), "response_format")
		return
	}
	send(w, ct, data, f)
}

func (s *Server) encode(format string, buf pcm.Buffer) ([]byte, string, error) {
	switch format {
	case "pcm":
		return audio.EncodeRaw(buf), "audio/pcm", nil
	case "wav":
		return audio.EncodeWAV(buf), "audio/wav", nil
	case "mp3":
		if s.opts.MP3 == nil {
			return nil, "", fmt.Errorf("mp3 output is not available on this server")
		}
		b, err := s.opts.MP3(buf)
		return b, "audio/mpeg", err
	}
	return nil, "", fmt.Errorf("unsupported response_format %q", format)
}

func (s *Server) kokoroVoices(w http.ResponseWriter, r *http.Request) {
	type voice struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if s.opts.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.APIKey {
		writeJSON(w, http.StatusUnauthorized, s.openAIError(http.StatusUnauthorized, "", "Incorrect API key provided.", ""))
		return
	}
	if _, ok := s.fault(w, r, 0, s.openAIFault); !ok {
		return
	}
	if r.URL.Query().Get("legacy") == "true" {
		ids := []string{}
		for _, v := range s.opts.Voices {
			ids = append(ids, v.ID)
		}
		writeJSON(w, http.StatusOK, map[string]any{"voices": ids})
		return
	}
	vs := []voice{}
	for _, v := range s.opts.Voices {
		vs = append(vs, voice{ID: v.ID, Name: v.ID})
	}
	writeJSON(w, http.StatusOK, map[string]any{"voices": vs})
}

// notFound answers a route the server does not have, after the fault
// plan: a service's rate limit sits in front of its routing, so a 429
// can come before the 404. The 404 has the API's shape (OpenAI: "Invalid
// URL (GET /v1/...)").
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	errBody := s.openAIFault
	if strings.HasPrefix(r.URL.Path, "/v1/text-to-speech") {
		errBody = elevenFault
	}
	if _, ok := s.fault(w, r, 0, errBody); !ok {
		return
	}
	msg := fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path)
	writeJSON(w, http.StatusNotFound, errBody(Fault{Status: http.StatusNotFound, Message: msg}))
}

func elevenError(status int, code, msg string) any {
	return map[string]any{"detail": map[string]any{"status": code, "message": msg}}
}

// elevenFault is ElevenLabs' body for a fault: its code (detail.status)
// is the fault's, else the one ElevenLabs sends with that status.
func elevenFault(f Fault) any {
	code := f.Code
	if code == "" {
		switch {
		case f.Status == http.StatusTooManyRequests:
			code = "too_many_concurrent_requests"
		case f.Status == http.StatusUnauthorized:
			code = "invalid_api_key"
		case f.Status >= 500:
			code = "internal_error"
		default:
			code = "invalid_request"
		}
	}
	return elevenError(f.Status, code, f.message())
}

func (s *Server) elevenAuth(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.APIKey != "" && r.Header.Get("xi-api-key") != s.opts.APIKey {
		writeJSON(w, http.StatusUnauthorized, elevenError(401, "invalid_api_key", "Invalid API key"))
		return false
	}
	return true
}

func (s *Server) elevenSpeech(w http.ResponseWriter, r *http.Request) {
	if !s.elevenAuth(w, r) {
		return
	}
	f, ok := s.begin(w, r, elevenFault)
	if !ok {
		return
	}
	voice := r.PathValue("voice_id")
	if !s.knows(voice) {
		writeJSON(w, http.StatusNotFound, elevenError(404, "voice_not_found", fmt.Sprintf("A voice with the voice_id %s was not found.", voice)))
		return
	}
	var req struct {
		Text          *string `json:"text"`
		ModelID       string  `json:"model_id"`
		VoiceSettings *struct {
			Speed *float64 `json:"speed"`
		} `json:"voice_settings"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Text == nil || *req.Text == "" {
		// FastAPI's validation error, as ElevenLabs sends it.
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": []any{map[string]any{
			"loc": []string{"body", "text"}, "msg": "Field required", "type": "missing"}}})
		return
	}
	model := req.ModelID
	if model == "" {
		model = "eleven_multilingual_v2" // the API's default
	}
	limit, known := ElevenModels[model]
	if s.opts.Models != nil {
		known = slices.Contains(s.opts.Models, model)
	}
	if !known {
		writeJSON(w, http.StatusBadRequest, elevenError(400, "model_not_found", fmt.Sprintf("A model with model ID %s does not exist.", model)))
		return
	}
	if s.opts.MaxInput > 0 {
		limit = s.opts.MaxInput
	}
	if n := utf8.RuneCountInString(*req.Text); limit > 0 && n > limit {
		writeJSON(w, http.StatusBadRequest, elevenError(400, "max_character_limit_exceeded",
			fmt.Sprintf("This request's text has %d characters and exceeds the character limit of %d characters.", n, limit)))
		return
	}
	of := r.URL.Query().Get("output_format")
	if of == "" {
		of = "mp3_44100_128"
	}
	parts := strings.Split(of, "_")
	rate := 0
	if len(parts) >= 2 {
		rate, _ = strconv.Atoi(parts[1])
	}
	if rate < 8000 || rate > 48000 {
		writeJSON(w, http.StatusBadRequest, elevenError(400, "invalid_output_format", "unknown output_format "+of))
		return
	}
	speed := 1.0
	if req.VoiceSettings != nil && req.VoiceSettings.Speed != nil {
		speed = *req.VoiceSettings.Speed
	}
	data, ct, err := s.encode(parts[0], reply(*req.Text, rate, speed))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, elevenError(400, "invalid_output_format", err.Error()))
		return
	}
	w.Header().Set("request-id", fmt.Sprintf("req%06d", s.SpeechCount()))
	send(w, ct, data, f)
}

func (s *Server) elevenVoices(w http.ResponseWriter, r *http.Request) {
	if !s.elevenAuth(w, r) {
		return
	}
	if _, ok := s.fault(w, r, 0, elevenFault); !ok {
		return
	}
	type voice struct {
		VoiceID  string            `json:"voice_id"`
		Name     string            `json:"name"`
		Category string            `json:"category"`
		Labels   map[string]string `json:"labels"`
	}
	vs := []voice{}
	for _, v := range s.opts.Voices {
		name := v.Name
		if name == "" {
			name = v.ID
		}
		labels := map[string]string{}
		for k, x := range v.Labels {
			labels[k] = x
		}
		if v.Gender != "" {
			labels["gender"] = v.Gender
		}
		if v.Accent != "" {
			labels["accent"] = strings.ToLower(v.Accent)
		}
		if v.Language != "" {
			labels["language"] = v.Language
		}
		vs = append(vs, voice{VoiceID: v.ID, Name: name, Category: "premade", Labels: labels})
	}
	writeJSON(w, http.StatusOK, map[string]any{"voices": vs})
}

// Speech makes a deterministic speech-like signal for text: each word is
// a 0.3 s voiced burst (a 120 Hz buzz with harmonics under a smooth
// envelope), words are 80 ms apart, and sentence punctuation adds 250 ms
// of silence. speed divides every duration, as TTS speed settings do.
// Its length follows the text, so a client that misreads the sample rate
// gets implausible durations.
func Speech(text string, rate int, speed float64) pcm.Buffer {
	if speed <= 0 {
		speed = 1
	}
	n := func(sec float64) int { return int(sec / speed * float64(rate)) }
	var out []float32
	for _, w := range strings.Fields(text) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			k := n(0.3)
			for i := range k {
				t := float64(i) / float64(rate)
				env := math.Sin(math.Pi * float64(i) / float64(k))
				v := 0.0
				for h := 1; h <= 5; h++ {
					v += math.Sin(2*math.Pi*120*float64(h)*t) / float64(h)
				}
				out = append(out, float32(0.35*env*v))
			}
			out = append(out, make([]float32, n(0.08))...)
		}
		if strings.ContainsAny(w[len(w)-1:], ".!?") {
			out = append(out, make([]float32, n(0.25))...)
		}
	}
	return pcm.Buffer{Rate: rate, Samples: out}
}

// reply is the audio a server sends for text: Speech, or for text of
// punctuation alone a moment of silence, as real services send.
func reply(text string, rate int, speed float64) pcm.Buffer {
	b := Speech(text, rate, speed)
	if len(b.Samples) == 0 {
		b.Samples = make([]float32, rate/10)
	}
	return b
}

// LameMP3 encodes b with the lame program; tests that need MP3 replies
// call LookLame first and skip when it is missing.
func LameMP3(b pcm.Buffer) ([]byte, error) {
	khz := strconv.FormatFloat(float64(b.Rate)/1000, 'f', -1, 64)
	cmd := exec.Command("lame", "--quiet", "-r", "-s", khz, "--bitwidth", "16", "--signed", "--little-endian", "-m", "m", "-", "-")
	cmd.Stdin = bytes.NewReader(audio.EncodeRaw(b))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("lame: %v: %s", err, stderr.String())
	}
	return out, nil
}

// LookLame reports whether the lame program is installed.
func LookLame() bool {
	_, err := exec.LookPath("lame")
	return err == nil
}
