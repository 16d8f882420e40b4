package main

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// leakVerdict is check 1: no protected value in the output.
func (v *verifyRun) leakVerdict() checkResult {
	l, lr := v.leaks, &v.rep.Leaks
	lr.RuledOut, lr.Excused = l.tally()
	lr.Candidates = len(l.cands)
	lr.Lookups = l.windows
	lr.Hashed = l.filter.added
	lr.FilterBytes = l.bloom.bytes()
	lr.FalsePositiveRate = l.bloom.falsePositiveRate()
	lr.Incomplete = l.overflow
	if lr.Searched == nil {
		lr.Searched = []string{}
	}

	res := checkResult{Name: "leaks", Status: statusPass}
	lr.Columns = []leakColumnReport{}
	leaking := 0
	for _, c := range l.cols {
		found := slices.Sorted(maps.Keys(c.foundIn))
		lr.Columns = append(lr.Columns, leakColumnReport{Column: c.name, Strategy: c.strategy,
			Values: c.values, Found: c.leaked, FoundIn: found, Unchanged: c.unchanged})
		if c.leaked > 0 {
			verb := "appear"
			if c.leaked == 1 {
				verb = "appears"
			}
			res.Details = append(res.Details, fmt.Sprintf("%s of column %s %s in the output, "+
				"in columns %s", plural(c.leaked, "value", "values"), c.name, verb,
				listNames(found)))
		}
		if c.unchanged > 0 {
			res.Details = append(res.Details, fmt.Sprintf("%s of column %s (%s) unchanged "+
				"in the output", plural(c.unchanged, "row has its value", "rows have their value"),
				c.name, c.strategy))
		}
		if c.leaked > 0 || c.unchanged > 0 {
			leaking++
		}
	}
	if l.overflow {
		res.Details = append(res.Details, "more candidates than --max-memory holds: "+
			"the check is incomplete; raise --max-memory")
	}

	switch {
	case len(res.Details) > 0:
		res.Status = statusFail
		res.Summary = fmt.Sprintf("%d of %d protected columns leak into the output",
			leaking, len(l.cols))
		if leaking == 0 {
			res.Summary = "the check could not finish"
		}
	case len(l.cols) == 0:
		res.Summary = "the profile protects no column"
	default:
		res.Summary = fmt.Sprintf("no value of %d protected columns found (%d columns "+
			"searched, %d compared by row)", len(l.cols), len(lr.Searched), len(lr.RowByRow))
	}
	if lr.RowByRowSkipped != "" {
		res.Details = append(res.Details, "row-by-row comparison skipped: "+lr.RowByRowSkipped)
	}
	return res
}

// riskVerdict is check 2: the re-identification risk over the
// quasi-identifiers. Without a k_anonymity section the profile promises no
// k, so records in small classes are a warning, not a failure.
func (v *verifyRun) riskVerdict() checkResult {
	r := &v.rep.Risk
	res := checkResult{Name: "risk", Status: statusPass}
	if len(r.QuasiIdentifiers) == 0 {
		res.Status = statusSkip
		res.Summary = "no quasi-identifiers: the profile has no k_anonymity section and the " +
			"scan flagged none"
		return res
	}
	promised := r.Source == "k_anonymity"
	bad := statusWarn
	if promised {
		bad = statusFail
	}
	res.Details = append(res.Details, fmt.Sprintf("quasi-identifiers (from %s): %s",
		r.Source, listNames(r.QuasiIdentifiers)))
	if r.SuppressedRecords > 0 {
		res.Details = append(res.Details, fmt.Sprintf("%s suppressed (every "+
			"quasi-identifier *), left out", plural(r.SuppressedRecords, "record", "records")))
	}
	switch {
	case r.Incomplete:
		res.Status = bad
		res.Summary = "more equivalence classes than --max-memory holds; k not computed"
	case r.Records == 0:
		res.Summary = "no records outside suppression"
	default:
		res.Summary = fmt.Sprintf("k = %d (required %d): %s (%.2f%%) below; "+
			"prosecutor risk max %.3f avg %.3f", r.SmallestClass, r.RequiredK,
			plural(r.RecordsBelowK, "record", "records"), 100*r.ShareBelowK,
			r.MaxProsecutorRisk, r.AvgProsecutorRisk)
		if r.RecordsBelowK > 0 {
			res.Status = bad
		}
	}
	return res
}

