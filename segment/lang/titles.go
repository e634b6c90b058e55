package lang

import (
	"fmt"

	"github.com/narrate-audio/narrate/segment/book"
)

// chapterTitles are, per language, the title of a chapter known only by
// its number: what the listener hears at its start and what names its
// file. The number stays in digits, which the voice reads in its
// language.
var chapterTitles = map[string]string{
	"en": "Chapter %d", "fr": "Chapitre %d", "de": "Kapitel %d", "es": "Capítulo %d",
	"it": "Capitolo %d", "pt": "Capítulo %d", "ca": "Capítol %d", "ro": "Capitolul %d",
	"nl": "Hoofdstuk %d", "sv": "Kapitel %d", "da": "Kapitel %d", "nb": "Kapittel %d",
	"nn": "Kapittel %d", "no": "Kapittel %d", "fi": "Luku %d", "pl": "Rozdział %d",
	"cs": "Kapitola %d", "sk": "Kapitola %d", "ru": "Глава %d", "bg": "Глава %d",
	"uk": "Розділ %d", "el": "Κεφάλαιο %d", "tr": "Bölüm %d", "hu": "%d. fejezet",
	"ar": "الفصل %d", "he": "פרק %d", "ja": "第%d章", "zh": "第%d章", "ko": "제%d장",
	"hi": "अध्याय %d", "id": "Bab %d", "ms": "Bab %d", "vi": "Chương %d", "la": "Caput %d",
	"eo": "Ĉapitro %d",
}

// TitleChapters gives the chapters that have no title of their own
// (book.Chapter.Untitled) the title of a numbered chapter in the book's
// language. Languages not listed keep the English title.
func TitleChapters(b *book.Book) {
	format, ok := chapterTitles[Base(b.Language)]
	if !ok {
		return
	}
	for i := range b.Chapters {
		if b.Chapters[i].Untitled {
			b.Chapters[i].Title = fmt.Sprintf(format, i+1)
		}
	}
}
