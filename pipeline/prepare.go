package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/pipeline/cache/blob"
	"github.com/narrate-audio/narrate/pipeline/casting"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/attribute"
	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/lang"
	"github.com/narrate-audio/narrate/segment/reader"
	"github.com/narrate-audio/narrate/segment/speech"
	"github.com/narrate-audio/narrate/synth"
)

// Book is a book read as configured: its language chosen, its chapters
// segmented into spans and their speakers attributed.
type Book struct {
	Book     *book.Book
	Chapters []segment.Chapter
	// Language says how the language was chosen; its Note, when set,
	// explains a choice the user may want to correct.
	Language lang.Choice
	// Characters are the speakers attribution found.
	Characters attribute.Cast
	// Warnings are the segmenter's complaints about the input (unclosed
	// quotes and the like).
	Warnings []segment.Warning
}

// Read reads the book at path and segments it, with the input, language
// and pronunciation settings of c. An error caused by a setting is a
// *config.KeyError naming it.
func Read(c config.Config, path string) (*Book, error) {
	b, err := reader.Open(path, reader.Options{Encoding: c.Input.Encoding, Notes: c.Input.Notes, Matter: c.Input.Matter})
	if err != nil {
		return nil, err
	}
	choice, err := lang.Choose(c.Language, b)
	if err != nil {
		return nil, &config.KeyError{Key: "language", Err: err}
	}
	lang.TitleChapters(b)
	chapters, warns := segment.Book(b, segment.Options{Speech: normalizer(c, b)})
	return &Book{Book: b, Chapters: chapters, Language: choice, Warnings: warns,
		Characters: attribute.Attribute(b, chapters, attribute.Options{})}, nil
}

// normalizer returns the speech-text normalizer for the settings, with
// the user's pronunciations and the book's lexicon.
func normalizer(c config.Config, b *book.Book) segment.Normalizer {
	// The user's entries first: between equal words the first wins, and
	// the user's say beats the book's lexicon.
	var lex []speech.Entry
	for word, say := range c.Pronunciations {
		lex = append(lex, speech.Entry{Word: word, Say: say})
	}
	for _, p := range b.Pronunciations {
		lex = append(lex, speech.Entry{Word: p.Word, Say: p.Say})
	}
	return speech.New(speech.Options{Lexicon: lex, Language: b.Language})
}

// Prepared is a book ready to render: what Render, Estimate and Prefetch
// take, with the backend and cache open.
type Prepared struct {
	*Book
	// Options are c's render options with the backend, the cache, every
	// voice and the cover filled in.
	Options Options
	// Proposal is the automatic cast, for the user to edit.
	Proposal casting.Cast
	close    func()
}

// Close closes the backend and the cache.
func (p *Prepared) Close() { p.close() }

// Prepare opens the backend named by c from registry and the span
// cache, and decides every voice of b: the narrator and dialogue voices
// (the cast file's, else the configured ones, else the backend's first
// for the book's language), and each character's (the automatic cast,
// then voices.characters, then the cast file, if castFile is not "").
// Every voice the user named is checked against the backend's catalogue
// before any synthesis. An error caused by a setting is a
// *config.KeyError naming it.
func Prepare(ctx context.Context, c config.Config, registry *synth.Registry, b *Book, castFile string) (*Prepared, error) {
	opts, done, err := OpenSpeech(ctx, c, registry)
	if err != nil {
		return nil, err
	}
	p := &Prepared{Book: b, Options: opts, close: done}
	if err := p.cast(ctx, c, castFile); err != nil {
		done()
		return nil, err
	}
	if c.Output.Cover != "" {
		if p.Options.Cover, err = readCover(c.Output.Cover); err != nil {
			done()
			return nil, err
		}
	}
	return p, nil
}

// OpenSpeech opens the backend named by c from registry, and the span
// cache unless it is off, and returns c's render options with them; done
// closes both. The backend is asked nothing: voices are checked against
// its catalogue later, so that a render whose speech is all cached needs
// no server at all.
func OpenSpeech(ctx context.Context, c config.Config, registry *synth.Registry) (opts Options, done func(), err error) {
	backend, err := registry.Open(c.Backend, synth.Params(c.Backends[c.Backend]))
	if err != nil {
		if _, known := c.Backends[c.Backend]; known && registry.Has(c.Backend) {
			return Options{}, nil, &config.KeyError{Key: "backends." + c.Backend, Err: err}
		}
		return Options{}, nil, &config.KeyError{Key: "backend", Err: err}
	}
	done = func() { backend.Close() }
	opts = FromConfig(c, backend)
	if !c.Cache.Off {
		store, closeStore, err := openCache(ctx, c.Cache)
		if err != nil {
			done()
			return Options{}, nil, err
		}
		opts.Cache = store
		closeBackend := done
		done = func() { closeStore(); closeBackend() }
	}
	return opts, done, nil
}

// openCache opens the span cache: object storage when cache.url is set,
// else a local directory.
func openCache(ctx context.Context, c config.Cache) (cache.Store, func(), error) {
	if c.URL != "" {
		s, err := blob.Open(ctx, c.URL)
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close() }, nil
	}
	dir := c.Dir
	if dir == "" {
		var err error
		if dir, err = cache.DefaultDir(); err != nil {
			return nil, nil, err
		}
	}
	d, err := cache.OpenDir(dir)
	if err != nil {
		return nil, nil, err
	}
	return d, func() {}, nil
}

