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
	marks, err := mix.Assemble(ctx, out.Path, parts(files), r.fileOptions(mix.MP3, tag))
	if err != nil {
		return out, err
	}
	r.singleChapters = marks
	if r.opts.Subtitles {
		err = writeSidecars(out.Path, 0, r.book.Title, out.Cues, out.Duration, true)
	}
	return out, err
}

// m4b writes the book as an M4B audiobook from the finished MP3 files.
func (r *run) m4b(ctx context.Context, files []Output) (string, error) {
	path := r.bookFile(".m4b")
	marks := mix.Chapters(parts(files))
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	if len(files) == 1 && files[0].Chapter == 0 {
		// A single file: its chapters are the ones assemble recorded.
		marks = r.singleChapters
	}
	return path, mix.M4B(ctx, path, paths, marks, r.bookTag(), r.opts.Bitrate)
}
