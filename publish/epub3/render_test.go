package epub3_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/reader"
	"github.com/narrate-audio/narrate/segment/speech"
	"github.com/narrate-audio/narrate/synth/backends"
)

const samples = "../../../shared/samples/"

// epubcheck runs the validator and returns its report. Debian installs
// it as an executable jar, which needs binfmt support to run directly,
// so the jar is run through java when it is there.
func epubcheck(t *testing.T, file string) string {
	t.Helper()
	var cmd *exec.Cmd
	const jar = "/usr/share/java/epubcheck.jar"
	if _, err := os.Stat(jar); err == nil {
		// epubcheck walks the reading order recursively: a big book's
		// overlays overflow Java's default stack now and then.
		cmd = exec.Command("java", "-Xss64m", "-jar", jar, file)
	} else if p, err := exec.LookPath("epubcheck"); err == nil {
		cmd = exec.Command(p, file)
	} else {
		t.Skip("epubcheck not installed (make test installs it)")
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("epubcheck %s: %v\n%s", file, err, out)
	}
	return string(out)
}

// render renders b with espeak-ng and the narrated EPUB into dir.
func render(t *testing.T, b *book.Book, dir string, edit func(*pipeline.Options)) *pipeline.Result {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed (make test installs it)")
	}
	chs, _ := segment.Book(b, segment.Options{Speech: speech.New(speech.Options{})})
	backend, err := backends.New().Open("espeak-ng", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	o := pipeline.FromConfig(config.Default(), backend)
	o.Narrator, o.EPUB = "espeak-ng en-us", true
	if edit != nil {
		edit(&o)
	}
	res, err := pipeline.Render(context.Background(), b, chs, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.EPUB == "" {
		t.Fatal("no EPUB written")
	}
	return res
}

func open(t *testing.T, path string) *book.Book {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not available", path)
	}
	b, err := reader.Open(path, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var clean = regexp.MustCompile(`Messages: 0 fatals / 0 errors / 0 warnings`)

func TestSamplesPassEpubcheck(t *testing.T) {
	for _, name := range []string{"schism.txt", "se-oscar-wilde_the-importance-of-being-earnest.epub"} {
		t.Run(name, func(t *testing.T) {
			b := open(t, samples+name)
			res := render(t, b, t.TempDir(), nil)
			report := epubcheck(t, res.EPUB)
			if !clean.MatchString(report) {
				t.Errorf("epubcheck:\n%s", report)
			}
			t.Logf("epubcheck %s: %s", filepath.Base(res.EPUB), lastLines(report))
			checkOverlays(t, res)
		})
	}
}

// TestSingleFileEPUB narrates a book rendered as one MP3: the clips are
// in that file's own time base, after the chapters before them.
func TestSingleFileEPUB(t *testing.T) {
	b := open(t, samples+"schism.txt")
	res := render(t, b, t.TempDir(), func(o *pipeline.Options) { o.SingleFile = true })
	if report := epubcheck(t, res.EPUB); !clean.MatchString(report) {
		t.Errorf("epubcheck:\n%s", report)
	}
	z := readZip(t, res.EPUB)
	var audio string
	for name := range z {
		if strings.HasPrefix(name, "EPUB/audio/") {
			if audio != "" {
				t.Fatalf("two audio files: %s, %s", audio, name)
			}
			audio = name
		}
	}
	info, err := mp3.Probe(bytes.NewReader(z[audio]))
	if err != nil {
		t.Fatal(err)
	}
	var last time.Duration
	for i := 1; ; i++ {
		smil, ok := z[fmt.Sprintf("EPUB/smil/c%03d.smil", i)]
		if !ok {
			break
		}
		for _, c := range clips(string(smil)) {
			if c[0] < last-time.Millisecond || c[1] > info.Duration {
				t.Fatalf("chapter %d clip %v: out of order after %v, or past the file's end %v", i, c, last, info.Duration)
			}
			last = c[1]
		}
	}
	if last < info.Duration-5*time.Second {
		t.Errorf("the last clip ends at %v, the file at %v", last, info.Duration)
	}
}

// TestBadInputEPUB narrates a book without title, author, cover or
// chapter titles, with characters that file systems refuse: the EPUB
// is valid and takes its title from the file's name, as the audio tags
// do; the library layout gets the stated fallbacks.
func TestBadInputEPUB(t *testing.T) {
	text := "It was a dark night.\n\n\"Who's there?\" she asked.\n"
	b := &book.Book{Source: `in/b<a>d:"na|me?.txt`, Language: "not a language!"}
	for range 2 {
		b.Chapters = append(b.Chapters, book.Chapter{Text: text, Paragraphs: []book.Paragraph{{Start: 0, End: 20}, {Start: 22, End: len(text) - 1}}})
	}
	root := t.TempDir()
	res := render(t, b, root, func(o *pipeline.Options) { o.Layout = pipeline.LayoutLibrary; o.Player = true })
	if want := filepath.Join(root, "Unknown Author", "b a d na me"); res.Dir != want {
		t.Errorf("folder %q, want %q", res.Dir, want)
	}
	if report := epubcheck(t, res.EPUB); !clean.MatchString(report) {
		t.Errorf("epubcheck:\n%s", report)
	}
	z := readZip(t, res.EPUB)
	opf := string(z["EPUB/package.opf"])
	for _, want := range []string{"<dc:title>b&lt;a&gt;d:&#34;na|me?</dc:title>", "<dc:language>und</dc:language>"} {
		if !strings.Contains(opf, want) {
			t.Errorf("package lacks %s:\n%s", want, opf)
		}
	}
	if !strings.Contains(string(z["EPUB/nav.xhtml"]), ">Chapter 2</a>") {
		t.Errorf("untitled chapter not named in the navigation:\n%s", z["EPUB/nav.xhtml"])
	}
	checkOverlays(t, res)
}

func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-3):], " | ")
}

