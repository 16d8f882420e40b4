package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
)

// summary is what a run did: printed at the end and written as the JSON
// report. It holds counts and names only, never data values.
type summary struct {
	Tool          string          `json:"tool"`
	Version       string          `json:"version"`
	Profile       string          `json:"profile"`
	ProfileSHA256 string          `json:"profile_sha256"`
	Input         string          `json:"input"`
	InputFormat   string          `json:"input_format"`
	Output        string          `json:"output"`
	OutputFormat  string          `json:"output_format"`
	RowsRead      int64           `json:"rows_read"`
	RowsWritten   int64           `json:"rows_written"`
	Seconds       float64         `json:"elapsed_seconds"`
	RowsPerSecond float64         `json:"rows_per_second"`
	Columns       []columnSummary `json:"columns"`
	Dropped       []string        `json:"dropped_columns,omitempty"`
	KAnonymity    any             `json:"k_anonymity,omitempty"`
}

type columnSummary struct {
	Name     string `json:"name"`
	Strategy string `json:"strategy"`
	Changed  int64  `json:"values_changed"`
}

func newSummary(prof *profiles.Profile, plan *transform.Plan, st transform.Stats,
	ropt formats.ReadOptions, wopt formats.WriteOptions, out string,
	elapsed time.Duration) *summary {
	s := &summary{
		Tool:          "anon",
		Version:       version,
		Profile:       prof.Path,
		ProfileSHA256: prof.SHA256,
		Input:         ropt.Name,
		InputFormat:   string(ropt.Format),
		Output:        displayName(out),
		OutputFormat:  string(wopt.Format),
		RowsRead:      st.RowsRead,
		RowsWritten:   st.RowsWritten,
		Seconds:       elapsed.Seconds(),
		Dropped:       plan.Dropped,
	}
	if s.Seconds > 0 {
		s.RowsPerSecond = float64(st.RowsRead) / s.Seconds
	}
	for i, c := range plan.Columns {
		strategy := c.Strategy
		if strategy == "" {
			strategy = "keep"
		}
		s.Columns = append(s.Columns, columnSummary{Name: c.Name, Strategy: strategy,
			Changed: st.Changed[i]})
	}
	return s
}

// print writes the summary to w as a short table, or as one JSON log line.
func (s *summary) print(w io.Writer, logger *slog.Logger, asJSON bool) {
	if asJSON {
		logger.Info("run finished", "output", s.Output, "rows_read", s.RowsRead,
			"rows_written", s.RowsWritten, "elapsed_seconds", s.Seconds,
			"rows_per_second", s.RowsPerSecond, "columns", s.Columns)
		return
	}

	fmt.Fprintf(w, "anon: wrote %s (%s)\n", s.Output, s.OutputFormat)
	fmt.Fprintf(w, "  rows read     %d\n  rows written  %d\n", s.RowsRead, s.RowsWritten)
	fmt.Fprintf(w, "  elapsed       %.2fs (%.0f rows/s)\n", s.Seconds, s.RowsPerSecond)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  column\tstrategy\tvalues changed")
	for _, c := range s.Columns {
		fmt.Fprintf(tw, "  %s\t%s\t%d\n", c.Name, c.Strategy, c.Changed)
	}
	for _, d := range s.Dropped {
		fmt.Fprintf(tw, "  %s\tdrop\t-\n", d)
	}
	tw.Flush()
}

// writeJSON writes the report to path (mode 0600).
func (s *summary) writeJSON(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
