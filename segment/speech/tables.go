package speech

import "strings"

// abbrClass says when an abbreviation is expanded and what happens to its
// full stop.
type abbrClass uint8

const (
	// classTitle precedes a name ("Mr. Smith"): expanded only before a
	// capitalised word; the full stop is dropped so no pause splits the
	// title from the name.
	classTitle abbrClass = iota
	// classEnd may end a sentence ("etc.", "Jr."): always expanded; the
	// full stop is kept when the sentence ends there.
	classEnd
	// classNum precedes a number ("No. 5", "p. 12", "Jan. 3"): expanded
	// only before one, because "no." and "Jan." are also ordinary words.
	classNum
	// classMid sits between words ("vs.", "cf."): always expanded, and the
	// full stop always dropped.
	classMid
)

type abbr struct {
	say   string
	class abbrClass
}

// abbrevs maps the written abbreviation (without its full stop) to its
// expansion. Keys are added in the capitalisations books use: as listed,
// and upper case; lower-case keys also title case.
var abbrevs = map[string]abbr{}

func init() {
	add := func(class abbrClass, pairs ...string) {
		for i := 0; i < len(pairs); i += 2 {
			k, v := pairs[i], abbr{say: pairs[i+1], class: class}
			abbrevs[k] = v
			abbrevs[strings.ToUpper(k)] = v
			if k[0] >= 'a' && k[0] <= 'z' {
				abbrevs[strings.ToUpper(k[:1])+k[1:]] = v
			}
		}
	}
	add(classTitle,
		"Mr", "Mister", "Mrs", "Missus", "Ms", "Miz", "Messrs", "Messieurs", "Mme", "Madame",
		"Mlle", "Mademoiselle", "Prof", "Professor", "Gen", "General", "Capt", "Captain",
		"Col", "Colonel", "Lt", "Lieutenant", "Sgt", "Sergeant", "Cpl", "Corporal", "Maj", "Major",
		"Adm", "Admiral", "Cmdr", "Commander", "Rev", "Reverend", "Revd", "Reverend",
		"Hon", "Honourable", "Gov", "Governor", "Sen", "Senator", "Pres", "President",
		"Fr", "Father", "Mt", "Mount", "Ft", "Fort", "Pvt", "Private", "Supt", "Superintendent",
		"Insp", "Inspector", "Det", "Detective")
	add(classEnd,
		"Jr", "Junior", "Esq", "Esquire", "Inc", "Incorporated", "Ltd", "Limited",
		"Bros", "Brothers", "Corp", "Corporation", "etc", "et cetera", "Ave", "Avenue",
		"Rd", "Road", "Blvd", "Boulevard", "Sq", "Square", "approx", "approximately",
		"Dept", "Department", "ibid", "ibidem")
	add(classMid, "vs", "versus", "viz", "namely", "cf", "compare")
	add(classNum,
		"No", "number", "no", "number", "Nos", "numbers", "nos", "numbers", "p", "page", "pp", "pages",
		"vol", "volume", "Vol", "volume", "ch", "chapter", "Ch", "chapter", "Chap", "chapter",
		"fig", "figure", "Fig", "figure", "c", "circa", "ca", "circa",
		"Jan", "January", "Feb", "February", "Mar", "March", "Apr", "April", "Jun", "June",
		"Jul", "July", "Aug", "August", "Sep", "September", "Sept", "September", "Oct", "October",
		"Nov", "November", "Dec", "December")
}

// bareTitles are titles British style writes without a full stop ("Mr
// Smith"); they are expanded only before a capitalised word.
var bareTitles = map[string]string{
	"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "St": "Saint",
	"Mme": "Madame", "Mlle": "Mademoiselle", "Messrs": "Messieurs", "Revd": "Reverend",
	"MR": "Mister", "MRS": "Missus", "DR": "Doctor", "ST": "Saint",
}

// initialisms maps lower-cased dotted initialisms to their spoken form and
// class; unknown ones ("U.S.", "J.R.R.") are left for the engine, which
// spells them.
var initialisms = map[string]abbr{
	"e.g.": {"for example", classTitle}, "i.e.": {"that is", classTitle},
	"a.m.": {"A M", classEnd}, "p.m.": {"P M", classEnd},
	"a.d.": {"A D", classEnd}, "b.c.": {"B C", classEnd}, "b.c.e.": {"B C E", classEnd},
	"c.e.": {"C E", classEnd}, "n.b.": {"note", classTitle}, "p.s.": {"P S", classTitle},
	"r.s.v.p.": {"R S V P", classEnd},
}

