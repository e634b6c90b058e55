package id3

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Read parses the ID3v2.3 or ID3v2.4 tag at the start of r. It returns
// ErrNoTag if r does not start with one. Frames it does not know, and
// compressed or encrypted frames, are skipped. Read consumes exactly the
// tag (header, body and footer) from r.
func Read(r io.Reader) (*Tag, error) {
	var hdr [10]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, ErrNoTag
		}
		return nil, fmt.Errorf("id3: reading header: %w", err)
	}
	if string(hdr[:3]) != "ID3" {
		return nil, ErrNoTag
	}
	version, flags := hdr[3], hdr[5]
	if version != 3 && version != 4 {
		return nil, fmt.Errorf("id3: unsupported version 2.%d", version)
	}
	size, ok := syncsafe(hdr[6:10])
	if !ok {
		return nil, fmt.Errorf("id3: header size is not syncsafe")
	}
	// Read through a limit so a lying size cannot make us allocate more
	// than the input holds.
	body, err := io.ReadAll(io.LimitReader(r, int64(size)))
	if err != nil {
		return nil, fmt.Errorf("id3: reading tag body: %w", err)
	}
	if len(body) < int(size) {
		return nil, fmt.Errorf("id3: tag truncated: %d of %d bytes", len(body), size)
	}
	if version == 4 && flags&0x10 != 0 {
		var footer [10]byte
		if _, err := io.ReadFull(r, footer[:]); err != nil {
			return nil, fmt.Errorf("id3: reading footer: %w", err)
		}
	}
	if version == 3 && flags&0x80 != 0 {
		// v2.3 unsynchronises the whole tag body.
		body = unsync(body)
	}
	if flags&0x40 != 0 {
		if body, err = skipExtended(body, version); err != nil {
			return nil, err
		}
	}
	frames, err := parseFrames(body, version, flags&0x80 != 0)
	if err != nil {
		return nil, err
	}
	return buildTag(frames)
}

type frame struct {
	id      string
	data    []byte
	version byte // of the enclosing tag; CHAP sub-frames use its size format
}

func syncsafe(b []byte) (uint32, bool) {
	if (b[0]|b[1]|b[2]|b[3])&0x80 != 0 {
		return 0, false
	}
	return uint32(b[0])<<21 | uint32(b[1])<<14 | uint32(b[2])<<7 | uint32(b[3]), true
}

// unsync reverses unsynchronisation: every 0xFF 0x00 becomes 0xFF.
func unsync(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		out = append(out, b[i])
		if b[i] == 0xFF && i+1 < len(b) && b[i+1] == 0 {
			i++
		}
	}
	return out
}

func skipExtended(body []byte, version byte) ([]byte, error) {
	if len(body) < 4 {
		return nil, errors.New("id3: extended header truncated")
	}
	var n uint32
	if version == 4 {
		s, ok := syncsafe(body[:4])
		if !ok {
			return nil, errors.New("id3: extended header size is not syncsafe")
		}
		n = s // includes the size field itself
	} else {
		n = binary.BigEndian.Uint32(body) + 4 // excludes it
	}
	if n < 4 || uint64(n) > uint64(len(body)) {
		return nil, fmt.Errorf("id3: extended header size %d out of range", n)
	}
	return body[n:], nil
}

// parseFrames splits a tag body (or a CHAP/CTOC sub-frame area) into
// frames, stopping at padding.
func parseFrames(b []byte, version byte, tagUnsync bool) ([]frame, error) {
	var out []frame
	for len(b) >= 10 && b[0] != 0 {
		id := string(b[:4])
		for i := 0; i < 4; i++ {
			c := id[i]
			if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
				return nil, fmt.Errorf("id3: invalid frame ID %q", id)
			}
		}
		var size uint32
		if version == 4 {
			s, ok := syncsafe(b[4:8])
			if !ok {
				return nil, fmt.Errorf("id3: frame %s: size is not syncsafe", id)
			}
			size = s
		} else {
			size = binary.BigEndian.Uint32(b[4:8])
		}
		fl := binary.BigEndian.Uint16(b[8:10])
		b = b[10:]
		if uint64(size) > uint64(len(b)) {
			return nil, fmt.Errorf("id3: frame %s: size %d exceeds the %d bytes left", id, size, len(b))
		}
		data := b[:size]
		b = b[size:]
		if data, ok := frameData(data, fl, version, tagUnsync); ok {
			out = append(out, frame{id: id, data: data, version: version})
		}
	}
	return out, nil
}

