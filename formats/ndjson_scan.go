// This file holds the JSON tokenizer used by the JSON readers: a strict,
// non-recursive parser of one object at a time, its value types and its
// syntax errors.

package formats

import (
	"fmt"
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

// jsonValue is one member value of a parsed object. raw points into the
// parsed bytes: a string's content between its quotes (still escaped if esc),
// a number's or literal's text, or a nested value's whole text.
type jsonValue struct {
	kind jsonValueKind
	esc  bool
	frac bool
	raw  []byte
}

// jsonField is one member of a parsed object.
type jsonField struct {
	key    []byte
	keyEsc bool
	val    jsonValue
}

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
	p.b, p.i, p.fields = b, 0, p.fields[:0]
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
			key, esc, err := p.str()
			if err != nil {
				return err
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
			v, err := p.value()
			if err != nil {
				return err
			}
			p.fields = append(p.fields, jsonField{key: key, keyEsc: esc, val: v})
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
	return nil
}

// value parses one member value.
func (p *jsonParser) value() (jsonValue, error) {
	if p.i >= len(p.b) {
		return jsonValue{}, p.eof()
	}
	start := p.i
	switch c := p.b[p.i]; c {
	case '"':
		s, esc, err := p.str()
		return jsonValue{kind: jsonString, raw: s, esc: esc}, err
	case '{', '[':
		if err := p.composite(); err != nil {
			return jsonValue{}, err
		}
		k := jsonObject
		if c == '[' {
			k = jsonArray
		}
		return jsonValue{kind: k, raw: p.b[start:p.i]}, nil
	case 't', 'f', 'n':
		if err := p.literal(); err != nil {
			return jsonValue{}, err
		}
		k := jsonBool
		if c == 'n' {
			k = jsonNull
		}
		return jsonValue{kind: k, raw: p.b[start:p.i]}, nil
	default:
		frac, err := p.number()
		return jsonValue{kind: jsonNumber, raw: p.b[start:p.i], frac: frac}, err
	}
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

// str parses a string at p.i (on its opening quote) and returns its content.
func (p *jsonParser) str() (s []byte, esc bool, err error) {
	b := p.b
	p.i++
	start := p.i
	for p.i < len(b) {
		c := b[p.i]
		switch {
		case c == '"':
			s = b[start:p.i]
			p.i++
			return s, esc, nil
		case c == '\\':
			esc = true
			p.i++
			if p.i >= len(b) {
				return nil, false, p.eof()
			}
			switch b[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				p.i++
				for k := 0; k < 4; k++ {
					if p.i >= len(b) {
						return nil, false, p.eof()
					}
					if unhex(b[p.i]) < 0 {
						return nil, false, p.fail("invalid \\u escape")
					}
					p.i++
				}
			default:
				return nil, false, p.fail("invalid escape in string")
			}
		case c < 0x20:
			return nil, false, p.fail("control character in string")
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := utf8.DecodeRune(b[p.i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false, p.fail("invalid UTF-8 in string")
			}
			p.i += size
		}
	}
	return nil, false, p.eof()
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
			if _, _, err := p.str(); err != nil {
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
	if _, _, err := p.str(); err != nil {
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
