package openai

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
	"github.com/narrate-audio/narrate/synth/fakeserver"
	"github.com/narrate-audio/narrate/synth/synthtest"
)

const keyEnv = "NARRATE_TEST_OPENAI_KEY"

func open(t *testing.T, p synth.Params) *Backend {
	t.Helper()
	b, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return b.(*Backend)
}

func TestConformance(t *testing.T) {
	cases := []struct {
		name string
		srv  fakeserver.Options
		p    synth.Params
	}{
		{"openai pcm", fakeserver.Options{APIKey: "sk-test"}, synth.Params{"api_key_env": keyEnv, "response_format": "pcm"}},
		{"openai wav", fakeserver.Options{APIKey: "sk-test"}, synth.Params{"api_key_env": keyEnv, "response_format": "wav"}},
		{"kokoro 22050 wav", fakeserver.Options{ListVoices: true, Rate: 22050, Voices: []synth.Voice{{ID: "af_heart"}, {ID: "bm_george"}}},
			synth.Params{"model": "kokoro", "voice": "af_heart", "response_format": "wav"}},
		{"two endpoints", fakeserver.Options{APIKey: "sk-test"}, synth.Params{"api_key_env": keyEnv}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(keyEnv, "sk-test")
			voice := "alloy"
			if c.srv.Voices != nil {
				voice = c.srv.Voices[0].ID
			}
			synthtest.Run(t, func(t *testing.T) synth.Backend {
				p := synth.Params{}
				for k, v := range c.p {
					p[k] = v
				}
				if c.name == "two endpoints" {
					srvs := fakeserver.NewFleet(t, 2, c.srv)
					p["endpoints"] = []any{srvs[0].BaseURL(), srvs[1].BaseURL()}
				} else {
					p["base_url"] = fakeserver.New(t, c.srv).BaseURL()
				}
				return open(t, p)
			}, synthtest.Options{Voice: voice, UnknownVoice: "no_such_voice", TooLong: synth.ErrTooLong, Short: testing.Short()})
		})
	}
}

