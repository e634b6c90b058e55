package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/config"
)

// TestSettingsEnvRoundTrip shows that the variables given to the pods
// make narrate load the same settings there: they are set in this
// process's environment and loaded back with the ordinary loader.
func TestSettingsEnvRoundTrip(t *testing.T) {
	cfg := config.Default()
	cfg.Voices.Narrator = "en-gb"
	cfg.Voices.Dialogue = "en-gb+f2"
	cfg.Voices.Rate = 1.25
	cfg.Voices.Auto = false
	cfg.Pauses.Scene = 3*time.Second + 250*time.Millisecond
	cfg.Output.Bitrate = 96
	cfg.Input.Notes = true
	cfg.Workers = 3
	env, skipped := settingsEnv(cfg)
	if len(skipped) != 0 {
		t.Errorf("skipped %v", skipped)
	}
	for _, k := range []string{"NARRATE_BACKEND", "NARRATE_VOICES_NARRATOR", "NARRATE_VOICES_RATE", "NARRATE_PAUSES_SCENE", "NARRATE_WORKERS"} {
		if _, ok := env[k]; !ok {
			t.Errorf("%s missing from %v", k, env)
		}
	}
	if _, ok := env["NARRATE_OUTPUT_SAMPLE_RATE"]; ok {
		t.Errorf("a default value is passed: %v", env)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	got, err := config.NewLoader().Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(scalars(got), scalars(cfg)) {
		t.Errorf("settings loaded from the environment differ:\n got %v\nwant %v", scalars(got), scalars(cfg))
	}
}

// scalars lists the single-valued settings, as settingsEnv sees them.
func scalars(c config.Config) map[string]string {
	all := map[string]string{}
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		for i := 0; i < v.NumField(); i++ {
			key := prefix + v.Type().Field(i).Tag.Get("mapstructure")
			if v.Field(i).Kind() == reflect.Struct {
				walk(key+".", v.Field(i))
				continue
			}
			if s, ok := scalar(v.Field(i)); ok {
				all[key] = s
			}
		}
	}
	walk("", reflect.ValueOf(c))
	return all
}

func TestSettingsEnvSkipsLocalFiles(t *testing.T) {
	cfg := config.Default()
	cfg.Output.Cover = "/home/me/cover.jpg"
	env, skipped := settingsEnv(cfg)
	if len(skipped) != 1 || skipped[0] != "output.cover" {
		t.Errorf("skipped %v, want [output.cover]", skipped)
	}
	if _, ok := env["NARRATE_OUTPUT_COVER"]; ok {
		t.Error("a local cover path is passed to the pods")
	}
}

func TestJobName(t *testing.T) {
	for in, want := range map[string]string{
		"books/Pride and Prejudice.epub": "pride-and-prejudice",
		"War & Peace (vol. 1).txt":       "war-peace-vol-1",
		"__.md":                          "book",
		strings.Repeat("x", 80) + ".txt": strings.Repeat("x", 54),
	} {
		if got := jobName(in); got != want {
			t.Errorf("jobName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestK8sJobCommand runs the command as the CLI would, with its flags
// loaded into the settings, and checks what reaches the manifest.
func TestK8sJobCommand(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "Emma.txt")
	os.WriteFile(book, []byte("EMMA\n\nChapter 1\n\nEmma Woodhouse.\n"), 0o644)
	t.Setenv("NARRATE_CACHE_URL", "s3://audio/spans")
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb}
	cmd := newK8sJob(a)
	cmd.PersistentPreRunE = func(c *cobra.Command, args []string) error { return a.load(c) }
	cmd.SetArgs([]string{book, "--shards", "6", "--parallelism", "3", "--image", "narrate:test",
		"-o", "s3://audio/books/emma/", "--secret", "keys", "--voice", "en-gb"})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	m := out.String()
	for _, want := range []string{
		"name: emma-shards", "name: emma-assemble", "completions: 6", "parallelism: 3",
		"- /6", "value: s3://audio/spans", "name: NARRATE_VOICES_NARRATOR\n              value: en-gb",
		"name: keys", "- /book/Emma.txt",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("manifest lacks %q", want)
		}
	}

	// Errors name what is wrong.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{book, "--image", "x", "-o", "s3://a/b"}, "shards"},
		{[]string{book, "--shards", "2", "-o", "s3://a/b"}, "image"},
		{[]string{book, "--shards", "2", "--image", "x", "-o", "out/"}, "output"},
		{[]string{filepath.Join(dir, "missing.txt"), "--shards", "2", "--image", "x", "-o", "s3://a/b"}, "missing.txt"},
	} {
		a := &app{stdout: &out, stderr: &errb}
		cmd := newK8sJob(a)
		cmd.PersistentPreRunE = func(c *cobra.Command, args []string) error { return a.load(c) }
		cmd.SetArgs(tc.args)
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one mentioning %q", tc.args, err, tc.want)
		}
	}
}
