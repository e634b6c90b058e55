package epub3

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/publish/timeline"
)

// errNotKept says that the input EPUB cannot be kept as it is (it is not
// EPUB 3, already has overlays, or its package is not one this writer can
// edit): the narrated EPUB is then made from the text, as for other inputs.
var errNotKept = errors.New("epub3: the input EPUB is not kept")

// Kept reports how a narrated EPUB was made from an input EPUB.
type Kept struct {
	// Documents kept with ids added; Rebuilt documents whose spans could
	// not all be found in their markup, written anew from the text.
	Documents, Rebuilt int
}

// keptDoc is one content document of the input that has chapters.
type keptDoc struct {
	entry string // archive entry name
	id    string // manifest id
	props string // manifest properties
	chs   []*timeline.Chapter
	ids   map[*timeline.Chapter]map[string]string // piece id -> element id
	data  []byte                                  // the document as written
	smil  []byte
	dur   time.Duration
	built bool // rebuilt from the text
}

// writeKept writes the narrated EPUB from the input EPUB at o.Source:
// every entry copied as it is, the content documents that chapters came
// from with ids added on the spoken spans (and a style sheet for the
// highlight), plus overlays and audio, and the package document edited
// to list them.
func writeKept(w io.Writer, b *timeline.Book, o Options) (Kept, error) {
	var k Kept
	zr, err := zip.OpenReader(o.Source)
	if err != nil {
		return k, fmt.Errorf("%w: %v", errNotKept, err)
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("%w: no %s", errNotKept, name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNotKept, err)
		}
		defer rc.Close()
		// Bounded: a kept document is read whole into memory.
		data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNotKept, err)
		}
		return data, nil
	}
	cdata, err := read("META-INF/container.xml")
	if err != nil {
		return k, err
	}
	var c struct {
		Rootfiles []struct {
			FullPath string `xml:"full-path,attr"`
		} `xml:"rootfiles>rootfile"`
	}
	if err := xml.Unmarshal(cdata, &c); err != nil || len(c.Rootfiles) == 0 {
		return k, fmt.Errorf("%w: container: %v", errNotKept, err)
	}
	opfName := c.Rootfiles[0].FullPath
	opf, err := read(opfName)
	if err != nil {
		return k, err
	}
	var pkg struct {
		Version  string `xml:"version,attr"`
		Manifest []struct {
			ID         string `xml:"id,attr"`
			Href       string `xml:"href,attr"`
			MediaType  string `xml:"media-type,attr"`
			Properties string `xml:"properties,attr"`
		} `xml:"manifest>item"`
	}
	if err := xml.Unmarshal(opf, &pkg); err != nil {
		return k, fmt.Errorf("%w: package: %v", errNotKept, err)
	}
	if !strings.HasPrefix(strings.TrimSpace(pkg.Version), "3") || bytes.Contains(opf, []byte("media-overlay")) ||
		!bytes.Contains(opf, []byte("</manifest>")) || !bytes.Contains(opf, []byte("</metadata>")) {
		return k, fmt.Errorf("%w: not an EPUB 3 package this writer can edit", errNotKept)
	}
	opfDir := path.Dir(opfName)
	type item struct{ id, props string }
	items := map[string]item{}
	for _, m := range pkg.Manifest {
		href, err := url.PathUnescape(strings.SplitN(m.Href, "#", 2)[0])
		if err != nil || m.ID == "" {
			continue
		}
		if m.MediaType == "application/xhtml+xml" {
			items[path.Join(opfDir, href)] = item{m.ID, m.Properties}
		}
	}

	// The chapters' documents, in reading order.
	var docs []*keptDoc
	byEntry := map[string]*keptDoc{}
	for i := range b.Chapters {
		ch := &b.Chapters[i]
		it, ok := items[ch.Origin]
		if !ok {
			return k, fmt.Errorf("%w: chapter %d has no content document", errNotKept, ch.Number)
		}
		d := byEntry[ch.Origin]
		if d == nil {
			d = &keptDoc{entry: ch.Origin, id: it.id, props: it.props, ids: map[*timeline.Chapter]map[string]string{}}
			byEntry[ch.Origin] = d
			docs = append(docs, d)
		}
		d.chs = append(d.chs, ch)
	}
	// New files go in a folder of their own beside the package document.
	dir := path.Join(opfDir, "narrate")
	for n := 1; ; n++ {
		clash := false
		for name := range files {
			if strings.HasPrefix(name, dir+"/") {
				clash = true
				break
			}
		}
		if !clash {
			break
		}
		dir = path.Join(opfDir, fmt.Sprintf("narrate-%d", n))
	}
	css := dir + "/overlay.css"
	audioName := map[string]string{}
	var audioOrder []string
	for _, ch := range b.Chapters {
		if _, ok := audioName[ch.Audio]; !ok {
			audioName[ch.Audio] = fmt.Sprintf("%s/audio/a%03d%s", dir, len(audioOrder)+1, strings.ToLower(filepath.Ext(ch.Audio)))
			audioOrder = append(audioOrder, ch.Audio)
		}
	}
	lang := langTag(b.Language)
	for _, d := range docs {
		src, err := read(d.entry)
		if err != nil {
			return k, err
		}
		if err := d.keep(src, rel(path.Dir(d.entry), css)); err != nil {
			if hasToken(d.props, "nav") {
				return k, fmt.Errorf("%w: navigation document: %v", errNotKept, err)
			}
			d.rebuild(src, lang, rel(path.Dir(d.entry), css))
			k.Rebuilt++
		} else {
			k.Documents++
		}
		d.smil, d.dur, err = smil(d.chs, func(ch *timeline.Chapter, p timeline.Piece) (string, bool) {
			id, ok := d.ids[ch][p.ID]
			return rel(dir, d.entry) + "#" + id, ok
		}, func(ch *timeline.Chapter) string { return rel(dir, audioName[ch.Audio]) })
		if err != nil {
			return k, err
		}
	}

	// The package: overlays on the documents' items, the new items, and
	// the overlay metadata.
	edited := string(opf)
	var manifest, meta strings.Builder
	var total time.Duration
	for i, d := range docs {
		if d.smil == nil {
			continue
		}
		mo := fmt.Sprintf("narrate-mo%03d", i+1)
		var ok bool
		if edited, ok = editItem(edited, d.id, mo, d.built); !ok {
			return k, fmt.Errorf("%w: manifest item %q not found", errNotKept, d.id)
		}
		fmt.Fprintf(&manifest, "<item id=\"%s\" href=\"%s\" media-type=\"application/smil+xml\"/>\n", mo, rel(opfDir, fmt.Sprintf("%s/mo%03d.smil", dir, i+1)))
		fmt.Fprintf(&meta, "<meta property=\"media:duration\" refines=\"#%s\">%s</meta>\n", mo, clock(d.dur))
		total += d.dur
	}
	fmt.Fprintf(&manifest, "<item id=\"narrate-css\" href=\"%s\" media-type=\"text/css\"/>\n", rel(opfDir, css))
	for i, a := range audioOrder {
		fmt.Fprintf(&manifest, "<item id=\"narrate-audio%d\" href=\"%s\" media-type=\"%s\"/>\n", i+1, rel(opfDir, audioName[a]), audioType(a))
	}
	fmt.Fprintf(&meta, "<meta property=\"media:duration\">%s</meta>\n", clock(total))
	if n := strings.Join(strings.Fields(b.Narrator), " "); n != "" {
		fmt.Fprintf(&meta, "<meta property=\"media:narrator\">%s</meta>\n", esc(n))
	}
	fmt.Fprintf(&meta, "<meta property=\"media:active-class\">%s</meta>\n", ActiveClass)
	edited = strings.Replace(edited, "</manifest>", manifest.String()+"</manifest>", 1)
	edited = strings.Replace(edited, "</metadata>", meta.String()+"</metadata>", 1)

	// The archive: mimetype first, then every entry of the input as it
	// is, except those replaced.
	z := zip.NewWriter(w)
	if err := writeMimetype(z); err != nil {
		return k, err
	}
	replaced := map[string][]byte{opfName: []byte(edited)}
	for _, d := range docs {
		replaced[d.entry] = d.data
	}
	for _, f := range zr.File {
		if f.Name == "mimetype" || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if data, ok := replaced[f.Name]; ok {
			if err := deflate(z, f.Name, data); err != nil {
				return k, err
			}
			continue
		}
		if err := z.Copy(f); err != nil {
			return k, err
		}
	}
	if err := deflate(z, css, []byte(overlayCSS)); err != nil {
		return k, err
	}
	for i, d := range docs {
		if d.smil != nil {
			if err := deflate(z, fmt.Sprintf("%s/mo%03d.smil", dir, i+1), d.smil); err != nil {
				return k, err
			}
		}
	}
	for _, a := range audioOrder {
		if err := copyAudio(z, audioName[a], filepath.Join(o.AudioDir, a)); err != nil {
			return k, err
		}
	}
	return k, z.Close()
}

