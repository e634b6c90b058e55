package epub3

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is an XML node that keeps what a document says as it says it:
// prefixes, attributes in order, comments, the DOCTYPE. The standard
// encoder would rewrite namespaces; documents kept from an input EPUB are
// changed only where spans get ids.
type node struct {
	kind     nodeKind
	name     xml.Name // prefix in Space, as written
	attr     []xml.Attr
	text     string // character data, or a comment, directive or instruction
	target   string // processing instruction target
	parent   *node
	children []*node
}

type nodeKind int

const (
	docNode nodeKind = iota
	elemNode
	textNode
	commentNode
	directiveNode
	procNode
)

// maxNesting bounds a kept document's depth; deeper documents are not
// kept but rebuilt, so that recursion over them stays bounded.
const maxNesting = 300

var errTooDeep = errors.New("document nested too deep to keep")

func parseTree(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	root := &node{kind: docNode}
	cur := root
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxNesting {
				return nil, errTooDeep
			}
			n := &node{kind: elemNode, name: t.Name, attr: append([]xml.Attr(nil), t.Attr...), parent: cur}
			cur.children = append(cur.children, n)
			cur = n
		case xml.EndElement:
			if cur.parent == nil || cur.name != t.Name {
				return nil, fmt.Errorf("unexpected </%s>", qname(t.Name))
			}
			depth--
			cur = cur.parent
		case xml.CharData:
			if cur == root {
				continue // white space between the prolog's parts; written anew
			}
			cur.children = append(cur.children, &node{kind: textNode, text: string(t), parent: cur})
		case xml.Comment:
			cur.children = append(cur.children, &node{kind: commentNode, text: string(t), parent: cur})
		case xml.Directive:
			cur.children = append(cur.children, &node{kind: directiveNode, text: string(t), parent: cur})
		case xml.ProcInst:
			if t.Target == "xml" {
				continue // written anew, as UTF-8
			}
			cur.children = append(cur.children, &node{kind: procNode, target: t.Target, text: string(t.Inst), parent: cur})
		}
	}
	if cur != root {
		return nil, errors.New("unclosed element")
	}
	return root, nil
}

// The escapers keep a document's text as it was, line breaks included.
var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", "\"", "&quot;", "\n", "&#xA;", "\r", "&#xD;", "\t", "&#x9;")
)

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func (n *node) render(b *bytes.Buffer) {
	switch n.kind {
	case docNode:
		b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
		for _, c := range n.children {
			c.render(b)
			b.WriteByte('\n')
		}
	case elemNode:
		b.WriteByte('<')
		b.WriteString(qname(n.name))
		for _, a := range n.attr {
			fmt.Fprintf(b, " %s=\"%s\"", qname(a.Name), attrEscaper.Replace(a.Value))
		}
		if len(n.children) == 0 {
			b.WriteString("/>")
			return
		}
		b.WriteByte('>')
		for _, c := range n.children {
			c.render(b)
		}
		fmt.Fprintf(b, "</%s>", qname(n.name))
	case textNode:
		b.WriteString(textEscaper.Replace(n.text))
	case commentNode:
		fmt.Fprintf(b, "<!--%s-->", n.text)
	case directiveNode:
		fmt.Fprintf(b, "<!%s>", n.text)
	case procNode:
		fmt.Fprintf(b, "<?%s %s?>", n.target, n.text)
	}
}

func (n *node) get(name string) (string, bool) {
	for _, a := range n.attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) set(name, val string) {
	for i, a := range n.attr {
		if a.Name.Space == "" && a.Name.Local == name {
			n.attr[i].Value = val
			return
		}
	}
	n.attr = append(n.attr, xml.Attr{Name: xml.Name{Local: name}, Value: val})
}

func (n *node) index() int {
	for i, c := range n.parent.children {
		if c == n {
			return i
		}
	}
	return -1
}

// insertAfter puts m right after n among n's siblings.
func (n *node) insertAfter(m *node) {
	p := n.parent
	i := n.index()
	m.parent = p
	p.children = append(p.children[:i+1], append([]*node{m}, p.children[i+1:]...)...)
}

// find returns the first element named local (any prefix) under n.
func (n *node) find(local string) *node {
	if n.kind == elemNode && strings.EqualFold(n.name.Local, local) {
		return n
	}
	for _, c := range n.children {
		if f := c.find(local); f != nil {
			return f
		}
	}
	return nil
}

// walk visits n's subtree in document order.
func (n *node) walk(visit func(*node)) {
	visit(n)
	for _, c := range n.children {
		c.walk(visit)
	}
}
