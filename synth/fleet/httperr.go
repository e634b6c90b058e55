package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/synth"
)

// HTTPError is a non-2xx reply. Body is a short, printable excerpt.
type HTTPError struct {
	Status int
	Body   string
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Excerpt makes a server's error body fit for an error message: at most
// 300 bytes of valid UTF-8 on one line, with every secret replaced, since
// some servers echo credentials back.
func Excerpt(body []byte, secrets ...string) string {
	s := strings.ToValidUTF8(string(body), "?")
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// Explain sets e's cause to the reply's status and the server's own
// message msg, led by hint (what the user should fix) when there is one,
// and wrapped in sentinel (synth.ErrTooLong, synth.ErrUnknownVoice) when
// the reply means one of those. It returns e.
func Explain(e *synth.Error, status int, msg, hint string, sentinel error) error {
	body := msg
	if hint != "" {
		body = hint + "; the server said: " + msg
	}
	var err error = &HTTPError{Status: status, Body: body}
	if sentinel != nil {
		err = fmt.Errorf("%w: %w", sentinel, err)
	}
	e.Err = err
	return e
}

// ValidationDetail reads FastAPI's validation list, {"detail": [{"loc":
// [..., "field"], "msg": ...}]}, as "field: msg; ..." and the first
// field named. ok is false when detail is no such list or an empty one.
func ValidationDetail(detail json.RawMessage) (msg, field string, ok bool) {
	var list []struct {
		Loc []any  `json:"loc"`
		Msg string `json:"msg"`
	}
	if json.Unmarshal(detail, &list) != nil || len(list) == 0 {
		return "", "", false
	}
	parts := make([]string, 0, len(list))
	for _, v := range list {
		where := ""
		if n := len(v.Loc); n > 0 {
			where = fmt.Sprint(v.Loc[n-1])
			if field == "" {
				field = where
			}
			where += ": "
		}
		parts = append(parts, where+v.Msg)
	}
	return strings.Join(parts, "; "), field, true
}

// StatusError classifies a non-2xx reply: 408, 409, 429 and 5xx are
// transient (429 and 503 carry the server's Retry-After), everything else
// is permanent. Backends refine 400/401/403/404 messages themselves.
func StatusError(backend string, resp *http.Response, body []byte, now time.Time, secrets ...string) *synth.Error {
	e := &synth.Error{Backend: backend, Err: &HTTPError{Status: resp.StatusCode, Body: Excerpt(body, secrets...)}}
	switch c := resp.StatusCode; {
	case c == http.StatusRequestTimeout, c == http.StatusConflict, c == http.StatusTooManyRequests, c >= 500:
		e.Transient = true
		e.RetryAfter = ParseRetryAfter(resp.Header, now)
	}
	return e
}

// ParseRetryAfter reads the wait a server asked for: Retry-After-Ms
// (milliseconds, sent by OpenAI), else Retry-After as delay-seconds or an
// HTTP-date (RFC 9110 §10.2.3). It returns 0 when absent or unparsable.
func ParseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && ms < 1e9 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	// Seconds, which some servers send with a fraction ("0.5"). A wait
	// of days is kept (up to a month) so that the retry policy can say
	// the server asked for more than it allows, rather than retrying as
	// if nothing were asked.
	if secs, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "eEnNxX") {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, maxRetryAfter.Seconds()) * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// maxRetryAfter bounds the waits a server may ask for.
const maxRetryAfter = 30 * 24 * time.Hour

// TransportError classifies an error from sending a request or reading
// its body. parent is the caller's context: when it is done the error
// wraps its cause (context.Canceled or DeadlineExceeded) and is permanent,
// because the caller stopped waiting. Anything else that went wrong on the
// wire (our own per-request timeout, reset, refused, truncated body) is
// transient.
func TransportError(backend string, parent context.Context, what string, err error) *synth.Error {
	if perr := parent.Err(); perr != nil {
		return &synth.Error{Backend: backend, Err: fmt.Errorf("%s: %w", what, perr)}
	}
	kind := "network error"
	switch {
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		kind = "timed out"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		kind = "connection closed early (truncated reply)"
	case errors.Is(err, syscall.ECONNRESET):
		kind = "connection reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		kind = "connection refused"
	}
	return &synth.Error{Backend: backend, Transient: true, Err: fmt.Errorf("%s: %s: %w", what, kind, err)}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Send makes one HTTP exchange for a backend under its own timeout and
// reads the whole reply, whatever its status, for the caller to judge.
// A failure on the wire comes back as TransportError: transient, unless
// parent itself was cancelled.
func Send(parent context.Context, client *http.Client, timeout time.Duration, backend string, req *http.Request) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	u := req.URL.String()
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, nil, TransportError(backend, parent, req.Method+" "+u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, TransportError(backend, parent, "reading reply from "+u, err)
	}
	return resp, data, nil
}

// SameHostRedirect follows a redirect only on the same host with the same
// method (a server adding a slash answers 307). Any other would turn the
// POST into a GET or send the key to another host; the 3xx comes back
// instead, and its error names where base_url points.
func SameHostRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	if req.Method != first.Method || req.URL.Host != first.URL.Host || req.URL.Scheme != first.URL.Scheme || len(via) > 3 {
		return http.ErrUseLastResponse
	}
	return nil
}
