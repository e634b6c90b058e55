package k8s

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// decoded is a manifest read back through the Kubernetes API types.
type decoded struct {
	configMap *corev1.ConfigMap
	shards    *batchv1.Job
	assemble  *batchv1.Job
	labels    []map[string]string // of every document, in order
}

// decode splits the manifest into documents and decodes each strictly
// into the API type its kind names: a field the API does not know, or a
// value of the wrong type, fails the test.
func decode(t *testing.T, manifest []byte) decoded {
	t.Helper()
	var d decoded
	for i, doc := range strings.Split(string(manifest), "\n---\n") {
		// The separator took the document's last line break.
		doc += "\n"
		if i == 0 {
			if strings.TrimSpace(strings.ReplaceAll(doc, "#", "")) == "" || !strings.HasPrefix(doc, "#") {
				t.Fatalf("manifest does not start with its usage comment:\n%s", doc)
			}
			continue
		}
		var head struct{ APIVersion, Kind string }
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		switch head.APIVersion + " " + head.Kind {
		case "v1 ConfigMap":
			d.configMap = &corev1.ConfigMap{}
			strict(t, doc, d.configMap)
			d.labels = append(d.labels, d.configMap.Labels)
		case "batch/v1 Job":
			j := &batchv1.Job{}
			strict(t, doc, j)
			d.labels = append(d.labels, j.Labels)
			switch {
			case strings.HasSuffix(j.Name, "-shards"):
				d.shards = j
			case strings.HasSuffix(j.Name, "-assemble"):
				d.assemble = j
			default:
				t.Fatalf("unexpected job %q", j.Name)
			}
		default:
			t.Fatalf("document %d has kind %q %q", i, head.APIVersion, head.Kind)
		}
	}
	if d.shards == nil || d.assemble == nil {
		t.Fatalf("manifest lacks a job:\n%s", manifest)
	}
	return d
}

func strict(t *testing.T, doc string, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict([]byte(doc), into); err != nil {
		t.Fatalf("strict decoding into %T: %v\n%s", into, err, doc)
	}
}

func base() Params {
	return Params{
		Name:       "pride-and-prejudice",
		Namespace:  "books",
		Image:      "ghcr.io/narrate-audio/narrate:v1.2.0",
		Book:       "books/Pride and Prejudice.epub",
		BookData:   []byte("PK\x03\x04 not really an epub \x00\xff"),
		CacheURL:   "s3://audio/spans?region=eu-west-1",
		Output:     "s3://audio/books/pride/",
		Shards:     20,
		Retries:    3,
		Env:        map[string]string{"NARRATE_BACKEND": "openai", "NARRATE_VOICES_NARRATOR": "alloy", "NARRATE_VOICES_AUTO": "true"},
		SecretName: "narrate-api-keys",
	}
}

func TestManifestDecodes(t *testing.T) {
	p := base()
	p.Parallelism = 5
	out, err := Manifest(p)
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, out)

	// The book is embedded byte for byte.
	if d.configMap == nil {
		t.Fatal("no ConfigMap for an embedded book")
	}
	if got := d.configMap.BinaryData["Pride_and_Prejudice.epub"]; !bytes.Equal(got, p.BookData) {
		t.Errorf("ConfigMap holds %q, want the book", got)
	}

	s := d.shards.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("shard job completionMode %v, want Indexed", s.CompletionMode)
	}
	if *s.Completions != 20 || *s.Parallelism != 5 {
		t.Errorf("completions %d parallelism %d, want 20 and 5", *s.Completions, *s.Parallelism)
	}
	if s.BackoffLimitPerIndex == nil || *s.BackoffLimitPerIndex != 3 {
		t.Errorf("backoffLimitPerIndex %v, want 3", s.BackoffLimitPerIndex)
	}
	a := d.assemble.Spec
	if a.CompletionMode != nil && *a.CompletionMode != batchv1.NonIndexedCompletion || *a.Completions != 1 || *a.BackoffLimit != 3 {
		t.Errorf("assemble job: mode %v completions %d backoffLimit %d", a.CompletionMode, *a.Completions, *a.BackoffLimit)
	}

	shardArgs := strings.Join(s.Template.Spec.Containers[0].Args, " ")
	if want := "render /book/Pride_and_Prejudice.epub -o /tmp/out --shard /20"; shardArgs != want {
		t.Errorf("shard args %q, want %q", shardArgs, want)
	}
	asmArgs := strings.Join(a.Template.Spec.Containers[0].Args, " ")
	if want := "render /book/Pride_and_Prejudice.epub -o s3://audio/books/pride/"; asmArgs != want {
		t.Errorf("assemble args %q, want %q", asmArgs, want)
	}

	for _, j := range []*batchv1.Job{d.shards, d.assemble} {
		checkPod(t, j, p, d.configMap)
	}
}

