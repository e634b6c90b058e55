package synth

import (
	"strings"
	"unicode"
)

// Speakable reports whether text has anything to say: a reply without
// audio is a glitch for such text, but may be honest for text of
// punctuation alone ("…", "—").
func Speakable(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
