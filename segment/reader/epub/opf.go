package epub

import (
	"bytes"
	"encoding/xml"
	"strings"

	rhtml "github.com/narrate-audio/narrate/segment/reader/html"
)

// newDecoder returns a lenient XML decoder: DOCTYPEs are skipped and their
// entities never fetched or expanded, HTML named entities are known.
func newDecoder(data []byte) *xml.Decoder {
	data, _ = rhtml.FromUTF16(data)
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = rhtml.Entities(data)
	d.CharsetReader = rhtml.CharsetReader
	return d
}

type container struct {
	Rootfiles []struct {
		FullPath  string `xml:"full-path,attr"`
		MediaType string `xml:"media-type,attr"`
	} `xml:"rootfiles>rootfile"`
}

// opfPackage is the part of an OPF package document the reader uses.
type opfPackage struct {
	Version  string `xml:"version,attr"`
	Metadata struct {
		Titles []struct {
			ID   string `xml:"id,attr"`
			Text string `xml:",chardata"`
		} `xml:"title"`
		Creators []struct {
			ID   string `xml:"id,attr"`
			Role string `xml:"role,attr"` // EPUB 2 opf:role
			Text string `xml:",chardata"`
		} `xml:"creator"`
		Languages []string `xml:"language"`
		Dates     []struct {
			Event string `xml:"event,attr"` // EPUB 2 opf:event
			Text  string `xml:",chardata"`
		} `xml:"date"`
		Descriptions []string `xml:"description"`
		Publishers   []string `xml:"publisher"`
		Subjects     []string `xml:"subject"`
		Metas        []struct {
			ID       string `xml:"id,attr"`
			Name     string `xml:"name,attr"`
			Content  string `xml:"content,attr"`
			Property string `xml:"property,attr"`
			Refines  string `xml:"refines,attr"`
			Text     string `xml:",chardata"`
		} `xml:"meta"`
	} `xml:"metadata"`
	Manifest []struct {
		ID         string `xml:"id,attr"`
		Href       string `xml:"href,attr"`
		MediaType  string `xml:"media-type,attr"`
		Properties string `xml:"properties,attr"`
	} `xml:"manifest>item"`
	Spine struct {
		Toc      string `xml:"toc,attr"`
		Itemrefs []struct {
			IDRef  string `xml:"idref,attr"`
			Linear string `xml:"linear,attr"`
		} `xml:"itemref"`
	} `xml:"spine"`
	Guide []struct {
		Type string `xml:"type,attr"`
		Href string `xml:"href,attr"`
	} `xml:"guide>reference"`
}

// refined returns the value of the EPUB 3 meta that refines id with
// property prop, or "".
func (p *opfPackage) refined(id, prop string) string {
	if id == "" {
		return ""
	}
	for _, m := range p.Metadata.Metas {
		if m.Refines == "#"+id && m.Property == prop {
			return strings.TrimSpace(m.Text)
		}
	}
	return ""
}

// title prefers the EPUB 3 title refined as "main", else the first.
func (p *opfPackage) title() string {
	for _, t := range p.Metadata.Titles {
		if p.refined(t.ID, "title-type") == "main" {
			return clean(t.Text)
		}
	}
	for _, t := range p.Metadata.Titles {
		if s := clean(t.Text); s != "" {
			return s
		}
	}
	return ""
}

// subtitle is the EPUB 3 title refined as "subtitle".
func (p *opfPackage) subtitle() string {
	for _, t := range p.Metadata.Titles {
		if p.refined(t.ID, "title-type") == "subtitle" {
			return clean(t.Text)
		}
	}
	return ""
}

// series is the EPUB 3 collection of type series (or of no stated type),
// else Calibre's series metadata, with the book's position in it.
func (p *opfPackage) series() (name, index string) {
	for _, m := range p.Metadata.Metas {
		if m.Property != "belongs-to-collection" || clean(m.Text) == "" {
			continue
		}
		if typ := p.refined(m.ID, "collection-type"); typ != "" && typ != "series" {
			continue
		}
		return clean(m.Text), p.refined(m.ID, "group-position")
	}
	for _, m := range p.Metadata.Metas {
		if m.Name == "calibre:series" && clean(m.Content) != "" {
			name = clean(m.Content)
		}
	}
	if name != "" {
		for _, m := range p.Metadata.Metas {
			if m.Name == "calibre:series_index" {
				index = strings.TrimSuffix(strings.TrimSuffix(clean(m.Content), ".0"), ".00")
			}
		}
	}
	return name, index
}

func (p *opfPackage) authors() []string {
	var out []string
	for _, c := range p.Metadata.Creators {
		if s := clean(c.Text); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// year is the first four digits of the original publication date when
// EPUB 2 events say which that is, else of the first dc:date.
func (p *opfPackage) year() string {
	pick := ""
	for _, d := range p.Metadata.Dates {
		if pick == "" || d.Event == "original-publication" {
			pick = strings.TrimSpace(d.Text)
		}
	}
	if len(pick) >= 4 && allDigits(pick[:4]) {
		return pick[:4]
	}
	return ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// ncx is an EPUB 2 navigation control file.
type ncx struct {
	Points []navPoint `xml:"navMap>navPoint"`
}

type navPoint struct {
	Label string `xml:"navLabel>text"`
	Src   struct {
		Src string `xml:"src,attr"`
	} `xml:"content"`
	Points []navPoint `xml:"navPoint"`
}
