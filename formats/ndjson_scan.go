// This file holds the JSON tokenizer used by the JSON readers: a strict,
// non-recursive parser of one object at a time, its value types and its
// syntax errors.

package formats

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf8"
)

// jsonValueKind is the JSON type of a parsed value.
type jsonValueKind uint8

const (
	jsonNull jsonValueKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonObject
	jsonArray
)

// jsonValue is one member value of a parsed object. Its text is
// b[start:end] of the parsed bytes b: a string's content between its quotes
// (still escaped if esc), a number's or literal's text, or a nested value's
// whole text. Offsets rather than slices keep jsonField free of pointers, so
// that writing members needs no GC write barriers.
type jsonValue struct {
	kind       jsonValueKind
	esc        bool
	frac       bool
	start, end int
}

// jsonField is one member of a parsed object; its key is b[ks:ke] of the
// parsed bytes b, still escaped if keyEsc. col is the column of the key if
// it was the expected one, else -1.
type jsonField struct {
	ks, ke int
	col    int
	keyEsc bool
	val    jsonValue
}

// raw returns the text of v, a value of the object parsed last.
func (p *jsonParser) raw(v *jsonValue) []byte { return p.b[v.start:v.end] }

// key returns the key of f, a member of the object parsed last, still
// escaped if f.keyEsc.
func (p *jsonParser) key(f *jsonField) []byte { return p.b[f.ks:f.ke] }

// msgNotObject reports valid JSON that is not an object.
const msgNotObject = "the value is not a JSON object"

// jsonSyntaxError is a syntax error at byte offset off of the record. Its
// message never contains input bytes.
type jsonSyntaxError struct {
	off int
	msg string
}

func (e *jsonSyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.off+1, e.msg)
}

// jsonParser is a strict RFC 8259 parser for one object at a time. It
// validates everything, including nested values and UTF-8, without
// recursion.
type jsonParser struct {
	b      []byte
	i      int
	fields []jsonField
	stack  []byte

	// expect holds, for each member place, the key likely found there; a
	// key equal to it is taken without a scan. Set by jsonDecoder.
	expect []expectedKey
}

// expectedKey is a key expected at a member place: a column name made only
// of bytes a string holds as they are (see plainRun), so that input bytes
// equal to it followed by '"' are a valid string with that content.
type expectedKey struct {
	name string
	col  int // the column's index, or -1 for no expectation
}

func (p *jsonParser) fail(msg string) error {
	return &jsonSyntaxError{off: min(p.i, len(p.b)), msg: msg}
}

