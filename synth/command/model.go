package command

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// piperConfig is the part of Piper's MODEL.onnx.json narrate reads.
type piperConfig struct {
	Language struct {
		Code string `json:"code"` // "en_US"
	} `json:"language"`
	Espeak struct {
		Voice string `json:"voice"` // "en-us", older models' only language field
	} `json:"espeak"`
	SpeakerIDMap map[string]int `json:"speaker_id_map"`
}

// readModel reads the model's description: the one named, else the
// .onnx.json beside a --model/-m argument when there is one.
func (b *Backend) readModel(path string) error {
	named := path != ""
	if !named {
		for i, a := range b.argv {
			if (a == "--model" || a == "-m") && i+1 < len(b.argv) {
				path = b.argv[i+1] + ".json"
			} else if m, ok := strings.CutPrefix(a, "--model="); ok {
				path = m + ".json"
			}
		}
	}
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !named && os.IsNotExist(err) {
			return nil // a model without its description still speaks
		}
		return fmt.Errorf("command: param \"model_config\": %w", err)
	}
	var c piperConfig
	if err := json.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("command: model config %s: %w", path, err)
	}
	if b.language == "" {
		b.language = strings.ReplaceAll(c.Language.Code, "_", "-")
		if b.language == "" {
			b.language = c.Espeak.Voice
		}
	}
	if len(b.voices) == 0 && len(c.SpeakerIDMap) > 0 {
		for name := range c.SpeakerIDMap {
			b.voices = append(b.voices, name)
		}
		// The model's own order: by speaker id.
		sort.Slice(b.voices, func(i, j int) bool {
			return c.SpeakerIDMap[b.voices[i]] < c.SpeakerIDMap[b.voices[j]]
		})
		b.fromModel = true
	}
	return nil
}
