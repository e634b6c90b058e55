package main

import (
	"fmt"

	"github.com/narrate-audio/narrate/book"
	"github.com/narrate-audio/narrate/lang"
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
