package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/detect"
)

// defaultScanSample is the number of rows scan reads unless --sample says.
const defaultScanSample = 10_000

// scanCommand is `anon scan`: find the columns holding personal data and
// optionally write a starter profile.
func scanCommand(e *env) *cli.Command {
	flags := []cli.Flag{
		&cli.IntFlag{Name: "sample", Value: defaultScanSample,
			Usage: "rows to read from the start of the input; 0 reads them all"},
		&cli.StringFlag{Name: "write-profile",
			Usage: "write a commented starter profile (YAML) covering every column"},
		&cli.BoolFlag{Name: "force", Usage: "overwrite the --write-profile file if it exists"},
		&cli.StringFlag{Name: "format", Value: "table", Usage: "report as table or json"},
	}
	return &cli.Command{
		Name:  "scan",
		Usage: "find the columns that hold personal data; print kinds and counts, never values",
		UsageText: "anon scan --input customers.csv\n" +
			"anon scan --input users.parquet --sample 0 --format json\n" +
			"anon scan --input customers.csv --write-profile customers.yaml",
		Description: "Reads a sample of the input with the same readers as run, and reports " +
			"for each column the detected kind of personal data, a confidence, the shares " +
			"of matching, null and distinct values, and whether it is a direct identifier " +
			"or a quasi-identifier. Exit codes: 0 done, 1 the input could not be read, " +
			"2 bad usage.",
		Flags: append(flags, inputFlags()...),
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return scanAction(ctx, cmd, e)
		},
	}
}

// scanResult is the JSON output of scan.
type scanResult struct {
	Input   string                `json:"input"`
	Rows    int                   `json:"rows"`
	Sample  int                   `json:"sample"`
	Columns []detect.ColumnReport `json:"columns"`
}

func scanAction(ctx context.Context, cmd *cli.Command, e *env) error {
	format := cmd.String("format")
	if format != "table" && format != "json" {
		return usageError(errors.New("--format must be table or json"))
	}
	sample := int(cmd.Int("sample"))
	if sample < 0 {
		return usageError(errors.New("--sample must be 0 (all rows) or positive"))
	}
	profilePath := cmd.String("write-profile")
	if profilePath != "" && !cmd.Bool("force") {
		if _, err := os.Stat(profilePath); err == nil {
			return usageError(fmt.Errorf("%s exists; give --force to overwrite it", profilePath))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return usageError(fmt.Errorf("check --write-profile: %w", err))
		}
	}
	ropt, err := readOptions(cmd, nil)
	if err != nil {
		return usageError(err)
	}
	path := cmd.String("input")
	if sample > 0 && ropt.BatchSize > sample {
		ropt.BatchSize = sample
	}
	in, err := openInput(path, ropt, e.stdin)
	if err != nil {
		return runError(err)
	}
	defer in.Close()

	var names []string
	for _, f := range in.Schema().Fields() {
		names = append(names, f.Name)
	}
	p := detect.NewProfiler(names)
	rows := 0
	for (sample == 0 || rows < sample) && in.Next() {
		if err := ctx.Err(); err != nil {
			return runError(errors.New("interrupted"))
		}
		batch := in.RecordBatch()
		n := int(batch.NumRows())
		if sample > 0 && rows+n > sample {
			n = sample - rows
			part := batch.NewSlice(0, int64(n))
			p.Add(part)
			part.Release()
		} else {
			p.Add(batch)
		}
		rows += n
	}
	if err := in.Err(); err != nil {
		return runError(err)
	}

	rep := scanResult{Input: displayName(path), Rows: rows, Sample: sample,
		Columns: p.Reports()}
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return runError(err)
		}
	} else {
		printScanTable(e.stdout, rep)
	}

	if profilePath != "" {
		if err := writeStarterProfile(profilePath, rep, cmd.Bool("force")); err != nil {
			return runError(err)
		}
		fmt.Fprintf(e.stderr, "wrote %s: review it, then anon run --profile %s\n",
			profilePath, profilePath)
	}
	return nil
}