// scanVerdict is check 3: no direct identifier in a column the profile
// keeps (or only perturbs: noise, generalize, scrub).
func (v *verifyRun) scanVerdict() checkResult {
	res := checkResult{Name: "scan", Status: statusPass}
	s := &v.rep.Scan
	s.Columns = []scanColumn{}
	for _, c := range v.outScan.Reports() {
		strategy, ok := v.roles[c.Name]
		if !ok {
			strategy = "not in the original"
		}
		s.Columns = append(s.Columns, scanColumn{Column: c.Name, Strategy: strategy,
			Kind: string(c.Kind), Confidence: c.Confidence, Direct: c.Direct})
		if c.Direct {
			res.Details = append(res.Details, fmt.Sprintf("column %s (%s) scans as %s, "+
				"a direct identifier", c.Name, strategy, c.Kind))
		}
	}
	if len(res.Details) > 0 {
		res.Status = statusFail
		res.Summary = fmt.Sprintf("%d of %d kept or perturbed columns hold direct identifiers",
			len(res.Details), len(s.Columns))
		return res
	}
	res.Summary = fmt.Sprintf("no direct identifier in %d kept or perturbed columns "+
		"(%d rows scanned)", len(s.Columns), s.Rows)
	return res
}

// shapeVerdict is check 4: row count and columns as the profile promises.
func (v *verifyRun) shapeVerdict() checkResult {
	s := &v.rep.Shape
	res := checkResult{Name: "shape", Status: statusPass}
	dropped := map[string]bool{}
	s.Expected = []string{}
	for _, f := range v.origSchema.Fields() {
		if v.roles[f.Name] == "drop" {
			dropped[f.Name] = true
		} else {
			s.Expected = append(s.Expected, f.Name)
		}
	}
	present := map[string]bool{}
	s.Columns = []string{}
	var inOrder []string
	for _, f := range v.outSchema.Fields() {
		s.Columns = append(s.Columns, f.Name)
		present[f.Name] = true
		_, inOrig := v.roles[f.Name]
		switch {
		case dropped[f.Name]:
			s.DroppedPresent = append(s.DroppedPresent, f.Name)
		case !inOrig:
			s.Unexpected = append(s.Unexpected, f.Name)
		default:
			inOrder = append(inOrder, f.Name)
		}
	}
	var want []string
	for _, name := range s.Expected {
		if present[name] {
			want = append(want, name)
		} else {
			s.Missing = append(s.Missing, name)
		}
	}
	s.OrderMatches = slices.Equal(inOrder, want)

	n := s.OriginalRows
	s.MinRows = n
	if k := v.o.prof.KAnonymity; k != nil && k.Suppressed != "star" {
		s.MinRows = n - int64(math.Floor(k.SuppressionLimit*float64(n)))
		if n < int64(k.K) {
			s.MinRows = 0
		}
	}
	if m := s.AnonymizedRows; m > n || m < s.MinRows {
		if s.MinRows == n {
			res.Details = append(res.Details, fmt.Sprintf("%d rows, want %d", m, n))
		} else {
			res.Details = append(res.Details, fmt.Sprintf("%d rows, want between %d and %d "+
				"(k-anonymity suppression)", m, s.MinRows, n))
		}
	}
	if len(s.Missing) > 0 {
		res.Details = append(res.Details, "missing columns: "+listNames(s.Missing))
	}
	if len(s.DroppedPresent) > 0 {
		res.Details = append(res.Details, "dropped columns present: "+
			listNames(s.DroppedPresent))
	}
	if len(s.Unexpected) > 0 {
		res.Details = append(res.Details, "columns the original does not have: "+
			listNames(s.Unexpected))
	}
	if !s.OrderMatches {
		res.Details = append(res.Details, "the columns are not in the original's order")
	}
	if len(res.Details) > 0 {
		res.Status = statusFail
		res.Summary = "the output does not have the rows and columns the profile promises"
		return res
	}
	res.Summary = fmt.Sprintf("%d of %d rows; %d columns as the profile promises",
		s.AnonymizedRows, n, len(s.Columns))
	return res
}
