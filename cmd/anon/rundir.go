package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/urfave/cli/v3"
)

// dirWorkers is how many files of a folder run at once. Each run already
// uses every core; two overlap one file's reading with another's writing.
const dirWorkers = 2

// runFolder is `anon run --input DIR --output DIR`: every file under DIR
// (a partitioned dataset such as year=2024/month=01/part-0001.parquet, or a
// folder of exports) is anonymized with the same profile into the same
// relative path under the output folder. Each file is an ordinary run, so
// each output is atomic and fakes stay consistent across files (they depend
// on the key, not on the file). Files run two at a time; the first failure
// stops the rest from starting.
func runFolder(ctx context.Context, cmd *cli.Command, e *env) error {
	in, out := cmd.String("input"), cmd.String("output")
	if out == "-" {
		return usageError(errors.New("a folder input needs a folder output"))
	}
	if info, err := os.Stat(out); err == nil && !info.IsDir() {
		return usageError(fmt.Errorf("%s is a file; a folder input needs a folder output", out))
	}
	if abs(in) == abs(out) || strings.HasPrefix(abs(out), abs(in)+string(filepath.Separator)) {
		return usageError(errors.New("the output folder is inside the input folder"))
	}

	var files []string
	err := filepath.WalkDir(in, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(d.Name(), "."):
		case d.Type().IsRegular():
			files = append(files, path)
		case !d.IsDir():
			// Links and special files are not followed: they may point
			// outside the folder.
			fmt.Fprintf(e.stderr, "anon: skipped %s: not a regular file\n", path)
		}
		return nil
	})
	if err != nil {
		return runError(fmt.Errorf("read input folder: %w", err))
	}
	if len(files) == 0 {
		return usageError(fmt.Errorf("%s holds no files", in))
	}
	sort.Strings(files)

	// The flags of this run, less input, output and report, apply to each file.
	common := folderArgs(cmd)

	var (
		mu       sync.Mutex
		failed   []string
		firstErr int
		started  int
	)
	sem := make(chan struct{}, dirWorkers)
	var wg sync.WaitGroup
	for _, f := range files {
		rel, _ := filepath.Rel(in, f)
		dest := filepath.Join(out, rel)
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return runError(fmt.Errorf("create output folder: %w", err))
		}

		mu.Lock()
		stop := len(failed) > 0
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break
		}

		sem <- struct{}{}
		started++
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			args := append([]string{"anon", "--log-format", cmd.String("log-format"),
				"--log-level", cmd.String("log-level"), "run", "-i", f, "-o", dest}, common...)
			stderr := &lockedWriter{w: e.stderr, mu: &mu}
			if code := run(ctx, args, nil, e.stdout, stderr); code != 0 {
				mu.Lock()
				failed = append(failed, rel)
				if firstErr == 0 {
					firstErr = code
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	if len(failed) > 0 {
		return &exitError{code: firstErr, err: fmt.Errorf("%d file(s) failed: %s; every "+
			"output written is complete (files already running were finished), and %d "+
			"of %d files were not started", len(failed), strings.Join(failed, ", "),
			len(files)-started, len(files))}
	}
	fmt.Fprintf(e.stderr, "anon: %d files written under %s\n", len(files), out)
	return nil
}

// folderArgs rebuilds the run's flags that apply to every file.
func folderArgs(cmd *cli.Command) []string {
	var args []string
	for _, name := range []string{"profile", "input-format", "output-format", "delimiter",
		"quote", "output-delimiter", "key-file", "compression", "batch-size", "workers"} {
		if cmd.IsSet(name) {
			args = append(args, "--"+name, fmt.Sprint(cmd.Value(name)))
		}
	}
	for _, name := range []string{"force", "no-header"} {
		if cmd.Bool(name) {
			args = append(args, "--"+name)
		}
	}
	return append(args, "--no-progress")
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// lockedWriter serializes writes from concurrent runs.
type lockedWriter struct {
	w  interface{ Write([]byte) (int, error) }
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
