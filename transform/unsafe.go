package transform

import "unsafe"

// unsafeBytes views a string's bytes without copying. The result must not be
// modified or kept beyond the string's lifetime.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// unsafeString views bytes as a string without copying. The bytes must not
// change while the string is in use, and the string must not be kept.
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
