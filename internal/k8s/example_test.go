package k8s_test

import (
	"fmt"
	"os"

	"github.com/narrate-audio/narrate/internal/k8s"
)

func ExampleManifest() {
	out, err := k8s.Manifest(k8s.Params{
		Name:       "emma",
		Image:      "registry.example/narrate:1.0",
		Book:       "emma.txt",
		BookData:   []byte("EMMA\n\nChapter 1\n\nEmma Woodhouse, handsome, clever, and rich...\n"),
		CacheURL:   "s3://audiobooks/spans?region=eu-west-1",
		Output:     "s3://audiobooks/books/emma/?region=eu-west-1",
		Shards:     4,
		Retries:    2,
		Env:        map[string]string{"NARRATE_BACKEND": "espeak-ng"},
		SecretName: "narrate-keys",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(out)
}
