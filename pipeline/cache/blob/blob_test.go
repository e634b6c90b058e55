package blob

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	gblob "gocloud.dev/blob"

	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/pipeline/cache/cachetest"
)

func TestMemConformance(t *testing.T) {
	cachetest.Run(t, func(t *testing.T) cachetest.Store {
		s, err := Open(context.Background(), "mem://")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return cachetest.Store{Store: s, PutRaw: rawWriter(s.bucket)}
	})
}

func TestFileConformance(t *testing.T) {
	cachetest.Run(t, func(t *testing.T) cachetest.Store {
		dir := filepath.Join(t.TempDir(), "spans") // created by Open
		s, err := Open(context.Background(), "file://"+dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return cachetest.Store{Store: s, PutRaw: func(t *testing.T, key string, data []byte) {
			// Behind the store's back: a plain file in cache.Dir's layout.
			p := filepath.Join(dir, key[:2], key)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}}
	})
}

// rawWriter writes an object without the store's condition, as another
// program sharing the bucket could.
func rawWriter(b *gblob.Bucket) func(t *testing.T, key string, data []byte) {
	return func(t *testing.T, key string, data []byte) {
		k, err := ObjectKey(key)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.WriteAll(context.Background(), k, data, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFileSharesDir shows that file:// over a cache.Dir directory and the
// directory store see each other's entries, and that the blob store
// leaves nothing else (sidecars, temporary files) in the directory.
func TestFileSharesDir(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := cache.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, b := cache.Encode(cachetest.Audio(1, 100)), cache.Encode(cachetest.Audio(2, 200))
	if err := d.Put(ctx, cachetest.Key(1), a); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, cachetest.Key(2), b); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, cachetest.Key(1)); err != nil || !bytes.Equal(got, a) {
		t.Errorf("blob store reading the Dir entry: %d bytes, %v", len(got), err)
	}
	if got, err := d.Get(ctx, cachetest.Key(2)); err != nil || !bytes.Equal(got, b) {
		t.Errorf("Dir reading the blob store entry: %d bytes, %v", len(got), err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{
		cachetest.Key(1)[:2] + "/" + cachetest.Key(1),
		cachetest.Key(2)[:2] + "/" + cachetest.Key(2),
	}
	if strings.Join(files, " ") != strings.Join(want, " ") && strings.Join(files, " ") != want[1]+" "+want[0] {
		t.Errorf("directory holds %v, want exactly %v", files, want)
	}
}

// fakeS3 serves an in-memory S3 on loopback and returns the URL of
// bucket "narrate" at prefix, with the static credentials the SDK reads
// from the environment.
func fakeS3(t *testing.T, prefix string, wrap func(http.Handler) http.Handler) (string, *s3mem.Backend) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("narrate"); err != nil {
		t.Fatal(err)
	}
	h := gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "narrate-test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "narrate-test-secret")
	// Keep the machine's own AWS settings out of the test.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	q := url.Values{
		"endpoint":       {srv.URL},
		"use_path_style": {"true"},
		"region":         {"us-east-1"},
	}
	return "s3://narrate/" + prefix + "?" + q.Encode(), backend
}

func TestS3Conformance(t *testing.T) {
	cachetest.Run(t, func(t *testing.T) cachetest.Store {
		u, _ := fakeS3(t, "books/spans", nil)
		s, err := Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return cachetest.Store{Store: s, PutRaw: rawWriter(s.bucket)}
	})
}

// TestS3Layout checks where an entry lands in the bucket: under the URL's
// path prefix, in the two-level layout.
func TestS3Layout(t *testing.T) {
	ctx := context.Background()
	u, backend := fakeS3(t, "books/spans/", nil)
	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key := cachetest.Key(3)
	data := cache.Encode(cachetest.Audio(3, 10))
	if err := s.Put(ctx, key, data); err != nil {
		t.Fatal(err)
	}
	obj, err := backend.GetObject("narrate", "books/spans/"+key[:2]+"/"+key, nil)
	if err != nil {
		t.Fatalf("object not at books/spans/%s/%s: %v", key[:2], key, err)
	}
	defer obj.Contents.Close()
	var got bytes.Buffer
	got.ReadFrom(obj.Contents)
	if !bytes.Equal(got.Bytes(), data) {
		t.Errorf("stored object differs from the entry")
	}
}

// TestS3ConditionalWrite shows that the store sends If-None-Match, and
// that an S3-compatible service refusing it as not implemented gets
// plain writes from then on.
func TestS3ConditionalWrite(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var conditional, refused int
	u, _ := fakeS3(t, "spans", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut && r.Header.Get("If-None-Match") != "" {
				mu.Lock()
				conditional++
				mu.Unlock()
				if strings.Contains(r.URL.Path, "/refuse") {
					mu.Lock()
					refused++
					mu.Unlock()
					w.Header().Set("Content-Type", "application/xml")
					w.WriteHeader(http.StatusNotImplemented)
					w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>If-None-Match</Message></Error>`))
					return
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Put(ctx, cachetest.Key(1), []byte("one")); err != nil {
		t.Fatal(err)
	}
	if conditional == 0 {
		t.Fatal("Put sent no If-None-Match header")
	}
	if s.unconditional.Load() {
		t.Fatal("store gave up conditional writes on a service that supports them")
	}

	u2 := strings.Replace(u, "s3://narrate/spans", "s3://narrate/refuse", 1)
	r, err := Open(ctx, u2)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data := cache.Encode(cachetest.Audio(4, 64))
	if err := r.Put(ctx, cachetest.Key(4), data); err != nil {
		t.Fatalf("Put on a service without conditional writes: %v", err)
	}
	if refused != 1 || !r.unconditional.Load() {
		t.Fatalf("refused %d conditional writes, unconditional=%v; want 1, true", refused, r.unconditional.Load())
	}
	if got, err := r.Get(ctx, cachetest.Key(4)); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get after unconditional Put: %d bytes, %v", len(got), err)
	}
	before := conditional
	if err := r.Put(ctx, cachetest.Key(5), data); err != nil {
		t.Fatal(err)
	}
	if conditional != before {
		t.Errorf("store kept sending If-None-Match after the service refused it")
	}
}

func TestIsURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"s3://bucket/books/", true},
		{"gs://bucket", true},
		{"azblob://container/x", true},
		{"file:///tmp/out", true},
		{"mem://", true},
		{"out/", false},
		{"/abs/out", false},
		{`C:\books\out`, false},
		{"http://example.com/x", false},
		{"", false},
	} {
		if got := IsURL(tc.in); got != tc.want {
			t.Errorf("IsURL(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestObjectKey(t *testing.T) {
	for _, tc := range []struct {
		key, want string
		ok        bool
	}{
		{"0123456789abcdef", "01/0123456789abcdef", true},
		{"abcdef01", "ab/abcdef01", true},
		{"abc", "", false},
		{"ABCDEF0123", "", false},
		{"../../etc/passwd", "", false},
		{"ab/cdef0123", "", false},
	} {
		got, err := ObjectKey(tc.key)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ObjectKey(%q) = %q, %v; want %q, ok=%v", tc.key, got, err, tc.want, tc.ok)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ url, want string }{
		{"ftp://host/x", "unsupported scheme"},
		{"books/", "unsupported scheme"},
		{"file:///tmp/x?nonsense=1", "nonsense"},
	} {
		_, err := Open(ctx, tc.url)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q) = %v, want an error mentioning %q", tc.url, err, tc.want)
		}
	}
}

func TestGetInvalidKey(t *testing.T) {
	s, err := Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Get(context.Background(), "../x")
	if err == nil || errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Get of an invalid key: %v, want an error other than ErrNotFound", err)
	}
	if err := s.Put(context.Background(), "../x", []byte("x")); err == nil {
		t.Error("Put of an invalid key succeeded")
	}
}

// FuzzObjectKey: any string is either refused or mapped into the
// two-level layout without leaving the prefix; IsURL never panics.
func FuzzObjectKey(f *testing.F) {
	for _, s := range []string{"0123456789abcdef", "../x", "s3://b/p", "", "C:\\x", "mem://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = IsURL(s)
		k, err := ObjectKey(s)
		if err != nil {
			return
		}
		if k != s[:2]+"/"+s || strings.Contains(s, "/") || strings.Contains(s, ".") {
			t.Fatalf("ObjectKey(%q) = %q", s, k)
		}
	})
}
