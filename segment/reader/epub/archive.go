package epub

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
)

// Error is a failure reading an EPUB: the file and, when one is to blame,
// the archive entry, with the cause.
type Error struct {
	File  string // the EPUB's name, as given to Read
	Entry string // the archive entry, such as "OEBPS/ch1.xhtml"; may be empty
	Err   error
}

func (e *Error) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("epub: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("epub: %s: %s: %v", e.File, e.Entry, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

var (
	// ErrTooLarge reports an entry, or a whole book, that inflates past
	// the reader's limits: a decompression bomb or a broken archive.
	ErrTooLarge = errors.New("too large")
	// ErrMissing reports an entry the package refers to that the archive
	// does not hold.
	ErrMissing = errors.New("missing from archive")
	// ErrNoChapters reports a book with no readable chapters.
	ErrNoChapters = errors.New("no readable chapters")
	// ErrEncrypted reports a book whose chapters are encrypted: DRM,
	// which narrate cannot and does not remove.
	ErrEncrypted = errors.New("encrypted (DRM): narrate reads only DRM-free books")
)

// Default limits on inflated bytes.
const (
	DefaultMaxEntry = 64 << 20
	DefaultMaxTotal = 512 << 20
)

// archive reads entries of a zip with byte budgets.
type archive struct {
	name     string
	files    map[string]*zip.File
	maxEntry int64
	left     int64 // bytes left in the whole-book budget
}

func newArchive(r io.ReaderAt, size int64, name string, opts Options) (*archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &Error{File: name, Err: fmt.Errorf("not a zip archive: %w", err)}
	}
	a := &archive{name: name, files: make(map[string]*zip.File), maxEntry: opts.MaxEntryBytes, left: opts.MaxTotalBytes}
	if a.maxEntry <= 0 {
		a.maxEntry = DefaultMaxEntry
	}
	if a.left <= 0 {
		a.left = DefaultMaxTotal
	}
	for _, f := range zr.File {
		// Entries that climb out of the archive root, are absolute or use
		// backslashes are never reachable by name: we only ever look
		// entries up by cleaned, root-relative paths.
		n := f.Name
		if n == "" || strings.Contains(n, `\`) || path.IsAbs(n) || path.Clean(n) != n || n == ".." || strings.HasPrefix(n, "../") {
			continue
		}
		if _, dup := a.files[n]; !dup {
			a.files[n] = f
		}
	}
	return a, nil
}

// read returns the inflated bytes of entry name, within the budgets.
func (a *archive) read(name string) ([]byte, error) {
	f := a.files[name]
	if f == nil {
		return nil, &Error{File: a.name, Entry: name, Err: ErrMissing}
	}
	limit := min(a.maxEntry, a.left)
	if f.UncompressedSize64 > uint64(limit) {
		return nil, &Error{File: a.name, Entry: name, Err: fmt.Errorf("%w: declares %d bytes, limit %d", ErrTooLarge, f.UncompressedSize64, limit)}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{File: a.name, Entry: name, Err: err}
	}
	defer rc.Close()
	// The declared size can lie; the limit reader is what bounds memory.
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	a.left -= int64(len(data))
	if err != nil {
		return nil, &Error{File: a.name, Entry: name, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &Error{File: a.name, Entry: name, Err: fmt.Errorf("%w: inflates past %d bytes", ErrTooLarge, limit)}
	}
	return data, nil
}

// resolve turns href, relative to the entry base, into a root-relative
// entry name and a fragment. It URL-decodes the path and refuses hrefs
// that leave the archive root or point elsewhere (a scheme or host).
func resolve(base, href string) (name, frag string, ok bool) {
	href = strings.TrimSpace(href)
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", "", false
	}
	frag = u.Fragment
	if u.Path == "" {
		return base, frag, true
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(base), p)
	}
	p = strings.TrimPrefix(path.Clean(p), "/")
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return "", "", false
	}
	return p, frag, true
}

// obfuscation are the font-obfuscation algorithms of IDPF and Adobe:
// tools apply them to embedded fonts of DRM-free books, and they never
// hide text.
var obfuscation = map[string]bool{
	"http://www.idpf.org/2008/embedding": true,
	"http://ns.adobe.com/pdf/enc#RC":     true,
}

// drmFiles are the licence files of Adobe ADEPT, Readium LCP and Apple
// FairPlay.
var drmFiles = []string{"META-INF/rights.xml", "META-INF/license.lcpl", "META-INF/sinf.xml"}

// encryption reads META-INF/encryption.xml into the entries it lists as
// encrypted, font obfuscation aside. A declaration that cannot be read is
// no error, unless a DRM licence file shows the book is protected.
func (a *archive) encryption() (map[string]string, error) {
	const name = "META-INF/encryption.xml"
	if a.files[name] == nil {
		return nil, nil
	}
	var enc struct {
		Data []struct {
			Method struct {
				Algorithm string `xml:"Algorithm,attr"`
			} `xml:"EncryptionMethod"`
			Refs []struct {
				URI string `xml:"URI,attr"`
			} `xml:"CipherData>CipherReference"`
		} `xml:"EncryptedData"`
	}
	data, err := a.read(name)
	if err == nil {
		err = newDecoder(data).Decode(&enc)
	}
	if err != nil {
		for _, f := range drmFiles {
			if a.files[f] != nil {
				return nil, &Error{File: a.name, Entry: name, Err: fmt.Errorf("%w (%s is present; the encryption list is unreadable: %v)", ErrEncrypted, f, err)}
			}
		}
		return nil, nil
	}
	out := make(map[string]string)
	for _, d := range enc.Data {
		alg := strings.TrimSpace(d.Method.Algorithm)
		if obfuscation[alg] {
			continue
		}
		for _, r := range d.Refs {
			// URIs are relative to the container root, not to META-INF.
			if n, _, ok := resolve("", r.URI); ok {
				out[n] = alg
			}
		}
	}
	return out, nil
}
