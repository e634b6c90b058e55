// Package lang decides the language of a book: a tag the user set, the
// one the file declares (EPUB dc:language, HTML lang, Markdown front
// matter), or a guess from the text. Every later stage (the normaliser,
// the sentence rules, the voices, the tags) reads book.Book.Language, so
// Choose always sets one.
//
// A book is taken to be in one language: passages in another language
// are read with the book's rules and voice.
package lang

import (
	"errors"
	"fmt"

	"golang.org/x/text/language"

	"github.com/narrate-audio/narrate/segment/book"
)

// Fallback is the language of a book whose language nobody set and the
// text does not tell.
const Fallback = "en"

// ErrTag is wrapped by errors about a language setting that is not a
// BCP 47 tag.
var ErrTag = errors.New("not a BCP 47 language tag")

// Canonical returns the canonical form of a BCP 47 tag ("EN_us" ->
// "en-US", "fre" -> "fr", "iw" -> "he"). Tags that name no language
// ("und", "mul", "zxx", private use) are errors too: they cannot choose
// rules or a voice.
func Canonical(s string) (string, error) {
	t, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q: %w (use a tag such as en, fr, pt-BR)", s, ErrTag)
	}
	b, conf := t.Base()
	switch {
	case conf != language.Exact:
		return "", fmt.Errorf("%q: %w: it names no language", s, ErrTag)
	case b.String() == "mul" || b.String() == "zxx" || b.String() == "mis":
		return "", fmt.Errorf("%q: %w: it names no single language", s, ErrTag)
	case b.String() >= "qaa" && b.String() <= "qtz":
		return "", fmt.Errorf("%q: %w: private-use languages have no rules or voices", s, ErrTag)
	}
	return t.String(), nil
}

// Base returns the primary language subtag of a canonical tag: "pt-BR" ->
// "pt". Rules that do not depend on the region key on it.
func Base(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	b, _ := t.Base()
	return b.String()
}

// Source says where a book's language came from.
type Source string

// Sources, in rising priority.
const (
	FromFallback Source = "fallback" // nothing said and detection failed
	FromText     Source = "detected" // guessed from the text
	FromBook     Source = "book"     // declared by the file
	FromSetting  Source = "setting"  // language:, NARRATE_LANGUAGE or --language
)

// Choice is the language of a book and where it came from.
type Choice struct {
	Tag    string
	Source Source
	// Note explains a choice the user may want to correct: a declared
	// tag that was not valid, or a detection that failed.
	Note string
}

func (c Choice) String() string {
	switch c.Source {
	case FromSetting:
		return c.Tag + " (from the settings)"
	case FromBook:
		return c.Tag + " (declared by the book)"
	case FromText:
		return c.Tag + " (detected from the text)"
	}
	return c.Tag + " (default: the language could not be detected)"
}

// Choose decides the language of b and stores it in b.Language: setting
// (the user's) wins over the book's own declaration, which wins over
// detection from the text; when nothing works it is Fallback, with a
// note. An invalid setting is an error; an invalid declaration is noted
// and ignored.
func Choose(setting string, b *book.Book) (Choice, error) {
	var c Choice
	var notes []string
	if setting != "" {
		tag, err := Canonical(setting)
		if err != nil {
			return Choice{}, fmt.Errorf("language: %w", err)
		}
		c = Choice{Tag: tag, Source: FromSetting}
	}
	if c.Tag == "" && b.Language != "" {
		if tag, err := Canonical(b.Language); err == nil {
			c = Choice{Tag: tag, Source: FromBook}
		} else {
			notes = append(notes, fmt.Sprintf("the book declares language %q, which is not a language tag; detecting it from the text", b.Language))
		}
	}
	if c.Tag == "" {
		if g, ok := DetectBook(b); ok {
			c = Choice{Tag: g.Tag, Source: FromText}
		} else {
			c = Choice{Tag: Fallback, Source: FromFallback}
			notes = append(notes, "could not detect the book's language from its text; reading it as English (set --language or language: in narrate.yaml)")
		}
	}
	for i, n := range notes {
		if i > 0 {
			c.Note += "; "
		}
		c.Note += n
	}
	b.Language = c.Tag
	return c, nil
}
