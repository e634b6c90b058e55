// Package config defines narrate's settings, their defaults and their
// validation, and loads them through a viper.Viper value with the
// precedence flag > environment (NARRATE_*) > file > default.
package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/internal/suggest"
	"github.com/narrate-audio/narrate/segment/lang"
)

// Config is every setting narrate knows. The mapstructure tags are the
// keys of narrate.yaml; see narrate.example.yaml for their meaning.
type Config struct {
	Backend  string                    `mapstructure:"backend"`
	Backends map[string]map[string]any `mapstructure:"backends"`
	Voices   Voices                    `mapstructure:"voices"`
	Pauses   Pauses                    `mapstructure:"pauses"`
	Output   Output                    `mapstructure:"output"`
	Input    Input                     `mapstructure:"input"`
	Levels   Levels                    `mapstructure:"levels"`
	Workers  int                       `mapstructure:"workers"`
	Limits   Limits                    `mapstructure:"limits"`
	Cache    Cache                     `mapstructure:"cache"`
	// Pronunciations maps words to what the engine should say instead.
	Pronunciations map[string]string `mapstructure:"pronunciations"`
	// Language is the book's language as a BCP 47 tag ("fr", "pt-BR");
	// empty means the book's own declaration, else detection.
	Language string `mapstructure:"language"`
}

// Voices picks who speaks what.
type Voices struct {
	// Narrator and Dialogue name voices of the backend; empty picks
	// them from its catalogue, for the book's language.
	Narrator string `mapstructure:"narrator"`
	Dialogue string `mapstructure:"dialogue"`
	// Characters maps a character's name to a voice.
	Characters map[string]string `mapstructure:"characters"`
	// Auto gives the characters found in the book voices of their own
	// (see narrate cast); Characters and a cast file override it.
	Auto  bool    `mapstructure:"auto"`
	Rate  float64 `mapstructure:"rate"`
	Pitch float64 `mapstructure:"pitch"`
}

// Pauses are the silences between pieces of speech.
type Pauses struct {
	Sentence     time.Duration `mapstructure:"sentence"`
	Span         time.Duration `mapstructure:"span"`
	Paragraph    time.Duration `mapstructure:"paragraph"`
	Speaker      time.Duration `mapstructure:"speaker"`
	Scene        time.Duration `mapstructure:"scene"`
	Title        time.Duration `mapstructure:"title"`
	ChapterStart time.Duration `mapstructure:"chapter_start"`
	ChapterEnd   time.Duration `mapstructure:"chapter_end"`
}

// Output says what files a render writes.
type Output struct {
	// Preset sets sample rate, bitrate and levels at once: "default"
	// (small files for listening) or "acx" (Audible's submission rules).
	// Keys set explicitly win over the preset.
	Preset     string `mapstructure:"preset"`
	Format     string `mapstructure:"format"` // mp3 or wav
	Bitrate    int    `mapstructure:"bitrate"`
	SampleRate int    `mapstructure:"sample_rate"`
	// TitleSpoken reads each chapter's title at its start.
	TitleSpoken bool `mapstructure:"title_spoken"`
	// Subtitles writes SRT, WebVTT and a JSON sync map per chapter.
	Subtitles bool `mapstructure:"subtitles"`
	// Playlist writes an M3U8 playlist of the chapter files.
	Playlist bool `mapstructure:"playlist"`
	// SingleFile writes one MP3 for the whole book, with chapter marks,
	// instead of one file per chapter.
	SingleFile bool `mapstructure:"single_file"`
	// M4B also writes an M4B audiobook (AAC with chapters); needs ffmpeg.
	M4B bool `mapstructure:"m4b"`
	// Narrator is written to the narrator tag; empty means the backend
	// and voice ("espeak-ng en-us").
	Narrator string `mapstructure:"narrator"`
	// Cover is an image file for the cover art; empty means the book's
	// own cover (EPUB), if any.
	Cover string `mapstructure:"cover"`
	// EPUB also writes a narrated EPUB 3 (text with Media Overlays).
	EPUB bool `mapstructure:"epub"`
	// EPUBKeep keeps an EPUB input's own documents (markup, styles,
	// images) in the narrated EPUB, adding ids on the spoken spans.
	EPUBKeep bool `mapstructure:"epub_keep"`
	// Player writes index.html, a read-along page, beside the audio.
	Player bool `mapstructure:"player"`
	// Layout is "flat" (files straight into the output folder) or
	// "library" (DIR/<Author>/<Title>/, as Audiobookshelf expects).
	Layout string `mapstructure:"layout"`
}

