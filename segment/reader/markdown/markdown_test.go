package markdown

import (
	"errors"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment/book"
)

func paras(ch book.Chapter) string {
	var out []string
	for _, p := range ch.Paragraphs {
		out = append(out, p.Kind.String()+":"+ch.Source(p))
	}
	return strings.Join(out, "|")
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, src, title string
		chapters         []string // "Title=paragraphs"
	}{
		{"title and chapters", "# The Book\n\n## One\n\nIt *was* **dark** and _stormy_.\nSoft break.\n\n***\n\nA [link](http://x) and ![img](a.png) `code`.\n\n## Two\n\n- item &amp; one\n- item two\n",
			"The Book", []string{
				"One=heading:One|prose:It was dark and stormy. Soft break.|break:***|prose:A link and code.",
				"Two=heading:Two|prose:item & one|prose:item two"}},
		{"h1 chapters", "# Chapter 1\n\nA\\*b.\n\n---\n\nHard  \nbreak.\n\n# Chapter 2\n\n<!-- comment -->\n\n> quoted\n\n```\nDear Sir,\n  yours.\n```\n",
			"", []string{
				"Chapter 1=heading:Chapter 1|prose:A*b.|break:---|prose:Hard\nbreak.",
				"Chapter 2=heading:Chapter 2|prose:quoted|prose:Dear Sir,\nyours."}},
		{"no headings", "Just a story.\n\n* * *\n\nEnd.", "", []string{"Chapter 1=prose:Just a story.|break:* * *|prose:End."}},
		{"intro before chapters", "# Book\n\nA foreword.\n\n## A\n\nx\n\n## B\n\ny\n", "Book", []string{
			"Book=heading:Book|prose:A foreword.", "A=heading:A|prose:x", "B=heading:B|prose:y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Read(strings.NewReader(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if b.Title != tt.title {
				t.Errorf("title %q, want %q", b.Title, tt.title)
			}
			var got []string
			for _, ch := range b.Chapters {
				got = append(got, ch.Title+"="+paras(ch))
			}
			if strings.Join(got, "\n") != strings.Join(tt.chapters, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.chapters, "\n"))
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	src := "---\ntitle: \"Schism\"\nauthors: [Ann, Bob]\nlanguage: en\ndate: 2021-02-03\n---\n# Chapter 1\n\nText.\n\n# Chapter 2\n\nMore.\n"
	b, err := Read(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if b.Title != "Schism" || strings.Join(b.Authors, ",") != "Ann,Bob" || b.Language != "en" || b.Year != "2021" || len(b.Chapters) != 2 {
		t.Errorf("got %q %q %q %q %d", b.Title, b.Authors, b.Language, b.Year, len(b.Chapters))
	}
	// A document opening with a thematic break and no closing fence is
	// not front matter.
	b, err = Read(strings.NewReader("---\nhello\n"))
	if err != nil || b.Title != "" || len(b.Chapters) != 1 {
		t.Errorf("got %+v, %v", b, err)
	}
}

func TestEmpty(t *testing.T) {
	if _, err := Read(strings.NewReader("<!-- x -->\n\n![](a.png)\n")); !errors.Is(err, ErrNoText) {
		t.Errorf("err %v", err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add("---\ntitle: x\n---\n# a\n\n## b\n\n*c* [d](e)\n\n***\n\n```\nf\n```\n")
	f.Add("> - a\n>   - b\n\n1. c  \nd\n\n<div>x</div>\n")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Read(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, ch := range b.Chapters {
			for i, p := range ch.Paragraphs {
				if p.Start < 0 || p.End > len(ch.Text) || p.Start >= p.End {
					t.Fatalf("paragraph %d: bad offsets %d:%d", i, p.Start, p.End)
				}
				if strings.Contains(ch.Source(p), "\n\n") {
					t.Fatalf("paragraph %d holds a blank line", i)
				}
			}
		}
	})
}

// TestByteOrderMark: a UTF-8 byte-order mark, which Windows editors
// write, does not hide the first heading.
func TestByteOrderMark(t *testing.T) {
	b, err := Read(strings.NewReader("\ufeff# One\n\nText.\n\n# Two\n\nMore.\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ch := range b.Chapters {
		got = append(got, ch.Title)
	}
	if strings.Join(got, "|") != "One|Two" {
		t.Errorf("chapters %q", got)
	}
}

// TestNesting: nesting that would make the parser's work quadratic is an
// error at its line, found before parsing; ordinary deep-ish nesting and
// long rules of stars still read.
func TestNesting(t *testing.T) {
	var indented strings.Builder
	for i := 0; i < 200; i++ {
		indented.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	tests := []struct {
		name, src string
		line      int // 0: reads
	}{
		{"100,000 block quotes", "# One\n\n" + strings.Repeat("> ", 100000) + "deep\n", 3},
		{"100,000 list items on a line", "Text.\n\n" + strings.Repeat("- ", 100000) + "deep\n", 3},
		{"ordered items", strings.Repeat("1. ", 1000) + "deep\n", 1},
		{"lists nested by indentation", indented.String(), 129},
		{"ten quote levels", strings.Repeat("> ", 10) + "deep\n", 0},
		{"long rule of stars", "Text.\n\n" + strings.Repeat("* ", 500) + "\n\nMore.\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.src))
			if tt.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var be *book.Error
			if !errors.Is(err, ErrTooDeep) || !errors.As(err, &be) || be.Line != tt.line {
				t.Fatalf("err = %v, want ErrTooDeep at line %d", err, tt.line)
			}
		})
	}
}
