package blob

// The drivers every build has: local directories, memory (tests) and S3,
// which also serves S3-compatible stores (MinIO, Ceph, R2...).
import (
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob"
)
