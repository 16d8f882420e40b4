package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
)

// defaultVerifyMemory bounds the leak check's filter, candidates and the
// risk check's class counts.
const defaultVerifyMemory = "256M"

// verifyCommand returns `anon verify`, which checks that an anonymized file
// keeps the promises of its profile: no protected value leaks, the
// re-identification risk over the quasi-identifiers, no direct identifier in
// a kept column, and the row count and schema.
func verifyCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "check that an anonymized file is safe to share",
		UsageText: "anon verify --profile p.yaml --original in.csv --anonymized out.csv " +
			"[--report report.json]",
		Description: "Checks, each pass or fail: no leaks (no original value of a protected " +
			"column appears in the output), re-identification risk over the " +
			"quasi-identifiers, a fresh scan finds no direct identifier in a kept column, " +
			"and row counts and schema match the profile. Prints no data values.\n" +
			"Exit codes: 0 every check passed, 1 a check failed, 2 bad usage or profile.",
		Flags: verifyFlags(),
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return verifyAction(ctx, cmd, e)
		},
	}
}

func verifyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "profile", Aliases: []string{"p"}, Required: true,
			Usage: "the profile the anonymized file was made with"},
		&cli.StringFlag{Name: "original", Required: true, Usage: "the original file"},
		&cli.StringFlag{Name: "anonymized", Required: true, Usage: "the anonymized file"},
		&cli.StringFlag{Name: "original-format",
			Usage: "csv, ndjson, json, parquet or lines (default: from the extension)"},
		&cli.StringFlag{Name: "anonymized-format",
			Usage: "csv, ndjson, json, parquet or lines (default: from the extension)"},
		&cli.StringFlag{Name: "delimiter", Value: ",",
			Usage: "CSV field delimiter of both files, one character; \\t for tab"},
		&cli.StringFlag{Name: "quote", Value: "\"", Usage: "CSV quote character of both files"},
		&cli.BoolFlag{Name: "no-header",
			Usage: "the CSV files have no header line; columns are named col1, col2, ..."},
		&cli.StringFlag{Name: "original-key-file",
			Usage: "key of an encrypted Parquet original (default: " + envInputKey + ")"},
		&cli.StringFlag{Name: "anonymized-key-file",
			Usage: "key of an encrypted Parquet output (default: " + envInputKey + ")"},
		&cli.StringFlag{Name: "report", Usage: "write the figures as JSON to this file"},
		&cli.BoolFlag{Name: "force", Usage: "overwrite an existing report"},
		&cli.StringFlag{Name: "max-memory", Value: defaultVerifyMemory,
			Usage: "memory for the leak filter, its candidates and the class counts " +
				"(bytes, or with K, M or G)"},
		&cli.IntFlag{Name: "sample", Value: 10000,
			Usage: "rows of each file the PII scan reads; 0 reads all"},
	}
}

// verifyOptions are the parsed flags.
type verifyOptions struct {
	prof       *profiles.Profile
	orig, anon string
	origOpt    formats.ReadOptions
	anonOpt    formats.ReadOptions
	memory     int64
	sample     int64
}

// verifyAction is `anon verify`.
func verifyAction(ctx context.Context, cmd *cli.Command, e *env) error {
	prof, err := profiles.Load(cmd.String("profile"))
	if err != nil {
		return usageError(err)
	}
	o := &verifyOptions{prof: prof, orig: cmd.String("original"),
		anon: cmd.String("anonymized"), sample: int64(cmd.Int("sample"))}
	if o.origOpt, err = verifyReadOptions(cmd, o.orig, "original"); err != nil {
		return usageError(fmt.Errorf("--original: %w", err))
	}
	if o.anonOpt, err = verifyReadOptions(cmd, o.anon, "anonymized"); err != nil {
		return usageError(fmt.Errorf("--anonymized: %w", err))
	}
	if o.memory, err = parseSize(cmd.String("max-memory")); err != nil {
		return usageError(fmt.Errorf("--max-memory: %w", err))
	}
	if o.sample < 0 {
		return usageError(errors.New("--sample must be 0 (all rows) or positive"))
	}
	report := cmd.String("report")
	for _, p := range []string{o.orig, o.anon, prof.Path} {
		if report != "" && samePath(p, report) {
			return usageError(errors.New("--report names an input or the profile"))
		}
	}
	var reportOut *output
	if report != "" {
		if reportOut, err = openOutput(report, cmd.Bool("force"), e.stdout); err != nil {
			return usageError(fmt.Errorf("--report: %w", err))
		}
		defer reportOut.abort()
	}

	rep, err := verify(ctx, o)
	if err != nil {
		return err
	}
	if reportOut != nil {
		if err := rep.writeJSON(reportOut.w); err != nil {
			return runError(err)
		}
		if err := reportOut.commit(); err != nil {
			return runError(fmt.Errorf("--report: %w", err))
		}
	}
	if report != "-" {
		rep.print(e.stdout)
	}
	if failed := rep.failed(); len(failed) > 0 {
		return runError(fmt.Errorf("verify: %d of %d checks failed: %s", len(failed),
			len(rep.Checks), strings.Join(failed, ", ")))
	}
	return nil
}

// verifyReadOptions builds the reader options of one input, named by role
// (original or anonymized): its format flag and, for encrypted Parquet, its
// key flag (default ANON_INPUT_KEY). Both inputs are read as text where the
// format allows, so values compare as written.
func verifyReadOptions(cmd *cli.Command, path, role string) (formats.ReadOptions, error) {
	if path == "-" {
		return formats.ReadOptions{}, errors.New("verify reads each file more than once; " +
			"give a file, not standard input")
	}
	format, err := formats.Detect(path, cmd.String(role+"-format"), "")
	if err != nil {
		return formats.ReadOptions{}, err
	}
	dialect, err := csvDialect(cmd, "")
	if err != nil {
		return formats.ReadOptions{}, err
	}
	if strings.EqualFold(filepath.Ext(path), ".tsv") && !cmd.IsSet("delimiter") {
		dialect.Delimiter = '\t'
	}
	opt := formats.ReadOptions{Format: format, Name: path, CSV: dialect,
		HeaderCheck: headerDataKind}

	keyFlag := role + "-key-file"
	if format != formats.Parquet {
		if cmd.String(keyFlag) != "" {
			return opt, fmt.Errorf("--%s applies to Parquet input only", keyFlag)
		}
		return opt, nil
	}
	key, _, err := loadDataKey(cmd, keyFlag, envInputKey)
	if err != nil {
		return opt, err
	}
	if key != nil {
		opt.Decrypt = &formats.ParquetKeys{FooterKey: key}
	}
	return opt, nil
}

// parseSize reads a byte count such as 268435456, 512K, 256M or 1G (powers
// of 1024).
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult, t = 1<<10, t[:n-1]
		case 'M':
			mult, t = 1<<20, t[:n-1]
		case 'G':
			mult, t = 1<<30, t[:n-1]
		}
	}
	v, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || v <= 0 || v > (1<<40)/mult {
		return 0, errors.New("want a positive size such as 256M or 1G")
	}
	if v*mult < 1<<20 {
		return 0, errors.New("want at least 1M")
	}
	return v * mult, nil
}
