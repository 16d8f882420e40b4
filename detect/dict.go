package detect

import (
	"strings"
	"sync"

	"github.com/brianvoe/gofakeit/v7/data"
)

// The dictionaries come from gofakeit's word lists (first and last names,
// US cities, street words), lower-cased, built on first use.
var (
	dictOnce    sync.Once
	firstNames  map[string]bool
	lastNames   map[string]bool
	cityNames   map[string]bool
	streetWords map[string]bool
	streetEnds  []string
)

// streetTypes are street designators in several languages.
var streetTypes = []string{
	"street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln",
	"drive", "dr", "court", "ct", "way", "place", "pl", "terrace", "ter", "parkway",
	"pkwy", "circle", "cir", "highway", "hwy", "square", "sq", "trail", "trl", "close",
	"crescent", "row", "loop", "plaza", "alley", "calle", "avenida", "rua", "rue", "via",
	"viale", "piazza", "straße", "strasse", "str", "weg", "gasse", "platz", "laan",
	"straat", "gata", "gatan", "vej", "ulica", "apt", "suite", "unit",
}

func loadDicts() {
	dictOnce.Do(func() {
		firstNames = lowerSet(data.Person["first"])
		lastNames = lowerSet(data.Person["last"])
		cityNames = lowerSet(data.Address["city"])
		streetWords = lowerSet(data.Address["street_name"])
		for _, w := range streetTypes {
			streetWords[w] = true
		}
		for _, s := range data.Address["street_suffix"] {
			if len(s) >= 4 {
				streetEnds = append(streetEnds, strings.ToLower(s))
			}
		}
	})
}

func lowerSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[strings.ToLower(s)] = true
	}
	return m
}

func isFirstName(w string) bool {
	loadDicts()
	return firstNames[strings.ToLower(strings.Trim(w, ".,"))]
}

func isLastName(w string) bool {
	loadDicts()
	return lastNames[strings.ToLower(strings.Trim(w, ".,"))]
}

func isKnownCity(v string) bool {
	loadDicts()
	return cityNames[strings.ToLower(strings.TrimSpace(v))]
}

// isStreetWord reports a street designator or street name word, or a word
// ending like a street name (Ashfordton, Lakeville).
func isStreetWord(w string) bool {
	loadDicts()
	w = strings.ToLower(strings.Trim(w, ".,"))
	if streetWords[w] {
		return true
	}
	for _, e := range streetEnds {
		if len(w) > len(e)+2 && strings.HasSuffix(w, e) {
			return true
		}
	}
	return strings.HasSuffix(w, "straße") || strings.HasSuffix(w, "strasse") ||
		strings.HasSuffix(w, "weg") || strings.HasSuffix(w, "straat")
}

// isHouseNumber reports 1-6 digits, optionally followed by one letter or
// a unit such as 12/3.
func isHouseNumber(w string) bool {
	w = strings.TrimSuffix(w, ",")
	n := 0
	for n < len(w) && isDigit(w[n]) {
		n++
	}
	if n == 0 || n > 6 || w[0] == '0' {
		return false
	}
	rest := w[n:]
	return rest == "" || len(rest) == 1 && rest[0]|0x20 >= 'a' && rest[0]|0x20 <= 'z' ||
		rest[0] == '/' || rest[0] == '-'
}

// isStreetAddress reports a house number followed or preceded by words,
// one of which is a street word: "12 Main Street", "4821 North
// Ashfordton", "Hauptstraße 5", "Calle Mayor 12, 3B".
func isStreetAddress(v string) bool {
	if len(v) > 120 {
		return false
	}
	head := v
	if i := strings.IndexByte(v, ','); i >= 0 {
		head = v[:i]
	}
	ws := words(head)
	if len(ws) < 2 || len(ws) > 8 {
		return false
	}
	var body []string
	switch {
	case isHouseNumber(ws[0]):
		body = ws[1:]
	case isHouseNumber(ws[len(ws)-1]):
		body = ws[:len(ws)-1]
	default:
		return false
	}
	street := false
	for _, w := range body {
		if strings.IndexFunc(w, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 &&
			!isOrdinal(w) {
			return false
		}
		if isStreetWord(w) {
			street = true
		}
	}
	return street
}

// isOrdinal reports 1st, 2nd, 3rd, 42nd...
func isOrdinal(w string) bool {
	w = strings.ToLower(w)
	for _, s := range []string{"st", "nd", "rd", "th"} {
		if p, ok := strings.CutSuffix(w, s); ok && p != "" && strings.Trim(p, "0123456789") == "" {
			return true
		}
	}
	return false
}
