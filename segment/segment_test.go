package segment

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/reader"
)

var update = flag.Bool("update", false, "rewrite golden files")

// bookOf reads text as a plain-text book.
func bookOf(t *testing.T, text string) *book.Book {
	t.Helper()
	b, err := reader.Read("t.txt", []byte(text), reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// spansOf segments text as a one-paragraph-per-block plain-text book and
// renders the spans as "kind:text" lines.
func spansOf(t *testing.T, text string) ([]string, []Warning) {
	t.Helper()
	chs, warns := Book(bookOf(t, text), Options{})
	var out []string
	for _, c := range chs {
		for _, s := range c.Spans {
			out = append(out, string(s.Kind)+":"+s.Text)
		}
	}
	return out, warns
}

func TestDialogue(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"straight quotes", `"Hello," she said.`, []string{"dialogue:Hello,", "narration:she said."}},
		{"curly quotes", `“Hello,” she said.`, []string{"dialogue:Hello,", "narration:she said."}},
		{"broken by narration", `"We need to," he said, "go now."`, []string{"dialogue:We need to,", "narration:he said,", "dialogue:go now."}},
		{"interrupted with a hyphen", `"Kakashi," he says, "we need to-" It's hard to finish.`, []string{"dialogue:Kakashi,", "narration:he says,", "dialogue:we need to-", "narration:It's hard to finish."}},
		{"interrupted with a dash", `"Wait—" But she was gone.`, []string{"dialogue:Wait—", "narration:But she was gone."}},
		{"nested single quotes", `"He told me 'never again' and left," said Ann.`, []string{"dialogue:He told me 'never again' and left,", "narration:said Ann."}},
		{"apostrophes are not quotes", `Don't touch the Joneses' car, it's 'tis season.`, []string{"narration:Don't touch the Joneses' car, it's 'tis season."}},
		{"inch marks", `He was 6'2" tall and proud of it.`, []string{`narration:He was 6'2" tall and proud of it.`}},
		{"british single quotes", "'Come here,' said Tom. 'The Joneses' dog is loose.'\n\n'Is it?' asked Ann. 'Don't worry.'\n\n'It's 'tis season,' he said.",
			[]string{"dialogue:Come here,", "narration:said Tom.", "dialogue:The Joneses' dog is loose.", "dialogue:Is it?", "narration:asked Ann.", "dialogue:Don't worry.", "dialogue:It's 'tis season,", "narration:he said."}},
		{"speech over paragraphs", "\"First part of a long speech.\n\n\"Second part,\" he finished.",
			[]string{"dialogue:First part of a long speech.", "dialogue:Second part,", "narration:he finished."}},
		{"stray quote recovers at paragraph end", "He said \"hello and left.\n\nThe next day was quiet.",
			[]string{"narration:He said", "dialogue:hello and left.", "narration:The next day was quiet."}},
		{"mention in narration", `He was ready to "go in" for statistics.`, []string{`narration:He was ready to "go in" for statistics.`}},
		{"a title in narration", `They sat listening to "The Tempest" and ate.`, []string{`narration:They sat listening to "The Tempest" and ate.`}},
		{"a label in capitals", `The jar was marked "ORANGE MARMALADE," but it was empty.`, []string{`narration:The jar was marked "ORANGE MARMALADE," but it was empty.`}},
		{"words that are read", `The sign read "Closed for the Season," and the windows were dark.`,
			[]string{`narration:The sign read "Closed for the Season," and the windows were dark.`}},
		{"titles of works in a list", `Read "The Snow Queen," "Hans Clodhopper," and "The Little Match Girl." Then rest.`,
			[]string{`narration:Read "The Snow Queen," "Hans Clodhopper," and "The Little Match Girl." Then rest.`}},
		{"a name said aloud is speech", `She announced herself as "Mrs. Pegler."`,
			[]string{"narration:She announced herself as", "dialogue:Mrs. Pegler."}},
		{"eyes looked into do not speak", `He looked into her eyes, and said, "Do your duty."`,
			[]string{"narration:He looked into her eyes, and said,", "dialogue:Do your duty."}},
		{"a shout after a saying verb is speech", `He cried "STOP!" and ran.`, []string{"narration:He cried", "dialogue:STOP!", "narration:and ran."}},
		{"an utterance in narration keeps its punctuation", `He answered with a "Yes," and left.`,
			[]string{"narration:He answered with a", "dialogue:Yes,", "narration:and left."}},
		{"british punctuation outside the marks", "'Come here,' said Tom.\n\nShe turned and 'Wait', she called.\n\n'Is it?' asked Ann.",
			[]string{"dialogue:Come here,", "narration:said Tom.", "narration:She turned and", "dialogue:Wait", "narration:, she called.", "dialogue:Is it?", "narration:asked Ann."}},
		{"lower-case speech after a saying verb", `He said "not now" and left.`, []string{"narration:He said", "dialogue:not now", "narration:and left."}},
		{"reported speech", `He turned to her. "He was afraid they would be late, and he thought she had better go."`,
			[]string{`narration:He turned to her. "He was afraid they would be late, and he thought she had better go.`}},
		{"reported speech resumed after a tag", `"She was right," he said, "and he had always known she would be."`,
			[]string{"dialogue:She was right,", "narration:he said,", "dialogue:and he had always known she would be."}},
		{"gesture", `She shook her head, as much as to say, "Not now."`, []string{`narration:She shook her head, as much as to say, "Not now.`}},
		{"a look that said it", `She gave him a look that plainly said, "Not now."`, []string{`narration:She gave him a look that plainly said, "Not now.`}},
		{"a look before the speaker", `Her eyes shone as she said, "Now."`, []string{"narration:Her eyes shone as she said,", "dialogue:Now."}},
		{"what was not said", `Nobody could have said to her, "Go home."`, []string{`narration:Nobody could have said to her, "Go home.`}},
		{"what she meant to say", `"So early!" she was going to exclaim; but she was silent.`, []string{`narration:So early!" she was going to exclaim; but she was silent.`}},
		{"doubled opening mark", `"Why," said he, ""tis a muddle."`, []string{"dialogue:Why,", "narration:said he,", "dialogue:tis a muddle."}},
		{"single mark closing a double quote", `He said, "Come here' and left.`,
			[]string{"narration:He said,", "dialogue:Come here", "narration:and left."}},
		{"scene break", "One.\n\n* * *\n\nTwo.", []string{"narration:One.", "break:* * *", "narration:Two."}},
		{"french guillemets", "« Bonjour, Marie », dit Pierre. « Il dit “non”, aujourd’hui. »\n\nMarie sourit. « Oui\u00a0! »",
			[]string{"dialogue:Bonjour, Marie", "narration:, dit Pierre.", "dialogue:Il dit “non”, aujourd’hui.", "narration:Marie sourit.", "dialogue:Oui\u00a0!"}},
		{"german low-high quotes", "„Guten Morgen“, sagte Peter. „Er rief ‚Halt!‘ und lief.“\n\nAnna lächelte. „Ja.“",
			[]string{"dialogue:Guten Morgen", "narration:, sagte Peter.", "dialogue:Er rief ‚Halt!‘ und lief.", "narration:Anna lächelte.", "dialogue:Ja."}},
		{"german reversed guillemets", "»Guten Morgen«, sagte Peter. »Heute ist es schön.«\n\nAnna lächelte. »Ja, das stimmt.«",
			[]string{"dialogue:Guten Morgen", "narration:, sagte Peter.", "dialogue:Heute ist es schön.", "narration:Anna lächelte.", "dialogue:Ja, das stimmt."}},
		{"a quotation owned by a possessive", `"Is he not, sir?" Mrs. Lee's "sir," was cold.`,
			[]string{"dialogue:Is he not, sir?", `narration:Mrs. Lee's "sir," was cold.`}},
		{"a stage direction inside speech", `"Well, (smiling,) I hope so. But--(turning to Ann)--not now (as you know)."`,
			[]string{"dialogue:Well,", "narration:(smiling,)", "dialogue:I hope so. But--", "narration:(turning to Ann)", "dialogue:--not now (as you know)."}},
		{"a manner adverb in brackets inside speech", `"Yes--(rather hesitatingly)--I believe I do (seemingly)."`,
			[]string{"dialogue:Yes--", "narration:(rather hesitatingly)", "dialogue:--I believe I do (seemingly)."}},
		{"words that are written", `He held a letter, superscribed, "To the Banker, Coketown." Then he wrote: "Come at once."`,
			[]string{`narration:He held a letter, superscribed, "To the Banker, Coketown." Then he wrote: "Come at once.`}},
		{"what a notice says is written", `So they did; and the notice said "NORTH POLE. FOUND BY BEAR." The sign said, "Closed." He said "no" and left.`,
			[]string{`narration:So they did; and the notice said "NORTH POLE. FOUND BY BEAR." The sign said, "Closed." He said`, "dialogue:no", "narration:and left."}},
		{"what a telegram ran, a board was chalked, a letter was addressed to, a note said", `It ran thus: "Come at once." The board was chalked: "NO TICK." ` +
			`The letter was addressed to "M. Grubble, Esquire." It said only: "I have sent for him." He spoke as follows: "Friends!"`,
			[]string{`narration:It ran thus: "Come at once." The board was chalked: "NO TICK." The letter was addressed to "M. Grubble, Esquire." It said only: "I have sent for him." He spoke as follows:`, "dialogue:Friends!"}},
		{"a card, a note, a motto and a hymn are written", `It was written in violet ink, and it said only: "Do not let him go." It said simply, "Capt. A. Kemble, R.N." ` +
			`A sampler bore the motto "Waste Not, Want Not." The choir was practising "Abide with Me," rather badly.`,
			[]string{`narration:It was written in violet ink, and it said only: "Do not let him go." It said simply, "Capt. A. Kemble, R.N." ` +
				`A sampler bore the motto "Waste Not, Want Not." The choir was practising "Abide with Me," rather badly.`}},
		{"signs in capitals, a title after called, a telegram that ran, a placard which said", `A board which said in letters half washed away, "DANGER. KEEP TO THE ROCKS." ` +
			`He read a novel called "Les Amours d'une Comtesse." I tore it open. It ran: "Arriving twelve fifteen stop." ` +
			`A placard upon the gate of the garden which said "Keep off the grass," stood there. He cried, "HELP! FIRE!" She called "Come in."`,
			[]string{`narration:A board which said in letters half washed away, "DANGER. KEEP TO THE ROCKS." He read a novel called "Les Amours d'une Comtesse." I tore it open. It ran: "Arriving twelve fifteen stop." A placard upon the gate of the garden which said "Keep off the grass," stood there. He cried,`,
				"dialogue:HELP! FIRE!", "narration:She called", "dialogue:Come in."}},
		{"a name calling out, and shouts in capitals a tag follows", "The door banged. Mara called \"Wait up.\"\n\n\"I SAID NO,\" she yelled.\n\n\"GET OUT NOW.\" he said.\n\n\"STOP THAT NOW,\" she\nyelled.",
			[]string{"narration:The door banged. Mara called", "dialogue:Wait up.", "dialogue:I SAID NO,", "narration:she yelled.", "dialogue:GET OUT NOW.", "narration:he said.",
				"dialogue:STOP THAT NOW,", "narration:she\nyelled."}},
		{"a letter copied out opens with a salutation, a comma and a dash", "I copy it here.\n\n\"Mr. Hobday,—You have been good to me.\"\n\n\"My dear Sir,--I write in haste.\"\n\n\"Sir—I beg your pardon,\" he said.",
			[]string{"narration:I copy it here.", "narration:Mr. Hobday,—You have been good to me.", "narration:My dear Sir,--I write in haste.", "dialogue:Sir—I beg your pardon,", "narration:he said."}},
		{"a card which said, after a quotation, and a notice by the wheel-house, which said", `"She has a card in the window." And we had all seen the card, which said "Apartments to Let." ` +
			`She read a notice by the wheel-house, which said "Passengers are requested not to talk," and laughed. The maid announced "The young gentleman, ma'am."`,
			[]string{"dialogue:She has a card in the window.", `narration:And we had all seen the card, which said "Apartments to Let." She read a notice by the wheel-house, which said "Passengers are requested not to talk," and laughed. The maid announced`,
				"dialogue:The young gentleman, ma'am."}},
		{"written words over a line break", "It ran\nthus: \"Come at once.\" And the notice\nsaid \"NORTH POLE.\" It was addressed\nto \"Mr. Grubble.\"",
			[]string{"narration:It ran\nthus: \"Come at once.\" And the notice\nsaid \"NORTH POLE.\" It was addressed\nto \"Mr. Grubble."}},
		{"a letter read out is speech", `She opened it and read: "Come at once."`,
			[]string{"narration:She opened it and read:", "dialogue:Come at once."}},
		{"a speech read out over paragraphs without marks", "\"Listen to this.\n\nMy first is a king.\n\n    Lords of the earth!\n\nThat is court,\" she said.\n\n\"Yes.\"",
			[]string{"dialogue:Listen to this.", "dialogue:My first is a king.", "narration:Lords of the earth!", "dialogue:That is court,", "narration:she said.", "dialogue:Yes."}},
		{"a stray mark is not carried past an opening one", "He said \"hello and left.\n\nThe next day was quiet.\n\n\"Good,\" she said.",
			[]string{"narration:He said", "dialogue:hello and left.", "narration:The next day was quiet.", "dialogue:Good,", "narration:she said."}},
		{"a source after the quotation in its paragraph", "“A whale stranded on the shores of Europe.” —Edmund Burke, Speech on Conciliation.",
			[]string{"narration:A whale stranded on the shores of Europe.", "narration:—Edmund Burke, Speech on Conciliation."}},
		{"a source line quoting its title in capitals", "\"Scarcely had we sailed two days.\"\n\n—TOOKE'S LUCIAN. \"THE TRUE HISTORY.\"\n\n\"Yes,\" he said.",
			[]string{"narration:Scarcely had we sailed two days.", "narration:—TOOKE'S LUCIAN. \"THE TRUE HISTORY.", "dialogue:Yes,", "narration:he said."}},
		{"narration after a dash is not a source", "\"There it is.\"--Harriet's was--\n\n\"Oh!\"",
			[]string{"dialogue:There it is.", "narration:--Harriet's was--", "dialogue:Oh!"}},
		{"quoted verse", "He kept saying over to himself:\n\n\"Under the greenwood tree,\nWho loves to lie with me.\"\n\n\"Enough,\" she said.",
			[]string{"narration:He kept saying over to himself:", "narration:Under the greenwood tree,\nWho loves to lie with me.", "dialogue:Enough,", "narration:she said."}},
		{"wrapped prose is not verse", "\"I cannot stay, for the carriage is waiting at the door and my father\nWill be angry.\"",
			[]string{"dialogue:I cannot stay, for the carriage is waiting at the door and my father\nWill be angry."}},
		{"a stray guillemet in an english book", "\"Hello,\" she said. \"Goodbye.\"\n\nThe sign read «Paris».\n\n\"Yes,\" he said.",
			[]string{"dialogue:Hello,", "narration:she said.", "dialogue:Goodbye.", "narration:The sign read «Paris».", "dialogue:Yes,", "narration:he said."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := spansOf(t, tt.text)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestLetter reads a letter quoted in full, which ends in an indented
// close and signature, as narration, in a book that indents only its
// blocks; speech before and after it stays dialogue.
func TestLetter(t *testing.T) {
	var paras []string
	for i := range 25 {
		paras = append(paras, fmt.Sprintf("Paragraph %d of the story went on.", i))
	}
	paras = append(paras, "\"Read it,\" said Ann.", "He opened the letter.",
		"\"My dear brother, we arrived safely on Tuesday.",
		"\"The weather has been fine, and we walk every day,\"",
		"        \"Your loving sister,\"\n                    \"M. B.\"",
		"\"Well?\" said Ann.")
	got, _ := spansOf(t, strings.Join(paras, "\n\n"))
	want := []string{"dialogue:Read it,", "narration:said Ann.", "narration:He opened the letter.",
		"narration:My dear brother, we arrived safely on Tuesday.", "narration:The weather has been fine, and we walk every day,",
		"narration:Your loving sister,\"\n                    \"M. B.", "dialogue:Well?", "narration:said Ann."}
	got = got[25:]
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// Without the signature, the indented line is not a letter's close.
	paras[len(paras)-2] = "        \"your loving sister,\""
	got, _ = spansOf(t, strings.Join(paras, "\n\n"))
	if g := got[25:]; len(g) < 5 || g[3] != "dialogue:My dear brother, we arrived safely on Tuesday." {
		t.Errorf("a quotation before an indented line was demoted: %q", g)
	}
}

func TestUnclosedQuoteWarning(t *testing.T) {
	_, warns := spansOf(t, "Line one.\n\nHe said \"hello and left.\n\nThe next day was quiet.")
	if len(warns) != 1 {
		t.Fatalf("warnings %v, want 1", warns)
	}
	if got := warns[0].Error(); !strings.HasPrefix(got, "segment: t.txt:3:9: unclosed quote") {
		t.Errorf("warning %q", got)
	}
	// A conventional multi-paragraph speech is not a problem.
	_, warns = spansOf(t, "\"First part.\n\n\"Second part.\"")
	if len(warns) != 0 {
		t.Errorf("warnings %v for a continued quotation", warns)
	}
}

func TestContinues(t *testing.T) {
	b, _ := reader.Read("t.txt", []byte("\"First part.\n\n\"Second part.\"\n\n\"New speech.\""), reader.Options{})
	chs, _ := Book(b, Options{})
	var got []bool
	for _, s := range chs[0].Spans {
		got = append(got, s.Continues)
	}
	if fmt.Sprint(got) != "[false true false]" {
		t.Errorf("Continues = %v", got)
	}
}

// checkInvariants verifies what every consumer of spans relies on: the
// offsets slice the source exactly, spans are in order and never overlap,
// and every letter and digit of the chapter is in exactly one span
// (quotation marks and decoration between spans are not spoken).
func checkInvariants(t *testing.T, b *book.Book, chs []Chapter) {
	t.Helper()
	for ci, c := range chs {
		ch := &b.Chapters[ci]
		covered := make([]bool, len(ch.Text))
		prev := -1
		for _, s := range c.Spans {
			if s.Start < 0 || s.End > len(ch.Text) || s.Start >= s.End {
				t.Fatalf("span %+v out of range", s)
			}
			if ch.Text[s.Start:s.End] != s.Text {
				t.Fatalf("span text %q does not match its offsets", s.Text)
			}
			if s.Start < prev {
				t.Fatalf("span %+v overlaps or is out of order", s)
			}
			prev = s.End
			for i := s.Start; i < s.End; i++ {
				covered[i] = true
			}
		}
		for _, p := range ch.Paragraphs {
			if p.Kind == book.Note {
				continue
			}
			for i, r := range ch.Text[p.Start:p.End] {
				if p.Speaker != "" && p.Start+i < p.Label {
					continue // a speaker's name heading their speech is not read
				}
				if (unicode.IsLetter(r) || unicode.IsDigit(r)) && !covered[p.Start+i] {
					t.Fatalf("chapter %d: %q at %d is in no span", ci+1, r, p.Start+i)
				}
			}
		}
	}
}

func FuzzSegment(f *testing.F) {
	f.Add("\"Hi,\" she said, \"there.\"\n\n'British,' he said.\n\n* * *\n\nChapter 2\n\n“Curly” text 6'2\" tall.")
	f.Add("\"open\n\n\"continued\n\nstray \" mark")
	f.Add("‘Tis the Joneses’ ‘best’ day.")
	f.Add("« Oui », dit-il. « Non\u00a0! »\n\n»Ja«, sagte er. »Nein ›so‹.«\n\n„Gut“, ‚fein‘ «x» „y")
	f.Add("—Hola —dijo Juan—. Ven.\n\n— Нет, — сказал он. — Да.\n\n—Sí.\n\nDijo: —Vamos—y—ya —no.")
	f.Add("—Sí.\n\n—No.\n\n—Quizá.\n\n—Hola — . — . — . — .\n\nEntonces: — . — .\n\n—a, , , , dijo Juan, , ,")
	f.Add("JACK. Hi [bows] (x.\n\nJILL: Ho.\n\nJACK. A [b\n\nJILL: (c) d\n\nMrs. Day. e\n\nJACK. f\n\nJILL: g")
	f.Fuzz(func(t *testing.T, text string) {
		b, err := reader.Read("fuzz.txt", []byte(text), reader.Options{})
		if err != nil {
			return
		}
		chs, _ := Book(b, Options{})
		checkInvariants(t, b, chs)
	})
}

// golden compares the segmentation of real books with files under
// testdata. For the project's own sample the span text is kept; for
// books under ../shared, only positions and kinds, so that their text
// never enters this repository. Run go test -update to rewrite them.
func TestGolden(t *testing.T) {
	books := []struct {
		path, golden string
		withText     bool
	}{
		{"../examples/the-lamplighters-wager.txt", "lamplighter.golden.jsonl", true},
		{"../../shared/samples/schism.txt", "schism.golden.jsonl", false},
	}
	for _, bk := range books {
		t.Run(bk.golden, func(t *testing.T) {
			if _, err := os.Stat(bk.path); err != nil {
				t.Skipf("%s not available", bk.path)
			}
			b, err := reader.Open(bk.path, reader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			chs, _ := Book(b, Options{})
			checkInvariants(t, b, chs)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for _, c := range chs {
				for _, s := range c.Spans {
					if !bk.withText {
						s.Text, s.Speech = "", ""
					}
					enc.Encode(s)
				}
			}
			path := filepath.Join("testdata", bk.golden)
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				gs, ws := bufio.NewScanner(&buf), bufio.NewScanner(bytes.NewReader(want))
				for line := 1; ; line++ {
					g, w := gs.Scan(), ws.Scan()
					if !g && !w {
						break
					}
					if gs.Text() != ws.Text() {
						t.Fatalf("%s differs at line %d:\ngot  %s\nwant %s\n(run go test -update if the change is intended)", path, line, gs.Text(), ws.Text())
					}
				}
			}
		})
	}
}

// speakers renders a chapter's spans as "kind/speaker:text".
func speakers(c Chapter) []string {
	var out []string
	for _, s := range c.Spans {
		out = append(out, fmt.Sprintf("%s/%s:%s", s.Kind, s.Speaker, s.Text))
	}
	return out
}

// TestPlaySpeech: a speech of a play is its speaker's dialogue, its name
// is not read, and the stage directions inside it are the narrator's;
// quotation marks inside a speech do not split it.
func TestPlaySpeech(t *testing.T) {
	text := "Jack. Yes, sir. Hands them over. He said \"no\" to me. Exits.\n\nEnter Lane."
	label := strings.Index(text, " Yes")
	dir := strings.Index(text, "Hands them over.")
	exits := strings.Index(text, "Exits.")
	b := &book.Book{Chapters: []book.Chapter{{Title: "Act I", Text: text, Paragraphs: []book.Paragraph{
		{Start: 0, End: strings.Index(text, "\n\n"), Speaker: "Jack", Label: label,
			Directions: [][2]int{{dir, dir + len("Hands them over.")}, {exits, exits + len("Exits.")}}},
		{Start: strings.Index(text, "Enter"), End: len(text)},
	}}}}
	chs, warns := Book(b, Options{})
	got := speakers(chs[0])
	for _, s := range chs[0].Spans {
		if s.Text != text[s.Start:s.End] {
			t.Errorf("span %q at %d-%d", s.Text, s.Start, s.End)
		}
	}
	want := []string{"dialogue/Jack:Yes, sir.", "narration/:Hands them over.", `dialogue/Jack:He said "no" to me.`, "narration/:Exits.", "narration/:Enter Lane."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans\n%q\nwant\n%q", got, want)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
}

// TestPlainTextPlay: a play set as text ("ALGERNON. Did you hear?") is
// read as one: speeches in their speakers' names, names in capitals
// written as names, bracketed stage directions the narrator's.
func TestPlainTextPlay(t *testing.T) {
	text := "ACT I. A room in Mr. O'Brien's flat.\n\n[Lane is arranging tea.]\n\n" +
		"ALGERNON.  Did you hear, Lane?\n\nLane.  I didn't listen, sir.\n\n" +
		"ALGERNON.  I'm sorry. [Sits.] Really.\n\nLane.  Yes, sir.  (Hands them on a salver.)\n\n" +
		"Mrs. Allonby:  Nothing.\n\nMrs. Allonby:  Nothing at all.\n\nEnter Lane.\n\n" +
		"LADY BRACKNELL.  Good afternoon.\n\nALGERNON.  Aunt! [Rises (slowly.)\n\nLADY BRACKNELL.  Sit down.\n\n" +
		"MRS. HARDCASTLE.  I vow.\n\nMRS. HARDCASTLE.  I vow again.\n\nO'BRIEN.  Here.\n\nO'BRIEN.  Still here.\n\nLane.  Tea, sir."
	b, err := reader.Read("play.txt", []byte(text), reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	chs, _ := Book(b, Options{})
	got := speakers(chs[0])
	want := []string{"narration/:ACT I. A room in Mr. O'Brien's flat.", "narration/:[Lane is arranging tea.]",
		"dialogue/Algernon:Did you hear, Lane?", "dialogue/Lane:I didn't listen, sir.",
		"dialogue/Algernon:I'm sorry.", "narration/:[Sits.]", "dialogue/Algernon:Really.",
		"dialogue/Lane:Yes, sir.", "narration/:(Hands them on a salver.)",
		"dialogue/Mrs. Allonby:Nothing.", "dialogue/Mrs. Allonby:Nothing at all.", "narration/:Enter Lane.",
		"dialogue/Lady Bracknell:Good afternoon.", "dialogue/Algernon:Aunt! [Rises", "narration/:(slowly.)",
		"dialogue/Lady Bracknell:Sit down.",
		"dialogue/Mrs. Hardcastle:I vow.", "dialogue/Mrs. Hardcastle:I vow again.",
		"dialogue/O'Brien:Here.", "dialogue/O'Brien:Still here.", "dialogue/Lane:Tea, sir."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans\n%q\nwant\n%q", got, want)
	}
}

// TestMarkupNamesInCapitals: speakers a play's markup names in capitals
// are written as the text writes them.
func TestMarkupNamesInCapitals(t *testing.T) {
	text := "JACK. Hello.\n\nJack bows to Mary-Jane.\n\nMARY-JANE. Hello."
	b := &book.Book{Chapters: []book.Chapter{{Title: "Act I", Text: text, Paragraphs: []book.Paragraph{
		{Start: 0, End: 12, Speaker: "JACK", Label: 5},
		{Start: 14, End: 37},
		{Start: 39, End: len(text), Speaker: "MARY-JANE", Label: 49},
	}}}}
	chs, _ := Book(b, Options{})
	got := speakers(chs[0])
	want := "dialogue/Jack:Hello.|narration/:Jack bows to Mary-Jane.|dialogue/Mary-Jane:Hello."
	if strings.Join(got, "|") != want {
		t.Errorf("spans %q, want %s", got, want)
	}
}

// TestProseIsNoPlay: prose whose paragraphs now and then open with a
// name and a full stop, or a label and a colon, is read as prose.
func TestProseIsNoPlay(t *testing.T) {
	// A third of the paragraphs open with "Emma." or "Note:", but one at
	// a time between prose, as notes and asides do; speeches come in
	// runs, one speaker answering another.
	var sb strings.Builder
	for i := range 12 {
		fmt.Fprintf(&sb, "%s. Paragraph %d has a label.\n\nIt rained all day %d.\n\nThey stayed in %d.\n\n", []string{"Emma", "Note"}[i%2], i, i, i)
	}
	// Recipes and numbered sections, also in runs.
	for i := range 8 {
		fmt.Fprintf(&sb, "Serves: %d\n\nPrep: %d minutes (plus chilling)\n\nCook: 40 minutes\n\n", i+2, 10+i)
	}
	for _, n := range []string{"I", "II", "III", "IV", "I", "II", "III", "IV", "A", "B", "A", "B"} {
		fmt.Fprintf(&sb, "%s. Of my grandfather, and of what he taught me.\n\n", n)
	}
	sb.WriteString("\"Come in,\" said Emma.")
	got, _ := spansOf(t, sb.String())
	for _, s := range got {
		if strings.HasPrefix(s, "dialogue:") && s != "dialogue:Come in," {
			t.Errorf("prose read as a speech: %s", s)
		}
	}
}

func TestSpeechLabel(t *testing.T) {
	for _, c := range []struct {
		in, name string
		ok       bool
	}{
		{"ALGERNON.  Did you hear?", "ALGERNON", true},
		{"Lady Bracknell: Good afternoon.", "Lady Bracknell", true},
		{"Mrs. Allonby. Nothing.", "Mrs. Allonby", true},
		{"FIRST CITIZEN. Before we proceed", "FIRST CITIZEN", true},
		{"Enter Lane.", "", false},
		{"ALGERNON.", "", false},
		{"Mr.Smith came.", "", false},
		{"It was late. He left.", "", false},
		{"A very long name of five words. x", "", false},
		{"[Enter Jack.]", "", false},
		{"\"Yes.\" she said.", "", false},
		{"MRS. HARDCASTLE. I vow.", "MRS. HARDCASTLE", true},
		{"IV. Of my grandfather.", "", false},
		{"Q: Why?", "", false},
		{"ACT II.  The Garden.", "", false},
	} {
		name, end, ok := speechLabel(c.in)
		if name != c.name || ok != c.ok || (ok && (c.in[end] != ' ' || !strings.HasPrefix(c.in, strings.TrimSpace(c.in[:end])) || strings.ContainsAny(c.in[end:end+1], ".:"))) {
			t.Errorf("speechLabel(%q) = %q, %d, %v; want %q, %v", c.in, name, end, ok, c.name, c.ok)
		}
	}
}
