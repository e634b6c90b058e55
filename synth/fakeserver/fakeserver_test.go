package fakeserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
	"github.com/narrate-audio/narrate/synth/fakeserver"
	"github.com/narrate-audio/narrate/synth/fleet"
	"github.com/narrate-audio/narrate/synth/openai"
)

func TestSpeechFollowsText(t *testing.T) {
	one := fakeserver.Speech("Hello world.", 24000, 1)
	// two words (0.3 s + 0.08 s each) and a sentence pause of 0.25 s
	if got, want := len(one.Samples), int(0.3*24000)*2+int(0.08*24000)*2+int(0.25*24000); got != want {
		t.Fatalf("%d samples, want %d", got, want)
	}
	if pcm.Peak(one.Samples) < 0.3 || pcm.Peak(one.Samples) > 1 {
		t.Fatalf("peak %v", pcm.Peak(one.Samples))
	}
	fast := fakeserver.Speech("Hello world.", 24000, 2)
	if len(fast.Samples) > len(one.Samples)/2+2 || len(fast.Samples) < len(one.Samples)/2-4 {
		t.Fatalf("speed 2 gave %d samples vs %d", len(fast.Samples), len(one.Samples))
	}
	if len(fakeserver.Speech(" -- ", 24000, 1).Samples) != 0 {
		t.Fatal("punctuation alone made sound")
	}
}

func TestEveryK(t *testing.T) {
	plan := fakeserver.EveryK(3, fakeserver.Fault{Status: 429})
	var hits []int
	for n := 1; n <= 9; n++ {
		if plan(n).Status == 429 {
			hits = append(hits, n)
		}
	}
	if len(hits) != 3 || hits[0] != 3 || hits[2] != 9 {
		t.Fatalf("hits %v", hits)
	}
	if fakeserver.EveryK(0, fakeserver.Fault{Status: 500})(5).Status != 0 {
		t.Fatal("k=0 injected")
	}
}

// TestWireOpenAI speaks to the server with plain net/http, the way any
// client would, to pin the server's side of the contract.
func TestWireOpenAI(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{APIKey: "k", Rate: 22050})
	post := func(body, key string) (*http.Response, []byte) {
		req, _ := http.NewRequest("POST", srv.BaseURL()+"/audio/speech", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, data
	}
	resp, data := post(`{"model":"tts-1","input":"Hi there.","voice":"alloy","response_format":"wav"}`, "k")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if b, err := audio.DecodeWAV(data); err != nil || b.Rate != 22050 {
		t.Fatalf("wav: %v %v", b.Rate, err)
	}
	resp, data = post(`{"model":"tts-1","input":"Hi.","voice":"nobody"}`, "k")
	var e struct{ Error struct{ Param string } }
	json.Unmarshal(data, &e)
	if resp.StatusCode != 400 || e.Error.Param != "voice" {
		t.Fatalf("unknown voice: %d %s", resp.StatusCode, data)
	}
	if resp, _ = post(`{"model":"tts-1","input":"Hi.","voice":"alloy"}`, "wrong"); resp.StatusCode != 401 {
		t.Fatalf("bad key: %d", resp.StatusCode)
	}
	if resp, _ = post(`{"model":"tts-1","input":"Hi.","voice":"alloy","response_format":"mp3"}`, "k"); resp.StatusCode != 400 {
		t.Fatalf("mp3 without encoder: %d", resp.StatusCode)
	}
}

