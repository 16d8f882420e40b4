package formats

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestAtomicFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out.csv")

	t.Run("appears only on commit, mode 0600", func(t *testing.T) {
		f, err := CreateAtomic(dest, false)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("data\n")
		if _, err := os.Stat(dest); !os.IsNotExist(err) {
			t.Fatal("destination exists before commit")
		}
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(dest)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("after commit: %v, mode %v", err, info.Mode())
		}
		assertOnly(t, dir, "out.csv")
	})

	t.Run("existing output needs force", func(t *testing.T) {
		if _, err := CreateAtomic(dest, false); !errors.Is(err, ErrExists) {
			t.Fatalf("error = %v, want ErrExists", err)
		}
		f, err := CreateAtomic(dest, true)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("new\n")
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(dest); string(b) != "new\n" {
			t.Errorf("content = %q", b)
		}
	})

	t.Run("abort leaves nothing", func(t *testing.T) {
		other := filepath.Join(dir, "other.csv")
		f, err := CreateAtomic(other, false)
		if err != nil {
			t.Fatal(err)
		}
		f.Abort()
		f.Abort()
		assertOnly(t, dir, "out.csv")
	})

	t.Run("a run that loses the race does not clobber", func(t *testing.T) {
		race := filepath.Join(dir, "race.csv")
		a, _ := CreateAtomic(race, false)
		b, _ := CreateAtomic(race, false)
		a.WriteString("a\n")
		b.WriteString("b\n")
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := b.Commit(); !errors.Is(err, ErrExists) {
			t.Errorf("second commit error = %v, want ErrExists", err)
		}
		if got, _ := os.ReadFile(race); string(got) != "a\n" {
			t.Errorf("content = %q, want the first run's", got)
		}
		os.Remove(race)
	})

	t.Run("special files are refused even with force", func(t *testing.T) {
		fifo := filepath.Join(dir, "fifo.csv")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no mkfifo:", err)
		}
		link := filepath.Join(dir, "link.csv")
		os.Symlink(dest, link)
		for _, p := range []string{fifo, link, dir, "/dev/null"} {
			if _, err := CreateAtomic(p, true); err == nil ||
				!strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s: error = %v, want a refusal", p, err)
			}
		}
		os.Remove(fifo)
		os.Remove(link)
	})

	t.Run("missing folder", func(t *testing.T) {
		_, err := CreateAtomic(filepath.Join(dir, "no", "such", "out.csv"), false)
		if err == nil || !strings.Contains(err.Error(), "does not exist") ||
			strings.Contains(err.Error(), "anon-tmp") {
			t.Errorf("error = %v, want a plain missing-folder message", err)
		}
	})
}

// assertOnly checks that dir holds exactly the named files.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("folder holds %v, want %v", got, names)
	}
}
