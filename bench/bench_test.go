package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// textBook builds a plain-text book of chapters with the given paragraph
// counts, every paragraph 50 distinct words.
func textBook(chapters ...int) string {
	var paras []string
	n := 0
	for c, k := range chapters {
		paras = append(paras, fmt.Sprintf("Chapter %d", c+1))
		for range k {
			var words []string
			for range 50 {
				words = append(words, fmt.Sprintf("w%d", n))
				n++
			}
			paras = append(paras, strings.Join(words, " "))
		}
	}
	return strings.Join(paras, "\n\n")
}

func TestEditParagraph(t *testing.T) {
	text := textBook(2, 6, 2)
	var prev string
	for k := 1; k <= 3; k++ {
		e, err := editParagraph(text, k)
		if err != nil {
			t.Fatal(err)
		}
		a, b := strings.Fields(text), strings.Fields(e.Text)
		if len(a) != len(b) {
			t.Fatalf("k=%d: %d words, want %d", k, len(b), len(a))
		}
		changed := 0
		for i := range a {
			if a[i] != b[i] {
				changed++
			}
		}
		if changed != 1 {
			t.Errorf("k=%d: %d words changed, want 1", k, changed)
		}
		if e.Text == prev {
			t.Errorf("k=%d: same edit as k=%d", k, k-1)
		}
		prev = e.Text
		// The middle of the text is in chapter 2, 6 of the 10 paragraphs.
		if e.Chapter != "Chapter 2" {
			t.Errorf("k=%d: chapter %q, want Chapter 2", k, e.Chapter)
		}
		if want := float64(2+6*50) / float64(3*2+10*50); e.ChapterShare != want {
			t.Errorf("k=%d: chapter share %v, want %v", k, e.ChapterShare, want)
		}
	}
	if _, err := editParagraph("Chapter 1\n\nshort paragraph", 1); err == nil {
		t.Error("a book without a long paragraph: no error")
	}
}

// TestRunChildCPU checks that the CPU of a child is attributed to the
// children, and that the run's wall time and RSS are filled in.
func TestRunChildCPU(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	// The shell spins in a child process (a subshell) for a while.
	cmd := exec.Command("sh", "-c", `(i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done)`)
	r, err := run(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if r.ChildCPU <= 0 || r.ChildCPU > r.CPU+clockTick {
		t.Errorf("child CPU %v, total %v: want 0 < child <= total", r.ChildCPU, r.CPU)
	}
	if r.Wall <= 0 || r.MaxRSS <= 0 {
		t.Errorf("wall %v, maxrss %d: want both positive", r.Wall, r.MaxRSS)
	}
}

func TestRunFailure(t *testing.T) {
	_, err := run(exec.Command("sh", "-c", "echo broken >&2; exit 3"))
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("err = %v, want the command's stderr", err)
	}
}

func TestReadHWM(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	if readHWM(os.Getpid()) <= 0 {
		t.Error("VmHWM of this process: not positive")
	}
}