// checkPod checks what both jobs' pods need: names Kubernetes accepts,
// the environment, the Secret, resources, mounts that name volumes, and
// the book file in a mounted volume.
func checkPod(t *testing.T, j *batchv1.Job, p Params, cm *corev1.ConfigMap) {
	t.Helper()
	for _, msg := range validation.IsDNS1123Label(j.Name) {
		t.Errorf("job name %q: %s", j.Name, msg)
	}
	if j.Namespace != p.Namespace {
		t.Errorf("%s: namespace %q, want %q", j.Name, j.Namespace, p.Namespace)
	}
	for k, v := range j.Spec.Template.Labels {
		for _, msg := range append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...) {
			t.Errorf("%s: label %s=%s: %s", j.Name, k, v, msg)
		}
	}
	spec := j.Spec.Template.Spec
	if spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("%s: restartPolicy %q (backoffLimitPerIndex needs Never)", j.Name, spec.RestartPolicy)
	}
	if sc := spec.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Errorf("%s: pods may run as root", j.Name)
	}
	if len(spec.Containers) != 1 {
		t.Fatalf("%s: %d containers", j.Name, len(spec.Containers))
	}
	c := spec.Containers[0]
	if c.Image != p.Image {
		t.Errorf("%s: image %q", j.Name, c.Image)
	}
	env := map[string]string{}
	for _, e := range c.Env {
		if msgs := validation.IsEnvVarName(e.Name); len(msgs) > 0 {
			t.Errorf("%s: env %s: %v", j.Name, e.Name, msgs)
		}
		if _, dup := env[e.Name]; dup {
			t.Errorf("%s: env %s set twice", j.Name, e.Name)
		}
		env[e.Name] = e.Value
	}
	if env["NARRATE_CACHE_URL"] != p.CacheURL {
		t.Errorf("%s: NARRATE_CACHE_URL=%q, want %q", j.Name, env["NARRATE_CACHE_URL"], p.CacheURL)
	}
	for k, v := range p.Env {
		if env[k] != v {
			t.Errorf("%s: %s=%q, want %q", j.Name, k, env[k], v)
		}
	}
	if p.SecretName != "" {
		if len(c.EnvFrom) != 1 || c.EnvFrom[0].SecretRef == nil || c.EnvFrom[0].SecretRef.Name != p.SecretName {
			t.Errorf("%s: envFrom %+v, want secretRef %s", j.Name, c.EnvFrom, p.SecretName)
		}
	} else if len(c.EnvFrom) != 0 {
		t.Errorf("%s: envFrom without a secret: %+v", j.Name, c.EnvFrom)
	}
	for name, q := range c.Resources.Requests {
		if lim, ok := c.Resources.Limits[name]; ok && lim.Cmp(q) < 0 {
			t.Errorf("%s: %s request %s above limit %s", j.Name, name, q.String(), lim.String())
		}
	}
	if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("%s: no memory request or limit: %+v", j.Name, c.Resources)
	}
	if c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Errorf("%s: root filesystem writable", j.Name)
	}

	// Every mount names a volume; /tmp is writable; the book file is
	// where the args say, provided by a ConfigMap item or an init
	// container writing into the same volume.
	vols := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		for _, msg := range validation.IsDNS1123Label(v.Name) {
			t.Errorf("%s: volume %q: %s", j.Name, v.Name, msg)
		}
		vols[v.Name] = v
	}
	paths := map[string]string{}
	for _, m := range c.VolumeMounts {
		if _, ok := vols[m.Name]; !ok {
			t.Errorf("%s: mount of unknown volume %q", j.Name, m.Name)
		}
		if _, dup := paths[m.MountPath]; dup {
			t.Errorf("%s: two mounts at %s", j.Name, m.MountPath)
		}
		paths[m.MountPath] = m.Name
	}
	if v, ok := vols[paths["/tmp"]]; !ok || v.EmptyDir == nil {
		t.Errorf("%s: /tmp is not a writable volume", j.Name)
	}
	bookPath := c.Args[1]
	dir, file, _ := strings.Cut(strings.TrimPrefix(bookPath, "/"), "/")
	bv, ok := vols[paths["/"+dir]]
	if !ok {
		t.Fatalf("%s: no volume at /%s for %s", j.Name, dir, bookPath)
	}
	switch {
	case bv.ConfigMap != nil:
		if cm == nil || bv.ConfigMap.Name != cm.Name {
			t.Fatalf("%s: book volume refers to ConfigMap %q, not in the manifest", j.Name, bv.ConfigMap.Name)
		}
		found := false
		for _, it := range bv.ConfigMap.Items {
			_, inData := cm.Data[it.Key]
			_, inBinary := cm.BinaryData[it.Key]
			if !inData && !inBinary {
				t.Errorf("%s: ConfigMap item %q not in the ConfigMap", j.Name, it.Key)
			}
			found = found || it.Path == file
		}
		if !found {
			t.Errorf("%s: ConfigMap volume does not provide %s", j.Name, file)
		}
	case bv.EmptyDir != nil:
		if len(spec.InitContainers) != 1 {
			t.Fatalf("%s: book volume is empty and no init container fills it", j.Name)
		}
		ic := spec.InitContainers[0]
		fetch := strings.Join(append(ic.Command, ic.Args...), " ")
		if want := "wget -q -O " + bookPath + " " + p.BookURL; fetch != want {
			t.Errorf("%s: init container runs %q, want %q", j.Name, fetch, want)
		}
		writes := false
		for _, m := range ic.VolumeMounts {
			writes = writes || m.Name == paths["/"+dir] && m.MountPath == "/"+dir && !m.ReadOnly
		}
		if !writes {
			t.Errorf("%s: init container does not write the book volume", j.Name)
		}
	default:
		t.Errorf("%s: book volume %+v is neither a ConfigMap nor an emptyDir", j.Name, bv)
	}
}

