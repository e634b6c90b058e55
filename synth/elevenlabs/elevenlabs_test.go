package elevenlabs

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fakeserver"
	"github.com/narrate-audio/narrate/synth/synthtest"
)

const keyEnv = "NARRATE_TEST_ELEVEN_KEY"

var voices = []synth.Voice{
	{ID: "JBFqnCBsd6RMkjVDRZzb", Name: "George", Gender: "male", Language: "en", Accent: "British", Labels: map[string]string{"age": "middle_aged", "use_case": "narrative_story"}},
	{ID: "EXAVITQu4vr4xnSDxMaL", Name: "Sarah", Gender: "female", Accent: "American"},
}

func server(t *testing.T, o fakeserver.Options) *fakeserver.Server {
	o.Voices = voices
	o.APIKey = "xi-test"
	t.Setenv(keyEnv, "xi-test")
	return fakeserver.New(t, o)
}

func open(t *testing.T, p synth.Params) *Backend {
	t.Helper()
	if _, ok := p["api_key_env"]; !ok {
		p["api_key_env"] = keyEnv
	}
	b, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return b.(*Backend)
}

func TestConformance(t *testing.T) {
	for _, format := range []string{"pcm_24000", "pcm_16000", "wav_22050"} {
		t.Run(format, func(t *testing.T) {
			synthtest.Run(t, func(t *testing.T) synth.Backend {
				srv := server(t, fakeserver.Options{})
				return open(t, synth.Params{"base_url": srv.URL, "output_format": format, "max_chars": 600})
			}, synthtest.Options{Voice: voices[1].ID, UnknownVoice: "nobody", TooLong: synth.ErrTooLong, Short: testing.Short()})
		})
	}
}

func TestWire(t *testing.T) {
	srv := server(t, fakeserver.Options{})
	b := open(t, synth.Params{"base_url": srv.URL, "model_id": "eleven_turbo_v2_5", "stability": 0.4, "use_speaker_boost": true})
	buf, err := b.Synthesize(context.Background(), synth.Request{Text: "She said no.", Voice: voices[0].ID, Previous: "It rained.", Next: "Then she left.", Rate: 1.1})
	if err != nil {
		t.Fatal(err)
	}
	if buf.Rate != 24000 {
		t.Fatalf("rate %d", buf.Rate)
	}
	r := srv.Requests()[0]
	if r.Method != "POST" || r.Path != "/v1/text-to-speech/"+voices[0].ID || r.Query.Get("output_format") != "pcm_24000" || r.Header.Get("xi-api-key") != "xi-test" {
		t.Fatalf("request %s %s %v %v", r.Method, r.Path, r.Query, r.Header)
	}
	vs, _ := r.Body["voice_settings"].(map[string]any)
	if r.Body["text"] != "She said no." || r.Body["model_id"] != "eleven_turbo_v2_5" || r.Body["previous_text"] != "It rained." || r.Body["next_text"] != "Then she left." {
		t.Fatalf("body %v", r.Body)
	}
	if vs["stability"] != 0.4 || vs["use_speaker_boost"] != true || vs["speed"] != 1.1 || len(vs) != 3 {
		t.Fatalf("voice_settings %v: want only the fields set", vs)
	}
	// Without context or settings, the optional fields are omitted.
	b2 := open(t, synth.Params{"base_url": srv.URL})
	if _, err := b2.Synthesize(context.Background(), synth.Request{Text: "Hi.", Rate: 1}); err != nil {
		t.Fatal(err)
	}
	r = srv.Requests()[1]
	for _, k := range []string{"voice_settings", "previous_text", "next_text"} {
		if _, ok := r.Body[k]; ok {
			t.Errorf("body has %q without a reason: %v", k, r.Body)
		}
	}
	if r.Path != "/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb" {
		t.Errorf("default voice path %s", r.Path)
	}
}

