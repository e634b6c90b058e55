// Package reader opens a book file of any supported format (plain text,
// AO3 exports, Markdown, HTML, EPUB) and returns the document model of
// package book. Format readers live in sub-packages; plain text and AO3's
// text layout are read here.
package reader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/reader/html"
)

// Options select how a book is read.
type Options struct {
	// Encoding of a plain-text or Markdown input: "" or "utf-8" (the
	// default, which rejects invalid bytes), "latin1" or "windows-1252".
	// A UTF-16 file with a byte-order mark is read whatever it says.
	Encoding string
	// Notes keeps author's notes (AO3) in the reading.
	Notes bool
	// Matter keeps front and back matter (title pages, tables of contents,
	// copyright pages) that are skipped by default.
	Matter bool
	// MaxSize bounds the input size in bytes; 0 means DefaultMaxSize.
	MaxSize int64
	// MaxText bounds the book's text in bytes; 0 means MaxText.
	MaxText int
}

// DefaultMaxSize bounds input files so that a wrong file cannot exhaust
// memory. It is generous for EPUBs, whose images take room.
const DefaultMaxSize = 256 << 20

// MaxText bounds the text of a book, whatever its format, as HTML and
// Markdown inputs are bounded: segmentation and attribution hold about
// 25 bytes per byte of text (a 50 MB text took 1.2 GB), and the longest
// novels have under 10 MB.
const MaxText = 64 << 20

func (o Options) maxText() int {
	if o.MaxText > 0 {
		return o.MaxText
	}
	return MaxText
}

// ErrTooLarge reports a book whose text is over MaxText.
var ErrTooLarge = errors.New("book text too large")

// Errors that describe unusable input. They are wrapped in *book.Error,
// which names the file.
var (
	ErrEmpty  = errors.New("file is empty or holds only white space")
	ErrNoText = errors.New("no readable text found")
	ErrBinary = errors.New("not a text file (binary data)")
)

// Open reads the book at path.
func Open(path string, o Options) (*book.Book, error) {
	data, err := ReadFile(path, o.MaxSize)
	if err != nil {
		return nil, err
	}
	return Read(path, data, o)
}

// ReadFile returns the bytes of the book file at path, of at most max
// bytes (0 means DefaultMaxSize). Directories, named pipes and devices
// are refused before they are opened: opening a pipe with no writer
// blocks for ever, and a device can stream without end. Errors are
// *book.Error values naming path.
func ReadFile(path string, max int64) ([]byte, error) {
	fail := func(err error) error { return &book.Error{Op: "read", Path: path, Err: err} }
	st, err := os.Stat(path)
	if err != nil {
		return nil, fail(unwrapPath(err))
	}
	if st.IsDir() {
		return nil, fail(errors.New("is a directory, not a book file"))
	}
	if !st.Mode().IsRegular() {
		return nil, fail(fmt.Errorf("is a %s, not a book file", fileKind(st.Mode())))
	}
	if max <= 0 {
		max = DefaultMaxSize
	}
	if st.Size() > max {
		return nil, fail(fmt.Errorf("file is %d bytes, larger than the %d-byte limit", st.Size(), max))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fail(unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fail(err)
	}
	if int64(len(data)) > max { // grew since the Stat
		return nil, fail(fmt.Errorf("file is over the %d-byte limit", max))
	}
	return data, nil
}

// fileKind names the kind of a file that is neither a directory nor a
// regular file.
func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeCharDevice != 0:
		return "character device"
	case m&os.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// unwrapPath drops the *fs.PathError layer, whose path we already print.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Format is an input format.
type Format string

// The formats narrate reads.
const (
	Text     Format = "text"
	Markdown Format = "markdown"
	HTML     Format = "html"
	EPUB     Format = "epub"
)

// Detect names the format of data, from its content first and its file
// name second.
func Detect(name string, data []byte) Format {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return EPUB
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".epub":
		return EPUB
	case ".html", ".htm", ".xhtml":
		return HTML
	case ".md", ".markdown":
		return Markdown
	}
	head := strings.ToLower(string(bytes.TrimLeft(data[:min(len(data), 512)], "\ufeff \t\r\n")))
	if strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") {
		return HTML
	}
	return Text
}

// Read parses data, the content of the file at path.
func Read(path string, data []byte, o Options) (*book.Book, error) {
	fail := func(err error) error { return &book.Error{Op: "read", Path: path, Err: err} }
	if u, ok := html.FromUTF16(data); ok {
		data = u
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))) == 0 {
		return nil, fail(ErrEmpty)
	}
	f := Detect(path, data)
	if f != EPUB && len(data) > o.maxText() {
		return nil, fail(fmt.Errorf("%w: %d bytes, over the %d-byte limit", ErrTooLarge, len(data), o.maxText()))
	}
	switch f {
	case Text:
		text, err := decodeText(path, data, o.Encoding)
		if err != nil {
			return nil, err
		}
		return parseText(path, text, o)
	case Markdown:
		// Markdown is plain text too: the same checks apply, or invalid
		// bytes would be read aloud as replacement characters.
		text, err := decodeText(path, data, o.Encoding)
		if err != nil {
			return nil, err
		}
		return readOther(f, path, []byte(text), o)
	default:
		return readOther(f, path, data, o)
	}
}

// decodeText checks and converts a plain-text file to UTF-8. Lone
// carriage returns (old Mac line ends) become newlines, byte for byte, so
// that lines and paragraphs split and offsets still index the file.
func decodeText(path string, data []byte, encoding string) (string, error) {
	text, err := decodeBytes(path, data, encoding)
	if err != nil || !strings.Contains(text, "\r") {
		return text, err
	}
	b := []byte(text)
	for i, c := range b {
		if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			b[i] = '\n'
		}
	}
	return string(b), nil
}

func decodeBytes(path string, data []byte, encoding string) (string, error) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := book.Position(string(data), i)
		return "", &book.Error{Op: "read", Path: path, Line: line, Col: col, Err: fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)}
	}
	switch strings.ToLower(strings.ReplaceAll(encoding, "_", "-")) {
	case "", "utf-8", "utf8":
		if !utf8.Valid(data) {
			off := firstInvalid(data)
			line, col := book.Position(string(data), off)
			return "", &book.Error{Op: "read", Path: path, Line: line, Col: col,
				Err: fmt.Errorf("not valid UTF-8 at byte offset %d (try --encoding windows-1252 or latin1)", off)}
		}
		return string(data), nil
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		out, err := charmap.ISO8859_1.NewDecoder().Bytes(data)
		return string(out), err
	case "windows-1252", "cp1252":
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		return string(out), err
	default:
		return "", &book.Error{Op: "read", Path: path, Err: fmt.Errorf("unknown encoding %q (use utf-8, latin1 or windows-1252)", encoding)}
	}
}

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}
