package html

import (
	"strings"

	"github.com/narrate-audio/narrate/segment/book"
)

// Section is a run of blocks cut at a chapter heading.
type Section struct {
	// Title is the text of the heading (or consecutive headings) that
	// opened the section; empty for content before the first heading.
	Title string
	// Blocks are the section's paragraphs, its opening headings first.
	Blocks []Block
}

// SplitLevel returns the heading level at which a document's blocks divide
// into chapters: the shallowest level that occurs more than once, or 0
// when no level does (the document is one chapter). Headings that directly
// follow another heading of the same level count once, so "Chapter 1"
// followed by its own title heading is one chapter start.
func SplitLevel(blocks []Block) int {
	var count [7]int
	prev := 0
	for _, b := range blocks {
		if b.Kind != book.Heading {
			prev = 0
			continue
		}
		if b.Level >= 1 && b.Level <= 6 && b.Level != prev {
			count[b.Level]++
		}
		prev = b.Level
	}
	for lvl := 1; lvl <= 6; lvl++ {
		if count[lvl] > 1 {
			return lvl
		}
	}
	return 0
}

// Split cuts blocks before every heading of the given level. Content before
// the first such heading becomes a leading section with an empty Title
// (omitted when there is none). Consecutive headings of the level open a
// single section whose title joins them with ": ". A level of 0 returns
// one untitled section holding every block.
func Split(blocks []Block, level int) []Section {
	var out []Section
	var cur *Section
	onlyHeads := false // cur holds nothing but its opening headings
	for _, b := range blocks {
		if level > 0 && b.Kind == book.Heading && b.Level == level {
			title := FlatTitle(b.Text)
			if cur != nil && cur.Title != "" && onlyHeads {
				cur.Title += ": " + title
				cur.Blocks = append(cur.Blocks, b)
				continue
			}
			out = append(out, Section{Title: title})
			cur = &out[len(out)-1]
			onlyHeads = true
			cur.Blocks = append(cur.Blocks, b)
			continue
		}
		if cur == nil {
			out = append(out, Section{})
			cur = &out[len(out)-1]
		}
		if b.Kind != book.Heading {
			onlyHeads = false
		}
		cur.Blocks = append(cur.Blocks, b)
	}
	return out
}

// FlatTitle turns heading text into a one-line title.
func FlatTitle(s string) string { return strings.Join(strings.Fields(s), " ") }

// HasProse reports whether any block is a Prose paragraph, to tell real
// content from a run of headings or breaks.
func HasProse(blocks []Block) bool {
	for _, b := range blocks {
		if b.Kind == book.Prose {
			return true
		}
	}
	return false
}

// FirstHeading returns the one-line text of the first Heading block, or "".
func FirstHeading(blocks []Block) string {
	for _, b := range blocks {
		if b.Kind == book.Heading {
			return FlatTitle(b.Text)
		}
	}
	return ""
}

// NewChapter builds a chapter from blocks: Text joins the block texts with
// blank lines, and each paragraph's offsets slice its block's text (trimmed;
// empty blocks are skipped, blank lines inside one become a newline). Leading
// and doubled Break blocks are dropped, since a pause at a chapter's start
// or twice in a row carries nothing.
func NewChapter(title string, blocks []Block) book.Chapter {
	var sb strings.Builder
	ch := book.Chapter{Title: title}
	for _, b := range blocks {
		raw := b.Text
		b.Text = strings.TrimSpace(b.Text)
		for strings.Contains(b.Text, "\n\n") {
			b.Text = strings.ReplaceAll(b.Text, "\n\n", "\n")
		}
		if b.Text != raw {
			// The play markup's offsets no longer hold; the speech is
			// still the speaker's, its name read with it.
			b.Label, b.Directions = 0, nil
		}
		if b.Text == "" {
			continue
		}
		if b.Kind == book.Break {
			n := len(ch.Paragraphs)
			if n == 0 || ch.Paragraphs[n-1].Kind == book.Break {
				continue
			}
		}
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		start := sb.Len()
		sb.WriteString(b.Text)
		p := book.Paragraph{Kind: b.Kind, Start: start, End: sb.Len(), Speaker: b.Speaker}
		if b.Speaker != "" {
			p.Label = start + b.Label
		}
		for _, d := range b.Directions {
			p.Directions = append(p.Directions, [2]int{start + d[0], start + d[1]})
		}
		ch.Paragraphs = append(ch.Paragraphs, p)
	}
	// A trailing break is a pause before silence: drop it too.
	if n := len(ch.Paragraphs); n > 0 && ch.Paragraphs[n-1].Kind == book.Break {
		ch.Paragraphs = ch.Paragraphs[:n-1]
		end := 0
		if n > 1 {
			end = ch.Paragraphs[n-2].End
		}
		ch.Text = sb.String()[:end]
		return ch
	}
	ch.Text = sb.String()
	return ch
}
