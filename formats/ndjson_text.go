// This file holds helpers for JSON text that is already valid: decoding
// escapes in strings, removing insignificant whitespace, and telling while
// scanning byte by byte whether a byte lies inside a string.

package formats

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

func hex4(b []byte) rune {
	return unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3])
}

// appendUnescaped appends the content of a validated JSON string. A lone
// surrogate becomes U+FFFD, as in encoding/json.
func appendUnescaped(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			j := i + 1
			for j < len(s) && s[j] != '\\' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		i++
		switch c := s[i]; c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(s[i+1 : i+5])
			i += 5
			if utf16.IsSurrogate(r) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if d := utf16.DecodeRune(r, hex4(s[i+2:i+6])); d != unicode.ReplacementChar {
						dst = utf8.AppendRune(dst, d)
						i += 6
						continue
					}
				}
				r = unicode.ReplacementChar
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			dst = append(dst, c)
		}
		i++
	}
	return dst
}

// appendCompact appends validated JSON text without insignificant
// whitespace. Strings are copied as written.
func appendCompact(dst, b []byte) []byte {
	var st jsonStringState
	start := 0
	for i, c := range b {
		if st.step(c) {
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			dst = append(dst, b[start:i]...)
			start = i + 1
		}
	}
	return append(dst, b[start:]...)
}

// jsonStringState follows JSON text byte by byte to tell which bytes lie
// inside strings. It validates nothing; callers that need valid JSON check
// it elsewhere.
type jsonStringState struct {
	inStr bool // inside a string, after its opening quote
	esc   bool // the previous byte in the string was an unescaped backslash
}

// step consumes the next byte c and reports whether c belongs to a string,
// its quotes included.
func (s *jsonStringState) step(c byte) bool {
	if s.inStr {
		switch {
		case s.esc:
			s.esc = false
		case c == '\\':
			s.esc = true
		case c == '"':
			s.inStr = false
		}
		return true
	}
	s.inStr = c == '"'
	return s.inStr
}