func TestVoices(t *testing.T) {
	srv := server(t, fakeserver.Options{})
	vs, err := open(t, synth.Params{"base_url": srv.URL}).Voices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := synth.Voice{ID: voices[0].ID, Name: "George", Gender: "male", Language: "en", Accent: "British", Source: synth.SourceServer,
		Labels: map[string]string{"age": "middle_aged", "use_case": "narrative_story", "category": "premade"}}
	if len(vs) != 2 || !reflect.DeepEqual(vs[0], want) || vs[1].Gender != "female" || vs[1].Language != "mul" || vs[1].Accent != "American" {
		t.Fatalf("voices %+v", vs)
	}
	if got := srv.Requests()[0]; got.Path != "/v1/voices" || got.Header.Get("xi-api-key") != "xi-test" {
		t.Fatalf("listing request %+v", got)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     fakeserver.Fault
		transient bool
		retry     time.Duration
	}{
		{"429", fakeserver.Fault{Status: 429, RetryAfter: "3"}, true, 3 * time.Second},
		{"500", fakeserver.Fault{Status: 500}, true, 0},
		{"503", fakeserver.Fault{Status: 503}, true, 0},
		{"reset", fakeserver.Fault{Reset: true}, true, 0},
		{"slow", fakeserver.Fault{Delay: time.Minute}, true, 0},
		{"truncated", fakeserver.Fault{Truncate: true}, true, 0},
		{"html", fakeserver.Fault{ContentType: "text/html"}, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := server(t, fakeserver.Options{Fault: fakeserver.EveryK(1, tt.fault)})
			// Only the slow reply should run out of time, however busy
			// the machine.
			timeout := 60.0
			if tt.fault.Delay > 0 {
				timeout = 0.3
			}
			b := open(t, synth.Params{"base_url": srv.URL, "timeout": timeout})
			_, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello world."})
			if err == nil || synth.IsTransient(err) != tt.transient || synth.RetryAfter(err) != tt.retry {
				t.Fatalf("err = %v (transient %v, retry %v)", err, synth.IsTransient(err), synth.RetryAfter(err))
			}
			if !strings.HasPrefix(err.Error(), "elevenlabs: ") || errors.Is(err, synth.ErrUnknownVoice) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestUnauthorized(t *testing.T) {
	srv := server(t, fakeserver.Options{})
	t.Setenv(keyEnv, "xi-wrong-secret")
	b := open(t, synth.Params{"base_url": srv.URL})
	_, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello."})
	if err == nil || synth.IsTransient(err) || !strings.HasPrefix(err.Error(), "elevenlabs: 401 Unauthorized: check "+keyEnv) || strings.Contains(err.Error(), "xi-wrong-secret") {
		t.Fatalf("err = %v", err)
	}
}

func TestNewRejects(t *testing.T) {
	for _, p := range []synth.Params{
		{"api_key": "x"},
		{"output_format": "opus_48000_64"},
		{"output_format": "pcm_96000"},
		{"output_format": "pcm"},
		{"stability": 2},
		{"speed": 3},
		{"model": "eleven_v3"}, // the key is model_id
	} {
		if _, err := New(p); err == nil || !strings.HasPrefix(err.Error(), "elevenlabs") {
			t.Errorf("New(%v) = %v", p, err)
		}
	}
}

func TestMaxCharsByModel(t *testing.T) {
	for model, want := range map[string]int{"eleven_v3": 5000, "eleven_flash_v2_5": 40000, "eleven_multilingual_v2": 10000, "something_new": 5000} {
		if got := open(t, synth.Params{"model_id": model}).Info().MaxChars; got != want {
			t.Errorf("%s: MaxChars %d, want %d", model, got, want)
		}
	}
}

func TestMP3(t *testing.T) {
	if !fakeserver.LookLame() {
		t.Skip("lame not installed; cannot produce MP3 replies")
	}
	srv := server(t, fakeserver.Options{MP3: fakeserver.LameMP3})
	buf, err := open(t, synth.Params{"base_url": srv.URL, "output_format": "mp3_44100_128"}).Synthesize(context.Background(), synth.Request{Text: "Hello world."})
	if err != nil || buf.Rate != 44100 {
		t.Fatalf("%d Hz, %v", buf.Rate, err)
	}
}

func FuzzParseVoices(f *testing.F) {
	f.Add([]byte(`{"voices":[{"voice_id":"a","name":"A","labels":{"gender":"male"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := parseVoices(b)
		if err == nil && len(vs) == 0 {
			t.Fatal("success with no voices")
		}
	})
}

func FuzzParseOutputFormat(f *testing.F) {
	f.Add("pcm_24000")
	f.Add("mp3_44100_128")
	f.Fuzz(func(t *testing.T, s string) {
		if _, rate, err := parseOutputFormat(s); err == nil && (rate < 8000 || rate > 48000) {
			t.Fatalf("%q: rate %d accepted", s, rate)
		}
	})
}

// TestServiceErrors: ElevenLabs' {"detail": {"status", "message"}}
// errors come back permanent, quoting the message, and say what to fix;
// a quota error is not blamed on the key.
func TestServiceErrors(t *testing.T) {
	quota := "This request exceeds your quota of 10000. You have 0 credits remaining, while 91 credits are required for this request."
	tests := []struct {
		name     string
		srv      fakeserver.Options
		p        synth.Params
		text     string
		wantIs   error
		contains []string
		not      string
	}{
		{"quota", fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 401, Code: "quota_exceeded", Message: quota})}, synth.Params{}, "Hello.", nil,
			[]string{quota, "quota"}, "check " + keyEnv},
		{"unusual activity", fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 401, Code: "detected_unusual_activity", Message: "Unusual activity detected. Free Tier usage disabled."})}, synth.Params{}, "Hello.", nil,
			[]string{"Unusual activity detected. Free Tier usage disabled."}, "check " + keyEnv},
		{"over the model's limit", fakeserver.Options{}, synth.Params{"model_id": "eleven_v3", "max_chars": 20000}, strings.Repeat("Hello there. ", 400), synth.ErrTooLong,
			[]string{"exceeds the character limit of 5000"}, ""},
		{"unknown model", fakeserver.Options{}, synth.Params{"model_id": "eleven_v9"}, "Hello.", nil,
			[]string{"A model with model ID eleven_v9 does not exist", `model_id "eleven_v9"`}, ""},
		{"format above the plan", fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 403, Code: "output_format_not_allowed", Message: "pcm_44100 requires a Pro subscription."})}, synth.Params{"output_format": "pcm_44100"}, "Hello.", nil,
			[]string{"pcm_44100 requires a Pro subscription.", `output_format "pcm_44100"`}, "check " + keyEnv},
		{"not found route", fakeserver.Options{}, synth.Params{"base_url": "/proxy"}, "Hello.", nil,
			[]string{"base_url"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := server(t, tt.srv)
			p := synth.Params{"base_url": srv.URL}
			for k, v := range tt.p {
				p[k] = v
			}
			if s, ok := p["base_url"].(string); ok && strings.HasPrefix(s, "/") {
				p["base_url"] = srv.URL + s
			}
			_, err := open(t, p).Synthesize(context.Background(), synth.Request{Text: tt.text, Voice: voices[0].ID})
			if err == nil {
				t.Fatal("no error")
			}
			t.Log(err)
			if synth.IsTransient(err) || errors.Is(err, synth.ErrUnknownVoice) {
				t.Fatalf("transient %v or unknown voice: %v", synth.IsTransient(err), err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Fatalf("%v does not wrap %v", err, tt.wantIs)
			}
			for _, c := range tt.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("error %q does not contain %q", err, c)
				}
			}
			if tt.not != "" && strings.Contains(err.Error(), tt.not) {
				t.Errorf("error %q blames %q", err, tt.not)
			}
		})
	}
}

// TestBaseURLForms: the base URL may be written with /v1 or a trailing
// slash.
func TestBaseURLForms(t *testing.T) {
	srv := server(t, fakeserver.Options{})
	for _, base := range []string{srv.URL, srv.URL + "/", srv.URL + "/v1", srv.URL + "/v1/"} {
		b := open(t, synth.Params{"base_url": base})
		if _, err := b.Synthesize(context.Background(), synth.Request{Text: "Hello."}); err != nil {
			t.Errorf("base_url %q: %v", base, err)
		}
		if _, err := b.Voices(context.Background()); err != nil {
			t.Errorf("base_url %q: voices: %v", base, err)
		}
	}
}

// TestRateLimitedEverywhere: the voice list is rate-limited like speech:
// a 429 there is transient, carries Retry-After, and counts against the
// endpoint; system_busy without Retry-After is transient too.
func TestRateLimitedEverywhere(t *testing.T) {
	srv := server(t, fakeserver.Options{Fault: func(n int) fakeserver.Fault {
		switch n {
		case 1:
			return fakeserver.Fault{Status: 429, Header: map[string]string{"Retry-After-Ms": "20"}, Code: "too_many_concurrent_requests", Message: "Too many concurrent requests."}
		case 2:
			return fakeserver.Fault{Status: 429, Code: "system_busy", Message: "The system is busy."}
		}
		return fakeserver.Fault{}
	}})
	b := open(t, synth.Params{"base_url": srv.URL})
	_, err := b.Voices(context.Background())
	if !synth.IsTransient(err) || synth.RetryAfter(err) != 20*time.Millisecond || !strings.Contains(err.Error(), "Too many concurrent requests.") {
		t.Fatalf("voices: %v (retry after %v)", err, synth.RetryAfter(err))
	}
	if st := b.fleet.Status()[0]; st.Failures != 1 {
		t.Errorf("a rate-limited listing did not count against the endpoint: %+v", st)
	}
	_, err = b.Synthesize(context.Background(), synth.Request{Text: "Hello."})
	if !synth.IsTransient(err) || !strings.Contains(err.Error(), "The system is busy.") {
		t.Fatalf("speech: %v", err)
	}
	if _, err := b.Voices(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestStreamedReplies(t *testing.T) {
	for _, tc := range []struct {
		fault fakeserver.Fault
		ok    bool
	}{{fakeserver.Fault{Stream: true}, true}, {fakeserver.Fault{Stream: true, Truncate: true}, false}, {fakeserver.Fault{Empty: true}, false}} {
		srv := server(t, fakeserver.Options{Fault: fakeserver.EveryK(1, tc.fault)})
		buf, err := open(t, synth.Params{"base_url": srv.URL}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
		if tc.ok {
			if want := fakeserver.Speech("One two three.", 24000, 1); err != nil || len(buf.Samples) != len(want.Samples) {
				t.Fatalf("%+v: %v, %d samples, want %d", tc.fault, err, len(buf.Samples), len(want.Samples))
			}
			continue
		}
		if !synth.IsTransient(err) || len(buf.Samples) != 0 {
			t.Fatalf("%+v: %v (transient %v), %d samples", tc.fault, err, synth.IsTransient(err), len(buf.Samples))
		}
	}
}

func TestParseAPIError(t *testing.T) {
	for body, want := range map[string]apiError{
		`{"detail":{"status":"voice_not_found","message":"A voice with the voice_id x was not found."}}`:  {"voice_not_found", "A voice with the voice_id x was not found."},
		`{"detail":{"type":"authentication_error","code":"invalid_api_key","message":"Invalid API key"}}`: {"invalid_api_key", "Invalid API key"},
		`{"detail":"Not Found"}`: {"", "Not Found"},
		`{"detail":[{"loc":["body","text"],"msg":"Field required","type":"missing"}]}`: {"", "text: Field required"},
		`<html>502</html>`: {},
	} {
		if got := parseAPIError([]byte(body)); got != want {
			t.Errorf("%s: %+v, want %+v", body, got, want)
		}
	}
}

func TestHTTPConformance(t *testing.T) {
	synthtest.RunHTTP(t, synthtest.HTTPOptions{
		New: func(t *testing.T, o fakeserver.Options, timeout time.Duration) (synth.Backend, *fakeserver.Server) {
			srv := server(t, o)
			return open(t, synth.Params{"base_url": srv.URL, "timeout": timeout.String()}), srv
		},
		Voice:      voices[1].ID,
		KeySetting: keyEnv,
	})
}

// TestVerifiedLanguages: ElevenLabs lists a voice's verified language
// once per model; a voice verified in one language under several models
// speaks that language, not many.
func TestVerifiedLanguages(t *testing.T) {
	data := `{"voices":[
	 {"voice_id":"a","name":"A","labels":{},"verified_languages":[
	  {"language":"en","model_id":"eleven_multilingual_v2","locale":"en-GB"},
	  {"language":"en","model_id":"eleven_turbo_v2_5","locale":"en-GB"},
	  {"language":"en","model_id":"eleven_flash_v2_5","locale":"en-GB"}]},
	 {"voice_id":"b","name":"B","labels":{},"verified_languages":[
	  {"language":"de","model_id":"eleven_multilingual_v2"},{"language":"en","model_id":"eleven_multilingual_v2"}]},
	 {"voice_id":"c","name":"C","labels":{"language":"fr"},"verified_languages":[{"language":"en","model_id":"x"}]},
	 {"voice_id":"d","name":"D","labels":{}}]}`
	vs, err := parseVoices([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "en", "b": "mul", "c": "fr", "d": "mul"}
	for _, v := range vs {
		if v.Language != want[v.ID] {
			t.Errorf("voice %s: language %q, want %q", v.ID, v.Language, want[v.ID])
		}
	}
}

// TestVoiceNotFound: ElevenLabs has answered an unknown voice_id with 400
// and with 404; either is an unknown voice, quoting the message.
func TestVoiceNotFound(t *testing.T) {
	msg := "A voice with the voice_id 'nobody' was not found."
	for _, st := range []int{400, 404} {
		srv := server(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: st, Code: "voice_not_found", Message: msg})})
		_, err := open(t, synth.Params{"base_url": srv.URL}).Synthesize(context.Background(), synth.Request{Text: "Hello.", Voice: "nobody"})
		if !errors.Is(err, synth.ErrUnknownVoice) || synth.IsTransient(err) || !strings.Contains(err.Error(), msg) {
			t.Errorf("%d: %v", st, err)
		}
	}
}

func TestRedirectedPost(t *testing.T) {
	srv := server(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 302, Header: map[string]string{"Location": "https://eu.example.com/v1/text-to-speech/x"}})})
	_, err := open(t, synth.Params{"base_url": srv.URL}).Synthesize(context.Background(), synth.Request{Text: "Hello."})
	if err == nil || synth.IsTransient(err) || !strings.Contains(err.Error(), "https://eu.example.com/v1/text-to-speech/x") || !strings.Contains(err.Error(), "base_url") {
		t.Fatalf("err = %v", err)
	}
}

// TestMislabelledAudio: PCM labelled audio/mpeg (a proxy, or a service
// labelling by its default format) is decoded as the PCM asked for.
func TestMislabelledAudio(t *testing.T) {
	srv := server(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{AudioType: "audio/mpeg"})})
	buf, err := open(t, synth.Params{"base_url": srv.URL}).Synthesize(context.Background(), synth.Request{Text: "One two three."})
	if want := fakeserver.Speech("One two three.", 24000, 1); err != nil || buf.Rate != 24000 || len(buf.Samples) != len(want.Samples) {
		t.Fatalf("pcm labelled audio/mpeg: %v, %d Hz, %d samples, want %d", err, buf.Rate, len(buf.Samples), len(want.Samples))
	}
}
