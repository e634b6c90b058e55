package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/synth"
)

const prepareBook = `The Test

Chapter 1

"Come in," said Mara. "The kettle is on."

"I cannot stay," Tom said.
`

// TestPrepare reads a book and prepares it through a registry with one
// backend: the voices are decided, and errors caused by a setting name
// it, so that the CLI can point at the file position.
func TestPrepare(t *testing.T) {
	path := filepath.Join(t.TempDir(), "book.txt")
	if err := os.WriteFile(path, []byte(prepareBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var opened []*speechBackend
	registry := synth.NewRegistry()
	registry.Register("test-speech", func(synth.Params) (synth.Backend, error) {
		b := &speechBackend{rate: 22050, before: func(_ context.Context, _ int64, req synth.Request) error {
			if req.Voice != "narrator" && req.Voice != "dialogue" {
				return &synth.Error{Backend: "test-speech", Err: fmt.Errorf("%w %q", synth.ErrUnknownVoice, req.Voice)}
			}
			return nil
		}}
		opened = append(opened, b)
		return b, nil
	})
	settings := func() config.Config {
		c := config.Default()
		c.Backend, c.Cache.Off = "test-speech", true
		c.Voices.Narrator, c.Voices.Dialogue = "narrator", "dialogue"
		return c
	}

	c := settings()
	b, err := Read(c, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Chapters) != 1 || b.Language.Tag != "en" {
		t.Fatalf("read %d chapters in %q", len(b.Chapters), b.Language.Tag)
	}
	if _, ok := b.Characters.Find("Mara"); !ok {
		t.Errorf("Mara not found among the speakers: %+v", b.Characters)
	}
	p, err := Prepare(context.Background(), c, registry, b, "")
	if err != nil {
		t.Fatal(err)
	}
	v := p.Options.Voices
	if v.Narrator != "narrator" || v.Dialogue != "dialogue" || p.Options.Narrator != "test-speech narrator" || p.Options.Backend != opened[0] {
		t.Errorf("prepared %+v, narrator tag %q", v, p.Options.Narrator)
	}
	p.Close()

	for _, tc := range []struct {
		name, key string
		edit      func(*config.Config)
	}{
		{"unknown backend", "backend", func(c *config.Config) { c.Backend = "nope" }},
		{"unknown voice", "voices.narrator", func(c *config.Config) { c.Voices.Narrator = "nobody" }},
		{"bad language", "language", func(c *config.Config) { c.Language = "not a tag!" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := settings()
			tc.edit(&c)
			_, err := Read(c, path)
			if err == nil {
				_, err = Prepare(context.Background(), c, registry, b, "")
			}
			var ke *config.KeyError
			if !errors.As(err, &ke) || ke.Key != tc.key {
				t.Fatalf("got %v, want an error for the setting %s", err, tc.key)
			}
		})
	}
}

// A first-person narrator whom the talk calls by name speaks their own
// lines, which carry that name, in the narrator's voice; the other
// speakers take voices of their own.
func TestPrepareNamedNarrator(t *testing.T) {
	const book = "The Test\n\nChapter 1\n\nI found Clara Vance in the library.\n\n" +
		"\"You are late, Pryor,\" said Clara.\n\n\"I was kept at the hospital,\" I answered.\n\n" +
		"\"Sit down, Pryor. We have a visitor coming.\"\n\n\"A client?\" I asked.\n\n\"A lady.\"\n"
	c, registry, b := readCastBook(t, t.TempDir(), book)
	p, err := Prepare(context.Background(), c, registry, b, "")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	v := p.Options.Voices
	var narrated, clara int
	for _, ch := range p.Chapters {
		for _, s := range ch.Spans {
			switch {
			case s.Kind != segment.Dialogue:
			case s.Speaker == "Pryor":
				narrated++
				if got := v.For(s); got != v.Narrator {
					t.Errorf("the narrator's line %q speaks in %q, want the narrator's voice %q", s.Text, got, v.Narrator)
				}
			case s.Speaker == "Clara Vance":
				clara++
				if got := v.For(s); got == v.Narrator || got == "" {
					t.Errorf("Clara's line %q speaks in %q", s.Text, got)
				}
			default:
				t.Errorf("line %q is %q's", s.Text, s.Speaker)
			}
		}
	}
	if narrated != 2 || clara != 3 {
		t.Errorf("%d lines of Pryor and %d of Clara, want 2 and 3", narrated, clara)
	}
}

// readCastBook reads book, written into dir, with settings for a
// registry whose backend is a castBackend.
func readCastBook(t *testing.T, dir, book string) (config.Config, *synth.Registry, *Book) {
	t.Helper()
	path := filepath.Join(dir, "book.txt")
	if err := os.WriteFile(path, []byte(book), 0o644); err != nil {
		t.Fatal(err)
	}
	registry := synth.NewRegistry()
	registry.Register("test-speech", func(synth.Params) (synth.Backend, error) { return &castBackend{}, nil })
	c := config.Default()
	c.Backend, c.Cache.Off = "test-speech", true
	b, err := Read(c, path)
	if err != nil {
		t.Fatal(err)
	}
	return c, registry, b
}

// castBackend lists voices of both sexes, for casting.
type castBackend struct{ speechBackend }

func (b *castBackend) Voices(context.Context) ([]synth.Voice, error) {
	return []synth.Voice{{ID: "narrator", Gender: "male"}, {ID: "anna", Gender: "female"}, {ID: "ben", Gender: "male"}, {ID: "cora", Gender: "female"}}, nil
}

// Someone the book only describes speaks with the dialogue voice, unless
// a cast file gives the description a voice of its own.
func TestPrepareDescribedSpeakerVoice(t *testing.T) {
	const book = "The Test\n\nChapter 1\n\nClara Vance sat by the fire. The door opened and a stranger came in.\n\n" +
		"\"Good evening,\" said the stranger.\n\n\"Good evening,\" said Clara.\n"
	dir := t.TempDir()
	c, registry, b := readCastBook(t, dir, book)
	var stranger segment.Span
	for _, s := range b.Chapters[0].Spans {
		if s.Kind == segment.Dialogue && s.Speaker == "the stranger" {
			stranger = s
		}
	}
	if stranger.Speaker == "" {
		t.Fatalf("no line of the stranger in %+v", b.Chapters[0].Spans)
	}
	for _, castFile := range []string{"", filepath.Join(dir, "cast.yaml")} {
		want := ""
		if castFile != "" {
			want = "ben"
			if err := os.WriteFile(castFile, []byte("characters:\n  - name: the stranger\n    voice: ben\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p, err := Prepare(context.Background(), c, registry, b, castFile)
		if err != nil {
			t.Fatal(err)
		}
		v := p.Options.Voices
		if want == "" {
			want = v.Dialogue
		}
		if got := v.For(stranger); got != want {
			t.Errorf("cast file %q: the stranger speaks with %q, want %q", castFile, got, want)
		}
		p.Close()
	}
}