// TestFleetScenario is the setup pipeline tests and benchmarks use:
// three endpoints with fixed latency, every third request on each failing
// with 429 and a 30 ms Retry-After-Ms. A retry loop like the pipeline's
// (wait as asked, try again) gets every text through; every failure is
// transient and carries a wait, either the server's or, when all three
// endpoints are set aside, the fleet's.
func TestFleetScenario(t *testing.T) {
	srvs := fakeserver.NewFleet(t, 3, fakeserver.Options{
		Latency: 5 * time.Millisecond,
		Fault:   fakeserver.EveryK(3, fakeserver.Fault{Status: 429, Header: map[string]string{"Retry-After-Ms": "30"}}),
	})
	var urls []any
	for _, s := range srvs {
		urls = append(urls, s.BaseURL())
	}
	b, err := openai.New(synth.Params{"endpoints": urls, "breaker_failures": 100})
	if err != nil {
		t.Fatal(err)
	}
	retries, allDown := 0, 0
	for i := range 12 {
		for attempt := 0; ; attempt++ {
			_, err := b.Synthesize(context.Background(), synth.Request{Text: "Sentence number one."})
			if err == nil {
				break
			}
			wait := synth.RetryAfter(err)
			if !synth.IsTransient(err) || wait <= 0 || wait > 30*time.Millisecond || attempt > 10 {
				t.Fatalf("text %d attempt %d: %v (wait %v)", i, attempt, err, wait)
			}
			if errors.Is(err, fleet.ErrAllDown) {
				allDown++
			} else {
				retries++
			}
			time.Sleep(wait)
		}
	}
	total := 0
	for _, s := range srvs {
		if s.SpeechCount() == 0 {
			t.Fatal("an endpoint got no requests")
		}
		total += s.SpeechCount()
	}
	if total != 12+retries || retries < 3 {
		t.Fatalf("total %d requests, %d retries (and %d waits with all endpoints aside)", total, retries, allDown)
	}
}

// TestVoiceRoutes pins how each fake lists voices: OpenAI has no listing
// route, the Kokoro-FastAPI mode lists Kokoro's names and accepts mixes,
// the ElevenLabs route gives labels; faults hit voice lists too.
func TestVoiceRoutes(t *testing.T) {
	get := func(url string) (*http.Response, []byte) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, data
	}
	plain := fakeserver.New(t, fakeserver.Options{})
	if resp, _ := get(plain.BaseURL() + "/audio/voices"); resp.StatusCode != 404 {
		t.Errorf("OpenAI-like voices route: %d, want 404", resp.StatusCode)
	}

	kokoro := fakeserver.New(t, fakeserver.Options{ListVoices: true,
		Fault: func(n int) fakeserver.Fault {
			switch n {
			case 1:
				return fakeserver.Fault{Status: 429, RetryAfter: "2"}
			case 2:
				return fakeserver.Fault{Status: 503}
			}
			return fakeserver.Fault{}
		}})
	resp, _ := get(kokoro.BaseURL() + "/audio/voices")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Errorf("first listing: %d %q, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ = get(kokoro.BaseURL() + "/audio/voices"); resp.StatusCode != 503 {
		t.Errorf("second listing: %d, want 503", resp.StatusCode)
	}
	resp, data := get(kokoro.BaseURL() + "/audio/voices")
	var list struct{ Voices []struct{ ID string } }
	json.Unmarshal(data, &list)
	if resp.StatusCode != 200 || len(list.Voices) != len(fakeserver.KokoroVoices) || list.Voices[0].ID != "af_alloy" {
		t.Errorf("Kokoro listing: %d %s", resp.StatusCode, data)
	}
	for voice, want := range map[string]int{"af_bella(2)+af_sky": 200, "bm_george": 200, "af_bella+nobody": 400, "alloy": 400} {
		body := `{"model":"kokoro","input":"Hi.","voice":"` + voice + `","response_format":"wav"}`
		resp, err := http.Post(kokoro.BaseURL()+"/audio/speech", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Kokoro voice %q: %d, want %d", voice, resp.StatusCode, want)
		}
	}
	if kokoro.Count() != 7 || kokoro.SpeechCount() != 4 {
		t.Errorf("counted %d requests, %d speech", kokoro.Count(), kokoro.SpeechCount())
	}

	eleven := fakeserver.New(t, fakeserver.Options{Voices: fakeserver.ElevenVoices})
	_, data = get(eleven.URL + "/v1/voices")
	var ev struct {
		Voices []struct {
			Name   string
			Labels map[string]string
		}
	}
	json.Unmarshal(data, &ev)
	if len(ev.Voices) != len(fakeserver.ElevenVoices) || ev.Voices[0].Labels["gender"] != "male" || ev.Voices[0].Labels["accent"] != "british" || ev.Voices[0].Labels["use_case"] == "" {
		t.Errorf("ElevenLabs listing: %s", data)
	}
}

