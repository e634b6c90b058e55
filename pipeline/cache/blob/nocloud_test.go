//go:build !narrate_cloud

package blob

import (
	"context"
	"strings"
	"testing"
)

// Without the build tag, gs:// and azblob:// say how to get them.
func TestCloudSchemesNeedTag(t *testing.T) {
	for _, u := range []string{"gs://bucket/spans", "azblob://container/spans?sas_token=secret"} {
		_, err := Open(context.Background(), u)
		if err == nil || !strings.Contains(err.Error(), "narrate_cloud") {
			t.Errorf("Open(%q) = %v, want a hint at the narrate_cloud tag", u, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error shows the URL's query: %v", err)
		}
	}
}
