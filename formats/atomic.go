package formats

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrExists is returned when the output already exists and overwriting was
// not asked for.
var ErrExists = errors.New("output exists (use --force to overwrite)")

// AtomicFile is an output file that appears at its destination only when
// committed: it is written to a temporary file in the same folder and renamed
// into place after a sync. Until then the destination is untouched.
type AtomicFile struct {
	*os.File
	dest string
	done bool
}

// CreateAtomic starts an output file for dest, with mode 0600. Unless force is
// set, an existing dest is an error wrapping [ErrExists].
func CreateAtomic(dest string, force bool) (*AtomicFile, error) {
	if !force {
		if _, err := os.Lstat(dest); err == nil {
			return nil, fmt.Errorf("%s: %w", dest, ErrExists)
		}
	}

	dir, base := filepath.Split(dest)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".anon-tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create output: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("create output: %w", err)
	}
	return &AtomicFile{File: f, dest: dest}, nil
}

// Commit syncs the temporary file, closes it and renames it to the
// destination.
func (a *AtomicFile) Commit() error {
	if a.done {
		return errors.New("output already committed or aborted")
	}
	a.done = true

	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(a.File.Name())
		return fmt.Errorf("sync output: %w", err)
	}
	if err := a.File.Close(); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("close output: %w", err)
	}
	if err := os.Rename(a.File.Name(), a.dest); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("move output into place: %w", err)
	}
	return nil
}

// Abort removes the temporary file. It is safe to call after Commit, and
// more than once.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.File.Close()
	os.Remove(a.File.Name())
}

// TempName returns the temporary file's path, for cleanup on a signal.
func (a *AtomicFile) TempName() string {
	return a.File.Name()
}
