package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/narrate-audio/narrate/config"
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
