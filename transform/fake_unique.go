package transform

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// uniqueFakeKinds are the fake kinds that `unique: true` makes collision-free.
var uniqueFakeKinds = map[FakeKind]bool{FakeEmail: true, FakeUsername: true, FakePhone: true}

// fakeUnique is the fake spec's Unique: only the kinds built on a bijection.
func fakeUnique(o Options) error {
	if uniqueFakeKinds[FakeKind(o.String("kind"))] {
		return nil
	}
	return fmt.Errorf("fake kind %s can give distinct values the same fake; with unique: "+
		"true only email, username and phone are made collision-free; use tokenize "+
		"(keeps the format, reversible with the key) or hash", o.String("kind"))
}

// UniqueFake makes email, username and phone fakes that are distinct for
// distinct values by construction, without remembering any value: the
// realistic part comes from a Fake, the rest is the FF1 token of the whole
// value, which is a bijection (see [Tokenize]).
type UniqueFake struct {
	*Fake
	token *Tokenize
}

// NewUniqueFake returns a collision-free fake of kind (email, username or
// phone), keyed by namespace.
func NewUniqueFake(kind FakeKind, namespace string) (*UniqueFake, error) {
	if !uniqueFakeKinds[kind] {
		return nil, paramErrorf("kind", "kind %q cannot be made unique", kind)
	}
	f, err := NewFake(kind, namespace)
	if err != nil {
		return nil, err
	}
	return &UniqueFake{Fake: f, token: NewTokenize(namespace, "unique-fake")}, nil
}

// Apply implements [Strategy].
func (u *UniqueFake) Apply(w *Worker, in Input) (arrow.Array, error) {
	if !w.keyed {
		return nil, fmt.Errorf("column %q: fake needs a secret key: %w", in.Name(), ErrNoSecret)
	}
	return MapText(w, in, func(dst, v []byte) ([]byte, error) {
		return u.AppendUniqueFake(w, dst, v)
	})
}

// AppendUniqueFake appends the unique fake of v to dst and returns it.
func (u *UniqueFake) AppendUniqueFake(w *Worker, dst, v []byte) ([]byte, error) {
	if u.kind == FakePhone {
		return u.token.AppendToken(w, dst, v)
	}

	// A fake first.last, letters only, so the token after it is unambiguous:
	// the first two dots always end the name part.
	start := len(dst)
	name, err := u.nameFor(w, v)
	if err != nil {
		return dst[:start], err
	}
	dst = append(dst, name...)
	dst = append(dst, '.')

	tokStart := len(dst)
	dst, err = u.token.AppendToken(w, dst, v)
	if err != nil {
		return dst[:start], err
	}
	if u.kind == FakeUsername {
		return dst, nil
	}

	// Email: the token keeps the value's layout, so its '@' (if any) is at
	// the same place; the domain part gets the reserved .example TLD.
	tok := dst[tokStart:]
	if bytes.IndexByte(tok, '@') < 0 {
		dst = append(dst, "@anon"...)
	}
	return append(dst, ".example"...), nil
}

// nameFor returns "first.last" in lowercase ASCII letters, derived from the
// keyed digest of v.
func (u *UniqueFake) nameFor(w *Worker, v []byte) ([]byte, error) {
	d, err := w.Digest("fake-unique-name", u.namespace, v)
	if err != nil {
		return nil, err
	}
	w.Seed(d)
	f := w.Faker()
	var b []byte
	b = appendLetters(b, firstName(f))
	if len(b) == 0 {
		b = append(b, 'x')
	}
	b = append(b, '.')
	n := len(b)
	b = appendLetters(b, lastName(f))
	if len(b) == n {
		b = append(b, 'x')
	}
	return b, nil
}

// appendLetters appends the ASCII letters of s, lowered.
func appendLetters(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			dst = append(dst, c)
		case 'A' <= c && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		}
	}
	return dst
}
