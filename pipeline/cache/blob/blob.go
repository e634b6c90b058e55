// Package blob keeps narrate's span cache, and copies rendered books, in
// object storage through gocloud.dev/blob, so that several machines (the
// pods of a sharded render) share every synthesized span and a rerun
// anywhere reuses them.
//
// A location is a URL:
//
//	s3://bucket/prefix?region=eu-west-1   Amazon S3 and S3-compatible stores
//	gs://bucket/prefix                    Google Cloud Storage (build tag narrate_cloud)
//	azblob://container/prefix             Azure Blob Storage (build tag narrate_cloud)
//	file:///abs/dir                       a local or mounted directory
//	mem://                                process memory (tests)
//
// The URL's path names a prefix inside the bucket, under which all keys
// are kept; the query carries the driver's own options (see the
// gocloud.dev documentation of s3blob, gcsblob, azureblob, fileblob).
// gs:// and azblob:// are compiled in only with `-tags narrate_cloud`,
// because their SDKs double the binary (22 to 52 MB) and add over a
// minute to a cold build; S3 is always in.
//
// Credentials are found the way each cloud's own SDK finds them:
//   - S3: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN),
//     AWS_PROFILE with ~/.aws/credentials, web identity (EKS IRSA, pod
//     identity) and the instance role; region from ?region= or AWS_REGION.
//     S3-compatible stores: ?endpoint=https://host&use_path_style=true.
//   - GCS: Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS,
//     gcloud's user credentials, or the GKE workload identity.
//   - Azure: AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or
//     AZURE_STORAGE_SAS_TOKEN or AZURE_STORAGE_CONNECTION_STRING, else the
//     Azure default credential chain (environment, workload identity,
//     managed identity, az CLI).
package blob

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	gblob "gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/narrate-audio/narrate/pipeline/cache"
)

// cloudSchemes need the narrate_cloud build tag; naming it in the error
// saves a user from guessing why a documented scheme is unknown.
var cloudSchemes = map[string]bool{"gs": true, "azblob": true}

// IsURL reports whether s names object storage (a URL with a scheme that
// this package can open or knows about) rather than a local path, so that
// a command can accept both "-o out/" and "-o s3://bucket/out/".
func IsURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 {
		// A one-letter scheme is a Windows drive (C:\books), not a URL.
		return false
	}
	return gblob.DefaultURLMux().ValidBucketScheme(u.Scheme) || cloudSchemes[u.Scheme]
}

// OpenBucket opens the bucket a URL names, narrowed to the URL's prefix.
// The caller closes it.
func OpenBucket(ctx context.Context, rawURL string) (*gblob.Bucket, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	if !gblob.DefaultURLMux().ValidBucketScheme(u.Scheme) {
		if cloudSchemes[u.Scheme] {
			return nil, fmt.Errorf("blob: %s: %s:// support is not compiled in (build with -tags narrate_cloud)", redact(u), u.Scheme)
		}
		return nil, fmt.Errorf("blob: %s: unsupported scheme %q (want s3, gs, azblob, file or mem)", redact(u), u.Scheme)
	}
	q := u.Query()
	var prefix string
	if u.Scheme == "file" {
		// The path is the directory itself. These defaults suit a cache:
		// create the directory, write temporary files beside their target
		// (a rename out of /tmp fails across mounts, as in a pod with a
		// volume), and keep no .attrs sidecar per entry.
		setDefault(q, "create_dir", "true")
		setDefault(q, "no_tmp_dir", "true")
		setDefault(q, "metadata", "skip")
	} else {
		prefix = strings.Trim(u.Path, "/")
		if prefix != "" {
			prefix += "/"
		}
		u.Path = ""
	}
	// gocloud's own ?prefix= goes below the path prefix.
	if p := q.Get("prefix"); p != "" {
		prefix += p
		q.Del("prefix")
	}
	u.RawQuery = q.Encode()
	b, err := gblob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("blob: opening %s: %w", redact(u), err)
	}
	if prefix != "" {
		b = gblob.PrefixedBucket(b, prefix)
	}
	return b, nil
}

func setDefault(q url.Values, key, value string) {
	if _, ok := q[key]; !ok {
		q.Set(key, value)
	}
}

