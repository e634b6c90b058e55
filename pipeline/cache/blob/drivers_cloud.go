//go:build narrate_cloud

package blob

// Google Cloud Storage and Azure Blob Storage, only with
// `-tags narrate_cloud`: their SDKs add about 30 MB to the binary and
// over a minute to a cold build, which S3-only users should not pay.
import (
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/gcsblob"
)
