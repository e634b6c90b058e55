package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/audio/id3"
)

// assemble encodes the mixed chapters, kept as raw PCM, into one MP3 in a
// single LAME pass, so that chapter joins are gapless, with an ID3 chapter
// frame (CHAP) per chapter and a table of contents (CTOC).
func (r *run) assemble(ctx context.Context, parts []Output) (Output, error) {
	name := SafeName(r.book.Title)
	if name == "" {
		name = "audiobook"
	}
	out := Output{Chapter: 0, Title: r.book.Title, Path: filepath.Join(r.dir, name+".mp3")}
	tag := r.bookTag()
	tag.Title = tag.Album
	var at time.Duration
	var cues []Cue
	for i, p := range parts {
		tag.Chapters = append(tag.Chapters, id3.Chapter{ID: fmt.Sprintf("ch%d", i+1), Title: p.Title, Start: at, End: at + p.Duration})
		for _, c := range p.Cues {
			c.Begin += at.Milliseconds()
			c.End += at.Milliseconds()
			cues = append(cues, c)
		}
		at += p.Duration
	}
	if len(tag.Chapters) > 255 {
		return out, fmt.Errorf("pipeline: %d chapters: an MP3's table of contents holds at most 255; render one file per chapter instead", len(tag.Chapters))
	}
	r.singleChapters = tag.Chapters
	file, err := r.open(out.Path, "mp3", tag)
	if err != nil {
		return out, err
	}
	defer file.abort()
	buf := make([]float32, 8192)
	raw := make([]byte, 2*len(buf))
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		f, err := os.Open(p.Path)
		if err != nil {
			return out, fmt.Errorf("pipeline: %w", err)
		}
		br := bufio.NewReaderSize(f, 1<<16)
		for {
			n, err := io.ReadFull(br, raw)
			k := n / 2
			for i := 0; i < k; i++ {
				buf[i] = float32(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
			}
			if k > 0 {
				if werr := file.sink.Write(buf[:k]); werr != nil {
					f.Close()
					return out, fmt.Errorf("pipeline: %s: %w", out.Path, werr)
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				f.Close()
				return out, fmt.Errorf("pipeline: %w", err)
			}
		}
		f.Close()
	}
	out.Duration = at
	out.Cues = cues
	if r.opts.Subtitles {
		if err := writeSidecars(out.Path, 0, r.book.Title, cues, at, true); err != nil {
			return out, err
		}
	}
	if err := file.commit(); err != nil {
		return out, err
	}
	return out, nil
}

// m4b writes the book as an M4B audiobook (AAC in MP4, with chapters and
// cover) with ffmpeg, from the finished MP3 files.
func (r *run) m4b(ctx context.Context, files []Output) (string, error) {
	name := SafeName(r.book.Title)
	if name == "" {
		name = "audiobook"
	}
	final := filepath.Join(r.dir, name+".m4b")
	work, err := os.MkdirTemp(r.dir, ".m4b-*")
	if err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	defer os.RemoveAll(work)

	var list, meta bytes.Buffer
	tag := r.bookTag()
	// The same tags as the MP3 files: title, author, narrator (composer,
	// as in the MP3's TCOM), year, genre and comment.
	meta.WriteString(";FFMETADATA1\n")
	for _, kv := range [][2]string{{"title", tag.Album}, {"album", tag.Album}, {"artist", tag.Artist}, {"album_artist", tag.AlbumArtist},
		{"composer", tag.Narrator}, {"genre", tag.Genre}, {"date", tag.Year}, {"comment", tag.Comment}} {
		if kv[1] != "" {
			fmt.Fprintf(&meta, "%s=%s\n", kv[0], ffmetaEscape(kv[1]))
		}
	}
	var at time.Duration
	for _, f := range files {
		fmt.Fprintf(&list, "file '%s'\n", strings.ReplaceAll(f.Path, "'", `'\''`))
		if f.Chapter > 0 {
			fmt.Fprintf(&meta, "[CHAPTER]\nTIMEBASE=1/1000\nSTART=%d\nEND=%d\ntitle=%s\n", at.Milliseconds(), (at + f.Duration).Milliseconds(), ffmetaEscape(f.Title))
		}
		at += f.Duration
	}
	if len(files) == 1 && files[0].Chapter == 0 {
		// A single file: its chapters are the ones assemble recorded.
		for _, c := range r.singleChapters {
			fmt.Fprintf(&meta, "[CHAPTER]\nTIMEBASE=1/1000\nSTART=%d\nEND=%d\ntitle=%s\n", c.Start.Milliseconds(), c.End.Milliseconds(), ffmetaEscape(c.Title))
		}
	}
	listPath, metaPath := filepath.Join(work, "list.txt"), filepath.Join(work, "meta.txt")
	if err := os.WriteFile(listPath, list.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	if err := os.WriteFile(metaPath, meta.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	tmp := filepath.Join(work, "book.m4b")
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "concat", "-safe", "0", "-i", listPath, "-i", metaPath}
	coverArgs := []string{}
	if tag.Cover != nil {
		ext := ".jpg"
		if tag.Cover.MIME == "image/png" {
			ext = ".png"
		}
		cover := filepath.Join(work, "cover"+ext)
		if err := os.WriteFile(cover, tag.Cover.Data, 0o644); err != nil {
			return "", fmt.Errorf("pipeline: %w", err)
		}
		args = append(args, "-i", cover)
		coverArgs = []string{"-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"}
	}
	args = append(args, "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1")
	if code, err := id3.LanguageCode(tag.Language); err == nil {
		// MP4 keeps the language on the audio track.
		args = append(args, "-metadata:s:a:0", "language="+code)
	}
	args = append(args, coverArgs...)
	bitrate := max(64, r.opts.Bitrate)
	args = append(args, "-c:a", "aac", "-b:a", fmt.Sprintf("%dk", bitrate), "-ac", "1", "-movflags", "+faststart", "-f", "mp4", tmp)
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("pipeline: ffmpeg making %s: %w: %s", final, err, strings.TrimSpace(stderr.String()))
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	return final, nil
}

// ffmetaEscape escapes the characters ffmpeg's metadata format reserves.
func ffmetaEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "=", `\=`, ";", `\;`, "#", `\#`, "\n", `\`+"\n").Replace(s)
}
