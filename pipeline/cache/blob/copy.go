package blob

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"

	gblob "gocloud.dev/blob"
	"golang.org/x/sync/errgroup"
)

// uploads is how many files CopyDir sends at once: enough to hide the
// latency of a remote store without flooding a pod's network.
const uploads = 4

// CopyDir uploads every regular file under srcDir to the bucket URL
// dstURL, keeping the relative paths (with / separators) under the URL's
// prefix, so `-o s3://bucket/books/title/` gets the files a local render
// wrote into its output directory. Each object is written atomically:
// it appears whole or, when reading the file fails or ctx is cancelled,
// not at all. Existing objects are replaced (a rerun publishes its
// output). Symbolic links and other non-regular files are skipped.
func CopyDir(ctx context.Context, dstURL, srcDir string) error {
	b, err := OpenBucket(ctx, dstURL)
	if err != nil {
		return err
	}
	defer b.Close()
	return copyDir(ctx, b, srcDir)
}

func copyDir(ctx context.Context, b *gblob.Bucket, srcDir string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(uploads)
	err := filepath.WalkDir(srcDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("blob: %w", err)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(srcDir, p)
		if err != nil {
			return fmt.Errorf("blob: %w", err)
		}
		key := filepath.ToSlash(rel)
		if err := gctx.Err(); err != nil {
			// Cancelled, or an upload failed (g.Wait reports that first).
			return fmt.Errorf("blob: %w", err)
		}
		g.Go(func() error { return uploadFile(gctx, b, key, p) })
		return nil
	})
	if werr := g.Wait(); werr != nil {
		return werr
	}
	return err
}

func uploadFile(ctx context.Context, b *gblob.Bucket, key, file string) (err error) {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer f.Close()
	// The writer commits on Close; cancelling its context first aborts
	// the object instead of publishing part of a file.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := b.NewWriter(wctx, key, &gblob.WriterOptions{ContentType: contentType(key)})
	if err != nil {
		return fmt.Errorf("blob: uploading %s: %w", file, err)
	}
	if _, err := io.Copy(w, f); err != nil {
		cancel()
		_ = w.Close()
		return fmt.Errorf("blob: uploading %s: %w", file, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("blob: uploading %s: %w", file, err)
	}
	return nil
}

// contentType names the type of what narrate writes, so that a browser
// or player served from the bucket handles it; anything else is bytes.
func contentType(key string) string {
	switch path.Ext(key) {
	case ".mp3":
		return "audio/mpeg"
	case ".wav":
		return "audio/wav"
	case ".m3u":
		return "audio/x-mpegurl"
	}
	if t := mime.TypeByExtension(path.Ext(key)); t != "" {
		return t
	}
	return "application/octet-stream"
}
