package attribute

import "strings"

// speechVerbList holds verbs that introduce or tag speech, as
// "base past" pairs; the third person -s form is derived. Thought verbs
// (think, wonder) are included because novels quote thoughts too.
var speechVerbList = []string{
	"say said", "reply replied", "answer answered", "ask asked", "cry cried",
	"exclaim exclaimed", "add added", "continue continued", "return returned",
	"rejoin rejoined", "remark remarked", "observe observed", "resume resumed",
	"repeat repeated", "retort retorted", "murmur murmured", "mutter muttered",
	"whisper whispered", "shout shouted", "call called", "sigh sighed",
	"laugh laughed", "sob sobbed", "groan groaned", "stammer stammered",
	"falter faltered", "gasp gasped", "declare declared", "insist insisted",
	"protest protested", "urge urged", "interrupt interrupted", "demand demanded",
	"inquire inquired", "enquire enquired", "respond responded", "begin began",
	"think thought", "tell told", "suggest suggested", "explain explained",
	"admit admitted", "agree agreed", "object objected", "persist persisted",
	"pursue pursued", "mumble mumbled", "announce announced", "wonder wondered",
	"scream screamed", "yell yelled", "roar roared", "growl growled",
	"snap snapped", "snarl snarled", "hiss hissed", "breathe breathed",
	"plead pleaded", "beg begged", "warn warned", "remind reminded",
	"assure assured", "promise promised", "reason reasoned", "grumble grumbled",
	"complain complained", "concede conceded", "confess confessed",
	"chuckle chuckled", "giggle giggled", "smile smiled", "sneer sneered",
	"drawl drawled", "lisp lisped", "bawl bawled", "bellow bellowed",
	"stutter stuttered", "moan moaned", "wail wailed", "whimper whimpered",
	"cough coughed", "put put", "go went", "conclude concluded", "proceed proceeded",
	"interpose interposed", "exclaim exclaimed", "inquire inquired", "hint hinted",
	"venture ventured", "query queried", "question questioned", "correct corrected",
	"counter countered", "retort retorted", "sing sang", "recite recited",
	"read read", "write wrote", "muse mused", "note noted", "offer offered",
	"order ordered", "command commanded", "shriek shrieked", "squeak squeaked",
	"blurt blurted", "stammer stammered", "splutter spluttered", "sputter sputtered",
	"croak croaked", "rasp rasped", "purr purred", "coo cooed", "pant panted",
	"blush blushed", "nod nodded", "shrug shrugged", "grin grinned",
	"mention mentioned", "state stated", "affirm affirmed", "acknowledge acknowledged",
	"predict predicted", "guess guessed", "prompt prompted", "whine whined",
	"tease teased", "joke joked", "fret fretted", "soothe soothed",
}

// speechVerbs maps every inflected form of a speech verb to true.
var speechVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, e := range speechVerbList {
		f := strings.Fields(e)
		base, past := f[0], f[1]
		m[base] = true
		m[past] = true
		switch {
		case strings.HasSuffix(base, "ie"):
			m[base[:len(base)-2]+"ying"] = true
		case strings.HasSuffix(base, "e") && !strings.HasSuffix(base, "ee"):
			m[base[:len(base)-1]+"ing"] = true
		default:
			m[base+"ing"] = true
		}
		switch {
		case strings.HasSuffix(base, "y") && !strings.HasSuffix(base, "ay") && !strings.HasSuffix(base, "ey"):
			m[base[:len(base)-1]+"ies"] = true
		case strings.HasSuffix(base, "s") || strings.HasSuffix(base, "sh") || strings.HasSuffix(base, "ch") || strings.HasSuffix(base, "x"):
			m[base+"es"] = true
		case base == "go":
			m["goes"] = true
		default:
			m[base+"s"] = true
		}
	}
	return m
}()

