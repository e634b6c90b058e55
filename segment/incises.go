package segment

import "github.com/narrate-audio/narrate/segment/speechtag"

// splitIncises reads as narration the speech tags that a book's language
// sets inside the quotation marks ("« Tu vois, dit Claire, il pleut. »").
func splitIncises(text string, parts []part, tags *speechtag.Lexicon) []part {
	var out []part
	for _, p := range parts {
		for p.kind == Dialogue {
			from, to, ok := tags.Incise(text[p.start:p.end])
			if !ok {
				break
			}
			head := part{kind: Dialogue, start: p.start, end: p.start + from, continues: p.continues}
			head.start, head.end = trimSpan(text, head.start, head.end, false)
			if head.start < head.end {
				out = append(out, head)
			}
			tag := part{kind: Narration, start: p.start + from, end: p.start + to}
			tag.start, tag.end = trimSpan(text, tag.start, tag.end, false)
			out = append(out, tag)
			p = part{kind: Dialogue, start: p.start + to, end: p.end}
			p.start, p.end = trimSpan(text, p.start, p.end, false)
			if p.start >= p.end || !hasWordChar(text[p.start:p.end]) {
				p.kind = ""
			}
		}
		if p.kind != "" {
			out = append(out, p)
		}
	}
	return out
}