// eras follow or precede a year; engines read "AD" as the word "ad".
var eras = map[string]string{"AD": "A D", "BC": "B C", "BCE": "B C E", "CE": "C E"}

// months are capitalised month names; a day number next to one is ordinal.
var months = map[string]bool{
	"January": true, "February": true, "March": true, "April": true, "May": true, "June": true,
	"July": true, "August": true, "September": true, "October": true, "November": true, "December": true,
}

// yearTriggers are words after which a four-digit number is a year even when
// a lower-case word follows ("in 1865 the war ended").
var yearTriggers = map[string]bool{
	"in": true, "since": true, "until": true, "till": true, "year": true, "circa": true, "c": true,
	"ca": true, "during": true, "summer": true, "winter": true, "spring": true, "autumn": true,
	"ad": true, "anno": true, "christmas": true, "easter": true,
}

// functionWords may follow a year ("by 1900 the town had grown"); any other
// lower-case word after a bare four-digit number makes it a count ("1500
// men").
var functionWords = map[string]bool{
	"the": true, "a": true, "an": true, "and": true, "or": true, "but": true, "nor": true,
	"he": true, "she": true, "it": true, "they": true, "we": true, "i": true, "you": true,
	"his": true, "her": true, "their": true, "its": true, "our": true, "my": true, "there": true,
	"then": true, "when": true, "where": true, "while": true, "was": true, "were": true,
	"had": true, "has": true, "have": true, "is": true, "are": true, "be": true, "been": true,
	"that": true, "which": true, "who": true, "to": true, "of": true, "in": true, "on": true,
	"at": true, "by": true, "for": true, "with": true, "from": true, "as": true, "after": true,
	"before": true, "until": true, "during": true, "through": true, "this": true, "these": true,
	"those": true, "onwards": true, "onward": true, "if": true, "so": true, "not": true,
	"saw": true, "became": true, "began": true, "came": true, "brought": true, "marked": true,
}

// units are read after a number; the bool says the abbreviation may carry a
// full stop ("5 ft."), which is then consumed.
var units = map[string]struct {
	one, many string
	dot       bool
}{
	"km": {"kilometer", "kilometers", false}, "cm": {"centimeter", "centimeters", false},
	"mm": {"millimeter", "millimeters", false}, "kg": {"kilogram", "kilograms", false},
	"mg": {"milligram", "milligrams", false}, "lb": {"pound", "pounds", true},
	"lbs": {"pounds", "pounds", true}, "oz": {"ounce", "ounces", true},
	"ft": {"foot", "feet", true}, "yd": {"yard", "yards", true}, "yds": {"yards", "yards", true},
	"mph": {"mile per hour", "miles per hour", false}, "kph": {"kilometer per hour", "kilometers per hour", false},
	"hr": {"hour", "hours", true}, "hrs": {"hours", "hours", true},
	"min": {"minute", "minutes", true}, "mins": {"minutes", "minutes", true},
	"sec": {"second", "seconds", true}, "secs": {"seconds", "seconds", true},
	"ml": {"milliliter", "milliliters", false}, "kW": {"kilowatt", "kilowatts", false},
	"Hz": {"hertz", "hertz", false}, "kHz": {"kilohertz", "kilohertz", false},
	"MHz": {"megahertz", "megahertz", false}, "GHz": {"gigahertz", "gigahertz", false},
	"KB": {"kilobyte", "kilobytes", false}, "MB": {"megabyte", "megabytes", false},
	"GB": {"gigabyte", "gigabytes", false}, "TB": {"terabyte", "terabytes", false},
}

// currencies maps a currency sign to its unit names, singular and plural,
// and its hundredth (empty when there is none).
var currencies = map[string]struct{ one, many, subOne, subMany string }{
	"$": {"dollar", "dollars", "cent", "cents"},
	"£": {"pound", "pounds", "penny", "pence"},
	"€": {"euro", "euros", "cent", "cents"},
	"¥": {"yen", "yen", "", ""},
	"₹": {"rupee", "rupees", "paisa", "paise"},
}

