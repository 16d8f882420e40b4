package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/formats"
)

// jobFile is a multi-table job: several tables, each with its input, output
// and profile, and the foreign keys that must still join afterwards.
type jobFile struct {
	Version     int          `yaml:"version"`
	Tables      []jobTable   `yaml:"tables"`
	ForeignKeys []foreignKey `yaml:"foreign_keys"`
}

// jobTable is one table of a job. Input and profile paths are relative to
// the job file, the output to --output-dir.
type jobTable struct {
	Name         string `yaml:"name"`
	Input        string `yaml:"input"`
	Output       string `yaml:"output"`
	Profile      string `yaml:"profile"`
	InputFormat  string `yaml:"input_format"`
	OutputFormat string `yaml:"output_format"`
	Delimiter    string `yaml:"delimiter"`
}

// foreignKey says that every value of From (table.column) should find a row
// in To (table.column).
type foreignKey struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

func jobCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "job",
		Usage: "anonymize several tables with their profiles, keeping joins, and check the joins",
		UsageText: "anon job --file job.yaml --output-dir out/\n" +
			"anon job --input-dir dump/ --profile-dir profiles/ --output-dir out/",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "the job file"},
			&cli.StringFlag{Name: "input-dir",
				Usage: "a folder of input files; each file NAME.ext uses the profile NAME.yaml"},
			&cli.StringFlag{Name: "profile-dir", Usage: "the profiles for --input-dir"},
			&cli.StringFlag{Name: "output-dir", Value: ".",
				Usage: "where outputs go (created if missing)"},
			&cli.StringFlag{Name: "key-file",
				Usage: "file holding the secret key (default: ANON_KEY)"},
			&cli.BoolFlag{Name: "force", Usage: "overwrite existing outputs"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return jobAction(ctx, cmd, e)
		},
	}
}

func jobAction(ctx context.Context, cmd *cli.Command, e *env) error {
	job, base, err := loadJob(cmd)
	if err != nil {
		return usageError(err)
	}
	outDir := cmd.String("output-dir")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return runError(fmt.Errorf("create --output-dir: %w", err))
	}
	for _, t := range job.Tables {
		dest := filepath.Join(outDir, t.Output)
		if info, err := os.Lstat(dest); err == nil {
			if !info.Mode().IsRegular() {
				return usageError(fmt.Errorf("%s exists and is not a regular file", dest))
			}
			if !cmd.Bool("force") {
				return usageError(fmt.Errorf("%s: %w", dest, formats.ErrExists))
			}
		}
	}

	// The tables are written to a staging folder and moved into place only
	// when all of them, and the join check, succeed: a failed job leaves no
	// output behind.
	staging, err := os.MkdirTemp(outDir, ".anon-job-*")
	if err != nil {
		return runError(fmt.Errorf("create staging folder: %w", err))
	}
	pending.add(staging)
	defer func() {
		os.RemoveAll(staging)
		pending.remove(staging)
	}()

	// Each table is one `anon run`, with the same checks and guarantees.
	for _, t := range job.Tables {
		out := filepath.Join(staging, t.Output)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return runError(fmt.Errorf("create staging folder: %w", err))
		}
		args := []string{"anon", "--log-format", cmd.String("log-format"),
			"--log-level", cmd.String("log-level"), "run", "--no-progress",
			"-p", t.Profile, "-i", t.Input, "-o", out}
		if t.InputFormat != "" {
			args = append(args, "--input-format", t.InputFormat)
		}
		if t.OutputFormat != "" {
			args = append(args, "--output-format", t.OutputFormat)
		}
		if t.Delimiter != "" {
			args = append(args, "--delimiter", t.Delimiter)
		}
		if k := cmd.String("key-file"); k != "" {
			args = append(args, "--key-file", k)
		}
		fmt.Fprintf(e.stderr, "anon job: table %s\n", t.Name)
		if code := run(ctx, args, e.stdin, e.stdout, e.stderr); code != exitOK {
			return &exitError{code: code, err: fmt.Errorf("table %s failed; the job "+
				"stopped and wrote no output", t.Name)}
		}
	}

	if err := checkForeignKeys(job, base, staging, e); err != nil {
		return err
	}
	for _, t := range job.Tables {
		dest := filepath.Join(outDir, t.Output)
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return runError(fmt.Errorf("create output folder: %w", err))
		}
		if err := os.Rename(filepath.Join(staging, t.Output), dest); err != nil {
			return runError(fmt.Errorf("move %s into place: %w", t.Name, err))
		}
	}
	fmt.Fprintf(e.stderr, "anon job: %d tables written under %s\n", len(job.Tables), outDir)
	return nil
}

