package transform

import (
	"errors"
	"fmt"
)

var (
	// ErrUnknownStrategy is returned for a strategy name that is not registered.
	ErrUnknownStrategy = errors.New("unknown strategy")

	// ErrInvalidParam is returned when a strategy option is missing, has the
	// wrong type, or is out of range.
	ErrInvalidParam = errors.New("invalid parameter")

	// ErrUnsupportedType is returned when a strategy cannot handle a column's
	// Arrow type.
	ErrUnsupportedType = errors.New("unsupported column type")

	// ErrNoSecret is returned when a keyed strategy runs without a secret key.
	ErrNoSecret = errors.New("no secret key")
)

// RowError reports a problem with one value. It names the row and column and
// wraps the cause, which must itself never carry the value.
type RowError struct {
	// Row is the 1-based data row in the input (the header is not counted).
	Row int64

	// Column is the column name.
	Column string

	// Err is the cause, for example "not a number".
	Err error
}

// Error implements error.
func (e *RowError) Error() string {
	return fmt.Sprintf("row %d, column %q: %v", e.Row, e.Column, e.Err)
}

// Unwrap returns the cause.
func (e *RowError) Unwrap() error {
	return e.Err
}

// rowError builds a *RowError for row i of in.
func rowError(in Input, i int, err error) error {
	return &RowError{Row: in.Row(i), Column: in.Name(), Err: err}
}