// scaleWords may follow an amount of money ("$1 million"); the attached
// forms ("$5m", "$2bn", "$10k") are journalistic shorthand.
var scaleWords = map[string]string{
	"thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion",
	"k": "thousand", "K": "thousand", "m": "million", "M": "million", "bn": "billion", "tn": "trillion",
}

// vulgarFractions are the precomposed fraction characters: numerator words
// and denominator.
var vulgarFractions = map[string][2]string{
	"½": {"one", "2"}, "⅓": {"one", "3"}, "⅔": {"two", "3"}, "¼": {"one", "4"}, "¾": {"three", "4"},
	"⅕": {"one", "5"}, "⅖": {"two", "5"}, "⅗": {"three", "5"}, "⅘": {"four", "5"},
	"⅙": {"one", "6"}, "⅚": {"five", "6"}, "⅛": {"one", "8"}, "⅜": {"three", "8"},
	"⅝": {"five", "8"}, "⅞": {"seven", "8"},
}

// symbolWords are symbols read as words wherever they appear.
var symbolWords = map[string]string{
	"&": "and", "%": "percent", "‰": "per mille", "@": "at", "×": "times", "÷": "divided by",
	"±": "plus or minus", "§": "section", "©": "copyright", "¢": "cents", "+": "plus",
	"−": "minus", "℃": "degrees Celsius", "℉": "degrees Fahrenheit", "°": "degrees",
}

// silentSymbols are markup and decoration that is never read aloud:
// Markdown and Project Gutenberg emphasis, ornaments, footnote daggers,
// brackets (their contents are kept).
var silentSymbols = map[string]bool{
	"_": true, "*": true, "~": true, "^": true, "`": true, "\\": true, "|": true, "[": true,
	"]": true, "{": true, "}": true, "<": true, ">": true, "•": true, "†": true, "‡": true,
	"¶": true, "™": true, "®": true, "·": true, "■": true, "□": true, "◆": true, "◇": true,
	"○": true, "●": true, "★": true, "☆": true, "♦": true, "♣": true, "♠": true, "♥": true,
	"⁂": true, "※": true, "¤": true, "#": true, "=": true, "❧": true, "☙": true, "✠": true,
}

// regnalNames are given names that take a regnal number ("Henry VIII" ->
// "Henry the Eighth"). A numeral after any other word is left alone unless a
// numbering word precedes it, because "War I" or "MIX" are not regnal.
var regnalNames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`Henry Edward George William Richard Louis Charles James
		Elizabeth Mary John Philip Frederick Pius Leo Gregory Innocent Benedict Clement
		Alexander Peter Nicholas Ivan Catherine Ferdinand Napoleon Alfonso Gustav Gustavus
		Christian Wilhelm Umberto Otto Rudolf Constantine Ptolemy Ramesses Rameses Thutmose
		Amenhotep Darius Xerxes Antiochus Cleopatra Boniface Urban Paul Sixtus Julius Stephen
		Harold David Robert Malcolm Kenneth Duncan Edmund Ethelred Henri Francis Juan Carlos
		Felipe Pedro Manuel Sancho Haakon Olaf Magnus Eric Erik Sigismund Casimir Leopold
		Joseph Maximilian Ludwig Baldwin Lothair Pepin Victor Emmanuel Anne Isabella Matilda
		Augustus Tiberius Valentinian Theodosius Justinian Basil Michael Andronikos Manuel
		Vasili Feodor Mehmed Murad Selim Suleiman Abdul Innocent Adrian Martin Honorius Celestine
		Alexius Ramses Seti Amenemhat Senusret Sobekhotep Nebuchadnezzar Tiglath Shalmaneser`) {
		regnalNames[n] = true
		regnalNames[strings.ToUpper(n)] = true
	}
}

// numberingWords precede a numeral that counts parts ("Chapter IV", "World
// War II"), read as a cardinal.
var numberingWords = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`Chapter Book Part Volume Act Scene Section Canto Stave
		Psalm Article Appendix Plate Figure Table Phase War Lecture Lesson Episode Vol Chap`) {
		numberingWords[n] = true
		numberingWords[strings.ToUpper(n)] = true
	}
}