// presentVerbs holds the third-person present forms of the speech verbs
// ("says", "writes", "replies"), which tag a cited author in an essay
// told in the past tense of a story.
var presentVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, e := range speechVerbList {
		base, past, _ := strings.Cut(e, " ")
		for _, f := range []string{base + "s", base + "es", strings.TrimSuffix(base, "y") + "ies"} {
			if speechVerbs[f] && f != past {
				m[f] = true
			}
		}
	}
	return m
}()

// weakVerbs are speech verbs that also describe actions, so they tag a
// quotation only when right next to it.
var weakVerbs = map[string]bool{
	"smile": true, "smiled": true, "smiles": true, "laugh": true, "laughed": true, "laughs": true,
	"nod": true, "nodded": true, "nods": true, "shrug": true, "shrugged": true, "shrugs": true,
	"grin": true, "grinned": true, "grins": true, "blush": true, "blushed": true, "blushes": true,
	"put": true, "puts": true, "go": true, "went": true, "goes": true, "read": true, "reads": true,
	"write": true, "wrote": true, "writes": true, "sigh": true, "sighed": true, "sighs": true,
	"think": true, "thought": true, "thinks": true, "cough": true, "coughed": true, "coughs": true,
	"return": true, "returned": true, "returns": true, "call": true, "called": true, "calls": true,
	"tell": true, "told": true, "tells": true, "begin": true, "began": true, "begins": true,
	"continue": true, "continues": true, "order": true, "ordered": true, "offer": true, "offered": true,
	"note": true, "noted": true, "question": true, "questioned": true, "correct": true, "corrected": true,
	"sing": true, "sang": true, "agree": true, "agreed": true, "object": true, "objected": true,
	"state": true, "stated": true, "wonder": true, "wondered": true, "pursue": true, "pursued": true,
	"add": true, "added": true, "adds": true, "repeat": true, "repeated": true,
}

// title is an honorific or rank before a name.
type title struct {
	norm   string // normalised spelling, as printed
	gender string // "male", "female" or ""
}

// titles maps the lower-case spelling (without period) to its title.
var titles = func() map[string]title {
	m := map[string]title{}
	add := func(g string, spellings ...string) {
		for _, s := range spellings {
			f := strings.SplitN(s, "=", 2)
			norm := f[0]
			if len(f) == 2 {
				norm = f[1]
			}
			m[strings.ToLower(f[0])] = title{norm: norm, gender: g}
		}
	}
	add("male", "Mr=Mr.", "Mister=Mr.", "Sir", "Lord", "Uncle", "Monsieur", "Herr", "King", "Prince",
		"Master", "Duke", "Count", "Baron", "Earl", "Marquis", "Viscount", "Signor", "Senor", "Don", "Brother",
		"Father", "Mynheer", "Messrs=Mr.")
	add("female", "Mrs=Mrs.", "Miss", "Ms=Ms.", "Lady", "Dame", "Aunt", "Madame", "Mademoiselle",
		"Mme=Madame", "Mlle=Mademoiselle", "Frau", "Fraulein", "Queen", "Princess", "Mistress",
		"Duchess", "Countess", "Baroness", "Marchioness", "Viscountess", "Signora", "Senora", "Sister", "Mother",
		"Missus=Mrs.", "Madam", "Widow")
	add("", "Dr=Dr.", "Doctor", "Captain", "Capt=Captain", "Colonel", "Col=Colonel", "Major",
		"General", "Lieutenant", "Lieut=Lieutenant", "Sergeant", "Corporal", "Admiral",
		"Professor", "Prof=Professor", "Reverend", "Rev=Reverend", "Judge", "Inspector",
		"Squire", "Parson", "Officer", "Constable", "Sheriff", "Saint", "St=St.")
	return m
}()

