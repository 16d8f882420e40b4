package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptLeavesNoOutput kills a real anon process mid-run with SIGINT
// and SIGTERM, and checks that no output (and no temporary file) appears and
// that an earlier output at the destination is intact.
func TestInterruptLeavesNoOutput(t *testing.T) {
	dir, bin := buildBinary(t)
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  email: {strategy: mask, keep_first: 1}\n")

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			outDir := t.TempDir()
			out := writeFile(t, outDir, "out.csv", "earlier output\n")

			cmd := exec.Command(bin, "run", "--force", "-p", prof, "-i", "-", "-o", out,
				"--batch-size", "100")
			stdin, stderr := startPiped(t, cmd)

			// Feed part of the input, keep the pipe open, and wait until the
			// run has started writing its temporary file.
			fmt.Fprint(stdin, "id,email\n")
			for i := range 5000 {
				fmt.Fprintf(stdin, "%d,user%d@example.org\n", i, i)
			}
			if !waitFor(func() bool { return len(tempFiles(t, outDir)) > 0 }, 10*time.Second) {
				cmd.Process.Kill()
				t.Fatalf("the run never created its temporary output; stderr:\n%s", stderr.String())
			}

			err := interruptRun(t, cmd, sig)
			_ = stdin.Close()
			_, _ = io.Copy(io.Discard, strings.NewReader(""))

			if code := cmd.ProcessState.ExitCode(); code != exitFailed {
				t.Errorf("exit code = %d (%v), want %d; stderr:\n%s", code, err, exitFailed,
					stderr.String())
			}
			if got := readFile(t, out); got != "earlier output\n" {
				t.Errorf("the earlier output was changed to %.80q", got)
			}
			if left := tempFiles(t, outDir); len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

// tempFiles lists the files in dir other than out.csv.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != "out.csv" {
			out = append(out, e.Name())
		}
	}
	return out
}

func waitFor(cond func() bool, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// TestInterruptDuringStdinSpool interrupts a k-anonymity run while it is
// still copying standard input to its temporary spool file, and checks that
// the spool (a raw copy of the input) is removed.
func TestInterruptDuringStdinSpool(t *testing.T) {
	dir, bin := buildBinary(t)
	hierarchy, err := filepath.Abs("../../testdata/adult/adult_hierarchy_sex.csv")
	if err != nil {
		t.Fatal(err)
	}
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  sex: keep\n  email: hash\n"+
		"k_anonymity:\n  k: 2\n  quasi_identifiers:\n"+
		"    sex: {hierarchy: "+hierarchy+"}\n")

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			outDir := t.TempDir()
			out := filepath.Join(outDir, "out.csv")

			cmd := exec.Command(bin, "run", "-p", prof, "-i", "-", "-o", out)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp,
				"ANON_KEY=test-key-not-secret-0123456789abcdef")
			stdin, stderr := startPiped(t, cmd)
			defer stdin.Close()

			// Feed part of the input and keep the pipe open, so the run
			// waits on the pipe with its spool file half written.
			fmt.Fprint(stdin, "sex,email\n")
			for i := range 2000 {
				fmt.Fprintf(stdin, "Female,user%d@example.org\n", i)
			}
			spooled := func() bool {
				m, _ := filepath.Glob(filepath.Join(tmp, "anon-stdin-*"))
				return len(m) > 0
			}
			if !waitFor(spooled, 10*time.Second) {
				cmd.Process.Kill()
				t.Fatalf("the run never created its spool file; stderr:\n%s", stderr.String())
			}

			err := interruptRun(t, cmd, sig)

			if code := cmd.ProcessState.ExitCode(); code != exitFailed {
				t.Errorf("exit code = %d (%v), want %d; stderr:\n%s", code, err, exitFailed,
					stderr.String())
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("files left in TMPDIR: %v", left)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("output %s was written", out)
			}
		})
	}
}

// interruptRun sends sig to the running cmd and waits for it to stop; it
// fails the test if the run is still going 20 seconds later, and returns
// what Wait returned.
func interruptRun(t *testing.T, cmd *exec.Cmd, sig os.Signal) error {
	t.Helper()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the run did not stop after the signal")
	}
	return nil
}

// buildBinary builds anon into a new temporary directory and returns the
// directory and the binary's path; it skips the test in -short mode.
func buildBinary(t *testing.T) (dir, bin string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir = t.TempDir()
	bin = filepath.Join(dir, "anon")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return dir, bin
}

// startPiped starts cmd with a pipe to its standard input, which it
// returns, and its standard error gathered in the returned builder.
func startPiped(t *testing.T, cmd *exec.Cmd) (io.WriteCloser, *strings.Builder) {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return stdin, stderr
}