// redact drops the query from a URL in messages: it can hold a SAS token
// or a signing secret path.
func redact(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	c.User = nil
	return c.String()
}

// Store is a cache.Store in a bucket. Entries are kept under the same
// two-level layout as cache.Dir (ab/abcdef...), so file:///dir over an
// existing cache directory shares its entries. Writes are write-once:
// a key names its content, so when another writer got there first the
// write has succeeded. Store is safe for concurrent use.
type Store struct {
	bucket *gblob.Bucket
	// unconditional is set once the service has refused a conditional
	// write as unimplemented (some S3-compatible stores), after which
	// writes go without the condition: every object write is still
	// atomic, and concurrent writers of a key write the same bytes.
	unconditional atomic.Bool
}

var _ cache.Store = (*Store)(nil)

// Open opens the span cache at a bucket URL (see the package comment).
func Open(ctx context.Context, rawURL string) (*Store, error) {
	b, err := OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	return NewStore(b), nil
}

// NewStore returns a Store over an open bucket, which the Store then owns
// (Close closes it).
func NewStore(b *gblob.Bucket) *Store { return &Store{bucket: b} }

// Close releases the bucket.
func (s *Store) Close() error {
	if err := s.bucket.Close(); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}

// ObjectKey is where the entry for a cache key is stored, relative to the
// URL's prefix. It checks the key as cache.Dir does: keys are lower-case
// hex digests, which also keeps them safe in every store's key syntax.
func ObjectKey(key string) (string, error) {
	if len(key) < 8 {
		return "", fmt.Errorf("blob: invalid cache key %q", key)
	}
	for _, r := range key {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return "", fmt.Errorf("blob: invalid cache key %q", key)
		}
	}
	return key[:2] + "/" + key, nil
}

// Get implements cache.Store. It returns the object as stored: verifying
// it is cache.Decode's job, so a damaged object is reported by the reader
// and re-synthesized by the pipeline.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	k, err := ObjectKey(key)
	if err != nil {
		return nil, err
	}
	data, err := s.bucket.ReadAll(ctx, k)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, fmt.Errorf("%w: %s", cache.ErrNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: reading %s: %w", key, err)
	}
	return data, nil
}

// Put implements cache.Store. The object appears whole or not at all
// (each driver uploads then commits, or renames a finished file).
func (s *Store) Put(ctx context.Context, key string, data []byte) error {
	k, err := ObjectKey(key)
	if err != nil {
		return err
	}
	return writeOnce(ctx, s.bucket, k, data, &s.unconditional)
}

// writeOnce writes an object unless it exists. Losing a race to another
// writer of the same key is success: keys name content, so the object
// there holds the same bytes.
func writeOnce(ctx context.Context, b *gblob.Bucket, key string, data []byte, unconditional *atomic.Bool) error {
	opts := &gblob.WriterOptions{
		ContentType: "application/octet-stream",
		IfNotExist:  !unconditional.Load(),
	}
	err := b.WriteAll(ctx, key, data, opts)
	if err == nil || gcerrors.Code(err) == gcerrors.FailedPrecondition {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("blob: writing %s: %w", key, err)
	}
	// S3 answers 409 ConditionalRequestConflict to a conditional write
	// racing another one; whoever wins, the object is then there.
	if ok, xerr := b.Exists(ctx, key); xerr == nil && ok {
		return nil
	}
	if opts.IfNotExist && conditionUnsupported(err) {
		unconditional.Store(true)
		opts.IfNotExist = false
		err = b.WriteAll(ctx, key, data, opts)
	}
	if err != nil {
		return fmt.Errorf("blob: writing %s: %w", key, err)
	}
	return nil
}

// conditionUnsupported tells whether a failed write was refused for its
// If-None-Match condition: gocloud's Unimplemented, or an S3-compatible
// service's NotImplemented error code (read through the SDK's error
// interface, without importing the SDK).
func conditionUnsupported(err error) bool {
	if gcerrors.Code(err) == gcerrors.Unimplemented {
		return true
	}
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		switch coded.ErrorCode() {
		case "NotImplemented", "NotImplementedError":
			return true
		}
	}
	return false
}