// Levels set the loudness of the audio.
type Levels struct {
	// TargetRMS is the RMS level of speech, in dBFS.
	TargetRMS float64 `mapstructure:"target_rms"`
	// Ceiling is the highest peak, in dBFS; a look-ahead limiter keeps
	// every sample under it.
	Ceiling float64 `mapstructure:"ceiling"`
	// RoomTone is the level of the soft noise in pauses, in dBFS RMS;
	// -100 or lower gives digital silence.
	RoomTone float64 `mapstructure:"room_tone"`
}

// presets are the values each preset gives, by configuration key. ACX
// asks for 44.1 kHz 192 kbps CBR MP3, RMS -23 to -18 dBFS, peaks at most
// -3 dBFS. The ceiling leaves 0.5 dB for the peaks MP3 encoding adds.
// The default preset keeps espeak-ng's 22.05 kHz and 64 kbps mono, where
// LAME measured 22.4 dB SNR on speech: a third of the size of 192 kbps.
var presets = map[string]map[string]any{
	"default": {"output.sample_rate": 22050, "output.bitrate": 64, "levels.target_rms": -20.0, "levels.ceiling": -3.5},
	"acx":     {"output.sample_rate": 44100, "output.bitrate": 192, "levels.target_rms": -20.0, "levels.ceiling": -3.5},
}

// minSampleRate is the lowest output rate offered: the encoder takes
// lower MPEG rates, but speech below 16 kHz loses its consonants.
const minSampleRate = 16000

// Limits bound what narrate asks of a backend.
type Limits struct {
	// Concurrency is how many backend calls run at once; 0 means the
	// backend's own limit, or two per core.
	Concurrency int `mapstructure:"concurrency"`
	// RequestsPerMinute caps the request rate; 0 means no cap.
	RequestsPerMinute int `mapstructure:"requests_per_minute"`
	// Timeout bounds one backend call; 0 means none beyond the backend's.
	Timeout time.Duration `mapstructure:"timeout"`
	// Retries bounds the attempts of a call that keeps failing.
	Retries int `mapstructure:"retries"`
	// MaxChars is the longest text spoken in one request; longer spans
	// are split at sentence ends, which bounds memory and request size.
	MaxChars int `mapstructure:"max_chars"`
}

// Cache says where synthesized spans are kept.
type Cache struct {
	// URL puts the cache in object storage shared by several machines:
	// s3://bucket/prefix, gs://..., azblob://..., file:///dir. It wins
	// over Dir.
	URL string `mapstructure:"url"`
	// Dir is the cache directory; empty means the XDG cache directory
	// ($XDG_CACHE_HOME/narrate/spans or ~/.cache/narrate/spans).
	Dir string `mapstructure:"dir"`
	// Off disables the cache, and with it resuming.
	Off bool `mapstructure:"off"`
}

// Input says how books are read.
type Input struct {
	Encoding string `mapstructure:"encoding"`
	Notes    bool   `mapstructure:"notes"`
	Matter   bool   `mapstructure:"matter"`
}