// genderedNouns are common nouns that name a person in a speech tag
// ("said his sister", "the old gentleman replied"), with their gender.
var genderedNouns = map[string]string{
	"man": "male", "gentleman": "male", "boy": "male", "lad": "male", "fellow": "male",
	"father": "male", "brother": "male", "son": "male", "husband": "male", "uncle": "male",
	"papa": "male", "nephew": "male", "grandfather": "male", "king": "male", "prince": "male",
	"lord": "male", "sir": "male", "master": "male", "stranger": "", "friend": "",
	"woman": "female", "lady": "female", "girl": "female", "mother": "female", "sister": "female",
	"daughter": "female", "wife": "female", "aunt": "female", "mamma": "female", "mama": "female",
	"niece": "female", "grandmother": "female", "queen": "female", "princess": "female",
	"mistress": "female", "maid": "female", "duchess": "female", "widow": "female",
	"companion": "", "visitor": "", "guest": "", "child": "", "servant": "", "host": "male",
	"hostess": "female", "doctor": "", "captain": "", "colonel": "", "old": "",
	// Ranks, so that "said the major" finds its bearer ("Major Trent").
	"major": "", "lieutenant": "", "sergeant": "", "admiral": "", "inspector": "", "professor": "",
	"judge": "", "squire": "", "parson": "",
}

// roleNouns are more nouns of people who speak in novels without a
// name, beside genderedNouns, with their sex where the noun gives it;
// nounGender reads others from their endings ("fisherman",
// "governess").
var roleNouns = map[string]string{
	"lass": "female", "butler": "male", "valet": "male", "waiter": "male", "porter": "male", "groom": "male",
	"sailor": "male", "soldier": "male", "officer": "", "clerk": "", "cook": "", "nurse": "female",
	"landlord": "male", "landlady": "female", "housekeeper": "female", "page": "male", "guard": "",
	"traveller": "", "peasant": "", "beggar": "", "priest": "male",
}

// notNames are capitalised words that are never character names.
var notNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`I I'm I'll I've I'd A An The This That These Those There Here
		He She It We You They His Her Its Our Your Their Him Them Me My Mine Us
		What Who Whom Whose Which When Where Why How Whatever Whoever
		And But Or Nor For So Yet If Then Than As At By In Of On To Up With From Into
		Upon After Before Since Until Till While Though Although Because Unless Whether
		Oh O Ah Aye Ay Alas Ha Hah Eh Hey Hem Hum Pooh Pshaw Psha Hush Nay Yes Yea No Not
		Well Now Indeed Why Sure Certainly Perhaps Quite Very Only Even Still Just Pray
		Good Dear My Poor Yes Nothing Everything Something Anything Nobody Everybody Somebody
		Anybody Nobody None All Some Any Every Each Both Either Neither Such Much Many More
		Most Few Less Least Own Other Another Same One Two Three Four Five Six Seven Eight
		Nine Ten First Second Third Last Next Chapter Book Volume Part Section Letter
		Monday Tuesday Wednesday Thursday Friday Saturday Sunday
		January February March April May June July August September October November December
		Christmas Easter God Lord Heaven Heavens Providence Christ Jesus Devil Hell
		Mr Mrs Miss Ms Dr Sir Madam Ma'am Mamma Papa Mama Mother Father Sister Brother
		English England French France London Paris Italian Italy German Germany Scotch
		Irish Ireland Scotland American America Europe Spanish Latin Greek Christian
		Do Don't Does Did Let Go Come Have Has Had Is Are Was Were Be Been Shall Will Would
		Should Could Can Can't Won't Must May Might Say Said Tell Look See Thank Thanks Pardon
		Oh Ay Mind Hark Stop Wait Listen Never Ever Always Again Yes Good-bye Goodbye
		Bye Hello Hullo Halloa Sir Lady Lord Ha Hurrah Bravo Amen Tis Twas OK Okay`) {
		m[w] = true
	}
	return m
}()

// placePreps are prepositions that put a following name in a place.
var placePreps = map[string]bool{
	"at": true, "in": true, "into": true, "near": true, "towards": true, "toward": true,
	"through": true, "from": true, "inside": true, "within": true, "across": true, "street": true,
}