// cast fills in the voices of p.Options and the proposal (see Prepare).
func (p *Prepared) cast(ctx context.Context, c config.Config, castFile string) error {
	var file *casting.Cast
	if castFile != "" {
		f, err := casting.Read(castFile)
		if err != nil {
			return err
		}
		file = &f
	}
	// The voices the user named, by the setting that names them.
	named := map[string]string{}
	if c.Voices.Narrator != "" {
		named["voices.narrator"] = c.Voices.Narrator
	}
	if c.Voices.Dialogue != "" {
		named["voices.dialogue"] = c.Voices.Dialogue
	}
	for name, v := range c.Voices.Characters {
		named["voices.characters."+name] = v
	}
	if file != nil {
		if file.Narrator != "" {
			named[castFile+": narrator"] = file.Narrator
		}
		if file.Dialogue != "" {
			named[castFile+": dialogue"] = file.Dialogue
		}
		for _, m := range file.Characters {
			if m.Voice != "" {
				at := castFile
				if m.Line > 0 {
					at = fmt.Sprintf("%s:%d", castFile, m.Line)
				}
				named[fmt.Sprintf("%s: character %q", at, m.Name)] = m.Voice
			}
		}
	}
	voices, err := catalogue(ctx, c.Backend, p.Options, named)
	if err != nil {
		return err
	}
	if err := checkVoices(ctx, c.Backend, p.Options, voices, named); err != nil {
		return err
	}
	narrator, dialogue := c.Voices.Narrator, c.Voices.Dialogue
	if file != nil && file.Narrator != "" {
		narrator = file.Narrator
	}
	if file != nil && file.Dialogue != "" {
		dialogue = file.Dialogue
	}
	b := p.Book.Book
	narrator, dialogue, err = casting.Defaults(voices, b.Language, narrator, dialogue)
	if err != nil {
		return fmt.Errorf("voices: backend %s: %w; name a voice with --voice (list them with: narrate voices --backend %s)", c.Backend, err, c.Backend)
	}
	characters := map[string]string{}
	p.Proposal = casting.Propose(p.Characters, voices, narrator, dialogue, casting.Options{Language: b.Language})
	p.Proposal.Book, p.Proposal.Backend = b.Title, c.Backend
	if c.Voices.Auto {
		characters = p.Proposal.Voices()
	}
	for name, v := range c.Voices.Characters {
		characters[name] = v
	}
	if file != nil {
		for name, v := range file.Voices() {
			characters[name] = v
		}
	}
	o := &p.Options
	o.Voices.Narrator, o.Voices.Dialogue, o.Voices.Characters = narrator, dialogue, characters
	if o.Narrator == "" {
		o.Narrator = c.Backend + " " + narrator
	}
	return nil
}

// Auditions lists the voices to sample: a cast file's, or every voice
// of the catalogue but effects unless all is set.
func Auditions(voices []synth.Voice, castFile string, all bool) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if castFile != "" {
		c, err := casting.Read(castFile)
		if err != nil {
			return nil, err
		}
		add(c.Narrator)
		add(c.Dialogue)
		for _, m := range c.Characters {
			add(m.Voice)
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("cast: %s names no voices", castFile)
		}
		return ids, nil
	}
	for _, v := range voices {
		if all || !v.Effect {
			add(v.ID)
		}
	}
	return ids, nil
}

// catalogue returns the backend's voices (kept between runs for remote
// backends). A server that cannot list its voices is described by the
// voices the user named, when there are any.
func catalogue(ctx context.Context, backend string, opts Options, named map[string]string) ([]synth.Voice, error) {
	voices, err := Catalogue(ctx, opts, false)
	if errors.Is(err, synth.ErrNoCatalogue) && len(named) > 0 {
		seen := map[string]bool{}
		for _, key := range sortedKeys(named) {
			if id := named[key]; !seen[id] {
				seen[id] = true
				voices = append(voices, synth.Voice{ID: id, Name: id, Source: synth.SourceConfig})
			}
		}
		return voices, nil
	}
	if err != nil {
		return nil, &config.KeyError{Key: "backends." + backend, Err: fmt.Errorf("voices of backend %s: %w", backend, err)}
	}
	if len(voices) == 0 {
		return nil, fmt.Errorf("voices of backend %s: it lists none", backend)
	}
	return voices, nil
}

// checkVoices fails, before any synthesis, for a named voice the backend
// does not have. A voice its catalogue does not list may still exist
// (espeak-ng speaks "de+m3", Kokoro-FastAPI mixes "af_bella+af_sky"): it
// is tried once, through the cache and the retry policy.
func checkVoices(ctx context.Context, backend string, opts Options, voices []synth.Voice, named map[string]string) error {
	have := map[string]bool{}
	for _, v := range voices {
		have[v.ID] = true
	}
	tried := map[string]error{}
	for _, key := range sortedKeys(named) {
		voice := named[key]
		if have[voice] {
			continue
		}
		err, done := tried[voice]
		if !done {
			err = Probe(ctx, opts, voice)
			tried[voice] = err
		}
		if err == nil {
			continue
		}
		var hint string
		if near := casting.Near(voices, voice); len(near) > 0 {
			hint = " (close matches: " + strings.Join(near, ", ") + ")"
		}
		if !strings.Contains(err.Error(), "narrate voices") {
			hint += "; list its voices with: narrate voices --backend " + backend
		}
		msg := fmt.Sprintf("%s: voice %q: backend %s", key, voice, backend)
		if strings.HasPrefix(key, "voices.") {
			return &config.KeyError{Key: key, Err: fmt.Errorf("%s: %w%s", msg, err, hint)}
		}
		return fmt.Errorf("cast: %s: %w%s", msg, err, hint)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// readCover loads a cover image, checking that it is a JPEG or PNG.
func readCover(path string) (*book.Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cover: %w", err)
	}
	switch mime := http.DetectContentType(data); mime {
	case "image/jpeg", "image/png":
		return &book.Image{MIME: mime, Data: data}, nil
	default:
		return nil, fmt.Errorf("cover: %s: %s is not a JPEG or PNG image", path, mime)
	}
}