// TestWire checks the exact request: path, headers and JSON body.
func TestWire(t *testing.T) {
	t.Setenv(keyEnv, "sk-wire")
	srv := fakeserver.New(t, fakeserver.Options{APIKey: "sk-wire"})
	b := open(t, synth.Params{"base_url": srv.BaseURL() + "/", "api_key_env": keyEnv, "model": "gpt-4o-mini-tts", "speed": 1.25})
	if _, err := b.Synthesize(context.Background(), synth.Request{Text: "Hi there.", Voice: "nova", Rate: 0.8}); err != nil {
		t.Fatal(err)
	}
	b2 := open(t, synth.Params{"base_url": srv.BaseURL(), "api_key_env": keyEnv, "model": "gpt-4o-mini-tts", "instructions": "Speak calmly."})
	if _, err := b2.Synthesize(context.Background(), synth.Request{Text: "Hi."}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/v1/audio/speech" || r.Header.Get("Authorization") != "Bearer sk-wire" || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("request line/headers: %s %s %v", r.Method, r.Path, r.Header)
	}
	want := map[string]any{"model": "gpt-4o-mini-tts", "input": "Hi there.", "voice": "nova", "response_format": "wav", "speed": 1.0}
	if len(r.Body) != len(want) {
		t.Fatalf("body %v has other keys than %v (instructions must be omitted when unset)", r.Body, want)
	}
	for k, v := range want {
		if r.Body[k] != v {
			t.Errorf("body[%q] = %v, want %v", k, r.Body[k], v)
		}
	}
	if reqs[1].Body["instructions"] != "Speak calmly." || reqs[1].Body["voice"] != "alloy" || reqs[1].Body["speed"] != 1.0 {
		t.Errorf("second body = %v", reqs[1].Body)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     fakeserver.Fault
		transient bool
		retry     time.Duration
		contains  string
	}{
		{"429 seconds", fakeserver.Fault{Status: 429, RetryAfter: "7"}, true, 7 * time.Second, "429"},
		{"429 date", fakeserver.Fault{Status: 429, RetryAfter: time.Now().Add(time.Hour).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")}, true, 59 * time.Minute, "429"},
		{"500", fakeserver.Fault{Status: 500}, true, 0, "500"},
		{"502", fakeserver.Fault{Status: 502}, true, 0, "502"},
		{"503", fakeserver.Fault{Status: 503, RetryAfter: "2"}, true, 2 * time.Second, "503"},
		{"504", fakeserver.Fault{Status: 504}, true, 0, "504"},
		{"reset", fakeserver.Fault{Reset: true}, true, 0, "POST"},
		{"slow past timeout", fakeserver.Fault{Delay: time.Minute}, true, 0, "timed out"},
		{"truncated", fakeserver.Fault{Truncate: true}, true, 0, "truncated"},
		{"html 200", fakeserver.Fault{ContentType: "text/html; charset=utf-8"}, false, 0, "not audio"},
		{"400 other", fakeserver.Fault{Status: 400}, false, 0, "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, tt.fault)})
			// Only the slow reply should run out of time, however busy
			// the machine.
			timeout := "60s"
			if tt.fault.Delay > 0 {
				timeout = "300ms"
			}
			b := open(t, synth.Params{"base_url": srv.BaseURL(), "timeout": timeout})
			_, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello world.", Voice: "alloy"})
			if err == nil {
				t.Fatal("no error")
			}
			var se *synth.Error
			if !errors.As(err, &se) || se.Backend != Name {
				t.Fatalf("not a *synth.Error from openai: %T %v", err, err)
			}
			if synth.IsTransient(err) != tt.transient {
				t.Fatalf("transient = %v, want %v: %v", synth.IsTransient(err), tt.transient, err)
			}
			if ra := synth.RetryAfter(err); ra < tt.retry || ra > tt.retry+time.Minute+time.Second && tt.retry != 0 || tt.retry == 0 && ra != 0 {
				t.Fatalf("RetryAfter = %v, want %v", ra, tt.retry)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Fatalf("error %q does not mention %q", err, tt.contains)
			}
			if errors.Is(err, synth.ErrUnknownVoice) {
				t.Fatalf("fault misread as unknown voice: %v", err)
			}
		})
	}
}

func TestUnauthorized(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{APIKey: "sk-right"})
	t.Setenv(keyEnv, "sk-wrong-secret")
	b := open(t, synth.Params{"base_url": srv.BaseURL(), "api_key_env": keyEnv})
	_, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello."})
	if err == nil || synth.IsTransient(err) {
		t.Fatalf("err = %v, want a permanent error", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "openai: 401 Unauthorized: check "+keyEnv) || strings.Contains(msg, "sk-wrong-secret") {
		t.Fatalf("message %q must name the variable and never the key", msg)
	}
	t.Setenv(keyEnv, "")
	b = open(t, synth.Params{"base_url": srv.BaseURL(), "api_key_env": keyEnv})
	_, err = b.Synthesize(context.Background(), synth.Request{Text: "Hello."})
	if err == nil || !strings.Contains(err.Error(), "it is not set") {
		t.Fatalf("err = %v, want a hint that the variable is unset", err)
	}
	if r := srv.Requests(); r[len(r)-1].Header.Get("Authorization") != "" {
		t.Fatal("Authorization sent without a key")
	}
}

func TestKeyFile(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{APIKey: "sk-file"})
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte("sk-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := open(t, synth.Params{"base_url": srv.BaseURL(), "api_key_file": path})
	if _, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello."}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(synth.Params{"api_key_file": filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Fatal("missing key file accepted")
	}
}

func TestBaseURLFromEnv(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{})
	t.Setenv("OPENAI_BASE_URL", srv.BaseURL())
	b := open(t, synth.Params{})
	if _, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello."}); err != nil {
		t.Fatal(err)
	}
	if srv.SpeechCount() != 1 {
		t.Fatal("OPENAI_BASE_URL not used")
	}
}

func TestNewRejects(t *testing.T) {
	for _, p := range []synth.Params{
		{"api_key": "sk-plain"},
		{"base_ur": "http://x/v1"},
		{"response_format": "opus"},
		{"speed": 9},
		{"timeout": "never"},
		{"base_url": "http://a/v1", "endpoints": []any{"http://b/v1"}},
		{"endpoints": []any{"not a url"}},
		{"api_key_env": "A", "api_key_file": "/x"},
	} {
		if _, err := New(p); err == nil || !strings.HasPrefix(err.Error(), "openai") {
			t.Errorf("New(%v) = %v, want an error naming the backend", p, err)
		}
	}
	_, err := New(synth.Params{"api_key": "sk-plain"})
	if strings.Contains(err.Error(), "sk-plain") {
		t.Fatal("rejecting api_key leaked it")
	}
}

