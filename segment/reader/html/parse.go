package html

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// ParseDocument parses one XHTML or HTML document into a node tree.
//
// It first reads data as XML, which is what EPUB content documents are and
// which handles self-closing tags such as <title/> or <a id="x"/> that an
// HTML parser misreads. DOCTYPE declarations are skipped and never fetched,
// their entities never expanded; HTML named entities are known. When the
// XML is malformed the document is reparsed with the lenient HTML5 parser,
// so a broken chapter still reads. Element names are lower-case local
// names; an attribute in the EPUB namespace is keyed "epub:NAME".
func ParseDocument(data []byte) (*nethtml.Node, error) {
	if u, ok := FromUTF16(data); ok {
		data = u
	}
	doc, xerr := parseXML(data)
	if xerr == nil {
		return doc, nil
	}
	doc, err := nethtml.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w (xml: %v)", err, xerr)
	}
	return doc, nil
}

const (
	nsEPUB  = "http://www.idpf.org/2007/ops"
	nsXHTML = "http://www.w3.org/1999/xhtml"
	nsXML   = "http://www.w3.org/XML/1998/namespace"
)

var errNoRoot = errors.New("xml: no root element")

// Entities returns the entity table for an XML decoder of data: HTML's
// named entities, and an empty text for each entity data's DOCTYPE
// declares. Those are never expanded (a few lines of them expand to
// gigabytes) and their references are dropped, not read out as "&name;".
func Entities(data []byte) map[string]string {
	if !bytes.Contains(data, []byte("<!ENTITY")) {
		return xml.HTMLEntity
	}
	known := make(map[string]string, len(xml.HTMLEntity)+8)
	for k, v := range xml.HTMLEntity {
		known[k] = v
	}
	for _, m := range entityDecl.FindAllSubmatch(data, -1) {
		if _, ok := known[string(m[1])]; !ok {
			known[string(m[1])] = ""
		}
	}
	return known
}

// entityDecl matches a general entity declaration of a DOCTYPE's
// internal subset, capturing its name.
var entityDecl = regexp.MustCompile(`<!ENTITY\s+([A-Za-z_:][-A-Za-z0-9._:]*)\s`)

func parseXML(data []byte) (*nethtml.Node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = Entities(data)
	d.CharsetReader = CharsetReader
	doc := &nethtml.Node{Type: nethtml.DocumentNode}
	stack := []*nethtml.Node{doc}
	extra := 0 // elements nested past maxDepth, attached flat
	root := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &nethtml.Node{Type: nethtml.ElementNode, Data: strings.ToLower(t.Name.Local)}
			n.DataAtom = atom.Lookup([]byte(n.Data))
			for _, a := range t.Attr {
				key := strings.ToLower(a.Name.Local)
				switch a.Name.Space {
				case nsEPUB, "epub":
					key = "epub:" + key
				case nsXML, "xml":
					key = "xml:" + key
				case "xmlns":
					continue
				}
				n.Attr = append(n.Attr, nethtml.Attribute{Key: key, Val: a.Value})
			}
			top.AppendChild(n)
			root = true
			if len(stack) > maxDepth {
				extra++
				continue
			}
			stack = append(stack, n)
		case xml.EndElement:
			if extra > 0 {
				extra--
				continue
			}
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if top.Type == nethtml.DocumentNode {
				continue
			}
			top.AppendChild(&nethtml.Node{Type: nethtml.TextNode, Data: string(t)})
		}
	}
	if !root {
		return nil, errNoRoot
	}
	return doc, nil
}

// FromUTF16 converts data that starts with a UTF-16 byte-order mark to
// UTF-8, which is all encoding/xml reads, keeping a UTF-8 mark so that a
// later <meta charset="utf-16"> is not trusted. ok is false, and data
// not converted, without a UTF-16 mark.
func FromUTF16(data []byte) (utf8 []byte, ok bool) {
	if !bytes.HasPrefix(data, []byte{0xff, 0xfe}) && !bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return data, false
	}
	out, _, err := transform.Bytes(unicode.BOMOverride(unicode.UTF8.NewDecoder()), data)
	if err != nil {
		return data, false
	}
	return append([]byte("\ufeff"), out...), true
}

// CharsetReader is an encoding/xml CharsetReader for the labels that
// x/net/html/charset knows. A UTF-16 label is read as UTF-8: the decoder
// can only have read the declaration if FromUTF16 converted the document
// already. An unknown label is a mistake of the book's tools, not a
// reason to lose its letters: the text is read as UTF-8 when it is
// valid UTF-8, else as Windows-1252, what such tools most often wrote.
func CharsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2", "iso-10646-ucs-2":
		return r, nil
	}
	if e, _ := charset.Lookup(label); e != nil {
		return charset.NewReaderLabel(label, r)
	}
	data, err := io.ReadAll(r) // the entry is in memory already, and bounded
	if err != nil {
		return nil, err
	}
	if utf8.Valid(data) {
		return bytes.NewReader(data), nil
	}
	return charmap.Windows1252.NewDecoder().Reader(bytes.NewReader(data)), nil
}

// Title returns the text of the document's <title>, or "".
func Title(doc *nethtml.Node) string {
	if n := Find(doc, func(n *nethtml.Node) bool { return tagAtom(n) == atom.Title }); n != nil {
		return FlatTitle(TextContent(n))
	}
	return ""
}

// Body returns the document's <body> element, or doc itself when there is
// none.
func Body(doc *nethtml.Node) *nethtml.Node {
	if n := Find(doc, func(n *nethtml.Node) bool { return tagAtom(n) == atom.Body }); n != nil {
		return n
	}
	return doc
}

// Find returns the first element under n, in document order, for which
// match is true, or nil. It walks without recursion, so any depth is safe.
func Find(n *nethtml.Node, match func(*nethtml.Node) bool) *nethtml.Node {
	var found *nethtml.Node
	Walk(n, func(c *nethtml.Node) bool {
		if c.Type == nethtml.ElementNode && match(c) {
			found = c
			return false
		}
		return true
	})
	return found
}

// FindAll returns every element under n for which match is true, in
// document order, not looking inside matched elements.
func FindAll(n *nethtml.Node, match func(*nethtml.Node) bool) []*nethtml.Node {
	var out []*nethtml.Node
	stack := []*nethtml.Node{}
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		stack = append(stack, c)
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c.Type == nethtml.ElementNode && match(c) {
			out = append(out, c)
			continue
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, k)
		}
	}
	return out
}

// Walk calls visit for every node under n (not n itself) in document
// order until visit returns false. It walks without recursion.
func Walk(n *nethtml.Node, visit func(*nethtml.Node) bool) {
	stack := []*nethtml.Node{}
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		stack = append(stack, c)
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !visit(c) {
			return
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, k)
		}
	}
}
