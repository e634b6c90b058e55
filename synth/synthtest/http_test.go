package synthtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
	"github.com/narrate-audio/narrate/synth/fakeserver"
)

// client is a small client of the OpenAI speech route; defect makes it
// break one rule of RunHTTP.
type client struct {
	base, defect string
	timeout      time.Duration
}

func (c *client) Info() synth.Info { return synth.Info{Name: "client"} }
func (c *client) Close() error     { return nil }

func (c *client) fail(err error, transient bool, wait time.Duration) error {
	return &synth.Error{Backend: "client", Transient: transient, RetryAfter: wait, Err: err}
}

func (c *client) do(ctx context.Context, method, path string, body []byte) (*http.Response, []byte, error) {
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(cctx, method, c.base+path, bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, c.fail(err, ctx.Err() == nil, 0)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil && c.defect != "keeps-partial" {
		return nil, nil, c.fail(err, ctx.Err() == nil, 0)
	}
	if resp.StatusCode/100 == 2 {
		return resp, data, nil
	}
	var wait time.Duration
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		wait = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(resp.Header.Get("Retry-After")); err == nil && c.defect != "no-date" {
		wait = time.Until(t)
	}
	err = fmt.Errorf("%d: %s", resp.StatusCode, message(data))
	if resp.StatusCode == 401 {
		err = fmt.Errorf("%w: check KEY", err)
	}
	st := resp.StatusCode
	transient := st == 429 && c.defect != "429-permanent" || st >= 500
	return resp, nil, c.fail(err, transient, wait)
}

// message reads Kokoro-FastAPI's error body, which the fake sends with
// ListVoices.
func message(data []byte) string {
	var e struct{ Detail struct{ Message string } }
	json.Unmarshal(data, &e)
	return e.Detail.Message
}

func (c *client) Voices(ctx context.Context) ([]synth.Voice, error) {
	_, _, err := c.do(ctx, "GET", "/v1/audio/voices", nil)
	if err != nil && c.defect != "voices-swallow-errors" {
		return nil, err
	}
	return []synth.Voice{{ID: "alloy"}}, nil
}

func (c *client) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	body, _ := json.Marshal(map[string]any{"model": "tts-1", "input": req.Text, "voice": "alloy", "response_format": "pcm"})
	resp, data, err := c.do(ctx, "POST", "/v1/audio/speech", body)
	if err != nil {
		return pcm.Buffer{}, err
	}
	if ct := resp.Header.Get("Content-Type"); ct != "audio/pcm" && c.defect != "accepts-any-type" {
		return pcm.Buffer{}, c.fail(fmt.Errorf("%s is not audio: %s", ct, message(data)), false, 0)
	}
	if len(data) == 0 {
		return pcm.Buffer{}, c.fail(fmt.Errorf("no audio"), true, 0)
	}
	if len(data)%2 != 0 {
		if c.defect != "trims-odd" {
			return pcm.Buffer{}, c.fail(fmt.Errorf("half a sample: truncated"), true, 0)
		}
		data = data[:len(data)-1]
	}
	return audio.DecodeRaw(data, 24000)
}

func newClient(defect string) func(t *testing.T, o fakeserver.Options, timeout time.Duration) (synth.Backend, *fakeserver.Server) {
	return func(t *testing.T, o fakeserver.Options, timeout time.Duration) (synth.Backend, *fakeserver.Server) {
		o.ListVoices = true // a listing route, for the rate limit to hit
		o.Voices = fakeserver.OpenAIVoices
		srv := fakeserver.New(t, o)
		return &client{base: srv.URL, defect: defect, timeout: timeout}, srv
	}
}

func TestGoodClientPasses(t *testing.T) {
	RunHTTP(t, HTTPOptions{New: newClient(""), KeySetting: "KEY"})
}

func TestHTTPVictim(t *testing.T) {
	d := os.Getenv("SYNTHTEST_HTTP_DEFECT")
	if d == "" {
		t.Skip("run by TestHTTPSuiteCatches")
	}
	RunHTTP(t, HTTPOptions{New: newClient(d), KeySetting: "KEY"})
}

func TestHTTPSuiteCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns test processes")
	}
	for defect, subtest := range map[string]string{
		"429-permanent":         "RateLimitSeconds",
		"no-date":               "RateLimitDate",
		"keeps-partial":         "Truncated",
		"trims-odd":             "UnframedTruncated",
		"accepts-any-type":      "HTMLPage",
		"voices-swallow-errors": "VoicesRateLimited",
	} {
		t.Run(defect, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHTTPVictim$", "-test.v")
			cmd.Env = append(os.Environ(), "SYNTHTEST_HTTP_DEFECT="+defect)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("suite passed a client with defect %q:\n%s", defect, out)
			}
			if !strings.Contains(string(out), "--- FAIL: TestHTTPVictim/"+subtest+" ") {
				t.Fatalf("defect %q not caught by subtest %s:\n%s", defect, subtest, out)
			}
		})
	}
}