// loadJob reads the job file, or builds a job from --input-dir. Paths in the
// returned job are resolved; base is the folder they were relative to.
func loadJob(cmd *cli.Command) (*jobFile, string, error) {
	if dir := cmd.String("input-dir"); dir != "" {
		return jobFromFolder(dir, cmd.String("profile-dir"))
	}
	path := cmd.String("file")
	if path == "" {
		return nil, "", errors.New("give --file job.yaml or --input-dir with --profile-dir")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("read job: %w", err)
	}
	var job jobFile
	if err := yaml.UnmarshalWithOptions(data, &job, yaml.Strict(),
		yaml.DisallowUnknownField()); err != nil {
		return nil, "", fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, true))
	}

	base := filepath.Dir(path)
	var problems []string
	if job.Version != 1 {
		problems = append(problems, "version: want 1")
	}
	if len(job.Tables) == 0 {
		problems = append(problems, "tables: list at least one table")
	}
	seen := map[string]bool{}
	outputs := map[string]string{}
	for i := range job.Tables {
		t := &job.Tables[i]
		if t.Name == "" || t.Input == "" || t.Output == "" || t.Profile == "" {
			problems = append(problems, fmt.Sprintf("tables[%d]: name, input, output and "+
				"profile are required", i))
			continue
		}
		if seen[t.Name] {
			problems = append(problems, fmt.Sprintf("tables[%d]: table %q is listed twice",
				i, t.Name))
		}
		seen[t.Name] = true
		if other, dup := outputs[filepath.Clean(t.Output)]; dup {
			problems = append(problems, fmt.Sprintf("tables[%d]: table %q writes the same "+
				"output as table %q", i, t.Name, other))
		}
		outputs[filepath.Clean(t.Output)] = t.Name
		t.Input = resolve(base, t.Input)
		t.Profile = resolve(base, t.Profile)
	}
	for i, fk := range job.ForeignKeys {
		for _, ref := range []string{fk.From, fk.To} {
			table, _, ok := strings.Cut(ref, ".")
			if !ok || !seen[table] {
				problems = append(problems, fmt.Sprintf("foreign_keys[%d]: %q is not "+
					"table.column of a listed table", i, ref))
			}
		}
	}
	if len(problems) > 0 {
		return nil, "", fmt.Errorf("%s: %s", path, strings.Join(problems, "; "))
	}
	return &job, base, nil
}

// jobFromFolder makes a job of every file in dir that has a profile of the
// same base name in profileDir.
func jobFromFolder(dir, profileDir string) (*jobFile, string, error) {
	if profileDir == "" {
		return nil, "", errors.New("--input-dir needs --profile-dir")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", fmt.Errorf("read --input-dir: %w", err)
	}
	job := &jobFile{Version: 1}
	var missing []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		prof := filepath.Join(profileDir, name+".yaml")
		if _, err := os.Stat(prof); err != nil {
			missing = append(missing, e.Name())
			continue
		}
		job.Tables = append(job.Tables, jobTable{Name: name,
			Input: filepath.Join(dir, e.Name()), Output: e.Name(), Profile: prof})
	}
	if len(missing) > 0 {
		return nil, "", fmt.Errorf("no profile in %s for: %s (every file needs NAME.yaml)",
			profileDir, strings.Join(missing, ", "))
	}
	if len(job.Tables) == 0 {
		return nil, "", fmt.Errorf("%s holds no files", dir)
	}
	return job, dir, nil
}

func resolve(base, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(base, path)
}

// checkForeignKeys compares, for each foreign key, the share of rows whose
// value finds a row in the referenced table, before and after. A key that
// joins less afterwards fails the job.
func checkForeignKeys(job *jobFile, base, outDir string, e *env) error {
	tables := map[string]jobTable{}
	for _, t := range job.Tables {
		tables[t.Name] = t
	}

	var broken []string
	for _, fk := range job.ForeignKeys {
		fromT, fromC, _ := strings.Cut(fk.From, ".")
		toT, toC, _ := strings.Cut(fk.To, ".")
		before, total, err := joinShare(tables[fromT], fromC, tables[toT], toC, "")
		if err != nil {
			return runError(fmt.Errorf("foreign key %s: %w", fk.From, err))
		}
		after, totalAfter, err := joinShare(tables[fromT], fromC, tables[toT], toC, outDir)
		if err != nil {
			return runError(fmt.Errorf("foreign key %s: %w", fk.From, err))
		}
		status := "ok"
		if after != before || totalAfter != total {
			status = "BROKEN"
			broken = append(broken, fk.From+" -> "+fk.To)
		}
		fmt.Fprintf(e.stderr, "anon job: foreign key %s -> %s: %d of %d rows join before, "+
			"%d of %d after: %s\n", fk.From, fk.To, before, total, after, totalAfter, status)
	}
	if len(broken) > 0 {
		return runError(fmt.Errorf("joins broken by the anonymization: %s",
			strings.Join(broken, ", ")))
	}
	return nil
}

// joinShare counts the non-null values of from.fromCol that appear in
// to.toCol, reading the inputs, or the outputs in outDir when it is set.
// Values are compared as text. Memory grows with the referenced keys.
func joinShare(from jobTable, fromCol string, to jobTable, toCol, outDir string) (int, int,
	error) {
	keys := map[string]bool{}
	err := eachValue(to, toCol, outDir, func(v string) { keys[v] = true })
	if err != nil {
		return 0, 0, err
	}
	found, total := 0, 0
	err = eachValue(from, fromCol, outDir, func(v string) {
		total++
		if keys[v] {
			found++
		}
	})
	return found, total, err
}

// eachValue calls fn with the text of every non-null value of a column.
func eachValue(t jobTable, column, outDir string, fn func(string)) error {
	path, formatName := t.Input, t.InputFormat
	if outDir != "" {
		path, formatName = filepath.Join(outDir, t.Output), t.OutputFormat
	}
	format, err := formats.Detect(path, formatName, "")
	if err != nil {
		return err
	}
	opt := formats.ReadOptions{Format: format, HeaderCheck: headerDataKind}
	if t.Delimiter != "" && outDir == "" {
		d, err := oneRune(t.Delimiter, "delimiter")
		if err != nil {
			return err
		}
		opt.CSV.Delimiter = d
	}
	r, err := formats.Open(path, opt)
	if err != nil {
		return err
	}
	defer r.Close()

	idx := r.Schema().FieldIndices(column)
	if len(idx) == 0 {
		return fmt.Errorf("%s has no column %q", path, column)
	}
	for r.Next() {
		col := r.RecordBatch().Column(idx[0])
		for i := 0; i < col.Len(); i++ {
			if col.IsValid(i) {
				fn(col.ValueStr(i))
			}
		}
	}
	return r.Err()
}
