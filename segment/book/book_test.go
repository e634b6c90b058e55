package book

import "testing"

func TestName(t *testing.T) {
	for _, tc := range []struct {
		b    Book
		want string
	}{
		{Book{Title: "Persuasion", Source: "books/p.epub"}, "Persuasion"},
		{Book{Source: "books/la-peste.txt"}, "la-peste"},
		{Book{Source: "notes"}, "notes"},
		{Book{Source: "/tmp/archive.tar.gz"}, "archive.tar"},
		{Book{}, ""},
	} {
		if got := tc.b.Name(); got != tc.want {
			t.Errorf("%+v.Name() = %q, want %q", tc.b, got, tc.want)
		}
	}
}