// objectPreps mark a following name as an object, not a subject.
var objectPreps = map[string]bool{
	"to": true, "at": true, "with": true, "for": true, "of": true, "on": true, "from": true,
	"by": true, "about": true, "upon": true, "towards": true, "toward": true, "than": true,
	"like": true, "after": true, "before": true, "behind": true, "against": true, "into": true,
	"in": true, "without": true, "beside": true, "near": true, "under": true, "over": true,
	"between": true, "among": true, "round": true, "around": true, "and": false,
}

// tagFillers may sit between a speech verb and its subject ("then said
// he", "at last she said", "said he in reply").
var tagFillers = map[string]bool{
	"then": true, "again": true, "now": true, "quickly": true, "slowly": true, "softly": true,
	"quietly": true, "at": true, "last": true, "once": true, "presently": true, "still": true,
	"too": true, "also": true, "however": true, "instantly": true, "immediately": true,
	"eagerly": true, "gravely": true, "coldly": true, "warmly": true, "not": true, "in": true,
	"reply": true, "return": true, "answer": true, "length": true,
}

// maleNames and femaleNames are common English given names, used to guess
// gender when a name has no title and pronoun evidence is thin. Written
// for this package from general knowledge.
var maleNames = wordSet(`Aaron Abel Abraham Adam Adrian Alan Albert Alexander Alfred Allan Allen
	Andrew Angus Anthony Archibald Archie Arnold Arthur Augustus Austin Barnaby Bartholomew Basil
	Ben Benjamin Bernard Bert Bill Billy Bob Cecil Charles Charlie Christopher Clarence Claude
	Clement Cornelius Cyril Dan Daniel David Dick Donald Douglas Duncan Edgar Edmund
	Edward Edwin Eli Elias Elijah Ernest Eugene Ezra Felix Ferdinand Francis Frank Fred Frederick
	Gabriel Geoffrey George Gerald Gilbert Godfrey Gregory Guy Harold Harry Henry Herbert Horace
	Hugh Humphrey Isaac Jack Jacob Jake James Jasper Jem Jeremiah Jerry Jim Jimmy Joe John Jonathan
	Joseph Josiah Joshua Julian Kit Lawrence Leonard Lewis Louis Luke Mark Martin Matthew Maurice
	Michael Miles Mortimer Moses Nathan Nathaniel Ned Nicholas Noah Oliver Oscar Owen Patrick Paul
	Percy Peter Philip Ralph Reginald Richard Robert Robin Roger Rupert Samuel Sam Sebastian Sidney
	Silas Simon Stephen Steven Theodore Thomas Tim Timothy Tobias Toby Tom Tony Victor Vincent
	Walter Wilfred Will William Willy Zachary
	Ivan Dmitri Pierre Jean Jacques Hans Carl Karl Otto Fritz Giovanni Antonio Carlos Juan Pedro`)

