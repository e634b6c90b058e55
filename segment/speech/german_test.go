package speech

import "testing"

func TestGerman(t *testing.T) {
	runNormalize(t, Options{Language: "de-AT"}, []normCase{
		{"Dr. Müller und Hr. Weber trafen Fr. Schmidt.", "Doktor Müller und Herr Weber trafen Frau Schmidt."},
		{"Prof. Bauer wohnt in St. Gallen.", "Professor Bauer wohnt in Sankt Gallen."},
		{"Zimmer Nr. 5, siehe S. 12 und Bd. 3", "Zimmer Nummer 5, siehe Seite 12 und Band 3"},
		{"z.B. heute, d.h. nichts, u.a. Brot", "zum Beispiel heute, das heißt nichts, unter anderem Brot"},
		{"Äpfel, Birnen usw. Dann ging er.", "Äpfel, Birnen und so weiter. Dann ging er."},
		{"Äpfel usw. und Birnen", "Äpfel und so weiter und Birnen"},
		{"ca. 20 Leute bzw. mehr", "circa 20 Leute beziehungsweise mehr"},
		{"um 15:30 Uhr", "um 15 Uhr 30"},
		// Left as written: ordinals, numbers, money, abbreviations out of place.
		{"am 3. Mai 1865 für 1.000 €", "am 3. Mai 1865 für 1.000 €"},
		{"Der Satz endet mit Nr. Dann", "Der Satz endet mit Nr. Dann"},
		{"Er sagte Dr. nicht", "Er sagte Dr. nicht"},
	})
}
