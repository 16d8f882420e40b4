package detect

import "math"

// Thresholds of the column classification, as shares of non-null values.
const (
	valueShare = 0.8  // a validator alone decides the kind
	cardShare  = 0.9  // card numbers: a random number passes Luhn 1 time in 10
	nameShare  = 0.7  // dictionary names without a name hint
	hintShare  = 0.5  // a validator or shape, with a name hint that agrees
	textShare  = 0.3  // share of values of 3+ words for a free-text column
	spanShare  = 0.01 // share of text values holding a PII span
	lowCard    = 100  // at most this many distinct values: a low-cardinality attribute
)

// strictKinds are decided by whole-cell validators, in priority order.
var strictKinds = []Kind{UUID, Email, IBAN, CreditCard, MAC, IPv6, IPv4, URL, NationalID,
	Phone, StreetAddress, PersonName}

// classify turns the counters of a column into a report.
func classify(name string, s *colStats) ColumnReport {
	r := ColumnReport{Name: name, Kind: None, Rows: s.rows}
	if s.rows > 0 {
		r.NullShare = float64(s.nulls) / float64(s.rows)
	}
	if s.n == 0 {
		r.Reason = "no values"
		r.QuasiIdentifier = quasiHint(name)
		return r
	}
	n := float64(s.n)
	distinct := math.Min(s.distinct.estimate(), n)
	r.DistinctShare = distinct / n
	share := func(c int) float64 { return float64(c) / n }
	hint := NameHint(name)

	decide := func(k Kind, m, conf float64, why string) {
		r.Kind, r.MatchShare, r.Confidence, r.Reason = k, m, math.Min(conf, 1), why
	}

	// 1. A validator alone, on most values.
	best, bestShare := None, 0.0
	for _, k := range strictKinds {
		if sh := share(s.match[k]); sh > bestShare {
			best, bestShare = k, sh
		}
	}
	need := valueShare
	switch best {
	case CreditCard:
		need = cardShare
	case PersonName, StreetAddress:
		need = nameShare
		if distinct < math.Min(20, n/2) {
			need = 2 // a few repeated words (White, Black) are categories, not names
		}
	}
	switch {
	case best != None && bestShare >= need:
		conf := 0.9 * bestShare
		if hint == best {
			conf = 0.7 + 0.3*bestShare
		}
		decide(best, bestShare, conf, "values validate as "+string(best))
	case hint != None && hint != FreeTextPII:
		byHint(&r, hint, s, share, decide)
	}

	// 2. Free text with PII inside.
	if r.Kind == None && share(s.texts) >= textShare && s.spans > 0 &&
		float64(s.spans) >= spanShare*float64(s.texts) {
		sh := share(s.spans)
		decide(FreeTextPII, sh, 0.5+sh, "PII found inside text values")
	}

	// 3. Weaker value evidence without a name hint.
	if r.Kind == None && share(s.cities) >= nameShare && distinct >= math.Min(20, n/2) {
		decide(City, share(s.cities), 0.6*share(s.cities), "values are known city names")
	}
	if r.Kind == None {
		r.Confidence = 1 - bestShare
		r.MatchShare = 0
		if r.Reason == "" {
			r.Reason = "no kind of personal data found"
		}
	}

	r.Direct = r.Kind.Direct()
	if !r.Direct {
		lowCardinality := distinct >= 2 && distinct <= lowCard && r.DistinctShare <= 0.2
		r.QuasiIdentifier = r.Kind.Quasi() || quasiHint(name) || s.temporal ||
			share(s.dates) >= valueShare || lowCardinality && r.Kind != UUID
	}
	return r
}

// byHint decides the kind of a column whose name suggests hint, from
// looser evidence in its values.
func byHint(r *ColumnReport, hint Kind, s *colStats, share func(int) float64,
	decide func(Kind, float64, float64, string)) {
	strong := share(s.match[hint])
	why := "column name suggests " + string(hint)
	switch hint {
	case Phone:
		if sh := share(s.phoneLoose); sh >= hintShare {
			decide(Phone, sh, 0.5+0.5*sh, why+"; values are valid phone numbers")
		} else if sh := share(s.phoneShaped); sh >= 0.8 {
			// Numbers of countries we cannot validate without their code.
			decide(Phone, sh, 0.4+0.4*sh, why+"; values are phone-shaped")
		}
	case NationalID:
		if sh := share(s.idLoose); sh >= hintShare && r.DistinctShare >= 0.5 {
			decide(NationalID, sh, 0.4+0.5*sh, why+"; values are ID-shaped")
		}
	case DateOfBirth:
		if s.temporal || share(s.dates) >= hintShare && s.births >= s.dates*8/10 {
			sh := share(s.births)
			if s.temporal {
				sh = 1
			}
			decide(DateOfBirth, sh, 0.5+0.5*sh, why+"; values are dates in a birth range")
		}
	case Zip:
		if sh := share(s.zipShape); sh >= hintShare {
			decide(Zip, sh, 0.4+0.5*sh, why+"; values are postcode-shaped")
		}
	case City:
		if sh := share(s.nameShape); sh >= hintShare {
			decide(City, sh, 0.4+0.5*sh, why+"; values are words")
		}
	case PersonName:
		if sh := share(s.nameShape); sh >= hintShare {
			decide(PersonName, sh, 0.5+0.4*sh, why+"; values are name-shaped")
		}
	case StreetAddress:
		if sh := math.Max(strong, share(s.hasDigit)); sh >= hintShare &&
			share(s.nameShape) < hintShare {
			decide(StreetAddress, sh, 0.4+0.5*sh, why+"; values hold numbers and words")
		}
	default:
		if strong >= hintShare {
			decide(hint, strong, 0.5+0.5*strong, why+"; values validate")
		}
	}
}
