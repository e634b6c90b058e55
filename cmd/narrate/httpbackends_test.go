package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/pipeline/casting"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fakeserver"
	"github.com/narrate-audio/narrate/synth/openai"
)

const schism = "../../../shared/samples/schism.txt"

// service is a fake of one HTTP speech service and how narrate is set up
// to use it.
type service struct {
	name, backend string
	keyEnv, key   string
	opts          fakeserver.Options
	params        func(srv *fakeserver.Server) string // YAML of backends.<backend>
	genders       map[string]string                   // the service's voices' genders
}

func services() []service {
	kokoro := map[string]string{}
	for _, v := range fakeserver.KokoroVoices {
		kokoro[v.ID] = map[byte]string{'f': "female", 'm': "male"}[v.ID[1]]
	}
	builtin := map[string]string{}
	for _, v := range openai.Builtin() {
		builtin[v.ID] = v.Gender
	}
	eleven := map[string]string{}
	for _, v := range fakeserver.ElevenVoices {
		eleven[v.ID] = v.Gender
	}
	return []service{
		{name: "openai-like", backend: "openai", keyEnv: "OPENAI_API_KEY", key: "sk-test",
			opts:    fakeserver.Options{APIKey: "sk-test"},
			params:  func(s *fakeserver.Server) string { return "base_url: " + s.BaseURL() },
			genders: builtin},
		{name: "kokoro-like", backend: "openai",
			opts:    fakeserver.Options{ListVoices: true},
			params:  func(s *fakeserver.Server) string { return "base_url: " + s.BaseURL() + "\n      model: kokoro" },
			genders: kokoro},
		{name: "elevenlabs-like", backend: "elevenlabs", keyEnv: "ELEVENLABS_API_KEY", key: "xi-test",
			opts:    fakeserver.Options{APIKey: "xi-test", Voices: fakeserver.ElevenVoices},
			params:  func(s *fakeserver.Server) string { return "base_url: " + s.URL },
			genders: eleven},
	}
}

// setup starts the fake and writes a config file using it, with the
// given extra YAML (voices, limits) and a fresh cache directory.
func (sv service) setup(t *testing.T, extra string) (*fakeserver.Server, []string) {
	t.Helper()
	if _, err := os.Stat(schism); err != nil {
		t.Skip("schism.txt not available")
	}
	srv := fakeserver.New(t, sv.opts)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "narrate.yaml")
	text := "backend: " + sv.backend + "\nbackends:\n  " + sv.backend + ":\n      " + sv.params(srv) + "\n" + extra
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if sv.keyEnv != "" {
		t.Setenv(sv.keyEnv, sv.key)
	}
	return srv, []string{"--config", cfg, "--cache-dir", filepath.Join(dir, "cache")}
}

// spoken lists the voices of the speech requests the fake received.
func spoken(srv *fakeserver.Server) map[string]int {
	out := map[string]int{}
	for _, r := range srv.Requests() {
		switch {
		case r.Path == "/v1/audio/speech":
			v, _ := r.Body["voice"].(string)
			out[v]++
		case strings.HasPrefix(r.Path, "/v1/text-to-speech/"):
			out[strings.TrimPrefix(r.Path, "/v1/text-to-speech/")]++
		}
	}
	return out
}

// TestHTTPBackendsNoVoiceConfigured renders schism.txt through each
// service with no voice configured: the cast uses the service's own
// voices, narrator and characters distinct, men on male voices; a warm
// rerun and the assembly after shards ask the server nothing and need no
// API key.
func TestHTTPBackendsNoVoiceConfigured(t *testing.T) {
	for _, sv := range services() {
		t.Run(sv.name, func(t *testing.T) {
			srv, flags := sv.setup(t, "")
			out := filepath.Join(t.TempDir(), "out")
			if _, stderr, err := run(t, append([]string{"render", schism, "-o", out, "-q"}, flags...)...); err != nil {
				t.Fatalf("cold render: %v\n%s", err, stderr)
			}
			cold := srv.Count()
			heard := spoken(srv)
			if cold == 0 || len(heard) == 0 {
				t.Fatalf("cold render made %d requests", cold)
			}
			castOut, _, err := run(t, append([]string{"cast", schism}, flags...)...)
			if err != nil {
				t.Fatal(err)
			}
			if srv.Count() != cold {
				t.Errorf("narrate cast after a render made %d requests", srv.Count()-cold)
			}
			var c casting.Cast
			if err := yaml.Unmarshal([]byte(castOut), &c); err != nil {
				t.Fatal(err)
			}
			voices := map[string]string{}
			for _, m := range c.Characters {
				voices[m.Name] = m.Voice
			}
			distinct := map[string]bool{c.Narrator: true}
			for _, name := range []string{"Iruka", "Kakashi", "Naruto"} {
				v := voices[name]
				if _, known := sv.genders[v]; !known {
					t.Errorf("%s speaks with %q, not a voice of the service", name, v)
				}
				if sv.genders[v] != "male" {
					t.Errorf("%s (male) speaks with %q (%q)", name, v, sv.genders[v])
				}
				if heard[v] == 0 {
					t.Errorf("%s's voice %q was never requested", name, v)
				}
				distinct[v] = true
			}
			if len(distinct) != 4 || heard[c.Narrator] == 0 {
				t.Errorf("narrator %q and characters %v are not four distinct voices heard; heard %v", c.Narrator, voices, heard)
			}
			t.Logf("%s: cold render %d requests (%d speech); cast:\n%s", sv.name, cold, srv.SpeechCount(), castOut)

			// Warm rerun: every span cached; no key.
			if sv.keyEnv != "" {
				t.Setenv(sv.keyEnv, "")
			}
			if _, stderr, err := run(t, append([]string{"render", schism, "-o", out}, flags...)...); err != nil {
				t.Fatalf("warm render: %v", err)
			} else if !strings.Contains(stderr, "0 synthesized") {
				t.Errorf("warm render synthesized: %s", stderr)
			}
			if n := srv.Count() - cold; n != 0 {
				t.Errorf("warm rerun made %d requests", n)
			}
		})
	}
}