func TestMP3Reply(t *testing.T) {
	if !fakeserver.LookLame() {
		t.Skip("lame not installed; cannot produce MP3 replies")
	}
	// Like Orpheus-FastAPI, this server ignores response_format.
	srv := fakeserver.New(t, fakeserver.Options{ForceFormat: "mp3", MP3: fakeserver.LameMP3})
	b := open(t, synth.Params{"base_url": srv.BaseURL()})
	buf, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello world."})
	if err != nil {
		t.Fatal(err)
	}
	want := fakeserver.Speech("Hello world.", 24000, 1)
	if buf.Rate != 24000 || buf.Duration() < want.Duration() || buf.Duration() > want.Duration()+200*time.Millisecond {
		t.Fatalf("got %d Hz %v, want 24000 Hz about %v", buf.Rate, buf.Duration(), want.Duration())
	}
}

// TestExactAudio checks that pcm and wav replies decode to the samples
// the server sent, at the server's rate, not an assumed one.
func TestExactAudio(t *testing.T) {
	for _, tc := range []struct {
		format string
		rate   int
	}{{"pcm", 24000}, {"wav", 22050}, {"wav", 44100}} {
		srv := fakeserver.New(t, fakeserver.Options{Rate: tc.rate})
		b := open(t, synth.Params{"base_url": srv.BaseURL(), "response_format": tc.format})
		got, err := b.Synthesize(context.Background(), synth.Request{Text: "One two three."})
		if err != nil {
			t.Fatal(err)
		}
		want := fakeserver.Speech("One two three.", tc.rate, 1)
		if got.Rate != tc.rate || len(got.Samples) != len(want.Samples) {
			t.Fatalf("%s@%d: got %d Hz, %d samples; want %d samples", tc.format, tc.rate, got.Rate, len(got.Samples), len(want.Samples))
		}
		if d := pcm.RMS(got.Samples) - pcm.RMS(want.Samples); d > 1e-3 || d < -1e-3 {
			t.Fatalf("%s: level differs by %g", tc.format, d)
		}
	}
}

func TestVoiceListing(t *testing.T) {
	kokoro := fakeserver.New(t, fakeserver.Options{ListVoices: true, Voices: []synth.Voice{{ID: "af_heart"}, {ID: "am_adam"}}})
	vs, err := open(t, synth.Params{"base_url": kokoro.BaseURL()}).Voices(context.Background())
	if err != nil || len(vs) != 2 || vs[0].ID != "af_heart" {
		t.Fatalf("kokoro voices = %v, %v", vs, err)
	}
	plain := fakeserver.New(t, fakeserver.Options{})
	vs, err = open(t, synth.Params{"base_url": plain.BaseURL()}).Voices(context.Background())
	if err != nil || len(vs) != len(Builtin()) {
		t.Fatalf("built-in fallback = %v, %v", vs, err)
	}
	vs, _ = open(t, synth.Params{"base_url": plain.BaseURL(), "voices": []any{"a", "b"}}).Voices(context.Background())
	if len(vs) != 2 || vs[1].ID != "b" {
		t.Fatalf("fixed voices = %v", vs)
	}
}

func TestParseVoiceList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{`{"voices":[{"id":"af_bella","name":"af_bella"}]}`, []string{"af_bella"}, true},
		{`{"voices":["tara","leo"],"status":"ok"}`, []string{"tara", "leo"}, true},
		{`{"voices":[{"name":"only_name","gender":"F"}]}`, []string{"only_name"}, true},
		{`{"voices":[]}`, nil, false},
		{`{"voices":[3]}`, nil, false},
		{`<html>`, nil, false},
	}
	for _, tt := range tests {
		vs, err := parseVoiceList([]byte(tt.in))
		if (err == nil) != tt.ok || len(vs) != len(tt.want) {
			t.Errorf("%s: %v, %v", tt.in, vs, err)
			continue
		}
		for i := range vs {
			if vs[i].ID != tt.want[i] {
				t.Errorf("%s: %v", tt.in, vs)
			}
		}
	}
}

