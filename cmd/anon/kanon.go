package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
	"github.com/anon-data/anon/transform/kanon"
)

// prepareKAnonymity runs the first pass of k-anonymity when the profile asks
// for it, reading only to count quasi-identifier tuples, and adds the
// resulting stage to the plan. It returns the report for the summary.
func prepareKAnonymity(ctx context.Context, prof *profiles.Profile, plan *transform.Plan,
	in string, ropt formats.ReadOptions) (*kanon.Report, error) {
	if prof.KAnonymity == nil {
		return nil, nil
	}

	first, err := formats.Open(in, ropt)
	if err != nil {
		return nil, runError(err)
	}
	res, err := kanon.Prepare(ctx, prof.KAnonymity, first)
	first.Close()
	if err != nil {
		return nil, runError(fmt.Errorf("k-anonymity: %w", err))
	}

	if err := plan.SetStage(res.Stage()); err != nil {
		return nil, usageError(fmt.Errorf("k-anonymity: %w", err))
	}
	report := res.Report()
	return &report, nil
}

// spoolStdin copies standard input to a private temporary file, for runs that
// read their input twice (k-anonymity). The caller removes the file.
func spoolStdin(stdin io.Reader) (string, error) {
	f, err := os.CreateTemp("", "anon-stdin-*")
	if err != nil {
		return "", fmt.Errorf("spool standard input: %w", err)
	}
	if _, err := io.Copy(f, stdin); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("spool standard input: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("spool standard input: %w", err)
	}
	return f.Name(), nil
}