// TestRejectsLikeTheServices pins, with plain net/http, what the fakes
// reject and how, in each service's own words and shapes.
func TestRejectsLikeTheServices(t *testing.T) {
	openAI := fakeserver.New(t, fakeserver.Options{})
	kokoro := fakeserver.New(t, fakeserver.Options{ListVoices: true})
	eleven := fakeserver.New(t, fakeserver.Options{Voices: fakeserver.ElevenVoices})
	long := strings.Repeat("word ", 1000) // 5000 characters
	george := fakeserver.ElevenVoices[0].ID
	for _, tc := range []struct {
		name, url, body string
		status          int
		code            string // error.code, detail.error or detail.status
	}{
		{"OpenAI unknown model", openAI.BaseURL() + "/audio/speech", `{"model":"tts-9","input":"Hi.","voice":"alloy"}`, 404, "model_not_found"},
		{"OpenAI input over 4096", openAI.BaseURL() + "/audio/speech", `{"model":"tts-1","input":"` + long + `","voice":"alloy"}`, 400, "string_above_max_length"},
		{"Kokoro unknown model", kokoro.BaseURL() + "/audio/speech", `{"model":"tts-9","input":"Hi.","voice":"af_heart"}`, 400, "invalid_model"},
		{"Kokoro has no input limit", kokoro.BaseURL() + "/audio/speech", `{"model":"kokoro","input":"` + long + `","voice":"af_heart","response_format":"pcm"}`, 200, ""},
		{"Kokoro subtracts voices", kokoro.BaseURL() + "/audio/speech", `{"model":"kokoro","input":"Hi.","voice":"af_bella-af_sky(0.3)","response_format":"pcm"}`, 200, ""},
		{"ElevenLabs unknown model", eleven.URL + "/v1/text-to-speech/" + george, `{"text":"Hi.","model_id":"eleven_v9"}`, 400, "model_not_found"},
		{"ElevenLabs over the model's limit", eleven.URL + "/v1/text-to-speech/" + george + "?output_format=pcm_16000", `{"text":"` + long + `x","model_id":"eleven_v3"}`, 400, "max_character_limit_exceeded"},
		{"ElevenLabs text missing", eleven.URL + "/v1/text-to-speech/" + george, `{"model_id":"eleven_v3"}`, 422, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(tc.url, "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, data, tc.status)
			}
			if tc.code != "" && !strings.Contains(string(data), `"`+tc.code+`"`) {
				t.Fatalf("body %s lacks %q", data, tc.code)
			}
		})
	}
}

// TestPlanLimits: rate limits sit in front of every route, known or not,
// and MaxConcurrent refuses speech beyond a plan's concurrency.
func TestPlanLimits(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{Fault: fakeserver.EveryK(1, fakeserver.Fault{Status: 429, RetryAfter: "5"})})
	resp, err := http.Get(srv.BaseURL() + "/models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "5" {
		t.Fatalf("unknown route under a rate limit: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	busy := fakeserver.New(t, fakeserver.Options{MaxConcurrent: 1, Fault: func(n int) fakeserver.Fault {
		if n == 1 {
			return fakeserver.Fault{Delay: time.Hour} // holds the only slot until released
		}
		return fakeserver.Fault{}
	}})
	post := func(ctx context.Context) (int, error) {
		req, _ := http.NewRequestWithContext(ctx, "POST", busy.BaseURL()+"/audio/speech", strings.NewReader(`{"model":"tts-1","input":"Hi.","voice":"alloy","response_format":"pcm"}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	held := make(chan error, 1)
	go func() {
		_, err := post(ctx)
		held <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); busy.SpeechCount() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the first request never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	if st, err := post(context.Background()); err != nil || st != 429 || busy.Refused() != 1 {
		t.Fatalf("second request while the slot is held: %d, %v (%d refused)", st, err, busy.Refused())
	}
	cancel() // the held request ends, freeing the slot
	<-held
	for deadline := time.Now().Add(10 * time.Second); ; {
		st, err := post(context.Background())
		if err == nil && st == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slot never freed: %d, %v", st, err)
		}
		time.Sleep(time.Millisecond)
	}
}
