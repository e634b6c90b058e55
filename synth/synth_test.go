package synth

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckLength(t *testing.T) {
	if err := CheckLength("x", "héllo", 5); err != nil {
		t.Fatalf("5 runes rejected at limit 5: %v", err)
	}
	err := CheckLength("x", "héllo!", 5)
	if !errors.Is(err, ErrTooLong) || IsTransient(err) {
		t.Fatalf("err = %v", err)
	}
	if CheckLength("x", strings.Repeat("a", 1e5), 0) != nil {
		t.Fatal("limit 0 must mean unlimited")
	}
}
