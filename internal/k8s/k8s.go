// Package k8s writes the Kubernetes manifest of a sharded render: an
// Indexed Job whose pods each synthesize one shard of the book into the
// shared span cache, and an assembling Job that, run after it, finds every
// span cached and mixes and encodes the book into object storage.
//
// Kubernetes cannot make one Job wait for another, so the manifest is one
// file applied in two steps selected by label:
//
//	kubectl apply -f job.yaml -l app.kubernetes.io/component!=assemble
//	kubectl wait --for=condition=complete --timeout=24h job/NAME-shards
//	kubectl apply -f job.yaml -l app.kubernetes.io/component=assemble
//
// Applying everything at once is still correct, only wasteful: the
// assembling pod synthesizes what the shards have not cached yet.
//
// The book travels inside the manifest, in a ConfigMap mounted read-only
// (at most ConfigMapLimit bytes with the configuration file), so the
// manifest is all a cluster needs. A larger book is fetched over HTTPS
// (for example a presigned object-storage URL) by an init container that
// runs wget from the narrate image into a volume shared with narrate.
package k8s

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ConfigMapLimit is the most data a ConfigMap may hold (the API server
// refuses more), minus room for its metadata.
const ConfigMapLimit = 1<<20 - 4<<10

// Paths inside the pods. /tmp is a writable volume: the root filesystem
// is read-only.
const (
	bookDir    = "/book"
	configDir  = "/etc/narrate"
	configFile = "narrate.yaml"
	shardOut   = "/tmp/out"
)

// Params describe a sharded render.
type Params struct {
	// Name prefixes every object (NAME-shards, NAME-assemble,
	// NAME-input): a DNS-1123 label of at most MaxNameLen characters.
	Name string
	// Namespace of the objects; empty leaves it to kubectl.
	Namespace string
	// Image is the narrate container image (see the Dockerfile).
	Image string
	// ImagePullPolicy is Always, IfNotPresent or Never; empty leaves the
	// cluster's default.
	ImagePullPolicy string

	// Book is the book's file name (a path's last element is kept); its
	// extension tells narrate the format.
	Book string
	// BookData is the book itself, embedded in the ConfigMap.
	BookData []byte
	// BookURL is an http(s) URL the pods download the book from, instead
	// of BookData (set exactly one).
	BookURL string
	// Config is a narrate YAML settings file passed to every pod with
	// --config: what environment variables cannot carry (character
	// voices, pronunciations, backend settings).
	Config []byte

	// CacheURL is the shared span cache (s3://, gs://, azblob://),
	// passed as NARRATE_CACHE_URL.
	CacheURL string
	// Output is where the assembling Job writes the book (s3://, gs://,
	// azblob://): a pod's own disk is gone when it ends.
	Output string

	// Shards is the number of indexes of the shard Job.
	Shards int
	// Parallelism is how many shards run at once; 0 means all.
	Parallelism int
	// Retries is how often a failed shard (or the assembling pod) is
	// retried; a retried shard redoes only its uncached spans.
	Retries int

	// Env holds more environment variables for narrate (NARRATE_BACKEND,
	// NARRATE_VOICES_NARRATOR...). Secrets belong in SecretName.
	Env map[string]string
	// SecretName is a Secret whose keys all become environment variables
	// (OPENAI_API_KEY, ELEVENLABS_API_KEY, AWS_ACCESS_KEY_ID...).
	SecretName string
	// ServiceAccount runs the pods, for clouds that grant bucket access
	// to a service account (EKS IRSA, GKE workload identity).
	ServiceAccount string

	// Resources of each narrate container; empty fields get defaults.
	Resources Resources
}

// Resources are Kubernetes quantities ("500m", "2", "1Gi").
type Resources struct {
	CPU, Memory           string // requests
	CPULimit, MemoryLimit string // limits; CPULimit empty means none
}

// DefaultResources suit espeak-ng or a remote backend: synthesis is one
// process per pod, mixing holds a chapter's audio in memory.
var DefaultResources = Resources{CPU: "1", Memory: "1Gi", MemoryLimit: "2Gi"}

// MaxNameLen keeps NAME-assemble within the 63 characters of a label
// value (the Job controller labels pods with the Job's name).
const MaxNameLen = 63 - len("-assemble")

var (
	dns1123Label     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	envName          = regexp.MustCompile(`^[-._a-zA-Z][-._a-zA-Z0-9]*$`)
	quantity         = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$`)
	configMapKeyBad  = regexp.MustCompile(`[^-._a-zA-Z0-9]`)
	secretLike       = regexp.MustCompile(`(?i)(API_KEY|SECRET|PASSWORD|TOKEN)`)
)

// reserved environment variables are set by the manifest itself.
var reserved = map[string]bool{
	"NARRATE_CACHE_URL":    true,
	"HOME":                 true,
	"XDG_CACHE_HOME":       true,
	"JOB_COMPLETION_INDEX": true,
}

// remoteSchemes can be shared by pods on different nodes.
var remoteSchemes = map[string]bool{"s3": true, "gs": true, "azblob": true}

// Error is a parameter that cannot make a valid manifest.
type Error struct {
	Field string
	Err   error
}

func (e *Error) Error() string { return "k8s: " + e.Field + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func invalid(field, format string, args ...any) error {
	return &Error{Field: field, Err: fmt.Errorf(format, args...)}
}

// Validate checks the parameters, returning an *Error naming the first
// field at fault.
func (p Params) Validate() error {
	switch {
	case p.Name == "":
		return invalid("name", "missing")
	case len(p.Name) > MaxNameLen:
		return invalid("name", "%q is longer than %d characters", p.Name, MaxNameLen)
	case !dns1123Label.MatchString(p.Name):
		return invalid("name", "%q is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)", p.Name)
	case p.Namespace != "" && (len(p.Namespace) > 63 || !dns1123Label.MatchString(p.Namespace)):
		return invalid("namespace", "%q is not a DNS-1123 label", p.Namespace)
	case p.Image == "" || strings.ContainsAny(p.Image, " \t\n"):
		return invalid("image", "%q is not an image reference", p.Image)
	}
	switch p.ImagePullPolicy {
	case "", "Always", "IfNotPresent", "Never":
	default:
		return invalid("imagePullPolicy", "%q is not Always, IfNotPresent or Never", p.ImagePullPolicy)
	}
	if bookName(p.Book) == "" {
		return invalid("book", "missing file name")
	}
	if (p.BookData == nil) == (p.BookURL == "") {
		return invalid("book", "give either the book's data or its URL")
	}
	if p.BookURL != "" {
		u, err := url.Parse(p.BookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("bookURL", "%q is not an http(s) URL (for a bucket, use a presigned URL)", p.BookURL)
		}
	}
	if !utf8.Valid(p.Config) {
		return invalid("config", "settings file is not UTF-8 text")
	}
	if n := len(p.BookData) + len(p.Config); n > ConfigMapLimit {
		return invalid("book", "%d bytes do not fit a ConfigMap (%d at most): serve the book over HTTPS and give its URL", n, ConfigMapLimit)
	}
	if err := checkRemote("cacheURL", p.CacheURL); err != nil {
		return err
	}
	if err := checkRemote("output", p.Output); err != nil {
		return err
	}
	if p.Shards < 1 {
		return invalid("shards", "%d: want at least 1", p.Shards)
	}
	// The Indexed Job limit when backoffLimitPerIndex is set.
	if p.Shards > 100000 {
		return invalid("shards", "%d: at most 100000", p.Shards)
	}
	if p.Parallelism < 0 || p.Retries < 0 {
		return invalid("parallelism", "negative parallelism or retries")
	}
	for _, f := range []struct{ field, v string }{{"secret", p.SecretName}, {"serviceAccount", p.ServiceAccount}} {
		if f.v != "" && (len(f.v) > 253 || !dns1123Subdomain.MatchString(f.v)) {
			return invalid(f.field, "%q is not a DNS-1123 subdomain", f.v)
		}
	}
	for k := range p.Env {
		switch {
		case !envName.MatchString(k):
			return invalid("env", "%q is not a valid variable name", k)
		case reserved[k]:
			return invalid("env", "%s is set by the manifest itself", k)
		case secretLike.MatchString(k):
			return invalid("env", "%s looks like a secret: put it in the Secret (--secret) instead of the manifest", k)
		case !utf8.ValidString(p.Env[k]):
			return invalid("env", "%s is not UTF-8 text", k)
		}
	}
	r := p.resources()
	for _, q := range []struct{ field, v string }{
		{"cpu", r.CPU}, {"memory", r.Memory}, {"cpuLimit", r.CPULimit}, {"memoryLimit", r.MemoryLimit},
	} {
		if q.v != "" && !quantity.MatchString(q.v) {
			return invalid(q.field, "%q is not a Kubernetes quantity", q.v)
		}
	}
	return nil
}

func checkRemote(field, raw string) error {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || !remoteSchemes[u.Scheme] || u.Host == "" {
		return invalid(field, "%q: want a bucket URL every pod can reach (s3://, gs://, azblob://)", raw)
	}
	return nil
}

// bookName is the file name the pods see: the path's last element, with
// characters a ConfigMap key cannot hold replaced.
func bookName(book string) string {
	b := path.Base(strings.ReplaceAll(book, `\`, "/"))
	if b == "." || b == "/" || b == ".." {
		return ""
	}
	return configMapKeyBad.ReplaceAllString(b, "_")
}

func (p Params) resources() Resources {
	r := p.Resources
	if r == (Resources{}) {
		return DefaultResources
	}
	return r
}

// Manifest returns the YAML documents of the render: the input ConfigMap,
// the Indexed shard Job and the assembling Job, after a comment saying how
// to apply them in order.
func Manifest(p Params) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, `# narrate: sharded render of %s in %d shards.
# Jobs cannot wait for each other, so apply in two steps:
#   kubectl apply -f FILE -l app.kubernetes.io/component!=assemble
#   kubectl wait --for=condition=complete --timeout=24h job/%s-shards
#   kubectl apply -f FILE -l app.kubernetes.io/component=assemble
#   kubectl wait --for=condition=complete --timeout=24h job/%s-assemble
# The book is then in %s
`, bookName(p.Book), p.Shards, p.Name, p.Name, p.Output)
	var docs []any
	if cm := p.configMap(); cm != nil {
		docs = append(docs, cm)
	}
	docs = append(docs, p.shardJob(), p.assembleJob())
	for _, d := range docs {
		out.WriteString("---\n")
		enc := yaml.NewEncoder(&out)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("k8s: %w", err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("k8s: %w", err)
		}
	}
	return out.Bytes(), nil
}

// The manifest's objects, with only the fields it uses. Field order is
// the order kubectl users expect to read.

type object struct {
	APIVersion string   `yaml:"apiVersion"`
	Kind       string   `yaml:"kind"`
	Metadata   metadata `yaml:"metadata"`
}

type metadata struct {
	Name        string            `yaml:"name,omitempty"`
	Namespace   string            `yaml:"namespace,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

type configMap struct {
	object     `yaml:",inline"`
	Data       map[string]string `yaml:"data,omitempty"`
	BinaryData map[string]string `yaml:"binaryData,omitempty"` // base64
}

type job struct {
	object `yaml:",inline"`
	Spec   jobSpec `yaml:"spec"`
}

type jobSpec struct {
	CompletionMode       string      `yaml:"completionMode,omitempty"`
	Completions          int         `yaml:"completions"`
	Parallelism          int         `yaml:"parallelism"`
	BackoffLimit         *int        `yaml:"backoffLimit,omitempty"`
	BackoffLimitPerIndex *int        `yaml:"backoffLimitPerIndex,omitempty"`
	Template             podTemplate `yaml:"template"`
}

type podTemplate struct {
	Metadata metadata `yaml:"metadata"`
	Spec     podSpec  `yaml:"spec"`
}

type podSpec struct {
	RestartPolicy      string      `yaml:"restartPolicy"`
	ServiceAccountName string      `yaml:"serviceAccountName,omitempty"`
	SecurityContext    podSecurity `yaml:"securityContext"`
	InitContainers     []container `yaml:"initContainers,omitempty"`
	Containers         []container `yaml:"containers"`
	Volumes            []volume    `yaml:"volumes"`
}

type podSecurity struct {
	RunAsNonRoot   bool           `yaml:"runAsNonRoot"`
	RunAsUser      int            `yaml:"runAsUser"`
	RunAsGroup     int            `yaml:"runAsGroup"`
	FSGroup        int            `yaml:"fsGroup"`
	SeccompProfile seccompProfile `yaml:"seccompProfile"`
}

type seccompProfile struct {
	Type string `yaml:"type"`
}

type container struct {
	Name            string            `yaml:"name"`
	Image           string            `yaml:"image"`
	ImagePullPolicy string            `yaml:"imagePullPolicy,omitempty"`
	Command         []string          `yaml:"command,omitempty"`
	Args            []string          `yaml:"args"`
	Env             []envVar          `yaml:"env,omitempty"`
	EnvFrom         []envFrom         `yaml:"envFrom,omitempty"`
	Resources       resources         `yaml:"resources"`
	SecurityContext containerSecurity `yaml:"securityContext"`
	VolumeMounts    []volumeMount     `yaml:"volumeMounts"`
}

type envVar struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

type envFrom struct {
	SecretRef struct {
		Name string `yaml:"name"`
	} `yaml:"secretRef"`
}

type resources struct {
	Requests map[string]string `yaml:"requests,omitempty"`
	Limits   map[string]string `yaml:"limits,omitempty"`
}

type containerSecurity struct {
	AllowPrivilegeEscalation bool         `yaml:"allowPrivilegeEscalation"`
	ReadOnlyRootFilesystem   bool         `yaml:"readOnlyRootFilesystem"`
	Capabilities             capabilities `yaml:"capabilities"`
}

type capabilities struct {
	Drop []string `yaml:"drop"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
	ReadOnly  bool   `yaml:"readOnly,omitempty"`
}

type volume struct {
	Name      string           `yaml:"name"`
	EmptyDir  *struct{}        `yaml:"emptyDir,omitempty"`
	ConfigMap *configMapVolume `yaml:"configMap,omitempty"`
}

type configMapVolume struct {
	Name  string    `yaml:"name"`
	Items []keyPath `yaml:"items"`
}

type keyPath struct {
	Key  string `yaml:"key"`
	Path string `yaml:"path"`
}

// uid is the narrate user of the Dockerfile's image.
const uid = 10001

func (p Params) labels(component string) map[string]string {
	return map[string]string{
		"app.kubernetes.io/name":       "narrate",
		"app.kubernetes.io/instance":   p.Name,
		"app.kubernetes.io/component":  component,
		"app.kubernetes.io/managed-by": "narrate",
	}
}

func (p Params) meta(suffix, component string) metadata {
	return metadata{Name: p.Name + "-" + suffix, Namespace: p.Namespace, Labels: p.labels(component)}
}

func (p Params) configName() string { return p.Name + "-input" }

// configMap holds the book (when embedded) and the settings file; nil
// when there is neither.
func (p Params) configMap() *configMap {
	if p.BookData == nil && p.Config == nil {
		return nil
	}
	cm := &configMap{object: object{APIVersion: "v1", Kind: "ConfigMap", Metadata: p.meta("input", "input")}}
	if p.BookData != nil {
		cm.BinaryData = map[string]string{bookName(p.Book): base64.StdEncoding.EncodeToString(p.BookData)}
	}
	if p.Config != nil {
		cm.Data = map[string]string{configFile: string(p.Config)}
	}
	return cm
}

// command is narrate's arguments, the render options first.
func (p Params) command(out string, extra ...string) []string {
	args := []string{"render", bookDir + "/" + bookName(p.Book), "-o", out}
	if p.Config != nil {
		args = append(args, "--config", configDir+"/"+configFile)
	}
	return append(args, extra...)
}

func (p Params) env() []envVar {
	env := []envVar{
		{"NARRATE_CACHE_URL", p.CacheURL},
		// The root filesystem is read-only: anything narrate or an SDK
		// keeps in the home directory goes to the /tmp volume.
		{"HOME", "/tmp"},
		{"XDG_CACHE_HOME", "/tmp/.cache"},
	}
	keys := make([]string, 0, len(p.Env))
	for k := range p.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, envVar{k, p.Env[k]})
	}
	return env
}

func (p Params) pod(component string, args []string) podTemplate {
	r := p.resources()
	res := resources{Requests: map[string]string{}, Limits: map[string]string{}}
	set := func(m map[string]string, k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	set(res.Requests, "cpu", r.CPU)
	set(res.Requests, "memory", r.Memory)
	set(res.Limits, "cpu", r.CPULimit)
	set(res.Limits, "memory", r.MemoryLimit)
	sec := containerSecurity{ReadOnlyRootFilesystem: true, Capabilities: capabilities{Drop: []string{"ALL"}}}

	mounts := []volumeMount{{Name: "tmp", MountPath: "/tmp"}}
	volumes := []volume{{Name: "tmp", EmptyDir: &struct{}{}}}
	var init []container
	if p.BookURL != "" {
		mounts = append(mounts, volumeMount{Name: "book", MountPath: bookDir, ReadOnly: true})
		volumes = append(volumes, volume{Name: "book", EmptyDir: &struct{}{}})
		init = append(init, container{
			Name:            "fetch-book",
			Image:           p.Image,
			ImagePullPolicy: p.ImagePullPolicy,
			Command:         []string{"wget"},
			Args:            []string{"-q", "-O", bookDir + "/" + bookName(p.Book), p.BookURL},
			Resources:       resources{Requests: map[string]string{"cpu": "100m", "memory": "64Mi"}, Limits: map[string]string{"memory": "256Mi"}},
			SecurityContext: sec,
			VolumeMounts:    []volumeMount{{Name: "book", MountPath: bookDir}, {Name: "tmp", MountPath: "/tmp"}},
		})
	}
	if p.BookData != nil {
		k := bookName(p.Book)
		mounts = append(mounts, volumeMount{Name: "book", MountPath: bookDir, ReadOnly: true})
		volumes = append(volumes, volume{Name: "book", ConfigMap: &configMapVolume{
			Name: p.configName(), Items: []keyPath{{k, k}},
		}})
	}
	if p.Config != nil {
		mounts = append(mounts, volumeMount{Name: "settings", MountPath: configDir, ReadOnly: true})
		volumes = append(volumes, volume{Name: "settings", ConfigMap: &configMapVolume{
			Name: p.configName(), Items: []keyPath{{configFile, configFile}},
		}})
	}
	c := container{
		Name:            "narrate",
		Image:           p.Image,
		ImagePullPolicy: p.ImagePullPolicy,
		Args:            args,
		Env:             p.env(),
		Resources:       res,
		SecurityContext: sec,
		VolumeMounts:    mounts,
	}
	if p.SecretName != "" {
		var ef envFrom
		ef.SecretRef.Name = p.SecretName
		c.EnvFrom = []envFrom{ef}
	}
	return podTemplate{
		Metadata: metadata{Labels: p.labels(component)},
		Spec: podSpec{
			// Never: a failed pod is replaced by a new one, which is what
			// backoffLimitPerIndex counts (it requires Never).
			RestartPolicy:      "Never",
			ServiceAccountName: p.ServiceAccount,
			SecurityContext: podSecurity{
				RunAsNonRoot: true, RunAsUser: uid, RunAsGroup: uid, FSGroup: uid,
				SeccompProfile: seccompProfile{Type: "RuntimeDefault"},
			},
			InitContainers: init,
			Containers:     []container{c},
			Volumes:        volumes,
		},
	}
}

func (p Params) shardJob() *job {
	par := p.Parallelism
	if par == 0 || par > p.Shards {
		par = p.Shards
	}
	retries := p.Retries
	return &job{
		object: object{APIVersion: "batch/v1", Kind: "Job", Metadata: p.meta("shards", "shards")},
		Spec: jobSpec{
			CompletionMode: "Indexed",
			Completions:    p.Shards,
			Parallelism:    par,
			// Per index, so one bad shard does not use up the others'
			// retries (Kubernetes 1.29 and later).
			BackoffLimitPerIndex: &retries,
			// The pod learns its index from JOB_COMPLETION_INDEX.
			Template: p.pod("shards", p.command(shardOut, "--shard", "/"+strconv.Itoa(p.Shards))),
		},
	}
}

func (p Params) assembleJob() *job {
	retries := p.Retries
	return &job{
		object: object{APIVersion: "batch/v1", Kind: "Job", Metadata: p.meta("assemble", "assemble")},
		Spec: jobSpec{
			Completions:  1,
			Parallelism:  1,
			BackoffLimit: &retries,
			Template:     p.pod("assemble", p.command(p.Output)),
		},
	}
}