// Default returns the settings used when nothing is configured. The
// pauses follow what human narrators do: a breath between clauses of one
// paragraph, a longer rest between paragraphs, a marked rest at scene
// breaks and around chapter titles.
func Default() Config {
	return Config{
		Backend:  "espeak-ng",
		Backends: map[string]map[string]any{},
		// No narrator or dialogue voice: they come from the active
		// backend's voices for the book's language.
		Voices: Voices{
			Auto: true,
			Rate: 1,
		},
		Pauses: Pauses{
			Sentence:     350 * time.Millisecond,
			Span:         250 * time.Millisecond,
			Paragraph:    600 * time.Millisecond,
			Speaker:      450 * time.Millisecond,
			Scene:        1800 * time.Millisecond,
			Title:        1200 * time.Millisecond,
			ChapterStart: 700 * time.Millisecond,
			ChapterEnd:   1500 * time.Millisecond,
		},
		Output: Output{Preset: "default", Format: "mp3", Bitrate: 64, SampleRate: 22050, TitleSpoken: true, Subtitles: true, Playlist: true, Player: true, Layout: "flat"},
		Levels: Levels{TargetRMS: -20, Ceiling: -3.5, RoomTone: -75},
		Limits: Limits{Timeout: 5 * time.Minute, Retries: 8, MaxChars: 600},
	}
}

// Error is a configuration problem, with the file position when known.
type Error struct {
	Path string
	Line int
	Col  int
	Err  error
}

func (e *Error) Error() string {
	s := "config: "
	if e.Path != "" {
		s += e.Path
		if e.Line > 0 {
			s += fmt.Sprintf(":%d:%d", e.Line, e.Col)
		}
		s += ": "
	}
	return s + oneLine(e.Err.Error())
}

// oneLine joins the lines of a multi-line message, as mapstructure,
// yaml.v3 and errors.Join write them, with "; ", so that an error stays
// one line of the terminal.
func oneLine(msg string) string {
	if !strings.Contains(msg, "\n") {
		return msg
	}
	var b strings.Builder
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(strings.Replace(l, "decoding failed due to the following error(s):", "", 1))
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			if s := b.String(); !strings.HasSuffix(s, ": ") && !strings.HasSuffix(s, ":") {
				b.WriteString(";")
			}
			if !strings.HasSuffix(b.String(), " ") {
				b.WriteString(" ")
			}
		}
		b.WriteString(strings.Replace(l, "yaml: unmarshal errors:", "yaml:", 1))
	}
	return b.String()
}

// Errors are several located errors, such as every unknown key of a
// file, reported at once on one line.
type Errors []error

func (e Errors) Error() string {
	var msgs []string
	for i, err := range e {
		if i == maxListed {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(e)-i))
			break
		}
		msgs = append(msgs, strings.TrimPrefix(err.Error(), "config: "))
	}
	return "config: " + strings.Join(msgs, "; ")
}

// maxListed bounds the errors one message lists, so that a file of
// nonsense still gets a line that fits a terminal.
const maxListed = 5

func (e Errors) Unwrap() []error { return e }

func (e *Error) Unwrap() error { return e.Err }

// SetDefaults registers every key with its default value, so that viper
// also finds NARRATE_* environment variables for keys absent from files.
func SetDefaults(v *viper.Viper) {
	var walk func(prefix string, val reflect.Value)
	walk = func(prefix string, val reflect.Value) {
		t := val.Type()
		for i := 0; i < t.NumField(); i++ {
			key := t.Field(i).Tag.Get("mapstructure")
			if prefix != "" {
				key = prefix + "." + key
			}
			f := val.Field(i)
			if f.Kind() == reflect.Struct {
				walk(key, f)
				continue
			}
			v.SetDefault(key, f.Interface())
		}
	}
	walk("", reflect.ValueOf(Default()))
}

// Loader reads settings from defaults, a file, NARRATE_* environment
// variables and bound flags. Its viper value is exposed so that commands
// can bind their flags with V.BindPFlag.
type Loader struct {
	V    *viper.Viper
	path string
	// free holds the maps whose keys are names chosen by the user
	// (characters, pronunciations, backend settings). They are read from
	// the YAML directly, because viper folds keys to lower case and splits
	// them at dots, which would turn "Mr. Darcy" into two keys.
	free freeMaps
	// flags are the command-line flags bound to keys.
	flags map[string]*pflag.Flag
}

// BindFlag makes a flag set key when it is given on the command line.
func (l *Loader) BindFlag(key string, f *pflag.Flag) error {
	if l.flags == nil {
		l.flags = map[string]*pflag.Flag{}
	}
	l.flags[key] = f
	return l.V.BindPFlag(key, f)
}