var femaleNames = wordSet(`Abigail Ada Adela Adelaide Agatha Agnes Alice Amelia Amy Angela Ann
	Anna Anne Annie Arabella Augusta Barbara Beatrice Becky Bella Bertha Bess Bessie Betsy Betty
	Blanche Bridget Caroline Catherine Cecilia Cecily Charlotte Clara Clarissa Constance Cora
	Cynthia Daisy Diana Dinah Dolly Dora Dorothea Dorothy Edith Eleanor Elinor Eliza Elizabeth
	Ella Ellen Elsie Emily Emma Esther Ethel Eugenia Eva Eve Evelyn Fanny Flora Florence Frances
	Georgiana Georgina Gertrude Grace Gwendolen Hannah Harriet Harriett Helen Helena Henrietta
	Hester Hetty Isabel Isabella Jane Janet Jennie Jenny Jessie Joan Josephine Judith Julia
	Juliet Kate Katherine Kathleen Katie Kitty Laura Lavinia Letitia Lilian Lily Lizzie Lizzy
	Lottie Louisa Louise Lucy Lydia Mabel Madeline Maggie Margaret Maria Marian Marianne Marie
	Martha Mary Matilda Maud Meg Milly Minnie Miriam Molly Nancy Nell Nellie Nora Olivia Patience
	Pauline Peggy Phoebe Polly Priscilla Prudence Rachel Rachael Rebecca Rhoda Rosa Rosalind
	Rose Ruth Sally Sarah Sophia Sophie Susan Susanna Sybil Sibyl Sylvia Teresa Theresa Victoria
	Violet Virginia Winifred Natasha Anya Olga Sonia Maria Marguerite
	May June Hope Faith Beth Charity Mercy Iris Ivy Hazel Pearl Ruby Stella Nan Tilly`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// Pronoun genders for tags and for gender statistics.
var pronounGender = map[string]string{
	"he": "male", "him": "male", "his": "male", "himself": "male",
	"she": "female", "her": "female", "hers": "female", "herself": "female",
}

// nicknames maps common English pet forms to the given name they stand
// for, so that "Harry" and "Henry" can name one person.
var nicknames = func() map[string]string {
	m := map[string]string{}
	for _, line := range []string{
		"Thomas Tom Tommy", "William Will Willy Bill Billy", "Henry Harry Hal", "James Jim Jimmy Jem Jamie",
		"Robert Bob Bobby", "Richard Dick Dicky", "Edward Ned Ted Teddy", "John Jack Johnny",
		"Joseph Joe", "Samuel Sam Sammy", "Benjamin Ben", "Frederick Fred Freddy", "Charles Charlie",
		"Nicholas Nick", "Anthony Tony", "Christopher Kit", "Katherine Kate Kitty Katie Kathy",
		"Elizabeth Bess Bessie Betsy Betty Lizzy Lizzie Eliza Liz", "Margaret Meg Maggie Peggy",
		"Mary Polly Molly Mamie", "Ellen Nell Nellie", "Sarah Sally", "Frances Fanny", "Louisa Loo Lou",
		"Susan Sue Sukey Susie", "Martha Patty", "Jane Jenny Jennie", "Ann Nancy Annie", "Alexander Alec Sandy",
		"Matthew Matt", "Michael Mike Mick", "Patrick Pat Paddy", "Daniel Dan Danny", "Albert Bert Bertie",
		"Stephen Steve Stevie", "Lawrence Larry", "Philip Phil", "Francis Frank", "Augustus Gus", "Walter Wat Wally",
		"Timothy Tim", "Jacob Jake", "Abraham Abe", "Reginald Reggie", "Archibald Archie", "Percival Percy",
		"Sophia Sophy Sophie", "Isabella Bella", "Dorothy Dolly Dot", "Caroline Carrie", "Josephine Josie",
		"Rebecca Becky", "Judith Judy", "Matilda Tilly Tilda", "Abigail Abby", "Cecilia Sissy Cissy",
	} {
		f := strings.Fields(line)
		for _, n := range f[1:] {
			m[n] = f[0]
		}
	}
	return m
}()

// speechNouns stand for an utterance: "Emma's answer was".
var speechNouns = wordSet("answer reply remark words exclamation cry rejoinder response observation question retort comment")

// kinNouns name a relative, who shares a family name ("said her
// father").
var kinNouns = wordSet("father mother brother sister son daughter husband wife uncle aunt papa mamma mama")

// auxiliaries may come between a tag's subject and its verb.
var auxiliaries = wordSet("had has could would did must might should then only just soon now cannot can will shall was")

// roleTitles can stand alone for a person after "the" ("cried the
// Queen"). "Lord" is left out: "the Lord" is God.
var roleTitles = wordSet("queen king prince princess duke duchess count countess baron baroness doctor captain colonel major general professor inspector judge squire parson sergeant lieutenant admiral marquis earl widow")

// peerTitles take a place after "of" as the bearer's name ("the Duke of
// Omnium", "the Countess of Wessex").
var peerTitles = wordSet("duke duchess earl countess marquis marchioness baron baroness viscount viscountess")