// printScanTable prints the report as an aligned table, without values.
func printScanTable(w io.Writer, rep scanResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tKIND\tCONFIDENCE\tMATCH\tNULL\tDISTINCT\tIDENTIFIER")
	direct, quasi := 0, 0
	for _, c := range rep.Columns {
		role := "-"
		switch {
		case c.Direct:
			role = "direct"
			direct++
		case c.QuasiIdentifier:
			role = "quasi"
			quasi++
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%s\t%s\t%s\n", c.Name, c.Kind, c.Confidence,
			pct(c.MatchShare), pct(c.NullShare), pct(c.DistinctShare), role)
	}
	tw.Flush()
	fmt.Fprintf(w, "%s: %d rows scanned, %d columns: %d direct identifiers, "+
		"%d quasi-identifiers\n", rep.Input, rep.Rows, len(rep.Columns), direct, quasi)
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// writeStarterProfile writes the profile for rep to path, refusing to
// replace an existing file unless force is set.
func writeStarterProfile(path string, rep scanResult, force bool) error {
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	_, err = io.WriteString(f, starterProfile(rep))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	return nil
}

// starterProfile renders a commented version 1 profile naming every column.
func starterProfile(rep scanResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Starter profile written by anon scan from %s (%d rows scanned).\n",
		rep.Input, rep.Rows)
	b.WriteString("# Detection is heuristic: review every line, above all those marked " +
		"review.\n# Keyed strategies (fake, hash, tokenize, scrub) need the secret key: " +
		"ANON_KEY or --key-file.\nversion: 1\ncolumns:\n")
	width := 0
	for _, c := range rep.Columns {
		width = max(width, len(yamlKey(c.Name)))
	}
	for _, c := range rep.Columns {
		rule, why := suggestRule(c)
		key := yamlKey(c.Name) + ":"
		line := fmt.Sprintf("  %-*s %s", width+1, key, rule)
		fmt.Fprintf(&b, "%-*s  # %s\n", width+46, line, why)
	}
	return b.String()
}

// suggestRule returns the strategy for a column and the comment explaining it.
func suggestRule(c detect.ColumnReport) (rule, why string) {
	k := c.Kind
	conf := fmt.Sprintf("%s, confidence %.2f", k, c.Confidence)
	fake := func(kind string) (string, string) {
		return "{strategy: fake, kind: " + kind + "}", conf
	}
	switch k {
	case detect.Email, detect.Phone, detect.StreetAddress, detect.City, detect.IBAN,
		detect.IPv4:
		return fake(string(k))
	case detect.PersonName:
		return fake(nameKind(c.Name))
	case detect.CreditCard:
		return "{strategy: mask, keep_last: 4}", conf
	case detect.NationalID:
		return "{strategy: tokenize}", conf + "; format kept, reversible with the key"
	case detect.IPv6, detect.MAC:
		return "{strategy: hash, length: 16}", conf
	case detect.DateOfBirth:
		if c.MatchShare < 0.999 {
			// generalize stops at a value that is not a date; fake does not.
			return "{strategy: fake, kind: date_of_birth}",
				conf + "; some values are not dates, so fake rather than generalize"
		}
		return "{strategy: generalize, date_level: year}", conf + "; quasi-identifier"
	case detect.Zip:
		return "{strategy: generalize, keep_first: 3}", conf + "; quasi-identifier"
	case detect.FreeTextPII:
		return "{strategy: scrub}", conf + "; PII inside text"
	case detect.UUID, detect.URL:
		return "keep", "review: " + conf + "; an identifier of records, not people?"
	}
	if c.QuasiIdentifier {
		return "keep", "review: quasi-identifier; generalize it if it singles people out"
	}
	return "keep", "review: no personal data found"
}

// nameKind picks the fake kind for a person-name column from its name.
func nameKind(column string) string {
	n := strings.ToLower(column)
	for _, w := range []string{"first", "given", "fname", "nombre", "vorname", "prenom"} {
		if strings.Contains(n, w) {
			return "first_name"
		}
	}
	for _, w := range []string{"last", "surname", "family", "lname", "apellido",
		"nachname", "cognome", "maiden"} {
		if strings.Contains(n, w) {
			return "last_name"
		}
	}
	return "full_name"
}

// yamlKey quotes a column name unless it is a plain YAML key.
func yamlKey(name string) string {
	plain := name != ""
	for i, r := range name {
		ok := r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			r >= '0' && r <= '9' && i > 0
		if !ok {
			plain = false
			break
		}
	}
	switch strings.ToLower(name) {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n", "~":
		plain = false
	}
	if plain {
		return name
	}
	q, _ := json.Marshal(name)
	return string(q)
}
