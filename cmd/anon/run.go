package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
)

func runCommand(e *env) *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "profile", Aliases: []string{"p"}, Required: true,
			Usage: "the YAML profile naming a strategy for every column"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true,
			Usage: "output file, or - for standard output (CSV, NDJSON, JSON)"},
		&cli.StringFlag{Name: "output-format",
			Usage: "csv, ndjson, json, parquet or lines (default: from the extension)"},
		&cli.StringFlag{Name: "output-delimiter",
			Usage: "CSV field delimiter of the output (default: the input's, or ,)"},
		&cli.StringFlag{Name: "key-file",
			Usage: "file holding the secret key (default: the ANON_KEY environment variable)"},
		&cli.BoolFlag{Name: "force", Usage: "overwrite an existing output file"},
		&cli.IntFlag{Name: "workers", Usage: "transform goroutines (default: one per core)"},
		&cli.StringFlag{Name: "compression", Value: "snappy",
			Usage: "Parquet compression: snappy, zstd, gzip or none"},
		&cli.StringFlag{Name: "report",
			Usage: "write a JSON report of the run (counts per column, timings) to this file"},
		&cli.BoolFlag{Name: "no-progress", Usage: "never show the progress line"},
		outputKeyFlag(),
		auditFlag(),
	}
	return &cli.Command{
		Name:      "run",
		Usage:     "anonymize a file with a profile",
		UsageText: "anon run --profile p.yaml --input in.csv --output out.parquet",
		Flags:     append(flags, inputFlags()...),
		Action: func(ctx context.Context, cmd *cli.Command) error {
			a := newAudit(cmd)
			return a.finish(runAction(ctx, cmd, e, a))
		},
	}
}

// maxWorkers bounds --workers: more goroutines than this only add memory.
const maxWorkers = 256

// runAction is `anon run`: read, transform, write atomically, summarize. It
// fills in a, the run's audit record.
func runAction(ctx context.Context, cmd *cli.Command, e *env, a *audit) error {
	if info, err := os.Stat(cmd.String("input")); err == nil && info.IsDir() {
		if cmd.String("report") != "" {
			return usageError(errors.New("--report takes one file; run files one by one"))
		}
		return runFolder(ctx, cmd, e)
	}
	start := time.Now()
	logger := newLogger(cmd, e.stderr)

	prof, err := profiles.Load(cmd.String("profile"))
	if err != nil {
		return usageError(err)
	}
	a.prof = prof
	ropt, err := readOptions(cmd, prof)
	if err != nil {
		return usageError(err)
	}
	secret, err := loadSecret(cmd.String("key-file"))
	if err != nil {
		return usageError(err)
	}
	if keyed := prof.Keyed(); len(keyed) > 0 && secret.IsZero() {
		return usageError(fmt.Errorf("the strategies %s need a secret key: set ANON_KEY or "+
			"give --key-file", strings.Join(keyed, ", ")))
	}

	in, out := cmd.String("input"), cmd.String("output")
	if w := cmd.Int("workers"); w < 0 || w > maxWorkers {
		return usageError(fmt.Errorf("--workers must be between 0 (one per core) and %d",
			maxWorkers))
	}
	wopt, err := writeOptions(cmd, ropt)
	if err != nil {
		return usageError(err)
	}
	a.ropt, a.wopt = &ropt, &wopt
	report := cmd.String("report")
	if err := checkPaths(in, out, report, prof.Path); err != nil {
		return usageError(err)
	}
	if err := a.prepare(prof, in, out, report); err != nil {
		return usageError(err)
	}
	logGuardrails(logger, prof, in, ropt)

	// k-anonymity reads the input twice: keep standard input in a file.
	if in == "-" && prof.KAnonymity != nil {
		spooled, err := spoolStdin(ctx, e.stdin)
		if err != nil {
			return runError(err)
		}
		defer func() {
			os.Remove(spooled)
			pending.remove(spooled)
		}()
		in = spooled
	}

	reader, err := openInput(in, ropt, e.stdin)
	if err != nil {
		return runError(err)
	}
	defer reader.Close()

	plan, err := transform.NewPlan(reader.Schema(), prof.Rules(reader.Schema()))
	if err != nil {
		return usageError(fmt.Errorf("%s: %w", prof.Path, err))
	}
	for _, c := range prof.Columns {
		if len(reader.Schema().FieldIndices(c.Name)) == 0 {
			logger.Warn("profile names a column the input does not have", "column", c.Name)
		}
	}

	kanonReport, err := prepareKAnonymity(ctx, prof, plan, in, ropt)
	if err != nil {
		return err
	}

	dst, err := openOutput(out, cmd.Bool("force"), e.stdout)
	if err != nil {
		return usageError(err)
	}
	defer dst.abort()

	// The report is made ready before the run, so a report that cannot be
	// written fails the run before any output exists.
	var reportOut *output
	if report != "" {
		if reportOut, err = openOutput(report, cmd.Bool("force"), e.stdout); err != nil {
			return usageError(fmt.Errorf("--report: %w", err))
		}
		defer reportOut.abort()
	}

	writer, err := formats.NewWriter(dst.w, plan.OutputSchema(), wopt)
	if err != nil {
		return usageError(err)
	}

	logger.Info("run started", "profile", prof.Path, "input", ropt.Name,
		"input_format", string(ropt.Format), "output", outputName(out),
		"output_format", string(wopt.Format))
	progress := newProgress(cmd, e.stderr, logger)
	stats, err := transform.Run(ctx, plan, reader, writer, transform.RunOptions{
		Secret:   secret,
		Workers:  int(cmd.Int("workers")),
		Progress: progress.update,
	})
	progress.finish()
	a.ran(plan, stats)
	if err != nil {
		var rowErr *transform.RowError
		if errors.As(err, &rowErr) {
			err = fmt.Errorf("%s: %w", ropt.Name, err)
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("interrupted; no output was written: %w", err)
		}
		return runError(err)
	}
	if err := writer.Close(); err != nil {
		return runError(fmt.Errorf("write output: %w", err))
	}
	sum := newSummary(prof, plan, stats, ropt, wopt, out, time.Since(start))
	if kanonReport != nil {
		sum.KAnonymity = kanonReport
	}
	if reportOut != nil {
		if err := sum.writeJSON(reportOut.w); err != nil {
			return runError(err)
		}
	}

	if err := dst.commit(); err != nil {
		return runError(err)
	}
	if reportOut != nil {
		if err := reportOut.commit(); err != nil {
			return runError(fmt.Errorf("--report: %w", err))
		}
	}
	sum.print(e.stderr, logger, jsonLogs(cmd))
	return nil
}

