package formats

import "fmt"

// ErrLibraryFailure is wrapped by the error returned when the Parquet
// library fails inside (a panic, recovered at this boundary).
var ErrLibraryFailure = fmt.Errorf("invalid or unsupported Parquet data")

// libraryFailure turns a panic recovered from the Parquet library into an
// error naming the operation and the file. The panic's own message is left
// out: it may quote bytes of the file, and errors never carry data.
func libraryFailure(op, name string) error {
	return fmt.Errorf("%s %s: %w (the Parquet library failed on it)", op, name,
		ErrLibraryFailure)
}
