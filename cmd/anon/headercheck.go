package main

import "github.com/anon-data/anon/detect"

// headerDataKinds are the kinds of personal data whose shape no column name
// has: a CSV header field of one of them is a data row read as the header
// (the file has no header line and --no-header was left off). Names and
// addresses are left out, as a column may well be called "Jordan" or
// "Main Street".
var headerDataKinds = map[detect.Kind]string{
	detect.Email:      "an email address",
	detect.Phone:      "a phone number",
	detect.NationalID: "a national ID",
	detect.CreditCard: "a card number",
	detect.IBAN:       "an IBAN",
	detect.IPv4:       "an IPv4 address",
	detect.IPv6:       "an IPv6 address",
	detect.MAC:        "a MAC address",
}

// headerDataKind is the readers' formats.ReadOptions.HeaderCheck: it returns
// what the header name looks like when it has the shape of personal data
// (see headerDataKinds), or "".
func headerDataKind(name string) string {
	for _, k := range detect.ValueKinds(name) {
		if what, ok := headerDataKinds[k]; ok {
			return what
		}
	}
	return ""
}
