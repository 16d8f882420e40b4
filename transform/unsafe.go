package transform

import "unsafe"

// unsafeBytes views a string's bytes without copying. The result must not be
// modified or kept beyond the string's lifetime.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