// overlayCSS highlights the span being read in a kept document, whatever
// its own style sheets say.
const overlayCSS = `.` + ActiveClass + ` { background-color: #ffe58a !important; color: #000 !important; }
`

func deflate(z *zip.Writer, name string, data []byte) error {
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err == nil {
		_, err = w.Write(data)
	}
	return err
}

var itemTag = regexp.MustCompile(`<item\s[^>]*>`)

// editItem adds the media-overlay attribute to the manifest item with
// the id; a rebuilt document also loses the properties (svg, mathml,
// scripted...) its new markup no longer has.
func editItem(opf, id, overlay string, built bool) (string, bool) {
	idAttr := regexp.MustCompile(`\sid\s*=\s*["']` + regexp.QuoteMeta(id) + `["']`)
	props := regexp.MustCompile(`\sproperties\s*=\s*("[^"]*"|'[^']*')`)
	done := false
	out := itemTag.ReplaceAllStringFunc(opf, func(tag string) string {
		if done || !idAttr.MatchString(tag) {
			return tag
		}
		done = true
		if built {
			tag = props.ReplaceAllString(tag, "")
		}
		end := strings.TrimSuffix(tag, ">")
		close := ">"
		if strings.HasSuffix(end, "/") {
			end, close = strings.TrimSuffix(end, "/"), "/>"
		}
		return strings.TrimRight(end, " \t\r\n") + ` media-overlay="` + overlay + `"` + close
	})
	return out, done
}

