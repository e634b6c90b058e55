package casting

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment/attribute"
	"github.com/narrate-audio/narrate/synth"
)

var voices = []synth.Voice{
	{ID: "en-us", Language: "en-us", Gender: "male"},
	{ID: "en-us+m1", Language: "en-us", Gender: "male"},
	{ID: "en-us+m2", Language: "en-us", Gender: "male"},
	{ID: "en-us+m3", Language: "en-us", Gender: "male"},
	{ID: "en-us+m4", Language: "en-us", Gender: "male"},
	{ID: "en-us+f1", Language: "en-us", Gender: "female"},
	{ID: "en-us+f2", Language: "en-us", Gender: "female"},
	{ID: "en-us+f3", Language: "en-us", Gender: "female"},
	{ID: "en-us+f4", Language: "en-us", Gender: "female"},
	{ID: "en-gb+m1", Language: "en-gb", Gender: "male"},
}

func members(c Cast) map[string]Member {
	got := map[string]Member{}
	for _, m := range c.Characters {
		got[m.Name] = m
	}
	return got
}

func genderOf(vs []synth.Voice) map[string]string {
	g := map[string]string{}
	for _, v := range vs {
		g[v.ID] = v.Gender
	}
	return g
}

// With few characters, everyone gets a voice of their own and of their
// gender, in the narrator's accent, never the narrator's or dialogue's.
func TestProposeFewCharacters(t *testing.T) {
	cast := attribute.Cast{Characters: []attribute.Character{
		{Name: "Ann", Gender: "female", Lines: 40},
		{Name: "Bob", Gender: "male", Lines: 30},
		{Name: "Cid", Gender: "male", Lines: 20},
		{Name: "Dee", Lines: 10},
		{Name: "Eve", Gender: "female", Lines: 1},
		{Name: "Fay", Gender: "female", Lines: 1},
		{Name: "Gus", Gender: "male", Lines: 0},
	}}
	withEffect := append([]synth.Voice{{ID: "en-us+whisperf", Language: "en-us", Gender: "female", Effect: true}}, voices...)
	c := Propose(cast, withEffect, "en-us", "en-us+f3", Options{})
	got := members(c)
	if _, ok := got["Gus"]; ok {
		t.Error("a character without lines was cast")
	}
	gender := genderOf(voices)
	seen := map[string]string{}
	for _, m := range c.Characters {
		if m.Voice == "en-us" || m.Voice == "en-us+f3" || strings.HasPrefix(m.Voice, "en-gb") || m.Voice == "en-us+whisperf" {
			t.Errorf("%s got %q: the narrator's, dialogue, another accent or an effect", m.Name, m.Voice)
		}
		if other, dup := seen[m.Voice]; dup {
			t.Errorf("%s and %s share %q", m.Name, other, m.Voice)
		}
		seen[m.Voice] = m.Name
		if m.Gender != "" && gender[m.Voice] != m.Gender {
			t.Errorf("%s (%s) got %s voice %q", m.Name, m.Gender, gender[m.Voice], m.Voice)
		}
		if m.Shared {
			t.Errorf("%s shares a voice although there are enough", m.Name)
		}
	}
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "unknown gender") {
		t.Errorf("notes %q: want one about Dee's unknown gender", c.Notes)
	}
	// Stable: the same input gives the same cast.
	again := Propose(cast, withEffect, "en-us", "en-us+f3", Options{})
	var a, b bytes.Buffer
	c.Write(&a)
	again.Write(&b)
	if a.String() != b.String() {
		t.Error("proposal is not deterministic")
	}
	if !strings.Contains(a.String(), "# Note: 1 characters of unknown gender") {
		t.Errorf("cast file does not state the note:\n%s", a.String())
	}
}

