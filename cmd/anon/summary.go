package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
	"github.com/anon-data/anon/transform/kanon"
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
	KAnonymity    *kanon.Report   `json:"k_anonymity,omitempty"`
}

type columnSummary struct {
	Name     string `json:"name"`
	Strategy string `json:"strategy"`

	// Changed is nil for columns rewritten by k-anonymity, whose figures
	// are in the k_anonymity report.
	Changed *int64 `json:"values_changed,omitempty"`
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
		Output:        outputName(out),
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
		col := columnSummary{Name: c.Name, Strategy: strategy}
		if strategy != "k-anonymity" {
			col.Changed = &st.Changed[i]
		}
		s.Columns = append(s.Columns, col)
	}
	return s
}

// print writes the summary to w as a short table, or as one JSON log line.
func (s *summary) print(w io.Writer, logger *slog.Logger, asJSON bool) {
	if asJSON {
		logger.Info("run finished", "output", s.Output, "rows_read", s.RowsRead,
			"rows_written", s.RowsWritten, "elapsed_seconds", s.Seconds,
			"rows_per_second", s.RowsPerSecond, "columns", s.Columns,
			"k_anonymity", s.KAnonymity)
		return
	}

	fmt.Fprintf(w, "anon: wrote %s (%s)\n", s.Output, s.OutputFormat)
	fmt.Fprintf(w, "  rows read     %d\n  rows written  %d\n", s.RowsRead, s.RowsWritten)
	fmt.Fprintf(w, "  elapsed       %.2fs (%.0f rows/s)\n", s.Seconds, s.RowsPerSecond)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  column\tstrategy\tvalues changed")
	for _, c := range s.Columns {
		changed := "-"
		if c.Changed != nil {
			changed = fmt.Sprint(*c.Changed)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, c.Strategy, changed)
	}
	for _, d := range s.Dropped {
		fmt.Fprintf(tw, "  %s\tdrop\t-\n", d)
	}
	tw.Flush()

	if k := s.KAnonymity; k != nil {
		fmt.Fprintf(w, "  k-anonymity   %s, k=%d: achieved k=%d, %d classes, "+
			"%d of %d records suppressed (limit %d)\n", k.Method, k.K, k.AchievedK,
			k.Classes, k.Suppressed, k.Records, k.SuppressionLimit)
		if len(k.Levels) > 0 {
			var levels []string
			for col, l := range k.Levels {
				levels = append(levels, fmt.Sprintf("%s=%d", col, l))
			}
			sort.Strings(levels)
			fmt.Fprintf(w, "  levels        %s\n", strings.Join(levels, " "))
		}
		m := k.Metrics
		fmt.Fprintf(w, "  metrics       DM %.0f, avg class size %.2f, precision %.4f, "+
			"loss %.4f, non-uniform entropy %.1f\n", m.DM, m.AvgClassSize, m.Precision,
			m.Loss, m.Entropy)
	}
}

// writeJSON writes the report to w.
func (s *summary) writeJSON(w io.Writer) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