func hasToken(list, tok string) bool {
	for _, t := range strings.Fields(list) {
		if t == tok {
			return true
		}
	}
	return false
}

// rel is the URL of the archive entry to, relative to the folder from.
func rel(from, to string) string {
	f := strings.Split(from, "/")
	if from == "." || from == "" {
		f = nil
	}
	t := strings.Split(to, "/")
	i := 0
	for i < len(f) && i < len(t)-1 && f[i] == t[i] {
		i++
	}
	var parts []string
	for range f[i:] {
		parts = append(parts, "..")
	}
	for _, p := range t[i:] {
		parts = append(parts, url.PathEscape(p))
	}
	return strings.Join(parts, "/")
}

// rebuild replaces a document whose spans could not all be marked in its
// markup with one written from the text, keeping its ids as empty anchors
// so that links into it still land.
func (d *keptDoc) rebuild(src []byte, lang, css string) {
	var anchors []string
	seen := map[string]bool{}
	for _, m := range idPattern.FindAllSubmatch(src, -1) {
		if id := string(m[2]); !seen[id] && !strings.HasPrefix(id, "narrate-") {
			seen[id] = true
			anchors = append(anchors, id)
		}
	}
	for _, ch := range d.chs {
		ids := map[string]string{}
		for _, p := range ch.Spoken() {
			ids[p.ID] = pieceID(ch, p)
		}
		d.ids[ch] = ids
	}
	d.data = page(chapterTitle(d.chs[0]), lang, css, anchors, d.chs, pieceID)
	d.built = true
}

var idPattern = regexp.MustCompile(`\sid\s*=\s*("|')([^"']+)("|')`)

func pieceID(ch *timeline.Chapter, p timeline.Piece) string {
	return fmt.Sprintf("narrate-%d-%s", ch.Number, p.ID)
}

