package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
)

// TestEstimateKeysMatchRender checks that a plan sees the spans a render
// cached, with Chunk left at 0: every entry point fills in the same
// defaults, so a long span is split, and keyed, the same way.
func TestEstimateKeysMatchRender(t *testing.T) {
	var sentences []string
	for i := range 40 {
		sentences = append(sentences, fmt.Sprintf("The lamp was lit for the %dth time and the street was bright.", i+1))
	}
	long := strings.Join(sentences, " ")
	ch := segment.Chapter{Number: 1, Title: "One", Spans: []segment.Span{
		{Chapter: 1, Kind: segment.Narration, Text: long, Speech: long},
	}}
	b := &book.Book{Title: "Long"}
	o := options(&speechBackend{rate: 22050}, newCache(t))
	o.Chunk = 0
	if _, err := Render(context.Background(), b, []segment.Chapter{ch}, t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
	p, err := Estimate(context.Background(), b, []segment.Chapter{ch}, o)
	if err != nil {
		t.Fatal(err)
	}
	if p.Spans < 2 || p.Cached != p.Spans {
		t.Fatalf("plan: %d spans, %d of them cached; want a split span, all cached", p.Spans, p.Cached)
	}
}