// IsSet reports whether the user set key (in the file, the environment
// or a flag) rather than leaving its default: defaults that depend on the
// book, such as a voice for its language, apply only to keys not set.
func (l *Loader) IsSet(key string) bool { return l.explicit(key) }

// explicit reports whether the user set key: in the file, the
// environment or a flag, rather than leaving the default.
func (l *Loader) explicit(key string) bool {
	return l.overridden(key) || l.V.InConfig(key)
}

// overridden reports whether a flag or an environment variable sets key,
// which then wins over the file.
func (l *Loader) overridden(key string) bool {
	if f := l.flags[key]; f != nil && f.Changed {
		return true
	}
	_, ok := os.LookupEnv("NARRATE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_")))
	return ok
}

type freeMaps struct {
	Backends map[string]map[string]any `yaml:"backends"`
	Voices   struct {
		Characters map[string]string `yaml:"characters"`
	} `yaml:"voices"`
	Pronunciations map[string]string `yaml:"pronunciations"`
}

// NewLoader returns a loader holding the defaults and the environment.
func NewLoader() *Loader {
	v := viper.New()
	SetDefaults(v)
	v.SetEnvPrefix("NARRATE")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	return &Loader{V: v}
}

// ReadFile merges a YAML file after checking its keys, so that a typo is
// reported with its line instead of silently ignored.
func (l *Loader) ReadFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &Error{Path: path, Err: err}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return &Error{Path: path, Err: err}
	}
	if err := checkKeys(path, &root); err != nil {
		return err
	}
	if err := root.Decode(&l.free); err != nil {
		return &Error{Path: path, Err: err}
	}
	l.V.SetConfigFile(path)
	l.V.SetConfigType("yaml")
	if err := l.V.MergeInConfig(); err != nil {
		return &Error{Path: path, Err: err}
	}
	l.path = path
	return nil
}

// Load decodes and validates the settings.
func (l *Loader) Load() (Config, error) {
	c := Default()
	settings := l.V.AllSettings()
	delete(settings, "backends")
	delete(settings, "pronunciations")
	if voices, ok := settings["voices"].(map[string]any); ok {
		delete(voices, "characters")
	}
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           &c,
		WeaklyTypedInput: true,
		ErrorUnused:      true,
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		),
	})
	if err != nil {
		return c, err
	}
	if err := dec.Decode(settings); err != nil {
		return c, l.locateAny(err)
	}
	if p, ok := presets[c.Output.Preset]; ok {
		for key, v := range p {
			if l.explicit(key) {
				continue
			}
			switch key {
			case "output.sample_rate":
				c.Output.SampleRate = v.(int)
			case "output.bitrate":
				c.Output.Bitrate = v.(int)
			case "levels.target_rms":
				c.Levels.TargetRMS = v.(float64)
			case "levels.ceiling":
				c.Levels.Ceiling = v.(float64)
			}
		}
	}
	if l.free.Backends != nil {
		c.Backends = l.free.Backends
	}
	c.Voices.Characters = l.free.Voices.Characters
	c.Pronunciations = l.free.Pronunciations
	if err := c.Validate(); err != nil {
		return c, l.locateAny(err)
	}
	return c, nil
}

// Locate ties err to the place in the settings file where key is set, so
// that problems found later (an unknown backend or voice) name the file
// and line. Settings from flags and the environment come back unchanged.
func (l *Loader) Locate(key string, err error) error {
	if err == nil || l.path == "" || !l.V.InConfig(key) || l.overridden(key) {
		return err
	}
	return locate(l.path, &KeyError{Key: key, Err: err})
}

// LocateError is Locate for an error that names its key: a *KeyError
// is tied to the place its key is set; other errors come back unchanged.
func (l *Loader) LocateError(err error) error {
	if ke, ok := err.(*KeyError); ok {
		return l.Locate(ke.Key, ke.Err)
	}
	return err
}

