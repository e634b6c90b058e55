package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/internal/k8s"
	"github.com/narrate-audio/narrate/segment/reader"
)

func newK8sJob(a *app) *cobra.Command {
	var p k8s.Params
	var bookURL string
	cmd := &cobra.Command{
		Use:   "k8s-job BOOK --shards N --image IMAGE --cache-url URL --output URL",
		Short: "Print a Kubernetes manifest that renders BOOK in shards",
		Long: `k8s-job prints the manifest of a sharded render: an Indexed Job whose pods
each synthesize one shard of BOOK into the shared span cache (--cache-url),
and an assembling Job that mixes and encodes the book into --output. Apply
the shards, wait for them, then apply the assembling Job (the manifest's
first lines give the commands).

The book is embedded in the manifest (a ConfigMap, up to about 1 MiB) or,
with --book-url, downloaded by the pods. The current settings (backend,
voices, output...) go to the pods as NARRATE_* environment variables, and
the --config file, if any, as a mounted file. API keys and cloud
credentials belong in a Secret named by --secret, whose keys all become
environment variables.`,
		Example: `  kubectl create secret generic narrate-keys --from-literal=OPENAI_API_KEY=sk-...
  narrate k8s-job book.epub --shards 20 --image ghcr.io/me/narrate:1.0 \
      --cache-url s3://audio/spans?region=eu-west-1 \
      --output s3://audio/books/title/?region=eu-west-1 \
      --secret narrate-keys --backend openai --voice alloy > job.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Book = args[0]
			if p.Name == "" {
				p.Name = jobName(args[0])
			}
			if p.CacheURL == "" {
				p.CacheURL = a.cfg.Cache.URL
			}
			if bookURL != "" {
				p.BookURL = bookURL
			} else {
				data, err := reader.ReadFile(args[0], 0)
				if err != nil {
					return fmt.Errorf("k8s-job: %w", err)
				}
				p.BookData = data
			}
			if path, _ := cmd.Flags().GetString("config"); path != "" {
				data, err := os.ReadFile(path)
				if err != nil {
					return fmt.Errorf("k8s-job: %w", err)
				}
				p.Config = data
			}
			env, skipped := settingsEnv(a.cfg)
			for _, key := range skipped {
				fmt.Fprintf(a.stderr, "k8s-job: %s names a local file, not passed to the pods\n", key)
			}
			p.Env = env
			out, err := k8s.Manifest(p)
			var perr *k8s.Error
			if errors.As(err, &perr) && perr.Field == "book" && bookURL == "" {
				return fmt.Errorf("k8s-job: %w (or give --book-url)", err)
			}
			if err != nil {
				return fmt.Errorf("k8s-job: %w", err)
			}
			_, err = a.stdout.Write(out)
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&p.Shards, "shards", 0, "number of shards (pods of the Indexed Job)")
	f.IntVar(&p.Parallelism, "parallelism", 0, "shards running at once (0: all)")
	f.IntVar(&p.Retries, "retries", 2, "retries of a failed shard or assembling pod")
	f.StringVar(&p.Image, "image", "", "narrate container image (see the Dockerfile)")
	f.StringVar(&p.ImagePullPolicy, "pull-policy", "", "image pull policy: Always, IfNotPresent or Never")
	f.StringVar(&p.CacheURL, "cache-url", "", "shared span cache, s3://, gs:// or azblob:// (default: cache.url, NARRATE_CACHE_URL)")
	f.StringVarP(&p.Output, "output", "o", "", "where the assembling Job writes the book: s3://, gs:// or azblob://")
	f.StringVar(&p.SecretName, "secret", "", "Secret whose keys become environment variables (API keys, cloud credentials)")
	f.StringVar(&p.ServiceAccount, "service-account", "", "service account of the pods (for IRSA or workload identity)")
	f.StringVar(&p.Name, "name", "", "name prefix of the objects (default: from the book's file name)")
	f.StringVarP(&p.Namespace, "namespace", "n", "", "namespace of the objects")
	f.StringVar(&bookURL, "book-url", "", "https URL the pods download the book from, instead of embedding it")
	f.StringVar(&p.Resources.CPU, "cpu", k8s.DefaultResources.CPU, "CPU request of each pod")
	f.StringVar(&p.Resources.Memory, "memory", k8s.DefaultResources.Memory, "memory request of each pod")
	f.StringVar(&p.Resources.CPULimit, "cpu-limit", k8s.DefaultResources.CPULimit, "CPU limit of each pod (empty: none)")
	f.StringVar(&p.Resources.MemoryLimit, "memory-limit", k8s.DefaultResources.MemoryLimit, "memory limit of each pod")
	// The settings the pods get: the same flags as render.
	addVoiceFlags(cmd)
	return cmd
}

// jobName derives object names from a book's file name: "Pride and
// Prejudice.epub" gives "pride-and-prejudice".
func jobName(book string) string {
	base := filepath.Base(book)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(base) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	name := b.String()
	if len(name) > k8s.MaxNameLen {
		name = strings.TrimRight(name[:k8s.MaxNameLen], "-")
	}
	if name == "" {
		name = "book"
	}
	return name
}

// localFileKeys are settings that name files on this machine, which the
// pods do not have.
var localFileKeys = map[string]bool{"output.cover": true}

// settingsEnv turns the loaded settings into the NARRATE_* variables that
// make the pods use them: the backend and voices always, other single
// values where they differ from the defaults. The cache section is left
// out (the manifest sets the cache URL), and so are maps (characters,
// pronunciations, backend settings), which only a settings file carries.
// It also returns the keys it left out because they name local files.
func settingsEnv(cfg config.Config) (map[string]string, []string) {
	env := map[string]string{}
	var skipped []string
	always := map[string]bool{"backend": true, "voices.narrator": true, "voices.dialogue": true}
	var walk func(prefix string, v, def reflect.Value)
	walk = func(prefix string, v, def reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			key := t.Field(i).Tag.Get("mapstructure")
			if key == "" {
				continue
			}
			if prefix != "" {
				key = prefix + "." + key
			}
			f, d := v.Field(i), def.Field(i)
			if key == "cache" {
				continue
			}
			if f.Kind() == reflect.Struct {
				walk(key, f, d)
				continue
			}
			s, ok := scalar(f)
			if !ok || (!always[key] && f.Interface() == d.Interface()) {
				continue
			}
			if localFileKeys[key] {
				skipped = append(skipped, key)
				continue
			}
			env["NARRATE_"+strings.ToUpper(strings.ReplaceAll(key, ".", "_"))] = s
		}
	}
	walk("", reflect.ValueOf(cfg), reflect.ValueOf(config.Default()))
	sort.Strings(skipped)
	return env, skipped
}

// scalar formats a single value as viper reads it back from the
// environment; maps and slices are not single values.
func scalar(v reflect.Value) (string, bool) {
	if d, ok := v.Interface().(time.Duration); ok {
		return d.String(), true
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), true
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), true
	}
	return "", false
}