// With more characters than voices, the major characters keep distinct
// voices, the minor ones share a pool by name, and a minor character
// keeps its voice when others join the book.
func TestProposeManyCharacters(t *testing.T) {
	var chars []attribute.Character
	for i := range 12 {
		chars = append(chars, attribute.Character{Name: fmt.Sprintf("Man %02d", i), Gender: "male", Lines: 40 - i})
	}
	for i := range 6 {
		chars = append(chars, attribute.Character{Name: fmt.Sprintf("Minor %d", i), Gender: "male", Lines: 1})
	}
	c := Propose(attribute.Cast{Characters: chars}, voices, "en-us", "en-us+f3", Options{Major: 2})
	got := members(c)
	if got["Man 00"].Voice == got["Man 01"].Voice || got["Man 00"].Shared || got["Man 01"].Shared {
		t.Errorf("major characters: %+v %+v", got["Man 00"], got["Man 01"])
	}
	for _, m := range c.Characters {
		if genderOf(voices)[m.Voice] != "male" {
			t.Errorf("%s got %q", m.Name, m.Voice)
		}
		if strings.HasPrefix(m.Name, "Minor") && (!m.Shared || m.Voice == got["Man 00"].Voice || m.Voice == got["Man 01"].Voice) {
			t.Errorf("minor %s: %+v", m.Name, m)
		}
	}
	more := append([]attribute.Character{{Name: "Newcomer", Gender: "male", Lines: 1}}, chars[12:]...)
	more = append(chars[:12:12], more...)
	again := members(Propose(attribute.Cast{Characters: more}, voices, "en-us", "en-us+f3", Options{Major: 2}))
	for i := range 6 {
		name := fmt.Sprintf("Minor %d", i)
		if again[name].Voice != got[name].Voice {
			t.Errorf("%s moved from %s to %s when a character joined", name, got[name].Voice, again[name].Voice)
		}
	}
}

// Too few voices of a gender: they are reused in the stated order.
func TestProposeReuse(t *testing.T) {
	vs := []synth.Voice{
		{ID: "n", Language: "en", Gender: "male"}, {ID: "d", Language: "en", Gender: "female"},
		{ID: "m1", Language: "en", Gender: "male"}, {ID: "m2", Language: "en", Gender: "male"},
	}
	var chars []attribute.Character
	for i := range 4 {
		chars = append(chars, attribute.Character{Name: fmt.Sprintf("M%d", i), Gender: "male", Lines: 50 - i})
	}
	c := Propose(attribute.Cast{Characters: chars}, vs, "n", "d", Options{})
	var got []string
	for _, m := range c.Characters {
		got = append(got, m.Voice)
	}
	if strings.Join(got, " ") != "m1 m2 m1 m2" {
		t.Errorf("voices %v, want m1 m2 m1 m2", got)
	}
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "reused in this order: m1, m2") {
		t.Errorf("notes %q", c.Notes)
	}
}

// A server that gives no genders: characters still get distinct voices,
// and the cast says why they are not matched by gender.
func TestProposeUnknownGenders(t *testing.T) {
	vs := []synth.Voice{{ID: "v1"}, {ID: "v2"}, {ID: "v3"}, {ID: "v4"}, {ID: "v5"}}
	cast := attribute.Cast{Characters: []attribute.Character{
		{Name: "A", Gender: "male", Lines: 9}, {Name: "B", Gender: "female", Lines: 8}, {Name: "C", Lines: 7},
	}}
	c := Propose(cast, vs, "v1", "v2", Options{})
	var got []string
	for _, m := range c.Characters {
		got = append(got, m.Voice)
	}
	if strings.Join(got, " ") != "v3 v4 v5" {
		t.Errorf("voices %v", got)
	}
	if !strings.Contains(strings.Join(c.Notes, " "), "no gender") {
		t.Errorf("notes %q", c.Notes)
	}
}

// The book's language chooses the voices: a French book on a Kokoro-like
// catalogue gets French voices, and characters of a gender the language
// lacks fall back rather than collapsing onto the dialogue voice.
func TestProposeLanguage(t *testing.T) {
	vs := []synth.Voice{
		{ID: "af_bella", Language: "en-US", Gender: "female"}, {ID: "am_adam", Language: "en-US", Gender: "male"},
		{ID: "ff_siwis", Language: "fr-FR", Gender: "female"}, {ID: "fm_x", Language: "fr-FR", Gender: "male"},
		{ID: "ff_y", Language: "fr-FR", Gender: "female"}, {ID: "ff_z", Language: "fr-FR", Gender: "female"},
	}
	n, d, err := Defaults(vs, "fr", "", "")
	if err != nil || n != "ff_siwis" || d != "fm_x" {
		t.Fatalf("Defaults = %q %q %v", n, d, err)
	}
	cast := attribute.Cast{Characters: []attribute.Character{{Name: "Jeanne", Gender: "female", Lines: 9}, {Name: "Paul", Gender: "male", Lines: 5}}}
	c := Propose(cast, vs, n, d, Options{Language: "fr"})
	got := members(c)
	if got["Jeanne"].Voice != "ff_y" {
		t.Errorf("Jeanne: %+v", got["Jeanne"])
	}
	if v := got["Paul"].Voice; v == d || v == n || v == "" || strings.HasPrefix(v, "a") {
		t.Errorf("Paul: %q", v)
	}
}