// TestApplySteps runs the README's label selectors over the manifest's
// objects, as kubectl apply -l does: step one must create the input and
// the shards but not the assembling job, step two only that job.
func TestApplySteps(t *testing.T) {
	out, err := Manifest(base())
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, out)
	for _, tc := range []struct {
		selector string
		want     []bool // ConfigMap, shards, assemble
	}{
		{"app.kubernetes.io/component!=assemble", []bool{true, true, false}},
		{"app.kubernetes.io/component=assemble", []bool{false, false, true}},
	} {
		if !strings.Contains(string(out), "-l "+tc.selector+"\n") {
			t.Errorf("usage comment does not give the selector %q", tc.selector)
		}
		sel, err := labels.Parse(tc.selector)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range d.labels {
			if got := sel.Matches(labels.Set(l)); got != tc.want[i] {
				t.Errorf("%s: document %d selected=%v, want %v", tc.selector, i+1, got, tc.want[i])
			}
		}
	}
	if !strings.Contains(string(out), "job/pride-and-prejudice-shards") {
		t.Error("usage comment does not name the shard job to wait for")
	}
}

func TestManifestBookURLAndConfig(t *testing.T) {
	p := base()
	p.BookData = nil
	p.BookURL = "https://audio.s3.amazonaws.com/in/pride.epub?X-Amz-Signature=abc"
	p.SecretName = ""
	p.Resources = Resources{CPU: "500m", Memory: "512Mi", CPULimit: "2", MemoryLimit: "1Gi"}
	p.Config = []byte("voices:\n  characters:\n    Mr. Darcy: en-gb\n")
	out, err := Manifest(p)
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, out)
	if d.configMap == nil || d.configMap.Data["narrate.yaml"] != string(p.Config) || len(d.configMap.BinaryData) != 0 {
		t.Fatalf("ConfigMap data %q binary %q, want the settings file only", d.configMap.Data, d.configMap.BinaryData)
	}
	for _, j := range []*batchv1.Job{d.shards, d.assemble} {
		checkPod(t, j, p, d.configMap)
		c := j.Spec.Template.Spec.Containers[0]
		if !strings.Contains(strings.Join(c.Args, " "), "--config /etc/narrate/narrate.yaml") {
			t.Errorf("%s: args %q do not pass the settings file", j.Name, c.Args)
		}
		mounted := false
		for _, m := range c.VolumeMounts {
			mounted = mounted || m.MountPath == "/etc/narrate"
		}
		if !mounted {
			t.Errorf("%s: settings not mounted at /etc/narrate", j.Name)
		}
		if got := c.Resources.Limits.Cpu(); got.Cmp(resource.MustParse("2")) != 0 {
			t.Errorf("%s: cpu limit %s", j.Name, got)
		}
	}
	// Parallelism 0 runs every shard at once.
	if *d.shards.Spec.Parallelism != 20 {
		t.Errorf("parallelism %d, want 20", *d.shards.Spec.Parallelism)
	}
}

