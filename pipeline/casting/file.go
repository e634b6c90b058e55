package casting

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Write writes the cast as commented YAML meant to be edited.
func (c Cast) Write(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# narrate cast")
	if c.Book != "" {
		fmt.Fprintf(&b, " for %q", c.Book)
	}
	b.WriteString(`
#
# Each character found in the book, with the voice that speaks their lines.
# Change any voice (list them with: narrate voices`)
	if c.Backend != "" {
		fmt.Fprintf(&b, " --backend %s", c.Backend)
	}
	b.WriteString(`), then render with
#   narrate render BOOK -o DIR --cast THIS_FILE
# Names must match the speaker names of "narrate segment"; aliases are other
# names of the same character. "shared" marks minor characters speaking
# with a pooled voice. Gender is a guess, with how many clues it rests on.
`)
	for _, n := range c.Notes {
		b.WriteString("#\n# Note: " + n + "\n")
	}
	node := yaml.Node{}
	if err := node.Encode(c); err != nil {
		return err
	}
	// Comment each character with its evidence, on its own line.
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, val := node.Content[i], node.Content[i+1]
		switch key.Value {
		case "narrator":
			key.HeadComment = "The narrator reads narration and chapter titles."
			val.LineComment = c.About[val.Value]
		case "dialogue":
			key.HeadComment = "Dialogue nobody could be named for."
			val.LineComment = c.About[val.Value]
		case "characters":
			key.HeadComment = "Most frequent speakers first."
			for j, item := range val.Content {
				summary(item)
				for k := 0; k+1 < len(item.Content); k += 2 {
					if item.Content[k].Value == "voice" {
						item.Content[k+1].LineComment = c.About[item.Content[k+1].Value]
					}
				}
				if j < len(c.Characters) && len(c.Characters[j].MaybeSame) > 0 {
					item.HeadComment = "May be the same person as " + strings.Join(c.Characters[j].MaybeSame, ", ") +
						": kept apart for want of evidence. To join them, make one an alias of the other."
				}
			}
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func summary(item *yaml.Node) {
	var lines, evidence, gender string
	narrator := false
	for i := 0; i+1 < len(item.Content); i += 2 {
		switch item.Content[i].Value {
		case "narrator":
			narrator = item.Content[i+1].Value == "true"
		case "lines":
			lines = item.Content[i+1].Value
		case "gender_evidence":
			evidence = item.Content[i+1].Value
		case "gender":
			gender = item.Content[i+1].Value
		}
	}
	if narrator {
		item.Content[1].LineComment = lines + " lines, the first-person narrator: speaks in the narrator's voice"
		return
	}
	s := lines + " lines"
	if gender != "" {
		s += ", " + gender + " (" + evidence + " clues)"
	} else {
		s += ", gender unknown"
	}
	item.Content[1].LineComment = s
}

// Read parses a cast file. Errors name the file and line, on one line.
func Read(path string) (Cast, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Cast{}, fmt.Errorf("cast: %w", err)
	}
	var c Cast
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && err != io.EOF {
		return Cast{}, fmt.Errorf("cast: %s", located(path, err))
	}
	for i, m := range c.Characters {
		if strings.TrimSpace(m.Name) == "" {
			return Cast{}, fmt.Errorf("cast: %s: character %d has no name", path, i+1)
		}
	}
	return c, c.locate(path, data)
}

// yamlLine is the "line N: " that yaml.v3 puts before each message.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// located rewrites yaml.v3's errors, "yaml: unmarshal errors:\n  line 3:
// field voyce not found in type casting.Member", as "PATH:3: field voyce
// not found" on one line.
func located(path string, err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			return path + ":" + m[1] + ": " + msg[len(m[0]):]
		}
		return path + ": " + msg
	}
	var parts []string
	for i, e := range te.Errors {
		if i == 5 { // a line that fits a terminal, even for a file of nonsense
			parts = append(parts, fmt.Sprintf("and %d more", len(te.Errors)-i))
			break
		}
		e = strings.TrimSuffix(strings.TrimSpace(e), " in type casting.Member")
		e = strings.TrimSuffix(e, " in type casting.Cast")
		if m := yamlLine.FindStringSubmatch(e); m != nil {
			e = path + ":" + m[1] + ": " + e[len(m[0]):]
		} else {
			e = path + ": " + e
		}
		parts = append(parts, e)
	}
	return strings.Join(parts, "; ")
}

// locate records the line of each character's name, for errors about
// its voice, and reports a character listed twice: which of the two
// voices speaks their lines would be an accident of order.
func (c *Cast) locate(path string, data []byte) error {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	var items []*yaml.Node
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "characters" {
			items = doc.Content[i+1].Content
		}
	}
	first := map[string]*yaml.Node{}
	for i, item := range items {
		for j := 0; j+1 < len(item.Content); j += 2 {
			if item.Content[j].Value != "name" {
				continue
			}
			n := item.Content[j+1]
			if i < len(c.Characters) {
				c.Characters[i].Line = n.Line
			}
			name := strings.TrimSpace(n.Value)
			if f, ok := first[name]; ok {
				return fmt.Errorf("cast: %s:%d:%d: character %q is listed twice (first at line %d); give each character one entry, with its other names as aliases", path, n.Line, n.Column, name, f.Line)
			}
			first[name] = n
		}
	}
	return nil
}
