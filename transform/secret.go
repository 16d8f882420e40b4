package transform

import (
	"fmt"
	"log/slog"
)

// Secret is the run's secret key. Its string, Go-syntax and log forms are
// redacted, so it cannot reach a log line or an error message by accident.
type Secret struct {
	key []byte
}

// NewSecret wraps key. The slice is copied.
func NewSecret(key []byte) Secret {
	return Secret{key: append([]byte(nil), key...)}
}

// IsZero reports whether no key was given.
func (s Secret) IsZero() bool {
	return len(s.key) == 0
}

// String implements fmt.Stringer with a redacted form.
func (s Secret) String() string {
	return "[redacted]"
}

// GoString implements fmt.GoStringer with a redacted form.
func (s Secret) GoString() string {
	return "transform.Secret{[redacted]}"
}

// Format implements fmt.Formatter so that every verb prints the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	_, _ = f.Write([]byte(s.String()))
}

// LogValue implements slog.LogValuer with a redacted form.
func (s Secret) LogValue() slog.Value {
	return slog.StringValue(s.String())
}

// bytes returns the key itself, for keying HMACs inside this package.
func (s Secret) bytes() []byte {
	return s.key
}