// frameData applies the frame format flags; ok is false for frames we
// cannot read (compressed or encrypted).
func frameData(d []byte, fl uint16, version byte, tagUnsync bool) ([]byte, bool) {
	if version == 3 {
		if fl&0x00C0 != 0 { // compression, encryption
			return nil, false
		}
		if fl&0x0020 != 0 { // grouping identity byte
			if len(d) < 1 {
				return nil, false
			}
			d = d[1:]
		}
		return d, true
	}
	if fl&0x000C != 0 { // compression, encryption
		return nil, false
	}
	if fl&0x0040 != 0 { // grouping identity byte
		if len(d) < 1 {
			return nil, false
		}
		d = d[1:]
	}
	if fl&0x0001 != 0 { // data length indicator
		if len(d) < 4 {
			return nil, false
		}
		d = d[4:]
	}
	if fl&0x0002 != 0 || tagUnsync {
		d = unsync(d)
	}
	return d, true
}

// decodeText decodes an encoded string (without the encoding byte). Values
// after the first NUL (ID3v2.4 multiple values) are joined with "; ".
func decodeText(enc byte, b []byte) (string, error) {
	var parts []string
	switch enc {
	case 0: // ISO-8859-1
		for _, p := range bytes.Split(b, []byte{0}) {
			r := make([]rune, len(p))
			for i, c := range p {
				r[i] = rune(c)
			}
			parts = append(parts, string(r))
		}
	case 3:
		for _, p := range bytes.Split(b, []byte{0}) {
			parts = append(parts, strings.ToValidUTF8(string(p), "\uFFFD"))
		}
	case 1, 2:
		for _, p := range splitUTF16(b) {
			parts = append(parts, decodeUTF16(p, enc == 2))
		}
	default:
		return "", fmt.Errorf("id3: unknown text encoding %d", enc)
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, "; "), nil
}

// splitUTF16 splits at 16-bit NULs aligned to code units.
func splitUTF16(b []byte) [][]byte {
	var out [][]byte
	start := 0
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 && b[i+1] == 0 {
			out = append(out, b[start:i])
			start = i + 2
		}
	}
	return append(out, b[start:])
}

func decodeUTF16(b []byte, bigEndian bool) string {
	if len(b) >= 2 {
		switch {
		case b[0] == 0xFE && b[1] == 0xFF:
			bigEndian, b = true, b[2:]
		case b[0] == 0xFF && b[1] == 0xFE:
			bigEndian, b = false, b[2:]
		}
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = binary.BigEndian.Uint16(b[2*i:])
		} else {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
	}
	return string(utf16.Decode(u))
}

// cutString splits off one NUL-terminated string in encoding enc and
// returns the decoded string and the rest. A missing terminator takes all.
func cutString(enc byte, b []byte) (string, []byte, error) {
	var raw, rest []byte
	if enc == 1 || enc == 2 {
		raw, rest = b, nil
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				raw, rest = b[:i], b[i+2:]
				break
			}
		}
	} else {
		raw, rest = b, nil
		if i := bytes.IndexByte(b, 0); i >= 0 {
			raw, rest = b[:i], b[i+1:]
		}
	}
	s, err := decodeText(enc, raw)
	return s, rest, err
}

// textFrame decodes a T??? frame body.
func textFrame(f frame) (string, error) {
	if len(f.data) == 0 {
		return "", nil
	}
	s, err := decodeText(f.data[0], f.data[1:])
	if err != nil {
		return "", fmt.Errorf("%w in %s", err, f.id)
	}
	return s, nil
}

func buildTag(frames []frame) (*Tag, error) {
	t := &Tag{}
	var tocOrder []string
	haveTOC := false
	chaps := map[string]Chapter{}
	var chapOrder []string
	for _, f := range frames {
		var err error
		switch f.id {
		case "TIT2":
			t.Title, err = textFrame(f)
		case "TALB":
			t.Album, err = textFrame(f)
		case "TPE1":
			t.Artist, err = textFrame(f)
		case "TPE2":
			t.AlbumArtist, err = textFrame(f)
		case "TCOM":
			t.Composer, err = textFrame(f)
		case "TCON":
			t.Genre, err = textFrame(f)
		case "TDRC", "TYER":
			if t.Year == "" {
				t.Year, err = textFrame(f)
			}
		case "TLAN":
			t.Language, err = textFrame(f)
		case "TRCK":
			var s string
			if s, err = textFrame(f); err == nil {
				t.Track, t.TrackTotal = parseTrack(s)
			}
		case "COMM":
			err = readComment(t, f)
		case "TXXX":
			err = readTXXX(t, f)
		case "APIC":
			err = readAPIC(t, f)
		case "CHAP":
			var c Chapter
			if c, err = readCHAP(f); err == nil {
				if _, dup := chaps[c.ID]; !dup {
					chapOrder = append(chapOrder, c.ID)
				}
				chaps[c.ID] = c
			}
		case "CTOC":
			var ids []string
			var top bool
			if ids, top, err = readCTOC(f); err == nil && (top || !haveTOC) {
				tocOrder, haveTOC = ids, true
			}
		}
		if err != nil {
			return nil, err
		}
	}
	// Use the table of contents' order when it lists the chapters, the
	// order of the CHAP frames otherwise.
	order := chapOrder
	if haveTOC {
		order = tocOrder
	}
	used := map[string]bool{}
	for _, id := range order {
		if c, ok := chaps[id]; ok && !used[id] {
			t.Chapters = append(t.Chapters, c)
			used[id] = true
		}
	}
	for _, id := range chapOrder { // chapters the TOC forgot
		if !used[id] {
			t.Chapters = append(t.Chapters, chaps[id])
		}
	}
	return t, nil
}

