package command

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/synth"
)

func TestPiperModelConfig(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "en_GB-vctk-medium.onnx")
	cfg := `{"language": {"code": "en_GB", "family": "en"}, "espeak": {"voice": "en-gb"},
		"num_speakers": 3, "speaker_id_map": {"p239": 2, "p225": 0, "p226": 1}}`
	if err := os.WriteFile(model+".json", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := New(synth.Params{"command": []any{"true", "--model", model}, "genders": map[string]any{"p225": "female", "p226": "male"}})
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := b.Voices(context.Background())
	var got []string
	for _, v := range vs {
		got = append(got, v.ID+"/"+v.Language+"/"+v.Gender+"/"+v.Source)
	}
	want := "p225/en-GB/female/model p226/en-GB/male/model p239/en-GB//model"
	if strings.Join(got, " ") != want {
		t.Fatalf("voices %v, want %s", got, want)
	}

	// A single-speaker model with its language in the older field.
	single := filepath.Join(dir, "one.onnx")
	os.WriteFile(single+".json", []byte(`{"espeak": {"voice": "de"}}`), 0o644)
	b, err = New(synth.Params{"command": "true --model=" + single})
	if err != nil {
		t.Fatal(err)
	}
	vs, _ = b.Voices(context.Background())
	if len(vs) != 1 || vs[0].ID != "default" || vs[0].Language != "de" {
		t.Fatalf("single-speaker voices %+v", vs)
	}

	for name, p := range map[string]synth.Params{
		"bad gender":       {"command": "true", "genders": map[string]any{"default": "robot"}},
		"missing config":   {"command": "true", "model_config": filepath.Join(dir, "none.json")},
		"malformed config": {"command": "true", "model_config": filepath.Join(dir, "en_GB-vctk-medium.onnx")},
	} {
		if name == "malformed config" {
			os.WriteFile(filepath.Join(dir, "en_GB-vctk-medium.onnx"), []byte("not json"), 0o644)
		}
		if _, err := New(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
