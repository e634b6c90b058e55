package epub

import (
	"bytes"
	"strings"
	"testing"
)

// TestShelfMetadata reads subtitle, publisher, subjects and the series
// from EPUB 3 collections and from Calibre's metadata.
func TestShelfMetadata(t *testing.T) {
	epub3 := `<dc:title id="m">Main</dc:title><meta refines="#m" property="title-type">main</meta>
<dc:title id="s">A Sub Title</dc:title><meta refines="#s" property="title-type">subtitle</meta>
<dc:publisher> Small  Press </dc:publisher><dc:subject>Fiction</dc:subject><dc:subject>Drama</dc:subject>
<meta property="belongs-to-collection" id="set">Anthology</meta><meta refines="#set" property="collection-type">set</meta>
<meta property="belongs-to-collection" id="c1">The Long Saga</meta><meta refines="#c1" property="collection-type">series</meta>
<meta refines="#c1" property="group-position">2</meta>`
	calibre := `<dc:title>Only</dc:title><meta name="calibre:series" content="Calibre Saga"/><meta name="calibre:series_index" content="3.0"/>`
	for _, tc := range []struct {
		meta                                      string
		title, subtitle, publisher, series, index string
		genres                                    string
	}{
		{epub3, "Main", "A Sub Title", "Small Press", "The Long Saga", "2", "Fiction|Drama"},
		{calibre, "Only", "", "", "Calibre Saga", "3", ""},
		{`<dc:title>Plain</dc:title>`, "Plain", "", "", "", "", ""},
	} {
		opf := `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">` +
			tc.meta + `</metadata><manifest><item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c"/></spine></package>`
		data := build(t, [][2]string{
			{"mimetype", "application/epub+zip"},
			{"META-INF/container.xml", containerXML},
			{"OEBPS/content.opf", opf},
			{"OEBPS/c.xhtml", xhtml(`<h1>One</h1><p>Some prose here.</p>`)},
		})
		b, err := Read(bytes.NewReader(data), int64(len(data)), "t.epub", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if b.Title != tc.title || b.Subtitle != tc.subtitle || b.Publisher != tc.publisher || b.Series != tc.series || b.SeriesIndex != tc.index || strings.Join(b.Genres, "|") != tc.genres {
			t.Errorf("got title %q subtitle %q publisher %q series %q #%q genres %q", b.Title, b.Subtitle, b.Publisher, b.Series, b.SeriesIndex, b.Genres)
		}
		if b.Chapters[0].Origin != "OEBPS/c.xhtml" {
			t.Errorf("chapter from %q", b.Chapters[0].Origin)
		}
	}
}