func TestDefaults(t *testing.T) {
	n, d, err := Defaults(voices, "", "", "")
	if err != nil || n != "en-us" || d != "en-us+f1" {
		t.Errorf("Defaults = %q %q %v", n, d, err)
	}
	n, d, _ = Defaults(voices, "en-GB", "", "")
	if n != "en-gb+m1" || d == n {
		t.Errorf("British book: %q %q", n, d)
	}
	n, d, _ = Defaults(voices, "en", "en-us+m2", "")
	if n != "en-us+m2" || d != "en-us+f1" {
		t.Errorf("set narrator: %q %q", n, d)
	}
	if _, _, err := Defaults(voices, "ja", "", ""); !errors.Is(err, ErrNoLanguage) || !strings.Contains(err.Error(), "ja") || !strings.Contains(err.Error(), "en-us") {
		t.Errorf("Japanese book: %v", err)
	}
	if got := Near(voices, "en-us+f9"); len(got) == 0 || !strings.HasPrefix(got[0], "en-us+f") {
		t.Errorf("Near = %v", got)
	}
}

func TestFileRoundTrip(t *testing.T) {
	c := Cast{Book: "B", Backend: "espeak-ng", Narrator: "en-us", Dialogue: "en-us+f3", Characters: []Member{
		{Name: "Mr. Darcy", Aliases: []string{"Darcy", "Fitzwilliam Darcy"}, Gender: "male", Evidence: 12, Lines: 40, Voice: "en-us+m1"},
		{Name: "Kitty", Lines: 2, Voice: "en-us+f4", Shared: true, MaybeSame: []string{"Miss Catherine"}},
	}}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "# 40 lines, male (12 clues)") || !strings.HasPrefix(buf.String(), "# narrate cast") {
		t.Errorf("file lacks its comments:\n%s", buf.String())
	}
	// Names kept apart for want of evidence are said so, above the
	// character.
	if !strings.Contains(buf.String(), "# May be the same person as Miss Catherine: kept apart for want of evidence") ||
		strings.Index(buf.String(), "Miss Catherine") > strings.Index(buf.String(), "name: Kitty") {
		t.Errorf("file lacks the kept-apart comment above Kitty:\n%s", buf.String())
	}
	path := filepath.Join(t.TempDir(), "cast.yaml")
	os.WriteFile(path, buf.Bytes(), 0o644)
	back, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Characters[0].Line == 0 || back.Characters[1].Line <= back.Characters[0].Line {
		t.Errorf("lines of the names: %d, %d", back.Characters[0].Line, back.Characters[1].Line)
	}
	if line := strings.Count(buf.String()[:strings.Index(buf.String(), "name: Kitty")], "\n") + 1; back.Characters[1].Line != line {
		t.Errorf("Kitty read at line %d, written at line %d", back.Characters[1].Line, line)
	}
	v := back.Voices()
	if v["Mr. Darcy"] != "en-us+m1" || v["Darcy"] != "en-us+m1" || v["Kitty"] != "en-us+f4" || back.Narrator != "en-us" {
		t.Errorf("round trip: %+v", back)
	}
	if err := back.Check(voices); err != nil {
		t.Error(err)
	}
	back.Characters[0].Voice = "en-us+zz"
	if err := back.Check(voices); err == nil || !strings.Contains(err.Error(), "Mr. Darcy") {
		t.Errorf("Check: %v", err)
	}
}