// keep marks every spoken span of the document's chapters with an id,
// in the document's own markup, and links the highlight's style sheet.
func (d *keptDoc) keep(src []byte, css string) error {
	tree, err := parseTree(src)
	if err != nil {
		return err
	}
	body, head := tree.find("body"), tree.find("head")
	if body == nil || head == nil {
		return errors.New("no head or body")
	}
	used := map[string]bool{}
	tree.walk(func(n *node) {
		if id, ok := n.get("id"); ok && n.kind == elemNode {
			used[id] = true
		}
	})
	txt := collect(body)
	var targets []target
	cursor := 0
	for _, ch := range d.chs {
		d.ids[ch] = map[string]string{}
		for _, p := range ch.Spoken() {
			if len(letters(p.Text)) == 0 {
				continue // nothing to find: punctuation alone
			}
			lead := maxLead
			if p.ID == timeline.TitleID {
				// A spoken title is the document's heading, near the
				// start, or not in the document at all.
				lead = 400
			}
			t, next, ok := txt.align(p.Text, cursor, lead)
			if !ok {
				if p.ID == timeline.TitleID {
					continue // a spoken title the document does not show
				}
				return fmt.Errorf("span %s of chapter %d not found in the markup", p.ID, ch.Number)
			}
			cursor = next
			t.id = pieceID(ch, p)
			for used[t.id] {
				t.id += "-n"
			}
			used[t.id] = true
			t.ch, t.piece = ch, p.ID
			targets = append(targets, t)
		}
	}
	txt.widen(targets)
	// Last first: marking a span splits nodes after the ones earlier
	// spans point into, never before them.
	for i := len(targets) - 1; i >= 0; i-- {
		id, err := txt.mark(targets[i])
		if err != nil {
			return err
		}
		d.ids[targets[i].ch][targets[i].piece] = id
	}
	link := &node{kind: elemNode, name: xml.Name{Local: "link"}, attr: []xml.Attr{
		{Name: xml.Name{Local: "rel"}, Value: "stylesheet"}, {Name: xml.Name{Local: "type"}, Value: "text/css"}, {Name: xml.Name{Local: "href"}, Value: css}}, parent: head}
	head.children = append(head.children, link)
	var buf bytes.Buffer
	tree.render(&buf)
	d.data = buf.Bytes()
	return nil
}

// text is a document body's letters and digits, lower-cased, each with
// the text node and byte offset it came from: spans are found in it by
// their letters alone, so that markup, entities, punctuation the reader
// added (a play's "NAME." before a speech) or left out (note markers)
// do not stop them.
type text struct {
	runes []rune
	at    []place
	// extents are each element's first and last letter positions, in
	// the document as read.
	extents map[*node][2]int
}

type place struct {
	n   *node
	off int
}

type target struct {
	start, end  place // end is exclusive
	first, last int   // indexes into text.runes
	id          string
	ch          *timeline.Chapter
	piece       string
}

func collect(body *node) *text {
	t := &text{extents: map[*node][2]int{}}
	var walk func(n *node)
	walk = func(n *node) {
		if n.kind == elemNode {
			switch strings.ToLower(n.name.Local) {
			case "script", "style", "head":
				return
			}
		}
		from := len(t.runes)
		if n.kind == textNode {
			for off, r := range n.text {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					t.runes = append(t.runes, unicode.ToLower(r))
					t.at = append(t.at, place{n, off})
				}
			}
		}
		for _, c := range n.children {
			walk(c)
		}
		if n.kind == elemNode && len(t.runes) > from {
			t.extents[n] = [2]int{from, len(t.runes) - 1}
		}
	}
	walk(body)
	return t
}

func letters(s string) []rune {
	var out []rune
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToLower(r))
		}
	}
	return out
}

// maxSkip bounds the document letters skipped between two letters of a
// span (note markers, a reference number): more means it is not there.
const maxSkip = 40

// align finds the span's letters from position from on: its first
// letters exactly, the rest in order with small gaps. Candidates are
// tried in order; text the reader skipped (matter, notes) may lie before
// the span, but not more than maxLead letters of it.
func (t *text) align(s string, from, lead int) (target, int, bool) {
	want := letters(s)
	if len(want) == 0 {
		return target{}, from, false
	}
	head := want[:min(len(want), 4)]
	for start := from; start+len(head) <= len(t.runes) && start-from <= lead; start++ {
		if t.runes[start] != head[0] || !equal(t.runes[start:start+len(head)], head) {
			continue
		}
		if j, ok := t.follow(want, start); ok {
			last := t.at[j]
			_, size := utf8.DecodeRuneInString(last.n.text[last.off:])
			return target{start: t.at[start], end: place{last.n, last.off + size}, first: start, last: j}, j + 1, true
		}
	}
	return target{}, from, false
}