// Validate checks values that decode but make no sense.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &KeyError{Key: key, Err: fmt.Errorf(format, args...)})
	}
	if c.Backend == "" {
		bad("backend", "backend must name a TTS backend")
	}
	switch c.Output.Format {
	case "mp3", "wav":
	default:
		bad("output.format", "output.format %q: want mp3 or wav", c.Output.Format)
	}
	// The bitrate is checked against the rate when the encoder starts;
	// here it only has to be an MP3 bitrate, as WAV output ignores it.
	if !slices.Contains(mp3.Bitrates(0), c.Output.Bitrate) {
		bad("output.bitrate", "output.bitrate %d: not an MP3 bitrate (use 32, 48, 64, 96, 128, 192...)", c.Output.Bitrate)
	}
	if !slices.Contains(mp3.SampleRates(), c.Output.SampleRate) || c.Output.SampleRate < minSampleRate {
		bad("output.sample_rate", "output.sample_rate %d: use 22050, 24000, 44100 or 48000", c.Output.SampleRate)
	}
	if _, ok := presets[c.Output.Preset]; !ok {
		bad("output.preset", "output.preset %q: want default or acx", c.Output.Preset)
	}
	if c.Levels.TargetRMS < -40 || c.Levels.TargetRMS > -6 || c.Levels.Ceiling < -20 || c.Levels.Ceiling > 0 || c.Levels.Ceiling < c.Levels.TargetRMS {
		bad("levels", "levels: target_rms %v dBFS and ceiling %v dBFS make no sense (try -20 and -3.5)", c.Levels.TargetRMS, c.Levels.Ceiling)
	}
	if c.Levels.RoomTone > -60 {
		bad("levels.room_tone", "levels.room_tone %v dBFS: room tone louder than -60 dBFS is heard as hiss (ACX's noise floor limit)", c.Levels.RoomTone)
	}
	if c.Output.SingleFile && c.Output.Format != "mp3" {
		bad("output.single_file", "output.single_file needs output.format mp3")
	}
	if c.Output.EPUB && c.Output.Format != "mp3" {
		bad("output.epub", "output.epub needs output.format mp3 (EPUB reading systems play MP3, not WAV)")
	}
	if c.Output.Layout != "flat" && c.Output.Layout != "library" {
		bad("output.layout", "output.layout %q: want flat or library", c.Output.Layout)
	}
	if c.Voices.Rate <= 0 || c.Voices.Rate > 4 {
		bad("voices.rate", "voices.rate %v: want a speed factor between 0 and 4 (1 is normal)", c.Voices.Rate)
	}
	if c.Voices.Pitch < -1 || c.Voices.Pitch > 1 {
		bad("voices.pitch", "voices.pitch %v: want a value from -1 to 1 (0 is the voice's own)", c.Voices.Pitch)
	}
	if c.Limits.Concurrency < 0 || c.Limits.RequestsPerMinute < 0 || c.Limits.Timeout < 0 || c.Limits.Retries < 0 {
		bad("limits", "limits must not be negative")
	}
	if c.Limits.MaxChars < 100 {
		bad("limits.max_chars", "limits.max_chars %d: want at least 100 characters", c.Limits.MaxChars)
	}
	if c.Language != "" {
		if _, err := lang.Canonical(c.Language); err != nil {
			bad("language", "language %w", err)
		}
	}
	if c.Workers < 0 {
		bad("workers", "workers %d: want 0 (one per core) or more", c.Workers)
	}
	p := reflect.ValueOf(c.Pauses)
	for i := 0; i < p.NumField(); i++ {
		if d := p.Field(i).Interface().(time.Duration); d < 0 || d > time.Minute {
			bad("pauses."+p.Type().Field(i).Tag.Get("mapstructure"), "pause %v out of range (0 to 1m)", d)
		}
	}
	return errors.Join(errs...)
}

// KeyError is a failure caused by the setting Key: library calls that
// take a Config return it so that the caller can point at the place the
// key is set (Loader.LocateError).
type KeyError struct {
	Key string
	Err error
}

func (e *KeyError) Error() string { return e.Err.Error() }
func (e *KeyError) Unwrap() error { return e.Err }

