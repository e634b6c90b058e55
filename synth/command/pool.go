package command

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/internal/procgroup"
	"github.com/narrate-audio/narrate/synth"
)

// pool keeps json-lines workers alive between requests. The backend's
// semaphore bounds how many exist, so idle never blocks on send.
type pool struct {
	b      *Backend
	idle   chan *worker
	mu     sync.Mutex
	closed bool
}

// worker is one running program in json-lines mode.
type worker struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string // stdout lines, closed when stdout ends
	stderr *tailBuffer
	done   chan struct{} // closed when the process has been reaped
}

// tailBuffer keeps the last few KiB a worker wrote to stderr.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = t.buf[len(t.buf)-4096:]
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Clone(t.buf)
}

func (p *pool) start() (*worker, error) {
	argv := p.b.argv
	// Not CommandContext: a worker outlives any one request and is killed
	// explicitly when a request gives up on it.
	cmd := exec.Command(argv[0], argv[1:]...)
	procgroup.Set(cmd)
	cmd.Cancel = nil
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w := &worker{cmd: cmd, stdin: stdin, lines: make(chan string, 16), stderr: &tailBuffer{}, done: make(chan struct{})}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		return nil, &synth.Error{Backend: Name, Err: fmt.Errorf("starting %s: %w", argv[0], err)}
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			w.lines <- sc.Text()
		}
		close(w.lines)
		cmd.Wait()
		close(w.done)
	}()
	return w, nil
}

func (w *worker) kill() {
	if w.cmd.Process != nil {
		_ = procgroup.Kill(w.cmd.Process.Pid)
	}
	w.stdin.Close()
}

func (p *pool) get() (*worker, error) {
	select {
	case w := <-p.idle:
		select {
		case <-w.done: // died while idle; start afresh
		default:
			return w, nil
		}
	default:
	}
	return p.start()
}

func (p *pool) put(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		w.kill()
		return
	}
	p.idle <- w
}

func (p *pool) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	for {
		select {
		case w := <-p.idle:
			w.stdin.Close() // EOF lets a well-behaved program exit by itself
			w.kill()
		default:
			return
		}
	}
}

type jsonLine struct {
	Text       string `json:"text"`
	OutputFile string `json:"output_file"`
	Speaker    string `json:"speaker,omitempty"`
}

// synthesize sends one utterance to a worker and waits for the line that
// names its output file. Lines that are not our path (log chatter) are
// skipped. If the request is abandoned mid-utterance the worker is killed,
// since its next stdout line would belong to the wrong request.
func (p *pool) synthesize(parent context.Context, text, voice string) (pcm.Buffer, error) {
	b := p.b
	w, err := p.get()
	if err != nil {
		return pcm.Buffer{}, err
	}
	out, err := tempWAV()
	if err != nil {
		p.put(w)
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	defer os.Remove(out)
	line := jsonLine{Text: strings.ReplaceAll(text, "\n", " "), OutputFile: out}
	if voice != "default" {
		line.Speaker = voice
	}
	data, _ := json.Marshal(line)
	ctx, cancel := context.WithTimeout(parent, b.timeout)
	defer cancel()
	fail := func(err error) (pcm.Buffer, error) {
		w.kill()
		return pcm.Buffer{}, err
	}
	if _, err := w.stdin.Write(append(data, '\n')); err != nil {
		w.kill()
		<-w.done
		return pcm.Buffer{}, b.workerDied(w)
	}
	for {
		select {
		case l, ok := <-w.lines:
			if !ok {
				<-w.done
				return fail(b.workerDied(w))
			}
			if strings.TrimSpace(l) != out {
				continue
			}
			wav, err := os.ReadFile(out)
			if err != nil {
				return fail(&synth.Error{Backend: Name, Err: fmt.Errorf("%s reported %s but it cannot be read: %w", b.argv[0], out, err)})
			}
			buf, err := b.decode(wav, w.stderr.Bytes())
			if err != nil {
				// The protocol is intact; only this utterance is bad.
				p.put(w)
				return pcm.Buffer{}, err
			}
			p.put(w)
			return buf, nil
		case <-ctx.Done():
			if perr := parent.Err(); perr != nil {
				return fail(&synth.Error{Backend: Name, Err: fmt.Errorf("%s: %w", b.argv[0], perr)})
			}
			return fail(&synth.Error{Backend: Name, Transient: true, Err: fmt.Errorf("%s: timed out after %v; worker killed: %w", b.argv[0], b.timeout, ctx.Err())})
		}
	}
}

// workerDied explains a worker that exited mid-request. A crash is
// transient (a fresh worker may do fine), but a worker that exits at once
// with a non-zero status usually has a bad command line, so the message
// quotes its stderr either way.
func (b *Backend) workerDied(w *worker) error {
	code := w.cmd.ProcessState.ExitCode()
	msg := fmt.Errorf("%s exited (status %d) before finishing the utterance: %s", b.argv[0], code, tail(w.stderr.Bytes()))
	if code == -1 {
		return &synth.Error{Backend: Name, Transient: true, Err: msg}
	}
	return &synth.Error{Backend: Name, Err: msg}
}