func (p *jsonParser) eof() error {
	return &jsonSyntaxError{off: len(p.b), msg: "unexpected end of input"}
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// parseObject parses b, which must hold one JSON object and nothing else
// but whitespace, into p.fields.
func (p *jsonParser) parseObject(b []byte) error {
	// fields is stored back at the end: appending to p.fields directly
	// stores a pointer at every member. Until then p.fields is empty.
	p.b, p.i, p.fields = b, 0, p.fields[:0]
	fields := p.fields
	p.ws()
	if p.i >= len(b) {
		return p.eof()
	}
	if b[p.i] != '{' {
		return p.fail(msgNotObject)
	}
	p.i++
	p.ws()
	if p.i < len(b) && b[p.i] == '}' {
		p.i++
	} else {
		for {
			if p.i >= len(b) {
				return p.eof()
			}
			if b[p.i] != '"' {
				return p.fail("expected a string key")
			}
			n := len(fields)
			ks, ke, col := p.i+1, 0, -1
			esc := false
			if n < len(p.expect) && p.expect[n].col >= 0 {
				// Compare with the expected key rather than scan it.
				k := p.expect[n].name
				if e := ks + len(k); e < len(b) && b[e] == '"' && string(b[ks:e]) == k {
					ke, col, p.i = e, p.expect[n].col, e+1
				}
			}
			if col < 0 {
				var err error
				if ks, ke, esc, err = p.str(); err != nil {
					return err
				}
			}
			p.ws()
			if p.i >= len(b) {
				return p.eof()
			}
			if b[p.i] != ':' {
				return p.fail("expected ':' after a key")
			}
			p.i++
			p.ws()
			// The member is written in place, field by field, rather than
			// built and then copied into fields.
			if n == cap(fields) {
				fields = append(fields, jsonField{})
			}
			fields = fields[:n+1]
			f := &fields[n]
			f.ks, f.ke, f.col, f.keyEsc = ks, ke, col, esc
			if p.i < len(b) && b[p.i] == '"' {
				// Most values are strings: no call to value.
				s, e, esc, err := p.str()
				if err != nil {
					return err
				}
				f.val.kind, f.val.start, f.val.end, f.val.esc, f.val.frac = jsonString, s, e, esc,
					false
			} else if err := p.value(&f.val); err != nil {
				return err
			}
			p.ws()
			if p.i >= len(b) {
				return p.eof()
			}
			if b[p.i] == ',' {
				p.i++
				p.ws()
				continue
			}
			if b[p.i] == '}' {
				p.i++
				break
			}
			return p.fail("expected ',' or '}'")
		}
	}
	p.ws()
	if p.i != len(b) {
		return p.fail("unexpected data after the object")
	}
	p.fields = fields
	return nil
}

// value parses one member value into v, setting each of its fields.
func (p *jsonParser) value(v *jsonValue) error {
	if p.i >= len(p.b) {
		return p.eof()
	}
	start := p.i
	v.esc, v.frac = false, false
	switch c := p.b[p.i]; c {
	case '"':
		s, e, esc, err := p.str()
		v.kind, v.start, v.end, v.esc = jsonString, s, e, esc
		return err
	case '{', '[':
		if err := p.composite(); err != nil {
			return err
		}
		v.kind = jsonObject
		if c == '[' {
			v.kind = jsonArray
		}
	case 't', 'f', 'n':
		if err := p.literal(); err != nil {
			return err
		}
		v.kind = jsonBool
		if c == 'n' {
			v.kind = jsonNull
		}
	default:
		frac, err := p.number()
		if err != nil {
			return err
		}
		v.kind, v.frac = jsonNumber, frac
	}
	v.start, v.end = start, p.i
	return nil
}

func (p *jsonParser) literal() error {
	rest := p.b[p.i:]
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(rest) >= len(lit) && string(rest[:len(lit)]) == lit {
			p.i += len(lit)
			return nil
		}
		if len(rest) < len(lit) && lit[:len(rest)] == string(rest) && rest[0] == lit[0] {
			return p.eof()
		}
	}
	return p.fail("invalid literal")
}

// number parses a JSON number and reports whether it has a fraction or an
// exponent.
func (p *jsonParser) number() (frac bool, err error) {
	b := p.b
	if b[p.i] == '-' {
		p.i++
	}
	if p.i >= len(b) {
		return false, p.eof()
	}
	switch {
	case b[p.i] == '0':
		p.i++
	case b[p.i] >= '1' && b[p.i] <= '9':
		p.digits()
	default:
		return false, p.fail("invalid number")
	}
	if p.i < len(b) && b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			if p.i >= len(b) {
				return false, p.eof()
			}
			return false, p.fail("invalid number")
		}
		frac = true
	}
	if p.i < len(b) && (b[p.i] == 'e' || b[p.i] == 'E') {
		p.i++
		if p.i < len(b) && (b[p.i] == '+' || b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			if p.i >= len(b) {
				return false, p.eof()
			}
			return false, p.fail("invalid number")
		}
		frac = true
	}
	return frac, nil
}

