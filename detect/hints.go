package detect

import (
	"strings"
	"unicode"
)

// nameHints maps normalized column-name words and phrases (lower case,
// separators removed) to the kind they suggest. Exact matches of the
// whole normalized name are tried first, then each word.
var nameHints = []struct {
	kind  Kind
	exact []string // the whole normalized name
	word  []string // one word of the name
}{
	{Email, []string{"email", "emailaddress", "mail", "mailaddress", "correo",
		"correoelectronico", "courriel", "adressemail", "epost", "emailadresse"},
		[]string{"email", "e_mail", "mail", "correo", "courriel"}},
	{IPv4, []string{"ip", "ipaddress", "ipaddr", "ipv4", "clientip", "remoteaddr",
		"remoteip", "sourceip", "srcip", "dstip", "hostip", "direccionip"},
		[]string{"ip", "ipv4", "ipaddress"}},
	{IPv6, []string{"ipv6", "ipv6address"}, []string{"ipv6"}},
	{MAC, []string{"mac", "macaddress", "macaddr", "hwaddr", "hardwareaddress"},
		[]string{"mac", "macaddress"}},
	{UUID, []string{"uuid", "guid"}, []string{"uuid", "guid"}},
	{URL, []string{"url", "uri", "website", "homepage", "link", "href", "webpage"},
		[]string{"url", "uri", "website", "homepage"}},
	{CreditCard, []string{"cc", "ccnumber", "ccnum", "cardnumber", "creditcard",
		"creditcardnumber", "pan", "tarjeta", "numerotarjeta", "kreditkarte", "carte"},
		[]string{"cc", "creditcard", "card", "tarjeta"}},
	{IBAN, []string{"iban", "ibancode", "bankaccount"}, []string{"iban"}},
	{NationalID, []string{"ssn", "socialsecurity", "socialsecuritynumber", "nationalid",
		"nationalidnumber", "nin", "nino", "sin", "taxid", "tin", "passport",
		"passportnumber", "dni", "nie", "nif", "curp", "cpf", "bsn", "personnummer",
		"codicefiscale", "insee", "idcard", "idnumber", "personalid", "steuerid"},
		[]string{"ssn", "nationalid", "passport", "dni", "nif", "curp", "cpf", "bsn"}},
	{Phone, []string{"phone", "phonenumber", "telephone", "tel", "telefono", "telefon",
		"telephonenumber", "mobile", "mobilephone", "cell", "cellphone", "msisdn", "fax",
		"handy", "celular", "movil", "contactnumber", "numerotelephone"},
		[]string{"phone", "telephone", "tel", "telefono", "telefon", "mobile", "cell",
			"msisdn", "fax", "celular", "movil", "handy"}},
	{DateOfBirth, []string{"dob", "birthdate", "birthday", "dateofbirth", "born",
		"fechanacimiento", "fechadenacimiento", "nacimiento", "geburtsdatum",
		"datenaissance", "datedenaissance", "datanascita", "datadinascita"},
		[]string{"dob", "birth", "birthdate", "birthday", "nacimiento", "geburtsdatum",
			"naissance", "nascita"}},
	{Zip, []string{"zip", "zipcode", "postcode", "postalcode", "plz", "cp",
		"codigopostal", "codepostal", "cap", "postleitzahl", "postnummer"},
		[]string{"zip", "zipcode", "postcode", "postal", "plz"}},
	{City, []string{"city", "town", "ciudad", "ville", "stadt", "citta", "municipality",
		"locality", "ort", "cidade"},
		[]string{"city", "town", "ciudad", "ville", "stadt", "citta"}},
	{StreetAddress, []string{"address", "streetaddress", "street", "addr",
		"addressline1", "addressline2", "address1", "address2", "direccion", "calle",
		"adresse", "strasse", "indirizzo", "endereco", "homeaddress"},
		[]string{"address", "street", "addr", "direccion", "adresse", "indirizzo"}},
	{PersonName, []string{"name", "firstname", "fname", "givenname", "lastname",
		"lname", "surname", "familyname", "fullname", "middlename", "nombre",
		"apellido", "apellidos", "nom", "prenom", "vorname", "nachname", "cognome",
		"mothersmaiden", "maidenname", "customername", "contactname", "patientname",
		"employeename", "personname", "holdername", "cardholder", "owner"},
		[]string{"firstname", "lastname", "surname", "fullname", "givenname",
			"nombre", "apellido", "vorname", "nachname", "cognome", "prenom"}},
	{FreeTextPII, []string{"comment", "comments", "note", "notes", "description",
		"message", "text", "body", "remarks", "feedback", "details", "msg", "log",
		"line", "content", "summary", "observaciones", "bemerkung", "commentaire"},
		nil},
}

