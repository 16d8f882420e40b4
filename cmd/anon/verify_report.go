package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Check results. warn and skip do not fail verify.
const (
	statusPass = "pass"
	statusFail = "fail"
	statusWarn = "warn"
	statusSkip = "skip"
)

// verifyReport is what `anon verify` found. It holds counts, shares and
// column names, never data values.
type verifyReport struct {
	Profile    string        `json:"profile"`
	Original   string        `json:"original"`
	Anonymized string        `json:"anonymized"`
	Passed     bool          `json:"passed"`
	Checks     []checkResult `json:"checks"`
	Leaks      leakReport    `json:"leaks"`
	Risk       riskReport    `json:"risk"`
	Scan       scanReport    `json:"scan"`
	Shape      shapeReport   `json:"shape"`
}

// checkResult is one check's verdict.
type checkResult struct {
	Name    string   `json:"name"`
	Status  string   `json:"status"`
	Summary string   `json:"summary"`
	Details []string `json:"details,omitempty"`
}

// leakReport carries the figures of the leak check.
type leakReport struct {
	// Columns are the protected columns of the original.
	Columns []leakColumnReport `json:"protected_columns"`

	// Searched are the output columns searched for protected values, whole
	// and inside longer text.
	Searched []string `json:"searched_columns"`

	// RowByRow are the output columns the profile generates, compared row by
	// row with their original; RowByRowSkipped says why that was not done.
	RowByRow        []string `json:"compared_row_by_row"`
	RowByRowSkipped string   `json:"row_by_row_skipped,omitempty"`

	// Hashed is the number of protected values hashed (duplicates
	// included); FilterBytes the filter's size and FalsePositiveRate its
	// estimated rate.
	Hashed            int64   `json:"values_hashed"`
	FilterBytes       int64   `json:"filter_bytes"`
	FalsePositiveRate float64 `json:"false_positive_rate"`

	// Lookups is the number of output values and pieces of text looked up;
	// Candidates those the filter could not rule out; RuledOut those the
	// exact pass ruled out; Excused those equal to a value of a kept column.
	Lookups    int64 `json:"lookups"`
	Candidates int   `json:"candidates"`
	RuledOut   int   `json:"ruled_out"`
	Excused    int   `json:"excused_as_kept"`

	// Incomplete is set when the candidates did not fit in --max-memory.
	Incomplete bool `json:"incomplete,omitempty"`
}

// leakColumnReport is one protected column's result.
type leakColumnReport struct {
	Column    string   `json:"column"`
	Strategy  string   `json:"strategy"`
	Values    int64    `json:"values"`
	Found     int64    `json:"values_found"`
	FoundIn   []string `json:"found_in,omitempty"`
	Unchanged int64    `json:"unchanged_rows"`
}

// scanReport carries the fresh scan of the output.
type scanReport struct {
	// Rows is the number of output rows scanned.
	Rows    int64        `json:"rows_scanned"`
	Columns []scanColumn `json:"columns"`
}

// scanColumn is what the scan found in one output column.
type scanColumn struct {
	Column     string  `json:"column"`
	Strategy   string  `json:"strategy"`
	Kind       string  `json:"kind"`
	Confidence float64 `json:"confidence"`
	Direct     bool    `json:"direct"`
}

// shapeReport compares the output's rows and columns with the profile's
// promise.
type shapeReport struct {
	OriginalRows   int64    `json:"original_rows"`
	AnonymizedRows int64    `json:"anonymized_rows"`
	MinRows        int64    `json:"min_rows"`
	Expected       []string `json:"expected_columns"`
	Columns        []string `json:"columns"`
	Missing        []string `json:"missing,omitempty"`
	Unexpected     []string `json:"unexpected,omitempty"`
	DroppedPresent []string `json:"dropped_present,omitempty"`
	OrderMatches   bool     `json:"order_matches"`
}

// failed returns the names of the failed checks.
func (r *verifyReport) failed() []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status == statusFail {
			out = append(out, c.Name)
		}
	}
	return out
}

func (r *verifyReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// print writes the short table.
func (r *verifyReport) print(w io.Writer) {
	fmt.Fprintf(w, "anon verify: profile %s\n", r.Profile)
	fmt.Fprintf(w, "  original    %s (%s)\n", r.Original,
		plural(r.Shape.OriginalRows, "row", "rows"))
	fmt.Fprintf(w, "  anonymized  %s (%s)\n\n", r.Anonymized,
		plural(r.Shape.AnonymizedRows, "row", "rows"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tRESULT\tDETAIL")
	for _, c := range r.Checks {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, strings.ToUpper(c.Status), c.Summary)
		for _, d := range c.Details {
			fmt.Fprintf(tw, "\t\t- %s\n", d)
		}
	}
	tw.Flush()
	if failed := r.failed(); len(failed) > 0 {
		fmt.Fprintf(w, "\n%d of %d checks failed\n", len(failed), len(r.Checks))
		return
	}
	warned := 0
	for _, c := range r.Checks {
		if c.Status == statusWarn {
			warned++
		}
	}
	if warned > 0 {
		fmt.Fprintf(w, "\nno check failed (%s)\n", plural(int64(warned), "warning", "warnings"))
		return
	}
	fmt.Fprintf(w, "\nall %d checks passed\n", len(r.Checks))
}

// plural returns "1 value" or "3 values".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// listNames joins column names for a message.
func listNames(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
