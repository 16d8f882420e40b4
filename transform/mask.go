package transform

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
)

// maxKeep bounds keep_first, keep_last and fully_mask_if_len_le.
const maxKeep = 1 << 20

var maskSpec = &Spec{
	Name:    "mask",
	Summary: "hide characters behind a mask character, keeping the format",
	Doc: "Every letter and digit (and combining accent) becomes `char`, one mask " +
		"character per masked character (counted in Unicode characters, never " +
		"bytes). Other characters (spaces, punctuation such as - ( ) . + @ /) " +
		"are kept and do not count toward keep_first or keep_last, so " +
		"4111-1111-1111-1234 with keep_last 4 becomes ****-****-****-1234. The " +
		"first keep_first and last keep_last " +
		"letters and digits stay visible, unless the value has no more letters " +
		"and digits than keep_first+keep_last, or is at most fully_mask_if_len_le " +
		"characters long: then every letter and digit is masked. In email mode the " +
		"part before the last @ is masked that way, the @ is kept, and the domain " +
		"is kept or masked (dots kept); a value without @ is masked as plain text. " +
		"Bytes that are not valid UTF-8 count as one character each and come out " +
		"as the mask character (or U+FFFD where kept). Nulls stay null; an empty " +
		"string stays empty. Any non-nested column type is accepted and formatted " +
		"as text; the output is text. Not keyed: the same input always gives the " +
		"same output, whatever the secret.",
	Params: []Param{
		{Name: "keep_first", Type: ParamInt, Default: int64(0),
			Doc: "number of leading letters and digits left visible"},
		{Name: "keep_last", Type: ParamInt, Default: int64(0),
			Doc: "number of trailing letters and digits left visible"},
		{Name: "char", Type: ParamString, Default: "*",
			Doc: "the mask character; exactly one character"},
		{Name: "mode", Type: ParamEnum, Default: "chars", Enum: []string{"chars", "email"},
			Doc: "chars masks the whole value; email masks the local part and handles the domain"},
		{Name: "domain", Type: ParamEnum, Default: "keep", Enum: []string{"keep", "mask"},
			Doc: "email mode only: keep the domain as is, or mask its letters and digits"},
		{Name: "fully_mask_if_len_le", Type: ParamInt, Default: int64(0),
			Doc: "mask every letter and digit of values (email: local parts) this " +
				"many characters long or shorter"},
	},
	Example: "email: {strategy: mask, mode: email, keep_first: 1}",
	New:     newMaskFromOptions,
}

// newMaskFromOptions builds a Mask from validated options.
func newMaskFromOptions(o Options) (Strategy, error) {
	if o.Has("domain") && o.String("domain") != "keep" && o.String("mode") != "email" {
		return nil, paramErrorf("domain", "applies to mode email only")
	}

	char, err := maskChar(o.String("char"))
	if err != nil {
		return nil, err
	}
	return NewMask(Mask{
		KeepFirst:        clampInt(o.Int("keep_first")),
		KeepLast:         clampInt(o.Int("keep_last")),
		Char:             char,
		Email:            o.String("mode") == "email",
		MaskDomain:       o.String("domain") == "mask",
		FullyMaskIfLenLE: clampInt(o.Int("fully_mask_if_len_le")),
	})
}

// maskChar returns the single character of s.
func maskChar(s string) (rune, error) {
	r, size := utf8.DecodeRuneInString(s)
	if s == "" || size != len(s) || r == utf8.RuneError {
		return 0, paramErrorf("char", "must be exactly one character")
	}
	return r, nil
}

// clampInt converts an option to int without overflow; NewMask range-checks it.
func clampInt(n int64) int {
	switch {
	case n > maxKeep:
		return maxKeep + 1
	case n < -1:
		return -1
	}
	return int(n)
}

// Mask hides the letters and digits of text values behind a mask character.
// Build it with [NewMask].
type Mask struct {
	// KeepFirst is the number of leading letters and digits left visible.
	KeepFirst int

	// KeepLast is the number of trailing letters and digits left visible.
	KeepLast int

	// Char is the mask character.
	Char rune

	// Email masks the local part of an email address and handles the domain
	// by MaskDomain.
	Email bool

	// MaskDomain masks the letters and digits of the domain in email mode.
	MaskDomain bool

	// FullyMaskIfLenLE masks every letter and digit of values (in email mode,
	// local parts) of at most this many characters.
	FullyMaskIfLenLE int

	// charBytes is Char encoded as UTF-8.
	charBytes []byte
}

