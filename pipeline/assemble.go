package pipeline

import (
	"context"
	"path/filepath"

	"github.com/narrate-audio/narrate/mix"
)

// bookFile is the path of a file holding the whole book.
func (r *run) bookFile(ext string) string {
	name := SafeName(r.book.Title)
	if name == "" {
		name = "audiobook"
	}
	return filepath.Join(r.dir, name+ext)
}

// parts are the chapter files as mix sees them.
func parts(files []Output) []mix.Part {
	out := make([]mix.Part, len(files))
	for i, f := range files {
		out[i] = mix.Part{Path: f.Path, Title: f.Title, Duration: f.Duration}
	}
	return out
}

// assemble joins the chapters, mixed as raw PCM, into one MP3 with
// chapter marks, and writes its subtitles. Unlike a chapter file, the
// book's file is never reused, so it needs no stamp and may precede its
// subtitles.
func (r *run) assemble(ctx context.Context, files []Output) (Output, error) {
	out := Output{Chapter: 0, Title: r.book.Title, Path: r.bookFile(".mp3")}
	for _, f := range files {
		for _, c := range f.Cues {
			c.Begin += out.Duration.Milliseconds()
			c.End += out.Duration.Milliseconds()
			out.Cues = append(out.Cues, c)
		}
		out.Duration += f.Duration
	}
	tag := r.bookTag()
	tag.Title = tag.Album
	if err := mix.Assemble(ctx, out.Path, parts(files), r.fileOptions(mix.MP3, tag)); err != nil {
		return out, err
	}
	var err error
	if r.opts.Subtitles {
		err = writeSidecars(out.Path, 0, r.book.Title, out.Cues, out.Duration, true)
	}
	return out, err
}

// m4b writes the book as an M4B audiobook from the finished MP3 files,
// with a chapter mark per chapter: the chapters' own files, or what a
// single-file render joined them into.
func (r *run) m4b(ctx context.Context, files, chapters []Output) (string, error) {
	path := r.bookFile(".m4b")
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	return path, mix.M4B(ctx, path, paths, mix.Chapters(parts(chapters)), r.bookTag(), r.opts.Bitrate)
}
