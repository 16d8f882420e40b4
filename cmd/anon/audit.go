package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
)

// auditFlag is the flag naming the audit log.
func auditFlag() cli.Flag {
	return &cli.StringFlag{Name: "audit-log",
		Usage: "append one JSON line describing the run to this file (default: the " +
			"profile's audit_log)"}
}

// auditRecord is one line of the audit log. It holds names, sizes, digests
// and counts, never a data value or a key.
type auditRecord struct {
	Time          string          `json:"time"`
	User          string          `json:"user"`
	Host          string          `json:"host"`
	Tool          string          `json:"tool"`
	Version       string          `json:"version"`
	Command       string          `json:"command"`
	Profile       string          `json:"profile"`
	ProfileSHA256 *string         `json:"profile_sha256"`
	Input         auditFile       `json:"input"`
	Output        auditFile       `json:"output"`
	Columns       []columnSummary `json:"columns"`
	Dropped       []string        `json:"dropped_columns,omitempty"`
	RowsRead      int64           `json:"rows_read"`
	RowsWritten   int64           `json:"rows_written"`
	Seconds       float64         `json:"elapsed_seconds"`
	Outcome       string          `json:"outcome"`
	Error         string          `json:"error,omitempty"`
}

// auditFile describes an input or output file. Bytes and SHA256 are null
// for standard input and output, and for an output that was not written.
type auditFile struct {
	Path      string  `json:"path"`
	Format    string  `json:"format,omitempty"`
	Encrypted bool    `json:"encrypted"`
	Bytes     *int64  `json:"bytes"`
	SHA256    *string `json:"sha256"`
}

// audit gathers what one `anon run` did and appends it to the audit log.
// The run fills it in as it goes; finish writes it, whatever the outcome.
type audit struct {
	cmd   *cli.Command
	start time.Time

	prof  *profiles.Profile
	ropt  *formats.ReadOptions
	wopt  *formats.WriteOptions
	plan  *transform.Plan
	stats transform.Stats

	path string   // the audit log, once known
	file *os.File // open for appending, once prepared
}

func newAudit(cmd *cli.Command) *audit {
	return &audit{cmd: cmd, start: time.Now()}
}

// logPath returns the audit log's path: the flag, else the profile's key.
func (a *audit) logPath() string {
	if p := a.cmd.String("audit-log"); p != "" {
		return p
	}
	if a.prof != nil {
		return a.prof.AuditLog
	}
	return ""
}

// prepare opens the audit log before any output exists, so that a log that
// cannot be written fails the run early. It refuses a log that is the input,
// the output, the profile or the report.
func (a *audit) prepare(prof *profiles.Profile, in, out, report string) error {
	a.prof = prof
	path := a.logPath()
	if path == "" {
		return nil
	}
	if !a.allowed(path, in, out, prof.Path, report) {
		return errors.New("the audit log names the input, the output, the profile " +
			"or the report")
	}
	return a.open(path)
}

// allowed reports whether path is none of the run's other files.
func (a *audit) allowed(path string, others ...string) bool {
	for _, p := range others {
		if samePath(p, path) {
			return false
		}
	}
	return true
}

func (a *audit) open(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	a.path, a.file = path, f
	return nil
}

// ran records the plan and the counts of the transform, even a failed one.
func (a *audit) ran(plan *transform.Plan, stats transform.Stats) {
	a.plan, a.stats = plan, stats
}

// finish appends the record of the run that ended with runErr and returns
// runErr, or the error of writing the record.
func (a *audit) finish(runErr error) error {
	if a.file == nil {
		path := a.logPath()
		if path == "" || !a.allowed(path, a.cmd.String("input"), a.cmd.String("output"),
			a.cmd.String("profile"), a.cmd.String("report")) {
			return runErr
		}
		if err := a.open(path); err != nil {
			return joinAuditError(runErr, err)
		}
	}
	defer a.file.Close()

	line, err := json.Marshal(a.record(runErr))
	if err != nil {
		return joinAuditError(runErr, fmt.Errorf("audit log: %w", err))
	}
	// One write per record: with O_APPEND, concurrent runs do not interleave.
	if _, err := a.file.Write(append(line, '\n')); err != nil {
		return joinAuditError(runErr, fmt.Errorf("audit log: %w", err))
	}
	if err := a.file.Close(); err != nil {
		return joinAuditError(runErr, fmt.Errorf("audit log: %w", err))
	}
	return runErr
}

// joinAuditError keeps the run's error (and its exit code) and adds the
// audit log's; a run that succeeded fails with exit code 1.
func joinAuditError(runErr, auditErr error) error {
	if runErr == nil {
		return runError(auditErr)
	}
	return fmt.Errorf("%w; and %v", runErr, auditErr)
}

// record builds the audit record.
func (a *audit) record(runErr error) auditRecord {
	r := auditRecord{
		Time:    a.start.UTC().Format(time.RFC3339),
		User:    currentUser(),
		Host:    hostname(),
		Tool:    "anon",
		Version: version,
		Command: "run",
		Profile: absPath(a.cmd.String("profile")),
		Outcome: "ok",
		Seconds: time.Since(a.start).Seconds(),
	}
	if a.prof != nil {
		sum := a.prof.SHA256
		r.ProfileSHA256 = &sum
	} else {
		_, r.ProfileSHA256 = hashFile(a.cmd.String("profile"))
	}

	in, out := a.cmd.String("input"), a.cmd.String("output")
	r.Input = auditFile{Path: absPath(in)}
	if a.ropt != nil {
		r.Input.Format = string(a.ropt.Format)
		r.Input.Encrypted = a.ropt.Decrypt != nil
	}
	if in != "-" && in != "" {
		r.Input.Bytes, r.Input.SHA256 = hashFile(in)
	}
	r.Output = auditFile{Path: absPath(out)}
	if a.wopt != nil {
		r.Output.Format = string(a.wopt.Format)
		r.Output.Encrypted = a.wopt.Encrypt != nil
	}
	if runErr == nil && out != "-" && out != "" {
		r.Output.Bytes, r.Output.SHA256 = hashFile(out)
	}

	if a.plan != nil {
		for i, c := range a.plan.Columns {
			strategy := c.Strategy
			if strategy == "" {
				strategy = "keep"
			}
			col := columnSummary{Name: c.Name, Strategy: strategy}
			if strategy != "k-anonymity" && i < len(a.stats.Changed) {
				changed := a.stats.Changed[i]
				col.Changed = &changed
			}
			r.Columns = append(r.Columns, col)
		}
		r.Dropped = a.plan.Dropped
	}
	if r.Columns == nil {
		r.Columns = []columnSummary{}
	}
	r.RowsRead, r.RowsWritten = a.stats.RowsRead, a.stats.RowsWritten

	if runErr != nil {
		r.Outcome, r.Error = "failed", runErr.Error()
	}
	return r
}

// hashFile returns the size and SHA-256 of the file at path, streamed; nils
// if it cannot be read.
func hashFile(path string) (*int64, *string) {
	if path == "" || path == "-" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, nil
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return nil, nil
	}
	sum := hex.EncodeToString(h.Sum(nil))
	return &n, &sum
}

// absPath returns path made absolute; "-" and "" stay as they are.
func absPath(path string) string {
	if path == "" || path == "-" {
		return path
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// currentUser names the user running anon.
func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return fmt.Sprintf("uid %d", os.Getuid())
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return h
}
