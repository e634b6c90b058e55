package check

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"text/tabwriter"
)

// Legend says how the table's figures were measured; WriteTable prints it
// under the table because the same names mean different things in
// different tools (RMS vs LUFS, sample vs true peak).
const Legend = `Levels are measured on the decoded audio (stereo averaged to mono):
RMS and PEAK over every sample (sox stats "RMS lev dB", "Pk lev dB"; sample peak),
FLOOR the RMS of the quietest 500 ms, LUFS integrated loudness (BS.1770-4),
HEAD and TAIL the silence (10 ms frames below -50 dBFS) at the start and end.`

// WriteTable prints one row of format and levels per file, then each
// file's tags, cover and chapters, then the Legend.
func WriteTable(w io.Writer, reports []Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tDURATION\tRATE\tCH\tBITRATE\tRMS\tPEAK\tFLOOR\tLUFS\tHEAD\tTAIL\t")
	for _, r := range reports {
		name := filepath.Base(r.Path)
		if r.Format.SampleRate == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t\n", name)
			continue
		}
		mode := "CBR"
		if r.Format.VBR {
			mode = "VBR"
		}
		l := r.Levels
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%dk %s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t\n",
			name, Clock(r.Format.Duration), r.Format.SampleRate, ChannelName(r.Format.Channels),
			r.Format.Bitrate, mode, num(l.RMS), num(l.Peak), num(l.NoiseFloor), num(l.LUFS),
			l.HeadSilence.Seconds(), l.TailSilence.Seconds())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range reports {
		fmt.Fprintf(w, "\n%s\n", filepath.Base(r.Path))
		if r.Err != nil {
			fmt.Fprintf(w, "  error:        %v\n", r.Err)
		}
		for _, warn := range r.Warnings {
			fmt.Fprintf(w, "  warning:      %s\n", warn)
		}
		if r.Format.SampleRate != 0 {
			enc := r.Format.Tag
			if enc == "" {
				enc = "no Xing/Info tag"
			} else {
				enc += " tag"
			}
			if r.Format.Encoder != "" {
				enc = r.Format.Encoder + ", " + enc
			}
			fmt.Fprintf(w, "  stream:       %s, %d frames\n", enc, r.Format.Frames)
		}
		if r.Tag == nil {
			fmt.Fprintln(w, "  tags:         none")
			continue
		}
		fields := tagFields(r)
		if len(fields) == 0 {
			fmt.Fprintln(w, "  tags:         empty")
		}
		for _, f := range fields {
			fmt.Fprintf(w, "  %-13s %s\n", f[0]+":", f[1])
		}
		if c := r.Cover; c != nil {
			size := "undecodable"
			if c.Width > 0 {
				size = fmt.Sprintf("%dx%d", c.Width, c.Height)
			}
			fmt.Fprintf(w, "  cover:        %s, %s, %d bytes\n", c.MIME, size, c.Bytes)
		} else {
			fmt.Fprintln(w, "  cover:        none")
		}
		fmt.Fprintf(w, "  chapters:     %d\n", len(r.Tag.Chapters))
		for i, c := range r.Tag.Chapters {
			fmt.Fprintf(w, "    %3d  %s - %s  %s\n", i+1, Clock(c.Start), Clock(c.End), c.Title)
		}
	}
	_, err := fmt.Fprintf(w, "\n%s\n", Legend)
	return err
}

// tagFields lists the tag's non-empty text fields as name, value pairs.
func tagFields(r Report) [][2]string {
	t := r.Tag
	var out [][2]string
	add := func(name, v string) {
		if v != "" {
			out = append(out, [2]string{name, v})
		}
	}
	add("title", t.Title)
	add("album", t.Album)
	add("artist", t.Artist)
	add("album artist", t.AlbumArtist)
	add("narrator", t.Narrator)
	add("composer", t.Composer)
	if t.Track > 0 {
		tr := fmt.Sprint(t.Track)
		if t.TrackTotal > 0 {
			tr += fmt.Sprintf("/%d", t.TrackTotal)
		}
		add("track", tr)
	}
	add("genre", t.Genre)
	add("year", t.Year)
	add("language", t.Language)
	add("comment", t.Comment)
	for _, k := range sortedKeys(t.Extra) {
		add("TXXX "+k, t.Extra[k])
	}
	return out
}

func num(v float64) string {
	if math.IsInf(v, -1) {
		return "-inf"
	}
	return fmt.Sprintf("%.1f", v)
}