func TestManifestNoConfigMap(t *testing.T) {
	p := base()
	p.BookData, p.BookURL = nil, "https://example.org/book.txt"
	out, err := Manifest(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := decode(t, out); d.configMap != nil {
		t.Errorf("ConfigMap with nothing to hold: %+v", d.configMap)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(p *Params)
	}{
		{"name", func(p *Params) { p.Name = "" }},
		{"name", func(p *Params) { p.Name = "Pride" }},
		{"name", func(p *Params) { p.Name = "pride_and_prejudice" }},
		{"name", func(p *Params) { p.Name = "-pride" }},
		{"name", func(p *Params) { p.Name = strings.Repeat("a", MaxNameLen+1) }},
		{"namespace", func(p *Params) { p.Namespace = "Books" }},
		{"image", func(p *Params) { p.Image = "" }},
		{"imagePullPolicy", func(p *Params) { p.ImagePullPolicy = "Sometimes" }},
		{"book", func(p *Params) { p.Book = "/" }},
		{"book", func(p *Params) { p.BookURL = "https://x/y" }},
		{"book", func(p *Params) { p.BookData = nil }},
		{"book", func(p *Params) { p.BookData = make([]byte, ConfigMapLimit+1) }},
		{"bookURL", func(p *Params) { p.BookData, p.BookURL = nil, "s3://bucket/book.epub" }},
		{"cacheURL", func(p *Params) { p.CacheURL = "" }},
		{"cacheURL", func(p *Params) { p.CacheURL = "mem://" }},
		{"cacheURL", func(p *Params) { p.CacheURL = "file:///var/cache" }},
		{"output", func(p *Params) { p.Output = "/tmp/out" }},
		{"shards", func(p *Params) { p.Shards = 0 }},
		{"parallelism", func(p *Params) { p.Parallelism = -1 }},
		{"secret", func(p *Params) { p.SecretName = "API_KEYS" }},
		{"serviceAccount", func(p *Params) { p.ServiceAccount = "Narrate" }},
		{"env", func(p *Params) { p.Env = map[string]string{"1BAD": "x"} }},
		{"env", func(p *Params) { p.Env = map[string]string{"NARRATE_CACHE_URL": "s3://other"} }},
		{"env", func(p *Params) { p.Env = map[string]string{"OPENAI_API_KEY": "sk-..."} }},
		{"memory", func(p *Params) { p.Resources = Resources{Memory: "lots"} }},
		{"env", func(p *Params) { p.Env = map[string]string{"NARRATE_X": "\xc1"} }},
		{"config", func(p *Params) { p.Config = []byte("a: \xff") }},
	} {
		p := base()
		tc.edit(&p)
		_, err := Manifest(p)
		var e *Error
		if !errors.As(err, &e) || e.Field != tc.field {
			t.Errorf("%s: Manifest error %v, want one about %q", tc.field, err, tc.field)
		}
	}
}

// FuzzManifest holds the generator to its promise: whatever parameters
// Validate accepts give a manifest that decodes strictly into the API
// types, with names Kubernetes accepts.
func FuzzManifest(f *testing.F) {
	f.Add("emma", "emma.txt", "NARRATE_BACKEND", "espeak-ng", "keys", 3, 0, []byte("Emma"))
	f.Add("a", `c:\books\x y.epub`, "X", "multi\nline: value", "", 1, 9, []byte{0, 1, 2})
	f.Add("war-and-peace", "../w&p.md", "A.B-c", "'quoted' \"too\"", "s.e-c", 100000, 7, []byte(""))
	f.Fuzz(func(t *testing.T, name, book, envKey, envVal, secret string, shards, par int, data []byte) {
		p := Params{
			Name: name, Image: "narrate:dev", Book: book, BookData: data,
			CacheURL: "gs://b/spans", Output: "azblob://c/out",
			Shards: shards, Parallelism: par, Retries: 1,
			Env: map[string]string{envKey: envVal}, SecretName: secret,
		}
		out, err := Manifest(p)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is not a *k8s.Error: %v", err)
			}
			return
		}
		d := decode(t, out)
		if got := d.configMap.BinaryData[bookName(book)]; !bytes.Equal(got, data) {
			t.Fatalf("book bytes changed in the ConfigMap")
		}
		for _, j := range []*batchv1.Job{d.shards, d.assemble} {
			checkPod(t, j, p, d.configMap)
		}
		if got := d.shards.Spec.Template.Spec.Containers[0].Args; got[len(got)-1] != fmt.Sprintf("/%d", shards) {
			t.Fatalf("shard arg %q", got[len(got)-1])
		}
		// The base64 in the manifest is standard, as the API expects.
		if !strings.Contains(string(out), base64.StdEncoding.EncodeToString(data)) && len(data) > 0 {
			t.Fatalf("book not in standard base64")
		}
	})
}