func parseTrack(s string) (n, total int) {
	a, b, _ := strings.Cut(strings.TrimSpace(s), "/")
	n, _ = strconv.Atoi(strings.TrimSpace(a))
	total, _ = strconv.Atoi(strings.TrimSpace(b))
	return max(n, 0), max(total, 0)
}

func readComment(t *Tag, f frame) error {
	if len(f.data) < 4 {
		return fmt.Errorf("id3: COMM frame too short (%d bytes)", len(f.data))
	}
	enc := f.data[0]
	desc, rest, err := cutString(enc, f.data[4:])
	if err != nil {
		return fmt.Errorf("%w in COMM", err)
	}
	if desc != "" && t.Comment != "" {
		return nil // a described comment (e.g. iTunes data) does not replace the plain one
	}
	s, err := decodeText(enc, rest)
	if err != nil {
		return fmt.Errorf("%w in COMM", err)
	}
	if desc == "" || t.Comment == "" {
		t.Comment = s
	}
	return nil
}

func readTXXX(t *Tag, f frame) error {
	if len(f.data) < 1 {
		return errors.New("id3: empty TXXX frame")
	}
	desc, rest, err := cutString(f.data[0], f.data[1:])
	if err != nil {
		return fmt.Errorf("%w in TXXX", err)
	}
	v, err := decodeText(f.data[0], rest)
	if err != nil {
		return fmt.Errorf("%w in TXXX", err)
	}
	if strings.EqualFold(desc, narratorKey) {
		t.Narrator = v
		return nil
	}
	if t.Extra == nil {
		t.Extra = map[string]string{}
	}
	t.Extra[desc] = v
	return nil
}

func readAPIC(t *Tag, f frame) error {
	if len(f.data) < 1 {
		return errors.New("id3: empty APIC frame")
	}
	enc := f.data[0]
	i := bytes.IndexByte(f.data[1:], 0) // the MIME type is always Latin-1
	if i < 0 || 1+i+2 > len(f.data) {
		return errors.New("id3: APIC frame truncated")
	}
	mime := string(f.data[1 : 1+i])
	ptype := f.data[1+i+1]
	_, data, err := cutString(enc, f.data[1+i+2:])
	if err != nil {
		return fmt.Errorf("%w in APIC", err)
	}
	// Prefer the front cover; otherwise keep the first picture.
	if t.Cover == nil || ptype == 3 {
		t.Cover = &Picture{MIME: mime, Data: bytes.Clone(data)}
	}
	return nil
}

func readCHAP(f frame) (Chapter, error) {
	i := bytes.IndexByte(f.data, 0)
	if i < 0 || len(f.data) < i+1+16 {
		return Chapter{}, errors.New("id3: CHAP frame truncated")
	}
	c := Chapter{ID: string(f.data[:i])}
	b := f.data[i+1:]
	c.Start = time.Duration(binary.BigEndian.Uint32(b[0:])) * time.Millisecond
	c.End = time.Duration(binary.BigEndian.Uint32(b[4:])) * time.Millisecond
	sub, err := parseFrames(b[16:], f.version, false)
	if err != nil {
		return Chapter{}, fmt.Errorf("id3: CHAP %q: %w", c.ID, err)
	}
	for _, s := range sub {
		if s.id == "TIT2" {
			if c.Title, err = textFrame(s); err != nil {
				return Chapter{}, fmt.Errorf("id3: CHAP %q: %w", c.ID, err)
			}
		}
	}
	return c, nil
}

func readCTOC(f frame) (ids []string, top bool, err error) {
	i := bytes.IndexByte(f.data, 0)
	if i < 0 || len(f.data) < i+3 {
		return nil, false, errors.New("id3: CTOC frame truncated")
	}
	top = f.data[i+1]&0x02 != 0
	n := int(f.data[i+2])
	b := f.data[i+3:]
	for range n {
		j := bytes.IndexByte(b, 0)
		if j < 0 {
			return nil, false, errors.New("id3: CTOC child list truncated")
		}
		ids = append(ids, string(b[:j]))
		b = b[j+1:]
	}
	return ids, top, nil
}