// maxLead bounds how far past the previous span the next one may start
// (in letters: a skipped section, a table of notes).
const maxLead = 20000

// follow matches want's letters from start on, allowing up to maxSkip
// other letters between two of them; it returns the last one's place.
func (t *text) follow(want []rune, start int) (int, bool) {
	j := start
	for k := 1; k < len(want); k++ {
		skipped := 0
		j++
		for j < len(t.runes) && t.runes[j] != want[k] {
			if skipped++; skipped > maxSkip {
				return 0, false
			}
			j++
		}
		if j >= len(t.runes) {
			return 0, false
		}
	}
	return j, true
}

func equal(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// widen takes in the punctuation around each span within its text nodes
// (an opening quote, a closing quote and full stop), up to its
// neighbours.
func (t *text) widen(ts []target) {
	for i := range ts {
		s := &ts[i].start
		for s.off > 0 {
			r, size := utf8.DecodeLastRuneInString(s.n.text[:s.off])
			if unicode.IsSpace(r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
				break
			}
			if i > 0 && ts[i-1].end.n == s.n && ts[i-1].end.off > s.off-size {
				break
			}
			s.off -= size
		}
		e := &ts[i].end
		for e.off < len(e.n.text) {
			r, size := utf8.DecodeRuneInString(e.n.text[e.off:])
			if unicode.IsSpace(r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
				break
			}
			if i+1 < len(ts) && ts[i+1].start.n == e.n && ts[i+1].start.off < e.off+size {
				break
			}
			e.off += size
		}
	}
}

// phrasing elements may sit inside a <span>.
var phrasing = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "br": true, "cite": true, "code": true,
	"data": true, "dfn": true, "em": true, "i": true, "img": true, "kbd": true, "mark": true, "q": true,
	"ruby": true, "rp": true, "rt": true, "s": true, "samp": true, "small": true, "span": true, "strong": true,
	"sub": true, "sup": true, "time": true, "u": true, "var": true, "wbr": true, "del": true, "ins": true,
}

// noPhrasing elements may not hold a <span> directly.
var noPhrasing = map[string]bool{
	"html": true, "head": true, "ul": true, "ol": true, "dl": true, "table": true, "thead": true,
	"tbody": true, "tfoot": true, "tr": true, "colgroup": true, "select": true, "optgroup": true,
	"datalist": true, "menu": true, "hgroup": true,
}

// mark puts the target's id on an element holding its text: a new
// <span> around it, after splitting the inline elements it starts or
// ends inside; for a span across blocks (a play's speaker and speech in
// two table cells), the block that holds exactly its letters, else the
// part of it inside its last block. Nothing is changed until the way is
// known, and block elements are never split.
func (t *text) mark(tg target) (string, error) {
	if t.clean(tg) {
		return t.wrap(tg), nil
	}
	lca := common(tg.start.n, tg.end.n)
	for n := lca; n != nil && n.kind == elemNode; n = n.parent {
		name := strings.ToLower(n.name.Local)
		if name == "body" || name == "html" {
			break
		}
		ext, ok := t.extents[n]
		if !ok || ext[0] < tg.first || ext[1] > tg.last {
			continue
		}
		if id, ok := n.get("id"); ok {
			return id, nil
		}
		n.set("id", tg.id)
		return tg.id, nil
	}
	// The part inside the block that holds its end.
	for n := tg.end.n.parent; n != nil && n != lca; n = n.parent {
		if n.kind != elemNode || phrasing[strings.ToLower(n.name.Local)] {
			continue
		}
		ext, ok := t.extents[n]
		if !ok || ext[0] <= tg.first {
			break
		}
		part := tg
		part.first = ext[0]
		part.start = t.at[ext[0]]
		if t.clean(part) {
			return t.wrap(part), nil
		}
		break
	}
	return "", fmt.Errorf("span %s crosses blocks", tg.id)
}