// TestReadErrors: a cast file's mistakes are one-line errors naming the
// file and, where yaml knows it, the line.
func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, tt := range map[string]struct{ text, want string }{
		"typo.yaml":      {"narator: en-us\n", "typo.yaml:1: field narator not found"},
		"noname.yaml":    {"characters:\n  - voice: en-us\n", "noname.yaml: character 1 has no name"},
		"syntax.yaml":    {"characters: [\n", "syntax.yaml:1: did not find expected node content"},
		"fieldtypo.yaml": {"characters:\n  - name: Tom\n    voyce: en-us\n", "fieldtypo.yaml:3: field voyce not found"},
		"type.yaml":      {"characters: 5\n", "type.yaml:1: cannot unmarshal !!int `5` into []casting.Member"},
		"many.yaml":      {"a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n", "many.yaml:5: field e not found; and 2 more"},
		"twice.yaml": {"characters:\n  - name: Tom\n    voice: en-us\n  - name: Ann\n    voice: en-gb\n  - name: Tom\n    voice: en-us+m3\n",
			`twice.yaml:6:11: character "Tom" is listed twice (first at line 2)`},
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(tt.text), 0o644)
		_, err := Read(p)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, tt.want)) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line with %s", name, err, tt.want)
		}
	}
}

// Opaque IDs of a service are explained beside them in the cast file;
// a catalogue without voices for the characters is stated.
func TestCastFileExplainsVoices(t *testing.T) {
	vs := []synth.Voice{
		{ID: "JBFqnCBsd6RMkjVDRZzb", Name: "George", Gender: "male", Accent: "British", Language: "mul", Source: synth.SourceServer},
		{ID: "EXAVITQu4vr4xnSDxMaL", Name: "Sarah", Gender: "female", Language: "mul", Source: synth.SourceServer},
		{ID: "TX3LPaxmHKxFdv7VOQHJ", Name: "Liam", Gender: "male", Language: "mul", Source: synth.SourceServer},
	}
	cast := attribute.Cast{Characters: []attribute.Character{{Name: "Tom", Gender: "male", Lines: 5}}}
	c := Propose(cast, vs, vs[0].ID, vs[1].ID, Options{})
	var b bytes.Buffer
	c.Write(&b)
	for _, want := range []string{"narrator: JBFqnCBsd6RMkjVDRZzb # George, male, British", "voice: TX3LPaxmHKxFdv7VOQHJ # Liam, male"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("cast file lacks %q:\n%s", want, b.String())
		}
	}
	c = Propose(cast, vs[:2], vs[0].ID, vs[1].ID, Options{})
	if c.Characters[0].Voice != vs[1].ID || !strings.Contains(strings.Join(c.Notes, " "), "No voice is left") {
		t.Errorf("no voices left: %+v, notes %q", c.Characters, c.Notes)
	}
}

// Speakers the book only describes are named in a note, most lines
// first; a cast entry under that label gives one a voice.
func TestCastFileNamesDescribedSpeakers(t *testing.T) {
	cast := attribute.Cast{Characters: []attribute.Character{{Name: "Tom", Gender: "male", Lines: 5}},
		Described: map[string]int{"the stranger": 23, "the old woman": 31, "the young girl": 1}}
	c := Propose(cast, voices, "en-us", "en-us+f1", Options{})
	var b bytes.Buffer
	c.Write(&b)
	want := "the old woman (31 lines), the stranger (23 lines), the young girl (1 line)"
	if !strings.Contains(b.String(), want) {
		t.Errorf("cast file lacks %q:\n%s", want, b.String())
	}
	c.Characters = append(c.Characters, Member{Name: "the stranger", Voice: "en-us+m3"})
	if v := c.Voices()["the stranger"]; v != "en-us+m3" {
		t.Errorf("the stranger speaks with %q", v)
	}
}

// FuzzRead: any cast file reads or fails with a one-line error naming
// the file; none panics.
func FuzzRead(f *testing.F) {
	f.Add("narrator: en-us\ncharacters:\n  - name: Tom\n    aliases: [T]\n    voice: en-gb\n")
	f.Add("characters:\n  - name: Tom\n  - name: Tom\n")
	f.Add("characters: [{name: [a]}]\n")
	f.Fuzz(func(t *testing.T, text string) {
		path := filepath.Join(t.TempDir(), "cast.yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Read(path)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, path) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line naming %s", msg, path)
			}
			return
		}
		c.Voices()
	})
}
