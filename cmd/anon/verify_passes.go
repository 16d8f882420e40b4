package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/anon-data/anon/detect"
	"github.com/anon-data/anon/formats"
)

// verifyRun is the state shared by the passes of `anon verify`.
type verifyRun struct {
	o     *verifyOptions
	rep   *verifyReport
	roles map[string]string // original column -> strategy
	leaks *leakCheck
	kept  []string // kept columns of the original

	origSchema *arrow.Schema
	origScan   *detect.Profiler // quasi-identifiers, without k_anonymity
	outSchema  *arrow.Schema
	outScan    *detect.Profiler
	classes    *classCounter
}

// verify runs the passes and the checks.
func verify(ctx context.Context, o *verifyOptions) (*verifyReport, error) {
	v := &verifyRun{o: o, leaks: newLeakCheck(o.memory), rep: &verifyReport{
		Profile: o.prof.Path, Original: o.orig, Anonymized: o.anon}}
	if err := v.readOriginal(ctx); err != nil {
		return nil, err
	}
	v.setUpRisk()
	if err := v.readOutput(ctx); err != nil {
		return nil, err
	}
	if len(v.leaks.cands) > 0 {
		_, err := forEachBatch(o.orig, o.origOpt, func(b arrow.RecordBatch) error {
			v.leaks.confirm(b, v.kept)
			return ctx.Err()
		})
		if err != nil {
			return nil, runError(fmt.Errorf("read the original: %w", err))
		}
	}
	v.classes.finish()
	v.rep.Checks = []checkResult{v.leakVerdict(), v.riskVerdict(), v.scanVerdict(),
		v.shapeVerdict()}
	v.rep.Passed = len(v.rep.failed()) == 0
	return v.rep, nil
}

// readOriginal is pass 1: roles, protected values, row count and, without a
// k_anonymity section, a scan for quasi-identifiers.
func (v *verifyRun) readOriginal(ctx context.Context) error {
	r, err := formats.Open(v.o.orig, v.o.origOpt)
	if err != nil {
		return runError(fmt.Errorf("read the original: %w", err))
	}
	defer r.Close()
	v.origSchema = r.Schema()
	if v.roles, err = columnRoles(v.o.prof, v.origSchema); err != nil {
		return usageError(err)
	}
	var names []string
	for _, f := range v.origSchema.Fields() {
		s := v.roles[f.Name]
		names = append(names, f.Name)
		if protectedStrategies[s] {
			v.leaks.addColumn(f.Name, s)
		}
		if keptStrategies[s] {
			v.kept = append(v.kept, f.Name)
		}
	}
	if v.o.prof.KAnonymity == nil {
		v.origScan = detect.NewProfiler(names)
	}
	rows := &v.rep.Shape.OriginalRows
	for r.Next() {
		b := r.RecordBatch()
		v.leaks.collect(b)
		if v.origScan != nil {
			addSample(v.origScan, b, *rows, v.o.sample)
		}
		*rows += b.NumRows()
		if err := ctx.Err(); err != nil {
			return runError(err)
		}
	}
	if err := r.Err(); err != nil {
		return runError(fmt.Errorf("read the original: %w", err))
	}
	v.leaks.freeze()
	return nil
}

// addSample adds the rows of b that fall within the first sample rows (all
// when sample is 0); seen is the number of rows before b.
func addSample(p *detect.Profiler, b arrow.RecordBatch, seen, sample int64) {
	n := b.NumRows()
	if sample > 0 && seen+n > sample {
		n = max(sample-seen, 0)
	}
	switch {
	case n == b.NumRows():
		p.Add(b)
	case n > 0:
		s := b.NewSlice(0, n)
		p.Add(s)
		s.Release()
	}
}

