package espeak

/*
#cgo LDFLAGS: -ldl
#include <stdlib.h>
#include "library.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/internal/cpuclock"
	"github.com/narrate-audio/narrate/synth"
)

// library speaks through libespeak-ng in this process, which costs a
// fraction of a millisecond per request where starting the espeak-ng
// program costs about ten.
//
// The C library keeps one global synthesizer, so requests are
// serialised; one espeak-ng thread outpaces several MP3 encoders. It also
// carries state from one utterance into the next (pitch flutter and wave
// phase), so the same text would not give the same samples twice. Each
// request therefore loads a fresh copy of the library (dlopen and
// espeak-ng's start-up, about 0.7 ms), which makes every request speak
// exactly what the espeak-ng program would.
type library struct {
	mu   sync.Mutex // serialises every use of libespeak-ng
	rate int
	ver  string
	data string // espeak-ng's data directory
	// files maps a language voice ("en-us") to its voice file, links to
	// a short link to it (see setVoice).
	files, links map[string]string

	cpu atomic.Int64 // nanoseconds of CPU spent speaking

	// sink receives the samples of the request in progress; the callback
	// runs on the calling goroutine, inside espeak_Synth, under mu. Its
	// buffer is reused: it grows to the longest request's audio.
	sink struct {
		ctx     context.Context
		samples []float32
	}
}

var (
	libOnce sync.Once
	lib     *library
	libErr  error
)

// openLibrary checks once per process that libespeak-ng loads. The
// library has a single global state, so every Backend shares this value.
func openLibrary() (*library, error) {
	libOnce.Do(func() {
		l := &library{}
		if err := l.load(); err != nil {
			libErr = err
			return
		}
		var data *C.char
		l.ver = C.GoString(C.narrate_espeak_info(&data))
		dataDir := C.GoString(data)
		l.data = dataDir
		C.narrate_espeak_unload()
		langs, err := l.list(context.Background(), false)
		if err != nil {
			libErr = err
			return
		}
		l.files, l.links = map[string]string{}, map[string]string{}
		for _, e := range langs {
			for _, dir := range []string{"voices", "lang"} {
				f := filepath.Join(dataDir, dir, e.file)
				if _, ok := l.files[strings.ToLower(e.language)]; !ok && regular(f) {
					l.files[strings.ToLower(e.language)] = f
				}
			}
		}
		lib = l
	})
	return lib, libErr
}

// load loads a fresh copy of libespeak-ng; the caller holds mu (or is
// openLibrary) and unloads it with narrate_espeak_unload.
func (l *library) load() error {
	var msg [256]C.char
	rate := int(C.narrate_espeak_load(&msg[0], C.size_t(len(msg))))
	if rate <= 0 {
		return fmt.Errorf("%s: loading libespeak-ng: %s (install it with: sudo apt-get install espeak-ng, or set engine: program)", Name, C.GoString(&msg[0]))
	}
	l.rate = rate
	return nil
}

func (l *library) version() string { return l.ver }

func (l *library) dataDir() string { return l.data }

func (l *library) cpuTime() time.Duration { return time.Duration(l.cpu.Load()) }

// addCPU adds the thread CPU used since start.
func (l *library) addCPU(start time.Duration) { l.cpu.Add(int64(cpuclock.Thread() - start)) }

func (l *library) concurrency() int { return 1 }

//export narrateEspeakSamples
func narrateEspeakSamples(wav *C.short, n C.int, events *C.espeak_EVENT) C.int {
	s := &lib.sink
	if wav != nil && n > 0 {
		for _, v := range unsafe.Slice((*int16)(unsafe.Pointer(wav)), int(n)) {
			s.samples = append(s.samples, float32(v)/32768)
		}
	}
	if s.ctx.Err() != nil {
		return 1 // abort synthesis
	}
	return 0
}

func (l *library) speak(ctx context.Context, text, voice string, wpm, pitch, gap int) (pcm.Buffer, error) {
	if voice == "" {
		voice = "en" // the espeak-ng program's default
	}
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	cvoice := C.CString(voice)
	defer C.free(unsafe.Pointer(cvoice))
	l.mu.Lock()
	defer l.mu.Unlock()
	// The whole request runs on one thread, whose CPU clock then counts
	// the speaking alone.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer l.addCPU(cpuclock.Thread())
	if err := l.load(); err != nil {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: err}
	}
	defer C.narrate_espeak_unload()
	switch rc := l.setVoice(voice, cvoice); rc {
	case C.EE_OK:
	case C.EE_NOT_FOUND:
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("voice %q: %w", voice, synth.ErrUnknownVoice)}
	default:
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("voice %q: error %d", voice, rc)}
	}
	for _, p := range []struct {
		name  C.espeak_PARAMETER
		value int
	}{{C.espeakRATE, wpm}, {C.espeakPITCH, pitch}, {C.espeakWORDGAP, gap}} {
		if rc := C.narrate_espeak_param(p.name, C.int(p.value)); rc != C.EE_OK {
			return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("setting parameter %d to %d: error %d", p.name, p.value, rc)}
		}
	}
	// The samples gather in a scratch buffer kept from request to
	// request and leave in one of their exact size: the pipeline holds
	// many pieces at once, so slack in each would add up.
	l.sink.ctx, l.sink.samples = ctx, l.sink.samples[:0]
	rc := C.narrate_espeak_synth(ctext, C.size_t(len(text)+1))
	l.sink.ctx = nil
	if err := ctx.Err(); err != nil {
		return pcm.Buffer{}, err
	}
	if rc != C.EE_OK {
		return pcm.Buffer{}, &synth.Error{Backend: Name, Err: fmt.Errorf("espeak_Synth: error %d", rc)}
	}
	return pcm.Buffer{Rate: l.rate, Samples: slices.Clone(l.sink.samples)}, nil
}

// setVoice loads voice. espeak_SetVoiceByName first reads every voice
// file espeak-ng has (some 3 ms, on each fresh load), so the voice is
// loaded from its file instead. espeak_SetVoiceByFile lowercases the path
// it is given ("en-US" is not found) and overflows a buffer (the process
// aborts) once the path and variant reach 40 bytes, so it gets a short
// lowercase symbolic link to the file; where none can be made short
// enough, the voice is loaded by name.
func (l *library) setVoice(voice string, cvoice *C.char) C.espeak_ERROR {
	lang, variant, _ := strings.Cut(voice, "+")
	link := l.link(strings.ToLower(lang))
	if link == "" {
		return C.narrate_espeak_voice(cvoice)
	}
	if variant != "" {
		link += "+" + variant
	}
	if len(link) > maxVoiceFile {
		return C.narrate_espeak_voice(cvoice)
	}
	carg := C.CString(link)
	defer C.free(unsafe.Pointer(carg))
	return C.narrate_espeak_voice_file(carg)
}

// maxVoiceFile is the longest path espeak_SetVoiceByFile takes safely
// (measured on 1.51: 40 bytes with a variant abort).
const maxVoiceFile = 39

// link returns a short link to the file of voice lang, named after it,
// making it on first use, or "" if there is none. Links live in a
// directory of the user's own under the system temporary directory,
// reused by later runs.
func (l *library) link(lang string) string {
	if p, ok := l.links[lang]; ok {
		return p
	}
	l.links[lang] = ""
	file, ok := l.files[lang]
	if !ok || strings.Trim(lang, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return ""
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("nesp-%d", os.Getuid()))
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return ""
	}
	// Another user could have made the directory first; use it only if
	// it is ours and private.
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 || !ownedByMe(fi) {
		return ""
	}
	link := filepath.Join(dir, lang)
	if target, err := os.Readlink(link); err != nil || target != file {
		tmp := fmt.Sprintf("%s.%d", link, os.Getpid())
		os.Remove(tmp)
		if os.Symlink(file, tmp) != nil || os.Rename(tmp, link) != nil {
			os.Remove(tmp)
			return ""
		}
	}
	if link != strings.ToLower(link) {
		return ""
	}
	l.links[lang] = link
	return link
}

// ownedByMe reports whether this process's user owns the file fi describes.
func ownedByMe(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}

// regular reports whether path is a regular file.
func regular(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

func (l *library) list(ctx context.Context, variants bool) ([]voiceEntry, error) {
	var lang *C.char
	if variants {
		lang = C.CString("variant")
		defer C.free(unsafe.Pointer(lang))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.load(); err != nil {
		return nil, &synth.Error{Backend: Name, Err: err}
	}
	defer C.narrate_espeak_unload()
	// The list and its strings belong to the library, so they are copied
	// out before it unloads.
	list := C.narrate_espeak_list(lang)
	if list == nil {
		return nil, &synth.Error{Backend: Name, Err: errors.New("no voices listed")}
	}
	var es []voiceEntry
	for p := list; *p != nil; p = (**C.espeak_VOICE)(unsafe.Add(unsafe.Pointer(p), unsafe.Sizeof(*p))) {
		v := *p
		// languages is a list of (priority byte, NUL-terminated name);
		// the first name is the voice's language.
		language := C.GoString((*C.char)(unsafe.Add(unsafe.Pointer(v.languages), 1)))
		if isVariant := language == "variant"; isVariant != variants {
			continue
		}
		es = append(es, voiceEntry{language: language, name: C.GoString(v.name), file: C.GoString(v.identifier), gender: int(v.gender)})
	}
	if len(es) == 0 {
		return nil, &synth.Error{Backend: Name, Err: errors.New("no voices listed")}
	}
	return es, nil
}