func (p *jsonParser) digits() int {
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// str parses a string at p.i (on its opening quote) and returns where its
// content starts and ends.
func (p *jsonParser) str() (start, end int, esc bool, err error) {
	b := p.b
	p.i++
	start = p.i
	for p.i < len(b) {
		p.i += plainRun(b[p.i:])
		if p.i >= len(b) {
			break
		}
		c := b[p.i]
		switch {
		case c == '"':
			end = p.i
			p.i++
			return start, end, esc, nil
		case c == '\\':
			esc = true
			p.i++
			if p.i >= len(b) {
				return 0, 0, false, p.eof()
			}
			switch b[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				p.i++
				for k := 0; k < 4; k++ {
					if p.i >= len(b) {
						return 0, 0, false, p.eof()
					}
					if unhex(b[p.i]) < 0 {
						return 0, 0, false, p.fail("invalid \\u escape")
					}
					p.i++
				}
			default:
				return 0, 0, false, p.fail("invalid escape in string")
			}
		case c < 0x20:
			return 0, 0, false, p.fail("control character in string")
		default:
			r, size := utf8.DecodeRune(b[p.i:])
			if r == utf8.RuneError && size == 1 {
				return 0, 0, false, p.fail("invalid UTF-8 in string")
			}
			p.i += size
		}
	}
	return 0, 0, false, p.eof()
}

// Byte masks for plainRun.
const (
	ones8  = 0x0101010101010101
	highs8 = 0x8080808080808080
)

// plainRun returns the length of the longest prefix of b made of bytes that
// a string holds as they are: ASCII from 0x20, but '"' and '\\'. It reads
// 8 bytes at a time: a byte below 0x20 or equal to '"' or '\\' makes its
// high bit set in (v - 0x20...) &^ v or in (w - 0x01...) &^ w for w = v xor
// the character, and so does a byte from 0x80. Borrows only flag bytes
// above a flagged one, so the lowest flag is exact.
func plainRun(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		v := binary.LittleEndian.Uint64(b[i:])
		q := v ^ (ones8 * '"')
		e := v ^ (ones8 * '\\')
		m := ((v - ones8*0x20) &^ v) | ((q - ones8) &^ q) | ((e - ones8) &^ e) | v
		if m &= highs8; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			break
		}
	}
	return i
}

// composite validates an object or array at p.i, iteratively.
func (p *jsonParser) composite() error {
	b := p.b
	stack := p.stack[:0]
	defer func() { p.stack = stack[:0] }()
	for {
		if p.i >= len(b) {
			return p.eof()
		}
		// At the start of a value.
		switch c := b[p.i]; c {
		case '{', '[':
			if len(stack)+1 >= maxJSONDepth {
				return p.fail("objects and arrays nested too deeply")
			}
			stack = append(stack, c)
			p.i++
			p.ws()
			if p.i < len(b) && b[p.i] == c+2 { // '{'+2 is '}', '['+2 is ']'
				p.i++
				stack = stack[:len(stack)-1]
				break
			}
			if c == '{' {
				if err := p.keyColon(); err != nil {
					return err
				}
			}
			continue
		case '"':
			if _, _, _, err := p.str(); err != nil {
				return err
			}
		case 't', 'f', 'n':
			if err := p.literal(); err != nil {
				return err
			}
		default:
			if c != '-' && (c < '0' || c > '9') {
				return p.fail("unexpected character")
			}
			if _, err := p.number(); err != nil {
				return err
			}
		}
		// After a value: close containers or move to the next member.
		for {
			if len(stack) == 0 {
				return nil
			}
			p.ws()
			if p.i >= len(b) {
				return p.eof()
			}
			top := stack[len(stack)-1]
			c := b[p.i]
			if c == top+2 {
				p.i++
				stack = stack[:len(stack)-1]
				continue
			}
			if c != ',' {
				if top == '{' {
					return p.fail("expected ',' or '}'")
				}
				return p.fail("expected ',' or ']'")
			}
			p.i++
			p.ws()
			if top == '{' {
				if err := p.keyColon(); err != nil {
					return err
				}
			}
			break
		}
	}
}

// keyColon parses `"key" :` and the whitespace after it.
func (p *jsonParser) keyColon() error {
	if p.i >= len(p.b) {
		return p.eof()
	}
	if p.b[p.i] != '"' {
		return p.fail("expected a string key")
	}
	if _, _, _, err := p.str(); err != nil {
		return err
	}
	p.ws()
	if p.i >= len(p.b) {
		return p.eof()
	}
	if p.b[p.i] != ':' {
		return p.fail("expected ':' after a key")
	}
	p.i++
	p.ws()
	return nil
}