// setUpRisk picks the quasi-identifiers: the k_anonymity section's, or the
// columns the scan of the original flags, among those the output carries
// as they are or generalized.
func (v *verifyRun) setUpRisk() {
	risk := &v.rep.Risk
	risk.RequiredK = 2
	star := false
	if k := v.o.prof.KAnonymity; k != nil {
		risk.Source = "k_anonymity"
		risk.QuasiIdentifiers = k.Columns()
		risk.RequiredK = k.K
		star = k.Suppressed == "star"
	} else {
		risk.Source = "detect"
		for _, c := range v.origScan.Reports() {
			s := v.roles[c.Name]
			if c.QuasiIdentifier && !c.Direct && !generatedStrategies[s] && s != "drop" {
				risk.QuasiIdentifiers = append(risk.QuasiIdentifiers, c.Name)
			}
		}
	}
	if risk.QuasiIdentifiers == nil {
		risk.QuasiIdentifiers = []string{}
	}
	v.classes = newClassCounter(risk, star, v.o.memory/4)
}

// readOutput is pass 2: it searches the output for protected values,
// compares generated columns row by row with the original, scans the
// columns the profile keeps, and counts the equivalence classes.
func (v *verifyRun) readOutput(ctx context.Context) error {
	r, err := formats.Open(v.o.anon, v.o.anonOpt)
	if err != nil {
		return runError(fmt.Errorf("read the anonymized file: %w", err))
	}
	defer r.Close()
	v.outSchema = r.Schema()
	lr := &v.rep.Leaks
	var searched, pairs []int // output column indices
	var pairCols []int        // the protected column of each pair
	var pairNames, scanned []string
	for i, f := range v.outSchema.Fields() {
		v.leaks.outNames = append(v.leaks.outNames, f.Name)
		s, inOrig := v.roles[f.Name]
		if !generatedStrategies[s] {
			searched = append(searched, i)
			lr.Searched = append(lr.Searched, f.Name)
			// A scrubbed column holds scrub's own fakes, which look like PII
			// by design; the leak check covers its original spans.
			if s != "scrub" {
				scanned = append(scanned, f.Name)
			}
			continue
		}
		for k, c := range v.leaks.cols {
			if inOrig && c.name == f.Name {
				pairs, pairCols = append(pairs, i), append(pairCols, k)
				pairNames = append(pairNames, f.Name)
			}
		}
	}
	lr.RowByRow = append([]string{}, pairNames...)
	v.outScan = detect.NewProfiler(scanned)

	var cur *rowCursor
	if len(pairs) > 0 {
		if cur, err = openCursor(v.o.orig, v.o.origOpt, pairNames); err != nil {
			return runError(fmt.Errorf("read the original: %w", err))
		}
		defer cur.close()
	}
	aligned := cur != nil
	rows := &v.rep.Shape.AnonymizedRows
	texts := make([]func(int) string, len(pairs))
	for r.Next() {
		b := r.RecordBatch()
		for _, col := range searched {
			v.leaks.search(b, col)
		}
		for k, col := range pairs {
			texts[k] = textOf(b.Column(col))
		}
		for i := 0; aligned && i < int(b.NumRows()); i++ {
			ok, err := cur.next()
			if err != nil {
				return runError(fmt.Errorf("read the original: %w", err))
			}
			if aligned = ok; !ok {
				break
			}
			for k, text := range texts {
				if o := text(i); o != "" && strings.EqualFold(o, cur.text(k)) {
					v.leaks.cols[pairCols[k]].unchanged++
				}
			}
		}
		addSample(v.outScan, b, *rows, v.o.sample)
		v.rep.Scan.Rows = *rows + b.NumRows()
		if v.o.sample > 0 {
			v.rep.Scan.Rows = min(v.rep.Scan.Rows, v.o.sample)
		}
		v.classes.add(b)
		*rows += b.NumRows()
		if err := ctx.Err(); err != nil {
			return runError(err)
		}
	}
	if err := r.Err(); err != nil {
		return runError(fmt.Errorf("read the anonymized file: %w", err))
	}
	if aligned {
		more, err := cur.next()
		if err != nil {
			return runError(fmt.Errorf("read the original: %w", err))
		}
		aligned = !more
	}
	if cur != nil && !aligned {
		lr.RowByRowSkipped = "the files have different row counts, so rows cannot be paired"
		for _, c := range v.leaks.cols {
			c.unchanged = 0
		}
	}
	return nil
}
