package main

import (
	"fmt"
	"strings"

	"github.com/narrate-audio/narrate/book"
	"github.com/narrate-audio/narrate/lang"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/espeak"
)

// chooseLanguage sets b.Language (lang.Choose: --language, then
// NARRATE_LANGUAGE or language: in narrate.yaml, then the book's own,
// then detection), says so when the choice may need correcting, and
// titles the untitled chapters in that language.
func (a *app) chooseLanguage(b *book.Book) error {
	c, err := lang.Choose(a.cfg.Language, b)
	if err != nil {
		return a.loader.Locate("language", err)
	}
	a.language = c
	lang.TitleChapters(b)
	if c.Note != "" {
		// A note is kept with the warnings, so -q silences it too.
		a.warnings = append(a.warnings, "note: "+c.Note)
		if !a.quiet {
			fmt.Fprintln(a.stderr, "note:", c.Note)
		}
	}
	return nil
}

// languageVoices makes espeak-ng speak the book's language when the user
// chose no voice: the narrator gets the language's voice and unnamed
// dialogue its female variant. Only espeak-ng, whose voices are named by
// language; other backends keep their configured voices.
func (a *app) languageVoices(voices []synth.Voice) error {
	if a.cfg.Backend != espeak.Name || a.language.Tag == "" || a.loader == nil {
		return nil
	}
	narratorSet, dialogueSet := a.loader.IsSet("voices.narrator"), a.loader.IsSet("voices.dialogue")
	if !narratorSet {
		v, ok := espeak.VoiceFor(a.language.Tag, voices)
		if !ok {
			return fmt.Errorf("language %s: the %s backend has no voice for it; choose one with --voice (see narrate voices --backend %s)",
				a.language, espeak.Name, espeak.Name)
		}
		a.cfg.Voices.Narrator = v
	}
	if !dialogueSet {
		base, _, _ := strings.Cut(a.cfg.Voices.Narrator, "+")
		a.cfg.Voices.Dialogue = base + "+f3"
	}
	return nil
}
