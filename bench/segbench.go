package main

import (
	"os"
	"time"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/attribute"
	"github.com/narrate-audio/narrate/segment/reader"
	"github.com/narrate-audio/narrate/segment/speech"
)

// segResult is one pass of the segmenter over the dev novels.
type segResult struct {
	Bytes int64
	// Segment is reading, chapter splitting, quote segmentation and
	// speech normalisation; Attribute adds speaker attribution.
	Segment, Attribute time.Duration
	Spans              int
}

// segmentPass reads, segments and attributes every file in process, the
// way `narrate segment` does, timing the stages. The files are read once
// before timing, so the page cache holds them.
func segmentPass(files []string) (segResult, error) {
	var res segResult
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return res, err
		}
		res.Bytes += st.Size()
		if _, err := os.ReadFile(f); err != nil {
			return res, err
		}
	}
	norm := newSpeech()
	for _, f := range files {
		began := time.Now()
		b, err := reader.Open(f, reader.Options{})
		if err != nil {
			return res, err
		}
		chapters, _ := segment.Book(b, segment.Options{Speech: norm})
		res.Segment += time.Since(began)
		began = time.Now()
		attribute.Attribute(b, chapters, attribute.Options{})
		res.Attribute += time.Since(began)
		for _, c := range chapters {
			res.Spans += len(c.Spans)
		}
	}
	return res, nil
}

// newSpeech is narrate's speech normaliser with no lexicon.
func newSpeech() *speech.Normalizer { return speech.New(speech.Options{}) }