func readZip(t *testing.T, file string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for i, f := range zr.File {
		if i == 0 && (f.Name != "mimetype" || f.Method != zip.Store) {
			t.Errorf("first entry %s, method %d", f.Name, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

var (
	parRE  = regexp.MustCompile(`<par id="[^"]+"><text src="([^"#]+)#([^"]+)"/><audio src="([^"]+)" clipBegin="([^"]+)" clipEnd="([^"]+)"/></par>`)
	clipRE = regexp.MustCompile(`clipBegin="([^"]+)" clipEnd="([^"]+)"`)
)

func clips(smil string) [][2]time.Duration {
	var out [][2]time.Duration
	for _, m := range clipRE.FindAllStringSubmatch(smil, -1) {
		out = append(out, [2]time.Duration{parseClock(m[1]), parseClock(m[2])})
	}
	return out
}

func parseClock(s string) time.Duration {
	var h, m int
	var sec float64
	fmt.Sscanf(s, "%d:%d:%f", &h, &m, &sec)
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(math.Round(sec*1000))*time.Millisecond
}

// checkOverlays checks each chapter's overlay against its sync map and
// its audio: one <par> per spoken span, both clip attributes always,
// every text target present in its document, every clip inside the
// audio as decoded from the EPUB itself.
// audioDurations caches the durations of the EPUB's audio files, by name.
type audioDurations map[string]time.Duration

// of returns the duration of the MP3 file name in the EPUB's files z.
func (ds audioDurations) of(t *testing.T, z map[string][]byte, name string) time.Duration {
	t.Helper()
	d, ok := ds[name]
	if !ok {
		info, err := mp3.Probe(bytes.NewReader(z[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d = info.Duration
		ds[name] = d
	}
	return d
}

func checkOverlays(t *testing.T, res *pipeline.Result) {
	t.Helper()
	z := readZip(t, res.EPUB)
	durations := audioDurations{}
	for i, f := range res.Files {
		if len(res.Files) == 1 && f.Chapter == 0 {
			return // single file: TestSingleFileEPUB checks it
		}
		data, err := os.ReadFile(strings.TrimSuffix(f.Path, ".mp3") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var sm struct {
			Cues []struct{ Index int }
		}
		if err := json.Unmarshal(data, &sm); err != nil {
			t.Fatal(err)
		}
		spans := map[int]bool{}
		for _, c := range sm.Cues {
			spans[c.Index] = true
		}
		smilName := fmt.Sprintf("EPUB/smil/c%03d.smil", i+1)
		smil := string(z[smilName])
		if strings.Count(smil, "<audio ") != strings.Count(smil, "clipBegin=") || strings.Count(smil, "clipBegin=") != strings.Count(smil, "clipEnd=") {
			t.Errorf("%s: an audio element lacks a clip attribute", smilName)
		}
		pars := parRE.FindAllStringSubmatch(smil, -1)
		if len(pars) != len(spans) || strings.Count(smil, "<par ") != len(pars) {
			t.Errorf("%s: %d <par> (%d matched), %d spoken spans in %s", smilName, strings.Count(smil, "<par "), len(pars), len(spans), filepath.Base(f.Path))
		}
		for _, p := range pars {
			doc := path.Join("EPUB/smil", p[1])
			if !strings.Contains(string(z[doc]), `id="`+p[2]+`"`) {
				t.Errorf("%s: target %s#%s missing", smilName, doc, p[2])
			}
			audio := path.Join("EPUB/smil", p[3])
			d := durations.of(t, z, audio)
			begin, end := parseClock(p[4]), parseClock(p[5])
			if begin >= end || end > d {
				t.Errorf("%s: clip %s-%s outside %s (%v)", smilName, p[4], p[5], audio, d)
			}
		}
	}
	// The package's total is the sum of the overlays' durations.
	opf := string(z["EPUB/package.opf"])
	durRE := regexp.MustCompile(`<meta property="media:duration"( refines="[^"]+")?>([^<]+)</meta>`)
	var sum, total time.Duration
	for _, m := range durRE.FindAllStringSubmatch(opf, -1) {
		if m[1] != "" {
			sum += parseClock(m[2])
		} else {
			total = parseClock(m[2])
		}
	}
	if sum != total || total == 0 {
		t.Errorf("overlays add up to %v, the package says %v", sum, total)
	}
	for _, want := range []string{`<meta property="media:narrator">`, `<meta property="media:active-class">-epub-media-overlay-active</meta>`} {
		if !strings.Contains(opf, want) {
			t.Errorf("package lacks %s", want)
		}
	}
}

// textByID returns the text content of every element with an id.
func textByID(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict, d.Entity = false, xml.HTMLEntity
	out := map[string]string{}
	var open []string // ids of the open elements, "" for none
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			id := ""
			for _, a := range x.Attr {
				if a.Name.Local == "id" && a.Name.Space == "" {
					id = a.Value
				}
			}
			open = append(open, id)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			for _, id := range open {
				if id != "" {
					out[id] += string(x)
				}
			}
		}
	}
	return out
}

func letterString(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// checkKept checks a narrated EPUB that kept the input's documents: the
// overlays, in order, point at elements whose text is the spoken spans'
// text (letters compared; a kept element may hold a note marker more),
// one <par> per spoken span, every clip inside its audio.
func checkKept(t *testing.T, res *pipeline.Result) {
	t.Helper()
	z := readZip(t, res.EPUB)
	// The spoken spans, in order, from the sync maps.
	var spans []string
	for _, f := range res.Files {
		data, err := os.ReadFile(strings.TrimSuffix(f.Path, ".mp3") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var sm struct {
			Cues []struct {
				Index int
				Text  string
			}
		}
		if err := json.Unmarshal(data, &sm); err != nil {
			t.Fatal(err)
		}
		last := -2
		for _, c := range sm.Cues {
			if c.Index < 0 || letterString(c.Text) == "" {
				continue // a spoken title the document may not show, or punctuation alone
			}
			if c.Index == last {
				spans[len(spans)-1] += " " + c.Text
				continue
			}
			last = c.Index
			spans = append(spans, c.Text)
		}
	}
	var names []string
	for name := range z {
		if strings.HasSuffix(name, ".smil") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	texts := map[string]map[string]string{}
	durations := audioDurations{}
	n := 0
	for _, name := range names {
		for _, p := range parRE.FindAllStringSubmatch(string(z[name]), -1) {
			doc := path.Join(path.Dir(name), unescape(t, p[1]))
			if texts[doc] == nil {
				texts[doc] = textByID(t, z[doc])
			}
			got, ok := texts[doc][p[2]]
			if !ok {
				t.Fatalf("%s: no element %s#%s", name, doc, p[2])
			}
			if n >= len(spans) {
				t.Fatalf("more <par> than the %d spoken spans", len(spans))
			}
			want := letterString(spans[n])
			// A span across blocks that no element holds alone (a play's
			// speaker and the start of a speech) is marked in its last
			// block: the element shows the span's end.
			if g := letterString(got); g == "" || !(subsequence(want, g) && len(g) <= len(want)+40 || strings.HasSuffix(want, g)) {
				t.Errorf("%s: par %d shows %q, the span says %q", name, n+1, got, spans[n])
			}
			n++
			audio := path.Join(path.Dir(name), unescape(t, p[3]))
			d := durations.of(t, z, audio)
			if begin, end := parseClock(p[4]), parseClock(p[5]); begin >= end || end > d {
				t.Errorf("%s: clip %s-%s outside %s (%v)", name, p[4], p[5], audio, d)
			}
		}
	}
	if n != len(spans) {
		t.Errorf("%d <par> for %d spoken spans", n, len(spans))
	}
}

func subsequence(want, got string) bool {
	w := []rune(want)
	i := 0
	for _, r := range got {
		if i < len(w) && r == w[i] {
			i++
		}
	}
	return i == len(w)
}

func unescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.PathUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestEarnestKept narrates the Earnest EPUB keeping its own documents:
// every document is kept, each <par> shows its span, and epubcheck
// reports nothing about the narrated EPUB that it does not report about
// the input itself (this epubcheck's HTML schema predates <p> in
// <hgroup>, which the input uses).
func TestEarnestKept(t *testing.T) {
	in := samples + "se-oscar-wilde_the-importance-of-being-earnest.epub"
	b := open(t, in)
	res := render(t, b, t.TempDir(), func(o *pipeline.Options) { o.EPUBKeep = true })
	if res.EPUBKept.Documents == 0 || res.EPUBKept.Rebuilt != 0 {
		t.Errorf("kept %d documents, rebuilt %d", res.EPUBKept.Documents, res.EPUBKept.Rebuilt)
	}
	checkKept(t, res)
	input := messages(epubcheckAny(t, in), in)
	for m := range messages(epubcheckAny(t, res.EPUB), res.EPUB) {
		if !input[m] {
			t.Errorf("epubcheck: new message %s", m)
		}
	}
}

// epubcheckAny runs epubcheck on a book that may not be valid.
func epubcheckAny(t *testing.T, file string) string {
	t.Helper()
	const jar = "/usr/share/java/epubcheck.jar"
	if _, err := os.Stat(jar); err != nil {
		t.Skip("epubcheck not installed (make test installs it)")
	}
	out, _ := exec.Command("java", "-Xss64m", "-jar", jar, file).CombinedOutput()
	return string(out)
}

// messages returns epubcheck's error and warning lines, with the book's
// path taken out.
func messages(report, file string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, "ERROR") || strings.HasPrefix(l, "WARNING") || strings.HasPrefix(l, "FATAL") {
			out[strings.ReplaceAll(l, file, "BOOK")] = true
		}
	}
	return out
}
