package transform

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// HashEncoding is the text form of a [Hash] digest.
type HashEncoding string

// The encodings a hash can write.
const (
	// HashHex is lowercase hexadecimal, 64 characters for the full digest.
	HashHex HashEncoding = "hex"

	// HashBase32 is lowercase RFC 4648 base32 without padding, 52 characters
	// for the full digest.
	HashBase32 HashEncoding = "base32"
)

// base32Lower is RFC 4648 base32 in lowercase, without padding.
var base32Lower = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").
	WithPadding(base32.NoPadding)

// minHashLength is the shortest truncation a hash accepts.
const minHashLength = 8

var hashSpec = &Spec{
	Name:    "hash",
	Summary: "replace each value with a keyed HMAC-SHA256 token",
	Doc: "Every non-null value becomes HMAC-SHA256 of the value under the run's " +
		"secret key, written as text. The same key, namespace and value always give " +
		"the same token, in every file and run, so tokens still join across columns " +
		"and tables that share a namespace; without the key a token cannot be " +
		"recomputed or reversed by a dictionary attack, and a different key changes " +
		"every token. There is no unkeyed mode: without a secret key the run stops. " +
		"An empty string is a value like any other and gets a token. Nulls stay " +
		"null. Any non-nested column type is accepted and hashed in its text form. " +
		"Truncating with length raises the chance that two values share a token.",
	Keyed: true,
	Params: []Param{
		{Name: "encoding", Type: ParamEnum, Default: string(HashHex),
			Enum: []string{string(HashHex), string(HashBase32)},
			Doc:  "hex (64 characters) or base32 (lowercase, unpadded, 52 characters)"},
		{Name: "length", Type: ParamInt, Default: int64(0),
			Doc: "keep only the first length characters, from 8 to the full length; 0 keeps all"},
		{Name: "namespace", Type: ParamString,
			Doc: "columns with the same namespace give a value the same token; " +
				"defaults to the column name"},
	},
	Example: "customer_id: {strategy: hash, encoding: base32, length: 20, namespace: customer}",
	New: func(o Options) (Strategy, error) {
		ns, err := namespaceOption(o)
		if err != nil {
			return nil, err
		}
		return NewHash(HashEncoding(o.String("encoding")), o.Int("length"), ns)
	},
	Unique: hashUnique,
}

// minUniqueHashBits is the shortest hash, in bits, accepted on a unique
// column. A hash is collision-free only with high probability: among n
// distinct values the chance of any shared token is about n^2 / 2^(bits+1).
// At 96 bits that is below 1e-11 for a billion values; at 64 bits (16 hex
// characters) it is already 3% for a billion and 3e-6 for ten million.
const minUniqueHashBits = 96

// hashUnique accepts a hash on a unique column when it keeps at least
// minUniqueHashBits bits: 24 hex or 20 base32 characters.
func hashUnique(o Options) error {
	enc, length := HashEncoding(o.String("encoding")), o.Int("length")
	perChar := int64(4)
	if enc == HashBase32 {
		perChar = 5
	}
	if length == 0 || length*perChar >= minUniqueHashBits {
		return nil
	}
	need := (minUniqueHashBits + perChar - 1) / perChar
	return fmt.Errorf("a %s hash of length %d keeps %d bits, too few to keep distinct "+
		"values apart; use length 0 (the full digest) or at least %d, or tokenize",
		enc, length, length*perChar, need)
}

// namespaceOption returns the namespace option, the column name by default.
func namespaceOption(o Options) (string, error) {
	if !o.Has("namespace") {
		return o.Column(), nil
	}
	ns := o.String("namespace")
	if ns == "" {
		return "", paramErrorf("namespace", "must not be empty")
	}
	return ns, nil
}

// Hash replaces each value with a keyed HMAC-SHA256 token. Build it with
// [NewHash].
type Hash struct {
	encoding  HashEncoding
	length    int
	namespace string
}

// NewHash returns a Hash writing digests in encoding, truncated to length
// characters (0 for the full digest), keyed by namespace. A length outside 8
// to the full length is a [*ParamError].
func NewHash(encoding HashEncoding, length int64, namespace string) (*Hash, error) {
	full := hashFullLength(encoding)
	if full == 0 {
		return nil, paramErrorf("encoding", "must be %s or %s", HashHex, HashBase32)
	}
	if length == 0 {
		length = int64(full)
	}
	if length < minHashLength || length > int64(full) {
		return nil, paramErrorf("length", "must be 0 or between %d and %d for %s",
			minHashLength, full, encoding)
	}
	return &Hash{encoding: encoding, length: int(length), namespace: namespace}, nil
}

// hashFullLength returns the length of a full digest in encoding, or 0 for
// an unknown encoding.
func hashFullLength(encoding HashEncoding) int {
	switch encoding {
	case HashHex:
		return hex.EncodedLen(sha256.Size)
	case HashBase32:
		return base32Lower.EncodedLen(sha256.Size)
	}
	return 0
}

// OutputType implements [Strategy]: text (large text stays large); nested
// types are refused.
func (h *Hash) OutputType(in arrow.DataType) (arrow.DataType, error) {
	return textStrategyOutputType(in)
}

// Apply implements [Strategy]. Without a secret key it returns an error
// wrapping [ErrNoSecret].
func (h *Hash) Apply(w *Worker, in Input) (arrow.Array, error) {
	if !w.keyed {
		return nil, fmt.Errorf("column %q: hash needs a secret key: %w", in.Name(), ErrNoSecret)
	}
	return mapTextMemo(w, h, in, func(dst, v []byte) ([]byte, error) {
		return h.AppendToken(w, dst, v)
	})
}

// AppendToken appends the token of v to dst and returns it.
func (h *Hash) AppendToken(w *Worker, dst, v []byte) ([]byte, error) {
	d, err := w.Digest("hash", h.namespace, v)
	if err != nil {
		return dst, err
	}

	start := len(dst)
	if h.encoding == HashBase32 {
		dst = base32Lower.AppendEncode(dst, d)
	} else {
		dst = hex.AppendEncode(dst, d)
	}
	return dst[:start+h.length], nil
}
