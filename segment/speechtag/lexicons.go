package speechtag

import "strings"

// lexicons are keyed by primary language subtag. The verbs are the
// common verbs of saying in the past tenses fiction narrates in, and the
// present for books narrated in it; the pronouns are the third-person
// singular subjects, whose gender tells the speaker's, and the first
// person, the narrator. The definite articles, with the gender they
// show, let a tag name someone by role ("dit la mère", "sagte der Vater").
// Verb forms of the first person ("dis-je", "dije") say the narrator
// speaks, with or without a pronoun. Titles before a name may show the
// gender too ("Frau Müller", "Don Pedro").
var lexicons = map[string]*Lexicon{
	"fr": withCommaIncises(lexicon(
		"dit demanda répondit reprit ajouta s'écria cria murmura souffla fit répliqua continua poursuivit "+
			"expliqua déclara lança chuchota balbutia insista observa remarqua conclut hurla soupira protesta "+
			"affirma objecta grogna gémit avoua annonça interrompit rétorqua bredouilla questionna "+
			"demande répond reprend ajoute s'écrie crie murmure souffle réplique continue poursuit explique "+
			"déclare lance chuchote insiste observe remarque hurle soupire proteste affirme interrompt rétorque",
		"dis répondis demandai repris ajoutai m'écriai murmurai fis répliquai continuai:narrator",
		"il:male elle:female je:narrator", "le:male la:female +un +une",
		"m.:male monsieur:male mme.:female madame:female mlle.:female mademoiselle:female dr.:- docteur:-", "lui leur me te nous vous")),
	"de": lexicon(
		"sagte fragte antwortete rief flüsterte murmelte meinte erwiderte entgegnete schrie erklärte "+
			"bemerkte seufzte brummte stammelte stotterte knurrte versetzte wiederholte begann fuhr "+
			"sagt fragt antwortet ruft flüstert murmelt meint erwidert entgegnet schreit erklärt bemerkt seufzt",
		"", "er:male sie:female ich:narrator", "der:male die:female das: +ein +eine +einer",
		"herr:male frau:female fräulein:female dr.:- doktor:-", "ihm ihn ihnen mir"),
	"es": lexicon(
		"dijo preguntó respondió contestó gritó exclamó murmuró susurró añadió agregó replicó explicó "+
			"insistió repuso continuó prosiguió suspiró interrumpió balbuceó declaró comentó observó "+
			"dice pregunta responde contesta grita exclama murmura susurra añade agrega replica explica insiste",
		"dije pregunté respondí contesté grité exclamé murmuré susurré añadí repliqué expliqué:narrator",
		"él:male ella:female yo:narrator", "el:male la:female +un +una +uno",
		"don:male doña:female señor:male señora:female señorita:female sr.:male sra.:female srta.:female dr.:- doctor:-", "le les me te nos os la lo"),
	"it": lexicon(
		"disse chiese rispose domandò gridò esclamò mormorò sussurrò aggiunse replicò continuò spiegò "+
			"insistette riprese osservò balbettò dichiarò "+
			"dice chiede risponde domanda grida esclama mormora sussurra aggiunge replica continua spiega",
		"dissi chiesi risposi domandai gridai esclamai mormorai aggiunsi replicai:narrator",
		"lui:male egli:male lei:female ella:female io:narrator", "il:male lo:male la:female +un +una +uno",
		"signor:male signore:male signora:female signorina:female don:male donna:female dottor:- dottore:-", "gli le mi ti ci vi"),
	"pt": lexicon(
		"disse perguntou respondeu gritou exclamou murmurou sussurrou acrescentou replicou continuou "+
			"explicou insistiu retrucou observou declarou "+
			"diz pergunta responde grita exclama murmura sussurra acrescenta replica continua explica",
		"perguntei respondi gritei exclamei murmurei acrescentei repliquei:narrator",
		"ele:male ela:female eu:narrator", "o:male a:female +um +uma",
		"senhor:male senhora:female dona:female dom:male sr.:male sra.:female dr.:- doutor:-", "lhe lhes me te nos"),
	"nl": lexicon(
		"zei vroeg antwoordde riep fluisterde mompelde zuchtte verklaarde vervolgde "+
			"zegt vraagt antwoordt roept fluistert mompelt",
		"", "hij:male zij:female ze:female ik:narrator", "de: het: +een",
		"meneer:male mijnheer:male mevrouw:female juffrouw:female dr.:- dokter:-", ""),
	// Russian and Polish past tenses show the speaker's gender.
	"ru": lexicon(
		"говорит спрашивает отвечает кричит шепчет",
		"сказал спросил ответил крикнул прошептал воскликнул пробормотал добавил произнёс произнес "+
			"заметил возразил продолжал повторил закричал проговорил подумал:male "+
			"сказала спросила ответила крикнула прошептала воскликнула пробормотала добавила произнесла "+
			"заметила возразила продолжала повторила закричала проговорила подумала:female",
		"он:male она:female я:narrator", "", "", "ему ей им мне нам вам тебе"),
	"pl": lexicon(
		"mówi pyta odpowiada krzyczy szepcze",
		"powiedział zapytał spytał odpowiedział krzyknął szepnął mruknął dodał zawołał odparł rzekł:male "+
			"powiedziała zapytała spytała odpowiedziała krzyknęła szepnęła mruknęła dodała zawołała odparła rzekła:female",
		"on:male ona:female ja:narrator", "",
		"pan:male pani:female panna:female doktor:-", "mu jej im mi nam wam ci"),
}

// lexicon builds a Lexicon from space-separated verbs that show no
// gender, groups of verbs ending in ":gender", and "pronoun:gender" and
// "article:gender" ("+una" for an indefinite article) and
// "title:gender" pairs ("-" for a title of either;
// "dr.:-" for one written short, which a full stop may follow), and the
// object pronouns a tag may hold ("le dijo Juan", "ответил ему Иван").
func lexicon(verbs, gendered, pronouns, articles, titles, objects string) *Lexicon {
	l := &Lexicon{verbs: map[string]string{}, pronouns: map[string]string{}, articles: map[string]string{}, titles: map[string]string{},
		abbrevs: map[string]bool{}, objects: map[string]bool{}, indefinite: map[string]bool{}}
	for _, a := range strings.Fields(articles) {
		if w, ok := strings.CutPrefix(a, "+"); ok {
			l.indefinite[w] = true
		}
	}
	for _, o := range strings.Fields(objects) {
		l.objects[o] = true
	}
	for _, v := range strings.Fields(verbs) {
		l.verbs[v] = ""
	}
	var group []string
	for _, v := range strings.Fields(gendered) {
		if w, g, ok := strings.Cut(v, ":"); ok {
			for _, x := range append(group, w) {
				l.verbs[x] = g
			}
			group = group[:0]
			continue
		}
		group = append(group, v)
	}
	for _, p := range strings.Fields(pronouns) {
		w, g, _ := strings.Cut(p, ":")
		l.pronouns[w] = g
	}
	for _, a := range strings.Fields(articles) {
		if strings.HasPrefix(a, "+") {
			continue
		}
		w, g, _ := strings.Cut(a, ":")
		l.articles[w] = g
	}
	for _, a := range strings.Fields(titles) {
		w, g, _ := strings.Cut(a, ":")
		if short, ok := strings.CutSuffix(w, "."); ok {
			w = short
			l.abbrevs[w] = true
		}
		l.titles[w] = g
	}
	return l
}

func withCommaIncises(l *Lexicon) *Lexicon {
	l.commaIncises = true
	return l
}
