package transform

// fakeCreditCard writes 16 digits with a Visa (4) or Mastercard (51-55)
// prefix and a valid Luhn check digit.
func fakeCreditCard(w *Worker, _, _, dst []byte) []byte {
	r := w.Rand()
	var num [16]byte
	i := 0
	if r.IntN(2) == 0 {
		num[0], i = '4', 1
	} else {
		num[0], num[1], i = '5', byte('1'+r.IntN(5)), 2
	}
	for ; i < 15; i++ {
		num[i] = byte('0' + r.IntN(10))
	}
	num[15] = luhnCheckDigit(num[:15])
	return append(dst, num[:]...)
}

// luhnCheckDigit returns the digit that makes payload followed by it pass the
// Luhn check.
func luhnCheckDigit(payload []byte) byte {
	sum := 0
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if (len(payload)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// ibanCountries are the countries fake IBANs are drawn from.
var ibanCountries = [...]string{"DE", "GB", "FR"}

// fakeIBAN writes an IBAN in electronic form (no spaces) for DE (22
// characters), GB (22) or FR (27, with a valid RIB key), with ISO 13616
// mod-97 check digits.
func fakeIBAN(w *Worker, _, _, dst []byte) []byte {
	r := w.Rand()
	country := ibanCountries[r.IntN(len(ibanCountries))]

	var buf [30]byte
	var bban []byte
	switch country {
	case "DE":
		// Bank code (8 digits, no leading zero) and account number (10).
		bban = appendRandDigits(w, buf[:0], 18)
		if bban[0] == '0' {
			bban[0] = '1'
		}
	case "GB":
		// Bank identifier (4 letters), sort code (6 digits), account (8).
		bban = buf[:0]
		for i := 0; i < 4; i++ {
			bban = append(bban, byte('A'+r.IntN(26)))
		}
		bban = appendRandDigits(w, bban, 14)
	default:
		// Bank (5 digits), branch (5), account (11) and the 2-digit RIB key.
		bban = appendRandDigits(w, buf[:0], 21)
		bban = appendDigits(bban, uint64(ribKey(bban)), 2)
	}

	check := 98 - mod97(mod97(mod97(0, bban), country), "00")
	dst = append(dst, country...)
	dst = appendDigits(dst, uint64(check), 2)
	return append(dst, bban...)
}

// ribKey returns the French RIB key of a numeric bank, branch and account
// number (5, 5 and 11 digits).
func ribKey(digits []byte) int64 {
	num := func(b []byte) int64 {
		var n int64
		for _, c := range b {
			n = n*10 + int64(c-'0')
		}
		return n
	}
	bank, branch, account := num(digits[0:5]), num(digits[5:10]), num(digits[10:21])
	return 97 - (89*bank+15*branch+3*account)%97
}

// mod97 continues the ISO 7064 mod-97 remainder rem over s, where letters
// count as two-digit numbers (A=10 ... Z=35) as in ISO 13616.
func mod97[T string | []byte](rem int, s T) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return rem
}
