// Package detect finds personal data (PII) in tables and in free text.
//
// It classifies columns by their name and by whole-cell validation of
// sampled values ([Profiler]), validates single cells ([ValueKinds]) and
// finds PII spans inside longer text ([FindSpans]). It never stores or
// reports the values it looks at: reports carry only kinds, shares and
// counts.
//
// The package imports nothing else of anon, so any package may use it.
package detect

// Kind names a kind of personal (or identifying) data.
type Kind string

// The kinds detect knows.
const (
	Email         Kind = "email"
	Phone         Kind = "phone"
	PersonName    Kind = "person_name"
	StreetAddress Kind = "street_address"
	City          Kind = "city"
	Zip           Kind = "zip"
	DateOfBirth   Kind = "date_of_birth"
	NationalID    Kind = "national_id"
	CreditCard    Kind = "credit_card"
	IBAN          Kind = "iban"
	IPv4          Kind = "ipv4"
	IPv6          Kind = "ipv6"
	MAC           Kind = "mac"
	UUID          Kind = "uuid"
	URL           Kind = "url"
	FreeTextPII   Kind = "free_text_pii"
	None          Kind = "none"
)

// Kinds lists every kind except None, in a stable order.
var Kinds = []Kind{
	Email, Phone, PersonName, StreetAddress, City, Zip, DateOfBirth, NationalID,
	CreditCard, IBAN, IPv4, IPv6, MAC, UUID, URL, FreeTextPII,
}

// Direct reports whether a column of kind k identifies a person on its own
// (a name, an email, a card number...). UUIDs and URLs are identifiers of
// records or pages, not of people, and are not direct.
func (k Kind) Direct() bool {
	switch k {
	case Email, Phone, PersonName, StreetAddress, NationalID, CreditCard, IBAN,
		IPv4, IPv6, MAC, FreeTextPII:
		return true
	}
	return false
}

// Quasi reports whether a column of kind k is a quasi-identifier on its
// own: it does not name a person but combines with others to single one
// out (a city, a zip code, a date of birth).
func (k Kind) Quasi() bool {
	switch k {
	case City, Zip, DateOfBirth:
		return true
	}
	return false
}

// ColumnReport describes one column of a profiled table. It holds no data
// values.
type ColumnReport struct {
	// Name is the column's name.
	Name string `json:"name"`

	// Kind is the detected kind, None when nothing was found.
	Kind Kind `json:"kind"`

	// Confidence is in [0, 1]: how sure the detection is.
	Confidence float64 `json:"confidence"`

	// MatchShare is the share of non-null sampled values that validate as
	// Kind (for FreeTextPII, that contain a span of PII).
	MatchShare float64 `json:"match_share"`

	// NullShare is the share of sampled rows that are null or empty.
	NullShare float64 `json:"null_share"`

	// DistinctShare is the estimated share of distinct values among the
	// non-null sampled values.
	DistinctShare float64 `json:"distinct_share"`

	// Direct is set when the column identifies people on its own.
	Direct bool `json:"direct"`

	// QuasiIdentifier is set when the column could combine with others to
	// single people out (age, zip, gender, dates, low-cardinality
	// attributes).
	QuasiIdentifier bool `json:"quasi_identifier"`

	// Rows is the number of sampled rows.
	Rows int `json:"rows"`

	// Reason says in a few words why the kind was chosen (name hint,
	// validator), never quoting values.
	Reason string `json:"reason,omitempty"`
}

// Span is a piece of PII inside a text: bytes text[Start:End] are of Kind.
type Span struct {
	Start int  `json:"start"`
	End   int  `json:"end"`
	Kind  Kind `json:"kind"`
}
