package cache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
)

func TestEncodeDecode(t *testing.T) {
	in := pcm.Buffer{Rate: 24000, Samples: []float32{0, 0.5, -0.25, 1}}
	data := Encode(in)
	out, err := Decode(data)
	if err != nil || out.Rate != in.Rate || len(out.Samples) != 4 || out.Samples[2] != -0.25 {
		t.Fatalf("%+v %v", out, err)
	}
	for _, bad := range [][]byte{nil, data[:10], data[:len(data)-1], append([]byte("XXXX"), data[4:]...)} {
		if _, err := Decode(bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Decode(%d bytes) = %v", len(bad), err)
		}
	}
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)-1] ^= 1
	if _, err := Decode(flipped); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a flipped bit passed the checksum")
	}
}

func TestKeyCoversEverythingAudible(t *testing.T) {
	info := synth.Info{Name: "b", Model: "m"}
	req := synth.Request{Text: "Hi.", Voice: "v", Rate: 1}
	base := Key(info, req)
	variants := []struct {
		info synth.Info
		req  synth.Request
	}{
		{synth.Info{Name: "b2", Model: "m"}, req},
		{synth.Info{Name: "b", Model: "m2"}, req},
		{info, synth.Request{Text: "Hi!", Voice: "v", Rate: 1}},
		{info, synth.Request{Text: "Hi.", Voice: "w", Rate: 1}},
		{info, synth.Request{Text: "Hi.", Voice: "v", Rate: 1.1}},
		{info, synth.Request{Text: "Hi.", Voice: "v", Rate: 1, Pitch: 0.1}},
		{info, synth.Request{Text: "Hi.", Voice: "v", Rate: 1, Previous: "x"}},
		// Field boundaries matter: "ab"+"c" is not "a"+"bc".
		{synth.Info{Name: "bm", Model: ""}, req},
	}
	for i, v := range variants {
		if Key(v.info, v.req) == base {
			t.Errorf("variant %d has the same key", i)
		}
	}
	if Key(info, req) != base {
		t.Error("key is not deterministic")
	}
}

func TestDirPrune(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	keys := []string{"aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"}
	for i, k := range keys {
		if err := d.Put(ctx, k, make([]byte, 1000)); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Duration(3-i) * 24 * time.Hour)
		os.Chtimes(filepath.Join(d.Root(), k[:2], k), old, old)
	}
	os.WriteFile(filepath.Join(d.Root(), "aa", ".tmp-crashed"), []byte("x"), 0o644)
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(filepath.Join(d.Root(), "aa", ".tmp-crashed"), past, past)

	s, err := d.Stats()
	if err != nil || s.Entries != 3 || s.Bytes != 3000 {
		t.Fatalf("stats %+v %v", s, err)
	}
	if _, err := os.Stat(filepath.Join(d.Root(), "aa", ".tmp-crashed")); err == nil {
		t.Error("stale temporary file kept")
	}
	n, freed, err := d.Prune(36*time.Hour, 0) // removes the 3- and 2-day-old
	if err != nil || n != 2 || freed != 2000 {
		t.Fatalf("prune by age: %d %d %v", n, freed, err)
	}
	if _, err := d.Get(ctx, keys[2]); err != nil {
		t.Errorf("recent entry gone: %v", err)
	}
	if _, err := d.Get(ctx, keys[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("old entry: %v", err)
	}
	n, _, _ = d.Prune(0, 500)
	if n != 1 {
		t.Errorf("prune by size removed %d", n)
	}
	if _, err := d.Get(ctx, "../../etc/passwd"); err == nil {
		t.Error("a key escaping the directory was accepted")
	}
}
