package casting

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/attribute"
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

func TestPropose(t *testing.T) {
	cast := attribute.Cast{Characters: []attribute.Character{
		{Name: "Ann", Gender: "female", Lines: 40},
		{Name: "Bob", Gender: "male", Lines: 30},
		{Name: "Cid", Gender: "male", Lines: 20},
		{Name: "Dee", Lines: 10},
		{Name: "Eve", Gender: "female", Lines: 1},
		{Name: "Fay", Gender: "female", Lines: 1},
		{Name: "Gus", Gender: "male", Lines: 0},
	}}
	c := Propose(cast, voices, "en-us", "en-us+f3", Options{})
	got := map[string]Member{}
	for _, m := range c.Characters {
		got[m.Name] = m
	}
	if _, ok := got["Gus"]; ok {
		t.Error("a character without lines was cast")
	}
	gender := map[string]string{}
	for _, v := range voices {
		gender[v.ID] = v.Gender
	}
	seen := map[string]string{}
	for _, name := range []string{"Ann", "Bob", "Cid", "Dee"} {
		m := got[name]
		if m.Voice == "en-us" || m.Voice == "en-us+f3" || strings.HasPrefix(m.Voice, "en-gb") {
			t.Errorf("%s got %q: the narrator's, dialogue or another accent", name, m.Voice)
		}
		if other, dup := seen[m.Voice]; dup {
			t.Errorf("%s and %s share %q", name, other, m.Voice)
		}
		seen[m.Voice] = name
		if m.Gender != "" && gender[m.Voice] != m.Gender {
			t.Errorf("%s (%s) got %s voice %q", name, m.Gender, gender[m.Voice], m.Voice)
		}
		if m.Shared {
			t.Errorf("major character %s shares a voice", name)
		}
	}
	for _, name := range []string{"Eve", "Fay"} {
		m := got[name]
		if !m.Shared || gender[m.Voice] != "female" {
			t.Errorf("minor %s: %+v", name, m)
		}
		if _, major := seen[m.Voice]; major {
			t.Errorf("minor %s shares the voice of major %s", name, seen[m.Voice])
		}
	}
	// Stable: the same input gives the same cast.
	again := Propose(cast, voices, "en-us", "en-us+f3", Options{})
	var a, b bytes.Buffer
	c.Write(&a)
	again.Write(&b)
	if a.String() != b.String() {
		t.Error("proposal is not deterministic")
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

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"typo.yaml":   "narator: en-us\n",
		"noname.yaml": "characters:\n  - voice: en-us\n",
		"syntax.yaml": "characters: [\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		if _, err := Read(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