// notPersonWords disqualify a "...name" column from being a person's name.
var notPersonWords = map[string]bool{
	"company": true, "product": true, "file": true, "host": true, "domain": true,
	"country": true, "city": true, "street": true, "brand": true, "item": true,
	"app": true, "table": true, "column": true, "event": true, "category": true,
	"business": true, "store": true, "shop": true, "server": true, "bank": true,
	"user": true, "username": true, "login": true, "display": true, "screen": true,
	"project": true, "team": true, "org": true, "organization": true, "path": true,
	"state": true, "region": true, "department": true, "job": true, "model": true,
}

// quasiWords are column-name words of well-known quasi-identifiers.
var quasiWords = map[string]bool{
	"age": true, "gender": true, "sex": true, "race": true, "ethnicity": true,
	"marital": true, "nationality": true, "country": true, "state": true,
	"region": true, "religion": true, "occupation": true, "job": true, "title": true,
	"education": true, "zip": true, "zipcode": true, "postcode": true, "postal": true,
	"birth": true, "birthdate": true, "dob": true, "birthday": true, "language": true,
	"city": true, "county": true, "edad": true, "sexo": true, "genero": true,
	"profession": true, "employer": true, "workclass": true,
}

// nameWords splits a column name into lower-case words at separators and
// lower-to-upper case changes: "EmailAddress", "e-mail", "cc_number".
func nameWords(name string) []string {
	var ws []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			ws = append(ws, string(cur))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range name {
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush()
			cur = append(cur, unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, unicode.ToLower(r))
		default:
			flush()
		}
		prev = r
	}
	flush()
	return ws
}

// foldAccents maps the accented letters common in column names to ASCII.
var foldAccents = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "á", "a", "à", "a",
	"í", "i", "ó", "o", "ú", "u", "ñ", "n", "ç", "c", "ä", "a", "ö", "o", "ü", "u")

// NameHint returns the kind that a column name suggests, or None. It
// understands several spellings and languages: e_mail, EmailAddress,
// telefono, dob, fecha_nacimiento, cc_number, ip.
func NameHint(name string) Kind {
	ws := nameWords(foldAccents.Replace(name))
	if len(ws) == 0 {
		return None
	}
	joined := strings.Join(ws, "")
	for _, w := range ws {
		if notPersonWords[w] && strings.HasSuffix(joined, "name") {
			return None
		}
	}
	for _, h := range nameHints {
		for _, e := range h.exact {
			if joined == e {
				return h.kind
			}
		}
	}
	// Word matches: the later word usually carries the meaning
	// (billing_email, home_phone, customer_first_name).
	for _, h := range nameHints {
		for _, w := range h.word {
			if strings.Contains(w, "_") {
				if strings.Contains(strings.Join(ws, "_"), w) {
					return h.kind
				}
				continue
			}
			for i, x := range ws {
				if x == w || i+1 < len(ws) && x+ws[i+1] == w {
					return h.kind
				}
			}
		}
	}
	if strings.HasSuffix(joined, "name") && len(ws) > 1 {
		return PersonName
	}
	return None
}

// quasiHint reports whether a column name names a usual quasi-identifier.
func quasiHint(name string) bool {
	for _, w := range nameWords(foldAccents.Replace(name)) {
		if quasiWords[w] {
			return true
		}
	}
	return false
}
