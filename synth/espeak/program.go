package espeak

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-audio/wav"
	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
)

// program runs the espeak-ng program once per request and reads the WAV
// it writes to standard output. Each run loads espeak-ng's dictionaries
// anew, which costs about as much CPU as the speech itself; the library
// engine avoids that, but programs run in parallel where the library
// cannot.
type program struct {
	path, ver, data string
	cpu             atomic.Int64 // nanoseconds of CPU used by the runs
}

func openProgram(name string) (*program, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %s not found (install it with: sudo apt-get install espeak-ng): %w", Name, name, err)
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %s --version: %w", Name, path, err)
	}
	// "eSpeak NG text-to-speech: 1.51  Data at: ...": the version alone,
	// as the library reports it, so that both engines share cache entries.
	ver := strings.TrimSpace(string(out))
	data := ""
	if _, after, ok := strings.Cut(ver, "Data at:"); ok {
		data = strings.TrimSpace(after)
	}
	if _, after, ok := strings.Cut(ver, "text-to-speech:"); ok {
		if f := strings.Fields(after); len(f) > 0 {
			ver = f[0]
		}
	}
	return &program{path: path, ver: ver, data: data}, nil
}

func (p *program) version() string { return p.ver }

func (p *program) dataDir() string { return p.data }

func (p *program) concurrency() int { return 0 }

func (p *program) cpuTime() time.Duration { return time.Duration(p.cpu.Load()) }

func (p *program) speak(ctx context.Context, text, voice string, wpm, pitch, gap int) (pcm.Buffer, error) {
	args := []string{"--stdout", "-b", "1", "-s", strconv.Itoa(wpm), "-p", strconv.Itoa(pitch)}
	if gap > 0 {
		args = append(args, "-g", strconv.Itoa(gap))
	}
	if voice != "" {
		args = append(args, "-v", voice)
	}
	cmd := exec.CommandContext(ctx, p.path, args...)
	// Text goes through stdin so that it can never be read as an option.
	cmd.Stdin = strings.NewReader(text)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if st := cmd.ProcessState; st != nil {
		p.cpu.Add(int64(st.UserTime() + st.SystemTime()))
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "voice does not exist") {
			return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("voice %q: %w", voice, synth.ErrUnknownVoice)}
		}
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("%w: %s", err, msg)}
	}
	buf, err := decodeWAV(stdout.Bytes())
	if err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	return buf, nil
}

// decodeWAV reads espeak-ng's WAV. go-audio/wav parses the header and
// finds the samples; they are converted here straight from bytes, which
// is several times faster than its generic []int buffers. espeak-ng writes
// placeholder chunk sizes when streaming, so the data runs to the end of
// the output.
func decodeWAV(data []byte) (pcm.Buffer, error) {
	r := bytes.NewReader(data)
	d := wav.NewDecoder(r)
	if err := d.FwdToPCM(); err != nil {
		return pcm.Buffer{}, fmt.Errorf("reading WAV output: %w", err)
	}
	if d.BitDepth != 16 || d.SampleRate == 0 || d.NumChans == 0 {
		return pcm.Buffer{}, fmt.Errorf("unexpected WAV format: %d bits, %d Hz, %d channels", d.BitDepth, d.SampleRate, d.NumChans)
	}
	body := data[len(data)-r.Len():]
	ch := int(d.NumChans)
	out := make([]float32, len(body)/2/ch)
	for i := range out {
		var sum int32
		for c := 0; c < ch; c++ {
			k := 2 * (i*ch + c)
			sum += int32(int16(uint16(body[k]) | uint16(body[k+1])<<8))
		}
		out[i] = float32(sum) / float32(ch) / 32768
	}
	return pcm.Buffer{Rate: int(d.SampleRate), Samples: out}, nil
}

// list parses the table espeak-ng prints for --voices:
// "Pty Language Age/Gender VoiceName File Other Languages".
func (p *program) list(ctx context.Context, variants bool) ([]voiceEntry, error) {
	flag := "--voices"
	if variants {
		flag = "--voices=variant"
	}
	out, err := exec.CommandContext(ctx, p.path, flag).Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &synth.Error{Backend: Name, Err: fmt.Errorf("%s: %w", flag, err)}
	}
	var es []voiceEntry
	sc := bufio.NewScanner(bytes.NewReader(out))
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		f := strings.Fields(sc.Text())
		if len(f) < 5 {
			continue
		}
		// A file name may hold spaces ("!v/Mr serious"); the other
		// languages that may follow are in parentheses.
		file := f[4:]
		for i, x := range file {
			if strings.HasPrefix(x, "(") {
				file = file[:i]
				break
			}
		}
		e := voiceEntry{language: f[1], name: f[3], file: strings.Join(file, " ")}
		switch {
		case strings.HasSuffix(f[2], "/M"):
			e.gender = 1
		case strings.HasSuffix(f[2], "/F"):
			e.gender = 2
		}
		es = append(es, e)
	}
	if len(es) == 0 {
		return nil, &synth.Error{Backend: Name, Err: errors.New(flag + ": no voices listed")}
	}
	return es, nil
}