// clean reports whether the target can be wrapped in a <span>: the
// elements it starts or ends inside, below the nearest element holding
// both ends, are inline, and so is all it covers.
func (t *text) clean(tg target) bool {
	s, e := tg.start.n, tg.end.n
	lca := common(s, e)
	if lca == nil || lca.kind != elemNode || lca.name.Space != "" || noPhrasing[strings.ToLower(lca.name.Local)] {
		return false
	}
	inline := func(n *node) bool { return n.name.Space == "" && phrasing[strings.ToLower(n.name.Local)] }
	// The start side: an ancestor with content before the span is split.
	x, before := s, tg.start.off > 0
	for x.parent != lca {
		p := x.parent
		if before || x.index() > 0 {
			if !inline(p) {
				return false
			}
			before = true
		}
		x = p
	}
	y, after := e, tg.end.off < len(e.text)
	for y.parent != lca {
		p := y.parent
		if after || y.index() < len(p.children)-1 {
			if !inline(p) {
				return false
			}
			after = true
		}
		y = p
	}
	i, j := x.index(), y.index()
	return i <= j && allPhrasing(lca.children[i:j+1])
}

// wrap wraps a clean target in a <span> with its id.
func (t *text) wrap(tg target) string {
	s := splitRight(tg.start.n, tg.start.off)
	var e *node
	if tg.start.n == tg.end.n {
		e = splitLeft(s, tg.end.off-tg.start.off)
	} else {
		e = splitLeft(tg.end.n, tg.end.off)
	}
	lca := common(s, e)
	x := s
	for x.parent != lca {
		p := x.parent
		if i := x.index(); i > 0 {
			clone := &node{kind: elemNode, name: p.name, attr: withoutID(p.attr)}
			moveFrom(p, i, clone)
			p.insertAfter(clone)
			x = clone
		} else {
			x = p
		}
	}
	y := e
	for y.parent != lca {
		p := y.parent
		if i := y.index(); i < len(p.children)-1 {
			clone := &node{kind: elemNode, name: p.name, attr: withoutID(p.attr)}
			moveFrom(p, i+1, clone)
			p.insertAfter(clone)
		}
		y = p
	}
	i, j := x.index(), y.index()
	span := &node{kind: elemNode, name: xml.Name{Local: "span"}, attr: []xml.Attr{{Name: xml.Name{Local: "id"}, Value: tg.id}}, parent: lca}
	for _, c := range lca.children[i : j+1] {
		c.parent = span
	}
	span.children = append([]*node(nil), lca.children[i:j+1]...)
	lca.children = append(lca.children[:i], append([]*node{span}, lca.children[j+1:]...)...)
	return tg.id
}

func allPhrasing(ns []*node) bool {
	for _, n := range ns {
		if n.kind != elemNode {
			continue
		}
		if n.name.Space != "" || !phrasing[strings.ToLower(n.name.Local)] || !allPhrasing(n.children) {
			return false
		}
	}
	return true
}

func withoutID(as []xml.Attr) []xml.Attr {
	var out []xml.Attr
	for _, a := range as {
		if !(a.Name.Space == "" && a.Name.Local == "id") {
			out = append(out, a)
		}
	}
	return out
}

// moveFrom moves p's children from index i on into q.
func moveFrom(p *node, i int, q *node) {
	for _, c := range p.children[i:] {
		c.parent = q
	}
	q.children = append(q.children, p.children[i:]...)
	p.children = p.children[:i]
}

// splitRight splits a text node at off and returns the part from off on
// (n itself when off is 0); n keeps the part before.
func splitRight(n *node, off int) *node {
	if off <= 0 {
		return n
	}
	r := &node{kind: textNode, text: n.text[off:]}
	n.text = n.text[:off]
	n.insertAfter(r)
	return r
}

// splitLeft splits a text node at off and returns the part before off
// (n itself, which keeps it); the rest follows as a new node.
func splitLeft(n *node, off int) *node {
	if off >= len(n.text) {
		return n
	}
	r := &node{kind: textNode, text: n.text[off:]}
	n.text = n.text[:off]
	n.insertAfter(r)
	return n
}

func common(a, b *node) *node {
	anc := map[*node]bool{}
	for n := a.parent; n != nil; n = n.parent {
		anc[n] = true
	}
	for n := b.parent; n != nil; n = n.parent {
		if anc[n] {
			return n
		}
	}
	return nil
}