// NewMask checks m and returns it ready for use. Out-of-range fields are
// reported as a [*ParamError] named after the option.
func NewMask(m Mask) (*Mask, error) {
	for _, c := range []struct {
		name string
		v    int
	}{
		{"keep_first", m.KeepFirst},
		{"keep_last", m.KeepLast},
		{"fully_mask_if_len_le", m.FullyMaskIfLenLE},
	} {
		if c.v < 0 || c.v > maxKeep {
			return nil, paramErrorf(c.name, "must be between 0 and %d", maxKeep)
		}
	}
	if m.Char == 0 || !utf8.ValidRune(m.Char) || m.Char == utf8.RuneError {
		return nil, paramErrorf("char", "must be exactly one character")
	}

	m.charBytes = utf8.AppendRune(nil, m.Char)
	return &m, nil
}

// OutputType implements [Strategy]: text (large text stays large); nested
// types are refused.
func (m *Mask) OutputType(in arrow.DataType) (arrow.DataType, error) {
	return textStrategyOutputType(in)
}

// Apply implements [Strategy].
func (m *Mask) Apply(w *Worker, in Input) (arrow.Array, error) {
	return MapText(w, in, func(dst, v []byte) ([]byte, error) {
		return m.AppendMasked(dst, v), nil
	})
}

// AppendMasked appends the masked form of v to dst and returns it.
func (m *Mask) AppendMasked(dst, v []byte) []byte {
	if m.Email {
		return m.appendEmail(dst, v)
	}
	return m.appendChars(dst, v, m.KeepFirst, m.KeepLast)
}

// appendChars masks every letter and digit of v except the first keepFirst
// and the last keepLast ones, applying the safety rules of the spec.
func (m *Mask) appendChars(dst, v []byte, keepFirst, keepLast int) []byte {
	maskable, runes, ascii := countMaskable(v)
	if maskable <= keepFirst+keepLast || runes <= m.FullyMaskIfLenLE {
		keepFirst, keepLast = 0, 0
	}
	lastFrom := maskable - keepLast

	if ascii && len(m.charBytes) == 1 {
		return appendMaskedASCII(dst, v, m.charBytes[0], keepFirst, lastFrom)
	}

	idx := 0
	for len(v) > 0 {
		r, size := utf8.DecodeRune(v)
		switch {
		case !isMaskable(r, size):
			dst = append(dst, v[:size]...)
			v = v[size:]
			continue
		case idx >= keepFirst && idx < lastFrom:
			dst = append(dst, m.charBytes...)
		case r == utf8.RuneError:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		default:
			dst = append(dst, v[:size]...)
		}
		idx++
		v = v[size:]
	}
	return dst
}

// appendMaskedASCII is appendChars for ASCII values and a one-byte mask
// character: it copies v and overwrites the maskable characters that are
// neither among the first keepFirst nor at index lastFrom or later.
func appendMaskedASCII(dst, v []byte, char byte, keepFirst, lastFrom int) []byte {
	start := len(dst)
	dst = append(dst, v...)
	out := dst[start:]
	idx := 0
	for i, c := range out {
		if !isASCIIAlnum(c) {
			continue
		}
		if idx >= keepFirst && idx < lastFrom {
			out[i] = char
		}
		idx++
	}
	return dst
}

// countMaskable returns the number of maskable characters of v, its length
// in characters, and whether it is all ASCII.
func countMaskable(v []byte) (maskable, runes int, ascii bool) {
	i := 0
	for ; i < len(v); i++ {
		c := v[i]
		if c >= utf8.RuneSelf {
			break
		}
		if isASCIIAlnum(c) {
			maskable++
		}
	}
	if i == len(v) {
		return maskable, len(v), true
	}

	runes = i
	for v = v[i:]; len(v) > 0; runes++ {
		r, size := utf8.DecodeRune(v)
		if isMaskable(r, size) {
			maskable++
		}
		v = v[size:]
	}
	return maskable, runes, false
}

// isMaskable reports whether the character r, decoded from size bytes, is
// masked: a letter, a combining mark, a number, or a byte that is not valid
// UTF-8.
func isMaskable(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	if r == utf8.RuneError && size == 1 {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// textStrategyOutputType is the output type of strategies that read any
// non-nested column as text and write text.
func textStrategyOutputType(in arrow.DataType) (arrow.DataType, error) {
	if arrow.IsNested(in.ID()) {
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedType, in)
	}
	return textOutputType(in), nil
}
