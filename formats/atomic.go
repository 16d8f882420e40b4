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
	dest  string
	force bool
	done  bool
}

// CreateAtomic starts an output file for dest, with mode 0600. Unless force is
// set, an existing dest is an error wrapping [ErrExists]. A dest that exists
// and is not a regular file (a device, a FIFO, a symbolic link, a folder) is
// refused even with force: replacing it would not write where it points.
func CreateAtomic(dest string, force bool) (*AtomicFile, error) {
	if info, err := os.Lstat(dest); err == nil {
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("%s exists and is not a regular file; "+
				"write to a file path", dest)
		}
		if !force {
			return nil, fmt.Errorf("%s: %w", dest, ErrExists)
		}
	}

	dir, base := filepath.Split(dest)
	if dir == "" {
		dir = "."
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s: the output folder %s does not exist", dest, dir)
	}
	f, err := os.CreateTemp(dir, "."+base+".anon-tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create output %s: %w", dest, errors.Unwrap(err))
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("create output: %w", err)
	}
	return &AtomicFile{File: f, dest: dest, force: force}, nil
}

// Commit syncs the temporary file, closes it and moves it to the
// destination. Without force the move fails if the destination appeared in
// the meantime (another run writing the same file), so nothing is clobbered.
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
	if !a.force {
		// A hard link fails if dest exists, unlike a rename.
		err := os.Link(a.File.Name(), a.dest)
		os.Remove(a.File.Name())
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", a.dest, ErrExists)
		}
		if err != nil {
			return fmt.Errorf("move output into place: %w", err)
		}
		return nil
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