// writeOptions builds the writer options for the output flags.
func writeOptions(cmd *cli.Command, ropt formats.ReadOptions) (formats.WriteOptions, error) {
	out := cmd.String("output")
	fallback := formats.Format("")
	if out == "-" {
		fallback = ropt.Format
		if fallback == formats.Parquet {
			fallback = formats.CSV
		}
	}
	format, err := formats.Detect(out, cmd.String("output-format"), fallback)
	if err != nil {
		return formats.WriteOptions{}, err
	}
	if out == "-" && format == formats.Parquet {
		return formats.WriteOptions{}, errors.New("parquet cannot be written to standard " +
			"output; give a file")
	}

	if cmd.IsSet("compression") && format != formats.Parquet {
		return formats.WriteOptions{}, errors.New("--compression applies to Parquet output only")
	}

	dialect := formats.CSVOptions{Delimiter: ',', Quote: '"'}
	if ropt.Format == formats.CSV {
		dialect = ropt.CSV
	}
	if d := cmd.String("output-delimiter"); d != "" {
		r, err := oneRune(d, "output-delimiter")
		if err != nil {
			return formats.WriteOptions{}, err
		}
		dialect.Delimiter = r
	}

	encrypt, err := outputKeys(cmd, format)
	if err != nil {
		return formats.WriteOptions{}, err
	}
	return formats.WriteOptions{
		Format:  format,
		Name:    outputName(out),
		CSV:     dialect,
		Parquet: formats.ParquetOptions{Compression: cmd.String("compression")},
		Encrypt: encrypt,
	}, nil
}

// checkPaths refuses to write the output or the report over the input, the
// profile, or each other; only one of them may be standard output.
func checkPaths(in, out, report, profile string) error {
	if out == "-" && report == "-" {
		return errors.New("the output and the report cannot both go to standard output")
	}
	if samePath(in, out) {
		return errors.New("the output is the input; anon never modifies its input")
	}
	if samePath(profile, out) {
		return errors.New("the output is the profile")
	}
	if report == "" {
		return nil
	}
	for _, p := range []string{in, out, profile} {
		if samePath(p, report) {
			return errors.New("--report names the input, the output or the profile")
		}
	}
	return nil
}

// samePath reports whether a and b name the same file (standard streams
// never match).
func samePath(a, b string) bool {
	if a == "-" || b == "-" || a == "" || b == "" {
		return false
	}
	absA, err1 := filepath.Abs(a)
	absB, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && absA == absB {
		return true
	}
	infoA, err1 := os.Stat(a)
	infoB, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(infoA, infoB)
}

// output is where the run writes: an atomic file, or standard output.
type output struct {
	w      io.Writer
	file   *formats.AtomicFile
	stdout *bufio.Writer
}

func openOutput(path string, force bool, stdout io.Writer) (*output, error) {
	if path == "-" {
		bw := bufio.NewWriterSize(stdout, 1<<16)
		return &output{w: bw, stdout: bw}, nil
	}
	f, err := formats.CreateAtomic(path, force)
	if err != nil {
		return nil, err
	}
	pending.add(f.TempName())
	return &output{w: f, file: f}, nil
}

func (o *output) commit() error {
	if o.file != nil {
		defer pending.remove(o.file.TempName())
		return o.file.Commit()
	}
	return o.stdout.Flush()
}

func (o *output) abort() {
	if o.file != nil {
		o.file.Abort()
		pending.remove(o.file.TempName())
	}
}
