package pipeline

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/narrate-audio/narrate/mix"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
)

// Plan is what a render would do, worked out without synthesizing.
type Plan struct {
	Chapters int
	Spans    int // spoken pieces, titles included
	Chars    int // characters sent to the backend
	// Cached counts the spans (and CachedChars their characters) whose
	// audio is already in the cache and would not be synthesized again.
	Cached, CachedChars int
	Voices              []VoiceLoad
	// Audio estimates the length of the audiobook.
	Audio time.Duration
	// Cost estimates what the backend charges for the uncached
	// characters, in USD, at Info().Price; 0 when free or unknown.
	Cost float64
}

// VoiceLoad is how much one voice says.
type VoiceLoad struct {
	Voice string
	Who   []string // "narrator" or character names
	Spans int
	Chars int
}

// charsPerSecond is the reading speed used for estimates, measured on
// espeak-ng at its default rate (175 words a minute) with its silences
// trimmed; neural voices read at a similar pace.
const charsPerSecond = 17.0

// Estimate plans a render of the chapters without calling the backend.
func Estimate(ctx context.Context, b *book.Book, chapters []segment.Chapter, o Options) (*Plan, error) {
	if o.Backend == nil {
		return nil, errors.New("pipeline: no backend")
	}
	r := newRun(o, b)
	p := &Plan{Chapters: len(chapters)}
	loads := map[string]*VoiceLoad{}
	who := map[string]map[string]bool{}
	rate := o.Voices.Rate
	if rate <= 0 {
		rate = 1
	}
	seen := map[string]bool{}
	for i := range chapters {
		var pause time.Duration
		for _, j := range r.jobs(&chapters[i]) {
			if j.piece.Role == mix.Scene {
				pause += o.Pauses.Scene
				continue
			}
			if j.req.Text == "" {
				continue
			}
			n := len([]rune(j.req.Text))
			p.Spans++
			p.Audio += time.Duration(float64(n) / charsPerSecond / rate * float64(time.Second))
			pause += o.Pauses.Paragraph
			l := loads[j.req.Voice]
			if l == nil {
				l = &VoiceLoad{Voice: j.req.Voice}
				loads[j.req.Voice] = l
				who[j.req.Voice] = map[string]bool{}
			}
			l.Spans++
			l.Chars += n
			speaker := j.piece.Speaker
			if speaker == "" {
				speaker = "narrator"
			} else if speaker == unknownSpeaker {
				speaker = "unattributed dialogue"
			}
			who[j.req.Voice][speaker] = true
			key := cache.Key(r.info, j.req)
			if seen[key] {
				continue // said before: synthesized once
			}
			seen[key] = true
			p.Chars += n
			if o.Cache != nil {
				if _, err := o.Cache.Get(ctx, key); err == nil {
					p.Cached++
					p.CachedChars += n
				}
			}
		}
		p.Audio += pause + o.Pauses.ChapterStart + o.Pauses.ChapterEnd
	}
	for v, l := range loads {
		for name := range who[v] {
			l.Who = append(l.Who, name)
		}
		sort.Strings(l.Who)
		p.Voices = append(p.Voices, *l)
	}
	sort.Slice(p.Voices, func(i, j int) bool { return p.Voices[i].Chars > p.Voices[j].Chars })
	p.Cost = float64(p.Chars-p.CachedChars) / 1e6 * r.info.Price
	return p, nil
}

// unknownSpeaker stands for dialogue nobody was named for, so that two
// such lines still count as a change of speaker against named ones.
const unknownSpeaker = "\x00unknown"
