package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
)

// inputFlags are the flags that say how to read the input.
func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "input", Aliases: []string{"i"},
			Usage: "input file, or - for standard input (CSV, NDJSON, JSON)"},
		&cli.StringFlag{Name: "input-format",
			Usage: "csv, ndjson, json, parquet or lines (default: from the extension)"},
		&cli.StringFlag{Name: "delimiter", Value: ",",
			Usage: "CSV field delimiter of the input, one character; \\t for tab"},
		&cli.StringFlag{Name: "quote", Value: "\"", Usage: "CSV quote character of the input"},
		&cli.BoolFlag{Name: "no-header",
			Usage: "the CSV input has no header line; columns are named col1, col2, ..."},
		&cli.IntFlag{Name: "batch-size", Value: formats.DefaultBatchSize,
			Usage: "rows per record batch"},
		inputKeyFlag(),
	}
}

// csvDialect reads a dialect from the flags named prefix+"delimiter" etc.
func csvDialect(cmd *cli.Command, prefix string) (formats.CSVOptions, error) {
	delim, err := oneRune(cmd.String(prefix+"delimiter"), prefix+"delimiter")
	if err != nil {
		return formats.CSVOptions{}, err
	}
	quote, err := oneRune(cmd.String(prefix+"quote"), prefix+"quote")
	if err != nil {
		return formats.CSVOptions{}, err
	}
	if delim == quote {
		return formats.CSVOptions{}, errors.New("the delimiter and the quote must differ")
	}
	return formats.CSVOptions{Delimiter: delim, Quote: quote,
		NoHeader: cmd.Bool(prefix + "no-header")}, nil
}

func oneRune(s, flag string) (rune, error) {
	switch s {
	case `\t`, "tab":
		return '\t', nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || size != len(s) || r == '\n' || r == '\r' || r >= utf8.RuneSelf {
		return 0, fmt.Errorf("--%s must be one ASCII character other than CR or LF", flag)
	}
	return r, nil
}

// readOptions builds the reader options for the input flags and a profile.
func readOptions(cmd *cli.Command, prof *profiles.Profile) (formats.ReadOptions, error) {
	in := cmd.String("input")
	if in == "" {
		return formats.ReadOptions{}, errors.New("--input is required")
	}
	format, err := formats.Detect(in, cmd.String("input-format"), stdinDefault(in))
	if err != nil {
		return formats.ReadOptions{}, err
	}
	if format == formats.Parquet && in == "-" {
		return formats.ReadOptions{}, errors.New("parquet cannot be read from standard input; " +
			"give a file")
	}
	if cmd.Bool("no-header") && format != formats.CSV {
		return formats.ReadOptions{}, fmt.Errorf("--no-header applies to CSV input, "+
			"not %s", format)
	}
	dialect, err := csvDialect(cmd, "")
	if err != nil {
		return formats.ReadOptions{}, err
	}
	// A .tsv file is tab-separated unless --delimiter says otherwise.
	if strings.EqualFold(filepath.Ext(in), ".tsv") && !cmd.IsSet("delimiter") {
		dialect.Delimiter = '\t'
	}
	if cmd.Int("batch-size") <= 0 {
		return formats.ReadOptions{}, errors.New("--batch-size must be positive")
	}

	opt := formats.ReadOptions{
		Format:      format,
		Name:        displayName(in),
		BatchSize:   int(cmd.Int("batch-size")),
		CSV:         dialect,
		HeaderCheck: headerDataKind,
	}
	if prof != nil {
		opt.ColumnTypes = prof.ColumnTypes()
	}
	if opt.Decrypt, err = inputKeys(cmd, format); err != nil {
		return formats.ReadOptions{}, err
	}
	return opt, nil
}

// stdinDefault is the format assumed for "-" without an explicit format.
func stdinDefault(path string) formats.Format {
	if path == "-" {
		return formats.CSV
	}
	return ""
}

// displayName names an input in messages.
func displayName(path string) string {
	if path == "-" {
		return "<stdin>"
	}
	return path
}

// outputName names an output in messages.
func outputName(path string) string {
	if path == "-" {
		return "<stdout>"
	}
	return path
}

// openInput opens the input; "-" reads stdin.
func openInput(path string, opt formats.ReadOptions, stdin io.Reader) (formats.Reader, error) {
	if path == "-" && opt.Format != formats.Parquet {
		return formats.NewReader(stdin, opt)
	}
	return formats.Open(path, opt)
}