func FuzzParseVoiceList(f *testing.F) {
	f.Add([]byte(`{"voices":[{"id":"a"},"b"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := parseVoiceList(b)
		if err == nil && len(vs) == 0 {
			t.Fatal("success with no voices")
		}
	})
}

// TestFleetSpreadsAndSkipsFailing runs requests against two endpoints,
// one of which always fails with 503: after the breaker trips, every
// request goes to the healthy one.
func TestFleetSpreadsAndSkipsFailing(t *testing.T) {
	good := fakeserver.New(t, fakeserver.Options{})
	bad := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 503})})
	b := open(t, synth.Params{"endpoints": []any{bad.BaseURL(), good.BaseURL()}, "breaker_failures": 2, "breaker_cooldown": "1h"})
	failures := 0
	for range 10 {
		if _, err := b.Synthesize(context.Background(), synth.Request{Text: "Hi."}); err != nil {
			if !synth.IsTransient(err) {
				t.Fatalf("503 must be transient: %v", err)
			}
			failures++
		}
	}
	if bad.SpeechCount() != 2 || failures != 2 || good.SpeechCount() != 8 {
		t.Fatalf("bad got %d, good got %d, failures %d; want 2, 8, 2", bad.SpeechCount(), good.SpeechCount(), failures)
	}
}

func TestVoiceListingErrors(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{ListVoices: true, APIKey: "sk-right"})
	t.Setenv(keyEnv, "sk-wrong")
	_, err := open(t, synth.Params{"base_url": srv.BaseURL(), "api_key_env": keyEnv}).Voices(context.Background())
	if err == nil || synth.IsTransient(err) || !strings.Contains(err.Error(), "check "+keyEnv) {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeVoiceNames(t *testing.T) {
	tests := []struct {
		id                             string
		name, language, gender, accent string
	}{
		{"af_bella", "Bella", "en-US", "female", "American"},
		{"bm_george", "George", "en-GB", "male", "British"},
		{"ef_dora", "Dora", "es", "female", ""},
		{"ff_siwis", "Siwis", "fr-FR", "female", ""},
		{"hm_omega", "Omega", "hi", "male", ""},
		{"im_nicola", "Nicola", "it", "male", ""},
		{"jf_gongitsune", "Gongitsune", "ja", "female", ""},
		{"pm_santa", "Santa", "pt-BR", "male", "Brazilian"},
		{"zf_xiaoxiao", "Xiaoxiao", "zh", "female", "Mandarin"},
		{"onyx", "Onyx", "mul", "male", "American"},
		{"alloy", "Alloy", "mul", "", "American"},
		// Not Kokoro names: no metadata, and no error.
		{"xf_nobody", "xf_nobody", "", "", ""},
		{"af_", "af_", "", "", ""},
		{"tara", "tara", "", "", ""},
		{"af_bella(2)+af_sky", "af_bella(2)+af_sky", "", "", ""},
	}
	for _, tt := range tests {
		v := decode(tt.id, synth.SourceServer)
		if v.ID != tt.id || v.Name != tt.name || v.Language != tt.language || v.Gender != tt.gender || v.Accent != tt.accent || v.Source != synth.SourceServer {
			t.Errorf("decode(%q) = %+v", tt.id, v)
		}
	}
}

// api.openai.com has no voice listing: its voices are known without a
// request. A compatible server without a listing gets them too when it
// serves an OpenAI model; for another model, not knowing is an error.
func TestCatalogueWithoutListing(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "")
	b, err := New(synth.Params{"breaker_failures": 1})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := b.Voices(context.Background())
	if err != nil || len(vs) != 13 || vs[0].Source != synth.SourceBuiltin {
		t.Fatalf("official voices = %v, %v", vs, err)
	}
	if b.Info().Catalogue == "" {
		t.Error("a remote backend's catalogue has no identity")
	}
	genders := map[string]int{}
	for _, v := range vs {
		genders[v.Gender]++
	}
	if genders["male"] < 4 || genders["female"] < 4 {
		t.Errorf("built-in genders %v", genders)
	}

	plain := fakeserver.New(t, fakeserver.Options{})
	_, err = open(t, synth.Params{"base_url": plain.BaseURL(), "model": "orpheus"}).Voices(context.Background())
	if !errors.Is(err, synth.ErrNoCatalogue) || !strings.Contains(err.Error(), "backends.openai.voices") {
		t.Errorf("custom model without listing: %v", err)
	}
	vs, _ = open(t, synth.Params{"base_url": plain.BaseURL(), "model": "orpheus", "voices": []any{"tara", "af_sky"}}).Voices(context.Background())
	if len(vs) != 2 || vs[0].Source != synth.SourceConfig || vs[1].Gender != "female" {
		t.Errorf("configured voices = %+v", vs)
	}
}

// TestServiceErrors: each error the real services send comes back as a
// permanent error that quotes the service's own message, unescaped, and
// names the setting to fix.
func TestServiceErrors(t *testing.T) {
	quota := "You exceeded your current quota, please check your plan & billing details: \"tier 1\"."
	tests := []struct {
		name     string
		srv      fakeserver.Options
		p        synth.Params
		text     string
		wantIs   error
		contains []string
	}{
		{"unknown model", fakeserver.Options{}, synth.Params{"model": "tts-9"}, "Hello.", nil,
			[]string{"The model `tts-9` does not exist", `model "tts-9"`}},
		{"kokoro unknown model", fakeserver.Options{ListVoices: true}, synth.Params{"model": "kokoro-9", "voice": "af_heart"}, "Hello.", nil,
			[]string{"Unsupported model: kokoro-9", `model "kokoro-9"`}},
		{"input over the service's limit", fakeserver.Options{MaxInput: 40}, synth.Params{}, strings.Repeat("Hello there. ", 5), synth.ErrTooLong,
			[]string{"string too long"}},
		{"quoted message", fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 403, Code: "insufficient_quota", Message: quota})}, synth.Params{}, "Hello.", nil,
			[]string{quota}},
		{"429 out of credit", fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 429, RetryAfter: "1", Code: "insufficient_quota", Message: quota})}, synth.Params{}, "Hello.", nil,
			[]string{quota, "out of credit"}},
		{"unknown format", fakeserver.Options{}, synth.Params{"response_format": "mp3"}, "Hello.", nil,
			[]string{"mp3 output is not available", `response_format "mp3"`}},
		{"model not allowed", fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 403, Code: "model_not_found", Message: "Project proj_x does not have access to model tts-1-hd"})}, synth.Params{"model": "tts-1-hd"}, "Hello.", nil,
			[]string{"does not have access to model tts-1-hd", `model "tts-1-hd"`}},
		{"no /v1 route", fakeserver.Options{}, synth.Params{"base_url": "/api"}, "Hello.", nil,
			[]string{"base_url"}},
		{"no /v1 route, Kokoro voice", fakeserver.Options{}, synth.Params{"base_url": "/api", "voice": "af_bella"}, "Hello.", nil,
			[]string{"base_url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeserver.New(t, tt.srv)
			p := synth.Params{"base_url": srv.BaseURL()}
			for k, v := range tt.p {
				p[k] = v
			}
			if s, ok := p["base_url"].(string); ok && strings.HasPrefix(s, "/") {
				p["base_url"] = srv.URL + s
			}
			_, err := open(t, p).Synthesize(context.Background(), synth.Request{Text: tt.text})
			if err == nil {
				t.Fatal("no error")
			}
			if synth.IsTransient(err) || errors.Is(err, synth.ErrUnknownVoice) {
				t.Fatalf("transient %v or unknown voice: %v", synth.IsTransient(err), err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Fatalf("%v does not wrap %v", err, tt.wantIs)
			}
			t.Log(err)
			for _, c := range tt.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("error %q does not contain %q", err, c)
				}
			}
		})
	}
}

// TestBaseURLForms: a base URL with or without /v1 and with a trailing
// slash reaches the same route, as users write either.
func TestBaseURLForms(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{})
	for _, base := range []string{srv.URL, srv.URL + "/", srv.BaseURL(), srv.BaseURL() + "/", srv.BaseURL() + "/audio/speech"} {
		if _, err := open(t, synth.Params{"base_url": base}).Synthesize(context.Background(), synth.Request{Text: "Hello."}); err != nil {
			t.Errorf("base_url %q: %v", base, err)
		}
	}
	for _, r := range srv.Requests() {
		if r.Path != "/v1/audio/speech" {
			t.Errorf("request to %s", r.Path)
		}
	}
}

// TestReplies covers 200 replies that are not plain audio: an API error
// sent with 200, an empty body, a streamed (chunked) body, and one cut
// off mid-stream.
func TestReplies(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fault     fakeserver.Fault
		ok        bool
		transient bool
		contains  string
	}{
		{"json error as 200", fakeserver.Fault{ContentType: "application/json", Status: 0, Message: "model overloaded"}, false, false, "model overloaded"},
		{"empty body", fakeserver.Fault{Empty: true}, false, true, "no audio"},
		{"streamed", fakeserver.Fault{Stream: true}, true, false, ""},
		{"streamed, cut off", fakeserver.Fault{Stream: true, Truncate: true}, false, true, "truncated"},
	} {
		for _, format := range []string{"pcm", "wav"} {
			t.Run(tc.name+" "+format, func(t *testing.T) {
				srv := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, tc.fault)})
				got, err := open(t, synth.Params{"base_url": srv.BaseURL(), "response_format": format}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
				if tc.ok {
					want := fakeserver.Speech("One two three.", 24000, 1)
					if err != nil || got.Rate != 24000 || len(got.Samples) != len(want.Samples) {
						t.Fatalf("%v: %d Hz, %d samples, want %d", err, got.Rate, len(got.Samples), len(want.Samples))
					}
					return
				}
				if err == nil || synth.IsTransient(err) != tc.transient || !strings.Contains(err.Error(), tc.contains) {
					t.Fatalf("err = %v (transient %v), want transient %v mentioning %q", err, synth.IsTransient(err), tc.transient, tc.contains)
				}
				if len(got.Samples) != 0 {
					t.Fatalf("%d samples with an error", len(got.Samples))
				}
			})
		}
	}
}

// TestNothingToSay: text of punctuation alone gets what the server
// sends (a moment of silence), not a retried "no audio" error.
func TestNothingToSay(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{})
	for _, format := range []string{"pcm", "wav"} {
		buf, err := open(t, synth.Params{"base_url": srv.BaseURL(), "response_format": format}).Synthesize(context.Background(), synth.Request{Text: "— …"})
		if err != nil || pcm.Peak(buf.Samples) != 0 {
			t.Fatalf("%s: %v, peak %v", format, err, pcm.Peak(buf.Samples))
		}
	}
}

func TestHTTPConformance(t *testing.T) {
	for _, tc := range []struct {
		kokoro bool
		format string
	}{{false, "pcm"}, {false, "wav"}, {true, "wav"}} {
		kokoro := tc.kokoro
		name := "openai " + tc.format
		if kokoro {
			name = "kokoro " + tc.format
		}
		t.Run(name, func(t *testing.T) {
			t.Setenv(keyEnv, "")
			voice := "alloy"
			if kokoro {
				voice = "af_heart"
			}
			synthtest.RunHTTP(t, synthtest.HTTPOptions{
				New: func(t *testing.T, o fakeserver.Options, timeout time.Duration) (synth.Backend, *fakeserver.Server) {
					o.ListVoices = kokoro
					srv := fakeserver.New(t, o)
					return open(t, synth.Params{"base_url": srv.BaseURL(), "api_key_env": keyEnv, "timeout": timeout.String(), "response_format": tc.format,
						"model": map[bool]string{false: "tts-1", true: "kokoro"}[kokoro]}), srv
				},
				Voice:      voice,
				KeySetting: keyEnv,
			})
		})
	}
}

// TestKokoroMixes: Kokoro-FastAPI's voice mixing syntax reaches the
// server as written; a mix naming a voice the server lacks is an unknown
// voice, quoting the server's message.
func TestKokoroMixes(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{ListVoices: true})
	b := open(t, synth.Params{"base_url": srv.BaseURL(), "model": "kokoro"})
	for _, mix := range []string{"af_bella+af_sky", "af_bella(2)+af_sky(1)", "af_bella-af_sky", "af_bella(0.7)+bm_george(0.3)"} {
		if _, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello.", Voice: mix}); err != nil {
			t.Errorf("%s: %v", mix, err)
		}
	}
	_, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello.", Voice: "af_bella+nobody"})
	if !errors.Is(err, synth.ErrUnknownVoice) || synth.IsTransient(err) || !strings.Contains(err.Error(), "Voice 'nobody' not found") {
		t.Fatalf("err = %v", err)
	}
}

// TestUnframedTruncation: a reply whose end is the connection's close
// cannot be seen to be cut off at the HTTP level; the audio itself tells
// (a WAV shorter than its header says, PCM with half a sample), and that
// is transient, never half a span.
func TestUnframedTruncation(t *testing.T) {
	for _, format := range []string{"pcm", "wav"} {
		whole := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Unframed: true})})
		buf, err := open(t, synth.Params{"base_url": whole.BaseURL(), "response_format": format}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
		if want := fakeserver.Speech("One two three.", 24000, 1); err != nil || len(buf.Samples) != len(want.Samples) {
			t.Fatalf("%s unframed: %v, %d samples, want %d", format, err, len(buf.Samples), len(want.Samples))
		}
		cut := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Unframed: true, Truncate: true})})
		buf, err = open(t, synth.Params{"base_url": cut.BaseURL(), "response_format": format}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
		if !synth.IsTransient(err) || len(buf.Samples) != 0 || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("%s cut off: %v (transient %v), %d samples", format, err, synth.IsTransient(err), len(buf.Samples))
		}
	}
}

// TestCompatibleServerRate: headerless PCM does not say its rate, and
// compatible servers speak at their model's rate (openedai-speech's
// Piper voices: 22050 Hz), so by default the backend asks anything but
// api.openai.com for WAV, whose header says.
func TestCompatibleServerRate(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{Rate: 22050})
	buf, err := open(t, synth.Params{"base_url": srv.BaseURL()}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
	want := fakeserver.Speech("One two three.", 22050, 1)
	if err != nil || buf.Rate != 22050 || len(buf.Samples) != len(want.Samples) {
		t.Fatalf("%v: %d Hz, %d samples; want 22050 Hz, %d samples", err, buf.Rate, len(buf.Samples), len(want.Samples))
	}
	t.Setenv("OPENAI_BASE_URL", "")
	if f := open(t, synth.Params{}).format; f != "pcm" {
		t.Errorf("api.openai.com asked for %s, want pcm (24 kHz by contract)", f)
	}
}

// TestStreamedWAVSizes: a WAV streamed before its length is known has
// placeholder sizes in its header (0 or 0xFFFFFFFF); the audio runs to
// the end of the body.
func TestStreamedWAVSizes(t *testing.T) {
	for _, sizes := range []string{"zero", "max"} {
		srv := fakeserver.New(t, fakeserver.Options{Rate: 22050, Fault: fakeserver.EveryK(1, fakeserver.Fault{Stream: true, WAVSizes: sizes})})
		buf, err := open(t, synth.Params{"base_url": srv.BaseURL(), "response_format": "wav"}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
		if want := fakeserver.Speech("One two three.", 22050, 1); err != nil || buf.Rate != 22050 || len(buf.Samples) != len(want.Samples) {
			t.Errorf("%s: %v, %d Hz, %d samples, want %d", sizes, err, buf.Rate, len(buf.Samples), len(want.Samples))
		}
	}
}

// TestVoiceErrorWordings: servers word an unknown voice in many ways;
// each is an unknown voice, even where the voice list cannot tell (a
// server whose voices are a subset of OpenAI's).
func TestVoiceErrorWordings(t *testing.T) {
	for _, msg := range []string{"Voice 'shimmer' is not supported by this server.", "voice shimmer does not exist", "Unsupported voice: shimmer"} {
		srv := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 400, Message: msg})})
		_, err := open(t, synth.Params{"base_url": srv.BaseURL()}).Synthesize(context.Background(), synth.Request{Text: "Hello.", Voice: "shimmer"})
		if !errors.Is(err, synth.ErrUnknownVoice) || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v", msg, err)
		}
	}
}

// TestVoiceListShapes: compatible servers list voices as {"voices": [...]},
// {"data": [...]} or a bare array, with the language under several names.
func TestVoiceListShapes(t *testing.T) {
	for _, in := range []string{
		`["af_bella","de_custom"]`,
		`{"data":[{"id":"af_bella"},{"voice_id":"de_custom","lang":"de-DE"}]}`,
		`{"voices":[{"id":"af_bella","language":"en-US"},{"name":"de_custom","language_code":"de-DE"}]}`,
		`{"voices":[{"id":"af_bella"},{"id":"de_custom","locale":"de-DE"}]}`,
	} {
		vs, err := parseVoiceList([]byte(in))
		if err != nil || len(vs) != 2 || vs[0].ID != "af_bella" || vs[0].Language != "en-US" || vs[1].ID != "de_custom" {
			t.Errorf("%s: %+v, %v", in, vs, err)
			continue
		}
		if strings.Contains(in, "de-DE") && vs[1].Language != "de-DE" {
			t.Errorf("%s: language %q", in, vs[1].Language)
		}
	}
}

// TestMislabelledWAV: a WAV file is a WAV file whatever the label says.
func TestMislabelledWAV(t *testing.T) {
	b := open(t, synth.Params{"base_url": "http://127.0.0.1:1/v1"})
	data := audio.EncodeWAV(fakeserver.Speech("One two.", 16000, 1))
	for _, ct := range []string{"audio/mpeg", "audio/pcm", "application/octet-stream"} {
		buf, err := b.decode("http://x/v1/audio/speech", ct, "One two.", data)
		if err != nil || buf.Rate != 16000 {
			t.Errorf("WAV labelled %s: %v, %d Hz", ct, err, buf.Rate)
		}
	}
}

// TestShouldRetryHeader: OpenAI's x-should-retry overrides the status's
// usual class, as its SDKs honour it.
func TestShouldRetryHeader(t *testing.T) {
	for _, tc := range []struct {
		status    int
		header    string
		transient bool
	}{{503, "false", false}, {409, "false", false}, {400, "true", true}, {500, "", true}} {
		f := fakeserver.Fault{Status: tc.status}
		if tc.header != "" {
			f.Header = map[string]string{"x-should-retry": tc.header}
		}
		srv := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, f)})
		_, err := open(t, synth.Params{"base_url": srv.BaseURL()}).Synthesize(context.Background(), synth.Request{Text: "Hello."})
		if err == nil || synth.IsTransient(err) != tc.transient {
			t.Errorf("%d with x-should-retry %q: %v, transient %v", tc.status, tc.header, err, synth.IsTransient(err))
		}
	}
}

// TestRedirectedPost: a base URL that redirects (http to https, an old
// host) would turn the POST into a GET; the error says where it points.
func TestRedirectedPost(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 301, Header: map[string]string{"Location": "https://tts.example.com/v1/audio/speech"}})})
	_, err := open(t, synth.Params{"base_url": srv.BaseURL()}).Synthesize(context.Background(), synth.Request{Text: "Hello."})
	if err == nil || synth.IsTransient(err) || !strings.Contains(err.Error(), "https://tts.example.com/v1/audio/speech") || !strings.Contains(err.Error(), "base_url") {
		t.Fatalf("err = %v", err)
	}
	if n := srv.Count(); n != 1 {
		t.Errorf("%d requests: the redirect was followed", n)
	}
}

// TestSameHostRedirect: a 307 on the same host (Starlette adding or
// dropping a slash) is followed with the body and key.
func TestSameHostRedirect(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{APIKey: "sk-r", Fault: func(n int) fakeserver.Fault {
		if n == 1 {
			return fakeserver.Fault{Status: 307, Header: map[string]string{"Location": "/v1/audio/speech"}}
		}
		return fakeserver.Fault{}
	}})
	t.Setenv(keyEnv, "sk-r")
	if _, err := open(t, synth.Params{"base_url": srv.BaseURL(), "api_key_env": keyEnv}).Synthesize(context.Background(), synth.Request{Text: "Hello."}); err != nil {
		t.Fatal(err)
	}
	if n := srv.SpeechCount(); n != 2 {
		t.Errorf("%d speech requests, want the first and its redirect", n)
	}
}

// TestMislabelledAudio: a proxy that calls every reply audio/mpeg (as
// LiteLLM did) still gets the format that was asked for decoded, and a
// real MP3 so labelled is still MP3.
func TestMislabelledAudio(t *testing.T) {
	for _, format := range []string{"pcm", "wav"} {
		srv := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{AudioType: "audio/mpeg"})})
		buf, err := open(t, synth.Params{"base_url": srv.BaseURL(), "response_format": format}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
		if want := fakeserver.Speech("One two three.", 24000, 1); err != nil || buf.Rate != 24000 || len(buf.Samples) != len(want.Samples) {
			t.Errorf("%s labelled audio/mpeg: %v, %d Hz, %d samples, want %d", format, err, buf.Rate, len(buf.Samples), len(want.Samples))
		}
	}
	if !fakeserver.LookLame() {
		t.Skip("lame not installed")
	}
	srv := fakeserver.New(t, fakeserver.Options{ForceFormat: "mp3", MP3: fakeserver.LameMP3})
	buf, err := open(t, synth.Params{"base_url": srv.BaseURL(), "response_format": "pcm"}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
	if want := fakeserver.Speech("One two three.", 24000, 1); err != nil || buf.Duration() < want.Duration() || buf.Duration() > want.Duration()+200*time.Millisecond {
		t.Errorf("an MP3 sent for pcm: %v, %v, want about %v", err, buf.Duration(), want.Duration())
	}
}

func TestIsMP3(t *testing.T) {
	if audio.IsMP3(bytes.Repeat([]byte{0xFF, 0xFF}, 2000)) || audio.IsMP3(bytes.Repeat([]byte{0xFF, 0xFB, 0x90, 0x00}, 1)) {
		t.Error("PCM of -1 samples, or one lone frame header, taken for MP3")
	}
	if !fakeserver.LookLame() {
		t.Skip("lame not installed")
	}
	data, err := fakeserver.LameMP3(fakeserver.Speech("One two.", 24000, 1))
	if err != nil || !audio.IsMP3(data) {
		t.Fatalf("lame's MP3 not recognised (%v)", err)
	}
}