// locateAny is locate for a decoding or validation error whose key may
// come from a flag or the environment, which then win over the file: the
// error names the flag or variable instead of a line that did not count.
func (l *Loader) locateAny(err error) error {
	if key := errKey(err); key != "" {
		if f := l.flags[key]; f != nil && f.Changed {
			return &Error{Err: fmt.Errorf("--%s: %w", f.Name, err)}
		}
		env := "NARRATE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
		if _, ok := os.LookupEnv(env); ok {
			return &Error{Err: fmt.Errorf("%s: %w", env, err)}
		}
	}
	return locate(l.path, err)
}

// errKey is the setting a decoding or validation error is about, or "".
func errKey(err error) string {
	var ke *KeyError
	if errors.As(err, &ke) {
		return ke.Key
	}
	if s := err.Error(); strings.Contains(s, "'") {
		// mapstructure names the key as 'pauses.span'.
		if i := strings.Index(s, "'"); i >= 0 {
			if j := strings.Index(s[i+1:], "'"); j >= 0 {
				return s[i+1 : i+1+j]
			}
		}
	}
	return ""
}

// locate adds the file name, and the line when the failing key is in the
// file, to decoding and validation errors.
func locate(path string, err error) error {
	if path == "" {
		return &Error{Err: err}
	}
	key := errKey(err)
	line, col := 0, 0
	if key != "" {
		if data, rerr := os.ReadFile(path); rerr == nil {
			var root yaml.Node
			if yaml.Unmarshal(data, &root) == nil {
				line, col = findKey(&root, strings.Split(strings.ToLower(key), "."))
			}
		}
	}
	return &Error{Path: path, Line: line, Col: col, Err: err}
}

func findKey(n *yaml.Node, path []string) (int, int) {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return findKey(n.Content[0], path)
	}
	if n.Kind != yaml.MappingNode || len(path) == 0 {
		return 0, 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if strings.ToLower(n.Content[i].Value) == path[0] {
			if len(path) == 1 {
				return n.Content[i].Line, n.Content[i].Column
			}
			if l, c := findKey(n.Content[i+1], path[1:]); l > 0 {
				return l, c
			}
			return n.Content[i].Line, n.Content[i].Column
		}
	}
	return 0, 0
}

// known lists the valid keys under each prefix. Maps with free keys
// (backends, characters, pronunciations) accept anything below them.
func known() map[string][]string {
	out := map[string][]string{}
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			key := t.Field(i).Tag.Get("mapstructure")
			out[prefix] = append(out[prefix], key)
			if t.Field(i).Type.Kind() == reflect.Struct && t.Field(i).Type != reflect.TypeOf(time.Duration(0)) {
				walk(strings.TrimPrefix(prefix+"."+key, "."), t.Field(i).Type)
			}
		}
	}
	walk("", reflect.TypeOf(Config{}))
	return out
}

// checkKeys reports every unknown key with its line and a suggestion.
func checkKeys(path string, root *yaml.Node) error {
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Value == "" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return &Error{Path: path, Line: root.Line, Col: root.Column, Err: errors.New("the file must be a mapping of settings")}
	}
	keys := known()
	var unknown Errors
	var walk func(prefix string, n *yaml.Node) error
	walk = func(prefix string, n *yaml.Node) error {
		valid, ok := keys[prefix]
		if !ok {
			return nil // a free-form map
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			name := strings.ToLower(k.Value)
			if !contains(valid, name) {
				msg := fmt.Sprintf("unknown key %q", strings.TrimPrefix(prefix+"."+k.Value, "."))
				if s := suggest.Closest(name, valid); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				unknown = append(unknown, &Error{Path: path, Line: k.Line, Col: k.Column, Err: errors.New(msg)})
				continue
			}
			child := strings.TrimPrefix(prefix+"."+name, ".")
			if _, nested := keys[child]; nested {
				if v := n.Content[i+1]; v.Kind == yaml.MappingNode {
					if err := walk(child, v); err != nil {
						return err
					}
				} else if !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
					return &Error{Path: path, Line: v.Line, Col: v.Column, Err: fmt.Errorf("%s must be a mapping of settings", child)}
				}
			}
		}
		return nil
	}
	if err := walk("", root); err != nil {
		return err
	}
	if len(unknown) == 1 {
		return unknown[0]
	}
	if len(unknown) > 1 {
		return unknown
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