// WriteACX prints each file's verdict, rule by rule.
func WriteACX(w io.Writer, vs []Verdict) error {
	pass := 0
	for _, v := range vs {
		fmt.Fprintf(w, "\n%s\n", filepath.Base(v.Path))
		if v.Err != nil {
			fmt.Fprintf(w, "  FAIL  unreadable: %v\n", v.Err)
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range v.Results {
			verdict := "PASS"
			if !r.Pass {
				verdict = "FAIL"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\twant %s\n", verdict, r.Rule, r.Got, r.Want)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if v.Pass() {
			pass++
		}
	}
	_, err := fmt.Fprintf(w, "\nACX: %d of %d files pass\n", pass, len(vs))
	return err
}

// JSON is the machine-readable output of `narrate check --json`.
// Levels are dBFS numbers, or null for digital silence (-inf); times are
// seconds.
type JSON struct {
	Files []FileJSON `json:"files"`
	// ACX is present when the rules were evaluated.
	ACX *ACXJSON `json:"acx,omitempty"`
}

// FileJSON is one file in JSON.
type FileJSON struct {
	Path        string   `json:"path"`
	Error       string   `json:"error,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
	Duration    float64  `json:"duration"`
	Decoded     float64  `json:"decoded"`
	SampleRate  int      `json:"sample_rate"`
	Channels    int      `json:"channels"`
	Bitrate     int      `json:"bitrate_kbps"`
	VBR         bool     `json:"vbr"`
	Frames      int      `json:"frames"`
	XingTag     string   `json:"xing_tag"`
	Encoder     string   `json:"encoder"`
	RMS         *float64 `json:"rms"`
	Peak        *float64 `json:"peak"`
	NoiseFloor  *float64 `json:"noise_floor"`
	LUFS        *float64 `json:"lufs"`
	HeadSilence float64  `json:"head_silence"`
	TailSilence float64  `json:"tail_silence"`
	// Tags maps field names (as in the table) to values; null without an
	// ID3v2 tag.
	Tags     map[string]string `json:"tags"`
	Cover    *Cover            `json:"cover"`
	Chapters []ChapterJSON     `json:"chapters"`
}

// ChapterJSON is one chapter frame in JSON.
type ChapterJSON struct {
	ID    string  `json:"id"`
	Title string  `json:"title"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

// ACXJSON is the ACX evaluation in JSON.
type ACXJSON struct {
	Pass  bool          `json:"pass"`
	Files []VerdictJSON `json:"files"`
}

// VerdictJSON is one file's ACX verdict in JSON.
type VerdictJSON struct {
	Path    string   `json:"path"`
	Pass    bool     `json:"pass"`
	Error   string   `json:"error,omitempty"`
	Results []Result `json:"rules"`
}

// ToJSON converts reports and (when not nil) verdicts to the JSON form.
func ToJSON(reports []Report, vs []Verdict) JSON {
	var out JSON
	out.Files = make([]FileJSON, 0, len(reports))
	for _, r := range reports {
		f := FileJSON{
			Path:        r.Path,
			Duration:    r.Format.Duration.Seconds(),
			Decoded:     r.Decoded.Seconds(),
			SampleRate:  r.Format.SampleRate,
			Channels:    r.Format.Channels,
			Bitrate:     r.Format.Bitrate,
			VBR:         r.Format.VBR,
			Frames:      r.Format.Frames,
			XingTag:     r.Format.Tag,
			Encoder:     r.Format.Encoder,
			RMS:         level(r.Levels.RMS),
			Peak:        level(r.Levels.Peak),
			NoiseFloor:  level(r.Levels.NoiseFloor),
			LUFS:        level(r.Levels.LUFS),
			HeadSilence: r.Levels.HeadSilence.Seconds(),
			TailSilence: r.Levels.TailSilence.Seconds(),
			Cover:       r.Cover,
			Warnings:    r.Warnings,
			Chapters:    []ChapterJSON{},
		}
		if r.Err != nil {
			f.Error = r.Err.Error()
		}
		if r.Tag != nil {
			f.Tags = map[string]string{}
			for _, kv := range tagFields(r) {
				f.Tags[kv[0]] = kv[1]
			}
			for _, c := range r.Tag.Chapters {
				f.Chapters = append(f.Chapters, ChapterJSON{c.ID, c.Title, c.Start.Seconds(), c.End.Seconds()})
			}
		}
		out.Files = append(out.Files, f)
	}
	if vs != nil {
		a := &ACXJSON{Pass: ACXErr(vs) == nil, Files: make([]VerdictJSON, 0, len(vs))}
		for _, v := range vs {
			vj := VerdictJSON{Path: v.Path, Pass: v.Pass(), Results: v.Results}
			if v.Err != nil {
				vj.Error = v.Err.Error()
			}
			if vj.Results == nil {
				vj.Results = []Result{}
			}
			a.Files = append(a.Files, vj)
		}
		out.ACX = a
	}
	return out
}

// level is v for JSON: nil (null) for -inf, which JSON cannot hold.
func level(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

// WriteJSON writes ToJSON(reports, vs), indented.
func WriteJSON(w io.Writer, reports []Report, vs []Verdict) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(ToJSON(reports, vs))
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
