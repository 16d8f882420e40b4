package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

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

	if err := checkKAnonymityColumns(prof, plan.OutputSchema()); err != nil {
		return nil, usageError(err)
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

// checkKAnonymityColumns checks that every quasi-identifier (and the
// l-diversity column) is in the schema.
func checkKAnonymityColumns(prof *profiles.Profile, schema *arrow.Schema) error {
	if prof.KAnonymity == nil {
		return nil
	}
	names := prof.KAnonymity.Columns()
	if l := prof.KAnonymity.LDiversity; l != nil {
		names = append(names, l.Column)
	}
	var missing []string
	for _, name := range names {
		if len(schema.FieldIndices(name)) == 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: k_anonymity names columns the input does not have: %s",
			prof.Path, strings.Join(missing, ", "))
	}
	return nil
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
