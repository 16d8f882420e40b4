package transform

import "bytes"

// appendEmail masks an email address: the local part (before the last @) by
// the keep and length rules, the @ kept, and the domain kept or masked. A
// value without @ is masked as plain text.
func (m *Mask) appendEmail(dst, v []byte) []byte {
	at := bytes.LastIndexByte(v, '@')
	if at < 0 {
		return m.appendChars(dst, v, m.KeepFirst, m.KeepLast)
	}

	dst = m.appendChars(dst, v[:at], m.KeepFirst, m.KeepLast)
	dst = append(dst, '@')
	if !m.MaskDomain {
		return append(dst, v[at+1:]...)
	}
	return m.appendAll(dst, v[at+1:])
}

// appendAll masks every letter and digit of v.
func (m *Mask) appendAll(dst, v []byte) []byte {
	return m.appendChars(dst, v, 0, 0)
}