// TestShardAssemblyAsksNothing fills a cache with two shards, then
// assembles without an API key: the assembly makes no request.
func TestShardAssemblyAsksNothing(t *testing.T) {
	sv := services()[0]
	srv, flags := sv.setup(t, "")
	for _, s := range []string{"0/2", "1/2"} {
		if _, _, err := run(t, append([]string{"render", schism, "--shard", s, "-q"}, flags...)...); err != nil {
			t.Fatalf("shard %s: %v", s, err)
		}
	}
	shards := srv.Count()
	t.Setenv(sv.keyEnv, "")
	_, stderr, err := run(t, append([]string{"render", schism, "-o", t.TempDir()}, flags...)...)
	if err != nil {
		t.Fatalf("assembly: %v", err)
	}
	if n := srv.Count() - shards; n != 0 || !strings.Contains(stderr, "0 synthesized") {
		t.Errorf("assembly made %d requests: %s", n, stderr)
	}
	t.Logf("shards made %d requests, the assembly %d", shards, srv.Count()-shards)
}

// TestHTTPFaultsRetried: 429 with Retry-After and 503 on the voice list,
// on a probe of a voice the list lacks (a Kokoro mix) and on speech are
// all retried; a rerun then needs neither list nor probe.
func TestHTTPFaultsRetried(t *testing.T) {
	sv := services()[1]
	sv.opts.Fault = func(n int) fakeserver.Fault {
		switch {
		// 1-3: the voice list, 4-6: the probe, then speech.
		case n == 1 || n == 4 || n == 20:
			return fakeserver.Fault{Status: 429, RetryAfter: "1"}
		case n == 2 || n == 5 || n%7 == 0:
			return fakeserver.Fault{Status: 503}
		}
		return fakeserver.Fault{}
	}
	srv, flags := sv.setup(t, "voices:\n  narrator: af_bella(2)+af_sky\n")
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, err := run(t, append([]string{"render", schism, "-o", out, "-q"}, flags...)...); err != nil {
		t.Fatalf("render: %v\n%s", err, stderr)
	}
	reqs := srv.Requests()
	if reqs[0].Path != "/v1/audio/voices" || reqs[1].Path != "/v1/audio/voices" || reqs[2].Path != "/v1/audio/voices" {
		t.Errorf("the voice list was not retried: %s %s %s", reqs[0].Path, reqs[1].Path, reqs[2].Path)
	}
	if srv.SpeechCount() < 20 {
		t.Errorf("only %d speech requests: the speech faults were not reached", srv.SpeechCount())
	}
	if v, _ := reqs[3].Body["voice"].(string); v != "af_bella(2)+af_sky" || reqs[4].Body["voice"] != v || reqs[5].Body["voice"] != v {
		t.Errorf("the probe was not retried: %v %v %v", reqs[3].Body, reqs[4].Body, reqs[5].Body)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.mp3"))
	if len(files) == 0 {
		t.Fatal("no audio written")
	}
	before := srv.Count()
	if _, _, err := run(t, append([]string{"render", schism, "-o", filepath.Join(t.TempDir(), "again"), "-q"}, flags...)...); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count() - before; n != 0 {
		t.Errorf("rerun made %d requests", n)
	}
}

// TestHTTPBadVoices: each mistake gives one clear error and no output.
func TestHTTPBadVoices(t *testing.T) {
	tests := []struct {
		name  string
		sv    service
		extra string
		args  []string
		want  []string
	}{
		{"unknown voice", services()[0], "", []string{"--voice", "allloy"},
			[]string{"voices.narrator", `"allloy"`, "backend openai", "close matches: alloy", "narrate voices --backend openai"}},
		{"unknown cast voice", services()[1], "voices:\n  characters:\n    Iruka: bm_georg\n", nil,
			[]string{"voices.characters.Iruka", "bm_georg", "close matches: bm_george"}},
		{"no voice list", func() service {
			s := services()[0]
			s.params = func(srv *fakeserver.Server) string {
				return "base_url: " + srv.BaseURL() + "\n      model: my-own-model"
			}
			return s
		}(), "", nil, []string{"openai", "backends.openai.voices", "--voice", "404"}},
		{"voice list fails", func() service {
			s := services()[1]
			s.opts.Fault = func(int) fakeserver.Fault { return fakeserver.Fault{Status: 503} }
			return s
		}(), "limits:\n  retries: 2\n", nil, []string{"voices of backend openai", "listing voices", "503", "after 2 attempts"}},
		{"language nobody speaks", func() service {
			s := services()[1]
			s.opts.Voices = []synth.Voice{{ID: "jf_alpha"}, {ID: "jm_kumo"}}
			return s
		}(), "", nil, []string{"backend openai", "(en)", "ja", "--voice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, flags := tt.sv.setup(t, tt.extra)
			out := filepath.Join(t.TempDir(), "out")
			_, _, err := run(t, append(append([]string{"render", schism, "-o", out, "-q"}, flags...), tt.args...)...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("output written despite the error: %d files", len(entries))
			}
		})
	}
}

// TestVoicesListAndAudition lists a Kokoro-like server's voices with
// their decoded metadata, then renders samples of a cast's voices as
// MP3s, through the cache: the second audition asks nothing.
func TestVoicesListAndAudition(t *testing.T) {
	sv := services()[1]
	srv, flags := sv.setup(t, "")
	out, _, err := run(t, append([]string{"voices"}, flags...)...)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "ID NAME LANGUAGE GENDER ACCENT SOURCE LABELS" {
		t.Errorf("header %q", lines[0])
	}
	if !regexpMatch(`bm_george\s+George\s+en-GB\s+male\s+British\s+server`, out) {
		t.Errorf("listing lacks bm_george's metadata:\n%s", out)
	}
	castFile := filepath.Join(t.TempDir(), "cast.yaml")
	os.WriteFile(castFile, []byte("narrator: af_heart\ncharacters:\n  - name: Ann\n    lines: 1\n    voice: bf_emma\n"), 0o644)
	dir := filepath.Join(t.TempDir(), "samples")
	before := srv.SpeechCount()
	if _, _, err := run(t, append([]string{"voices", "--sample", "It was a dark and stormy night.", "-o", dir, "--cast", castFile}, flags...)...); err != nil {
		t.Fatal(err)
	}
	if n := srv.SpeechCount() - before; n != 2 {
		t.Errorf("%d speech requests for two samples", n)
	}
	for _, v := range []string{"af_heart", "bf_emma"} {
		f, err := os.Open(filepath.Join(dir, v+".mp3"))
		if err != nil {
			t.Fatal(err)
		}
		buf, err := mp3.Decode(f)
		f.Close()
		if err != nil || len(buf.Samples) < buf.Rate {
			t.Errorf("%s sample: %v, %d samples at %d Hz", v, err, len(buf.Samples), buf.Rate)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files in the sample directory, want 2", len(entries))
	}
	before = srv.Count()
	if _, _, err := run(t, append([]string{"voices", "--sample", "It was a dark and stormy night.", "-o", dir, "--cast", castFile}, flags...)...); err != nil {
		t.Fatal(err)
	}
	// The listing is asked anew (voices refreshes it); the speech is cached.
	if srv.SpeechCount() != 2 || srv.Count()-before != 1 {
		t.Errorf("second audition: %d speech requests in all, %d requests now", srv.SpeechCount(), srv.Count()-before)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// TestBookLanguageThroughCatalogue renders an Italian book, with no voice
// configured, through the Kokoro-like fake: the language is detected from
// the text, and every request goes to a voice the catalogue says speaks
// Italian (Kokoro's "i" voices), narrator and dialogue apart.
func TestBookLanguageThroughCatalogue(t *testing.T) {
	var sv service
	for _, s := range services() {
		if s.name == "kokoro-like" {
			sv = s
		}
	}
	srv, flags := sv.setup(t, "")
	text := "Capitolo 1\n\n" +
		"La mattina era fredda e la città dormiva ancora quando Marco uscì di casa con il cappotto della nonna.\n\n" +
		"«Buongiorno, Giulia», disse Marco. «Hai visto che nebbia stamattina?»\n\n" +
		"«L'ho vista, sì», rispose Giulia, ridendo. «Andiamo al mercato prima che chiuda.»\n\n" +
		"Camminarono insieme lungo il fiume, parlando del viaggio che avrebbero fatto in primavera.\n"
	in := writeInput(t, t.TempDir(), "libro.txt", []byte(text))
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, err := run(t, append([]string{"render", in, "-o", out, "-q"}, flags...)...); err != nil {
		t.Fatalf("render: %v\n%s", err, stderr)
	}
	heard := spoken(srv)
	if len(heard) < 2 {
		t.Errorf("voices heard %v: want narrator and dialogue apart", heard)
	}
	for v := range heard {
		if !strings.HasPrefix(v, "i") {
			t.Errorf("voice %q does not speak Italian (heard %v)", v, heard)
		}
	}
}
