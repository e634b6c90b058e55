package pipeline

import (
	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/mix"
	"github.com/narrate-audio/narrate/synth"
)

// FromConfig returns the render options that the settings c describe,
// speaking with backend. Cache, Progress, Cover and the character voices
// are the caller's to add: they need files, a terminal or a book.
func FromConfig(c config.Config, backend synth.Backend) Options {
	p := c.Pauses
	return Options{
		Backend: backend,
		Voices: Voices{Narrator: c.Voices.Narrator, Dialogue: c.Voices.Dialogue,
			Characters: c.Voices.Characters, Rate: c.Voices.Rate, Pitch: c.Voices.Pitch},
		Pauses: mix.Pauses{Sentence: p.Sentence, Span: p.Span, Paragraph: p.Paragraph, Speaker: p.Speaker, Scene: p.Scene,
			Title: p.Title, ChapterStart: p.ChapterStart, ChapterEnd: p.ChapterEnd},
		Levels:            mix.Levels{TargetRMS: c.Levels.TargetRMS, Ceiling: c.Levels.Ceiling, RoomTone: c.Levels.RoomTone},
		Subtitles:         c.Output.Subtitles,
		Playlist:          c.Output.Playlist,
		SingleFile:        c.Output.SingleFile,
		M4B:               c.Output.M4B,
		EPUB:              c.Output.EPUB,
		EPUBKeep:          c.Output.EPUBKeep,
		Player:            c.Output.Player,
		Layout:            c.Output.Layout,
		Narrator:          c.Output.Narrator,
		Format:            c.Output.Format,
		Bitrate:           c.Output.Bitrate,
		SampleRate:        c.Output.SampleRate,
		TitleSpoken:       c.Output.TitleSpoken,
		Workers:           c.Workers,
		Synthesizers:      c.Limits.Concurrency,
		RequestsPerMinute: c.Limits.RequestsPerMinute,
		Timeout:           c.Limits.Timeout,
		Retry:             Retry{Attempts: c.Limits.Retries},
		Chunk:             c.Limits.MaxChars,
	}
}
