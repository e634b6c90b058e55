package mix

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/narrate-audio/narrate/audio/id3"
)

// M4B writes an M4B audiobook (AAC in MP4) at path from finished MP3
// files with ffmpeg, with chapters marks, the tags of tag (as the MP3
// files carry them) and its cover. bitrate is the AAC bitrate in kbps;
// below 64 it is raised to 64.
func M4B(ctx context.Context, path string, files []string, chapters []id3.Chapter, tag *id3.Tag, bitrate int) error {
	work, err := os.MkdirTemp(filepath.Dir(path), ".m4b-*")
	if err != nil {
		return fmt.Errorf("mix: %w", err)
	}
	defer os.RemoveAll(work)

	var list, meta bytes.Buffer
	// The same tags as the MP3 files: title, author, narrator (composer,
	// as in the MP3's TCOM), year, genre and comment.
	meta.WriteString(";FFMETADATA1\n")
	for _, kv := range [][2]string{{"title", tag.Album}, {"album", tag.Album}, {"artist", tag.Artist}, {"album_artist", tag.AlbumArtist},
		{"composer", tag.Narrator}, {"genre", tag.Genre}, {"date", tag.Year}, {"comment", tag.Comment}} {
		if kv[1] != "" {
			fmt.Fprintf(&meta, "%s=%s\n", kv[0], ffmetaEscape(kv[1]))
		}
	}
	for _, f := range files {
		fmt.Fprintf(&list, "file '%s'\n", strings.ReplaceAll(f, "'", `'\''`))
	}
	for _, c := range chapters {
		fmt.Fprintf(&meta, "[CHAPTER]\nTIMEBASE=1/1000\nSTART=%d\nEND=%d\ntitle=%s\n", c.Start.Milliseconds(), c.End.Milliseconds(), ffmetaEscape(c.Title))
	}
	listPath, metaPath := filepath.Join(work, "list.txt"), filepath.Join(work, "meta.txt")
	if err := os.WriteFile(listPath, list.Bytes(), 0o644); err != nil {
		return fmt.Errorf("mix: %w", err)
	}
	if err := os.WriteFile(metaPath, meta.Bytes(), 0o644); err != nil {
		return fmt.Errorf("mix: %w", err)
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
			return fmt.Errorf("mix: %w", err)
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
	args = append(args, "-c:a", "aac", "-b:a", fmt.Sprintf("%dk", max(64, bitrate)), "-ac", "1", "-movflags", "+faststart", "-f", "mp4", tmp)
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("mix: ffmpeg making %s: %w: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("mix: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("mix: %w", err)
	}
	return nil
}

// ffmetaEscape escapes the characters ffmpeg's metadata format reserves.
func ffmetaEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "=", `\=`, ";", `\;`, "#", `\#`, "\n", `\`+"\n").Replace(s)
}
