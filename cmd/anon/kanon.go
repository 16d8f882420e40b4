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
// read their input twice (k-anonymity). The file holds raw input, so it is
// registered for removal before the first byte is written: an interrupt that
// arrives while the copy waits on the pipe still removes it. The copy stops
// between chunks once ctx is done. The caller removes the file and
// unregisters it.
func spoolStdin(ctx context.Context, stdin io.Reader) (string, error) {
	f, err := os.CreateTemp("", "anon-stdin-*")
	if err != nil {
		return "", fmt.Errorf("spool standard input: %w", err)
	}
	pending.add(f.Name())

	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(f.Name())
		pending.remove(f.Name())
		return "", fmt.Errorf("spool standard input: %w", err)
	}
	if _, err := io.Copy(f, ctxReader{ctx: ctx, r: stdin}); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	return f.Name(), nil
}

// ctxReader is a reader that fails with the context's error once the context
// is done, checked before each read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
