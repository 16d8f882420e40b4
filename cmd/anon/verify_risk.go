package main

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// classEntryBytes estimates the memory of one equivalence class in the map.
const classEntryBytes = 48

// riskReport is the re-identification risk over the output's
// quasi-identifiers. Records are grouped into equivalence classes: records
// with the same values of every quasi-identifier.
type riskReport struct {
	// Source says where the quasi-identifiers come from: "k_anonymity"
	// (the profile's section) or "detect" (a scan of the original).
	Source string `json:"source"`

	// QuasiIdentifiers are the columns the classes are built on.
	QuasiIdentifiers []string `json:"quasi_identifiers"`

	// RequiredK is the profile's k, or 2 when the profile sets none.
	RequiredK int `json:"required_k"`

	// Records is the number of output records in classes; SuppressedRecords
	// those left out as suppressed (every quasi-identifier "*", with
	// `suppressed: star`).
	Records           int64 `json:"records"`
	SuppressedRecords int64 `json:"suppressed_records"`

	// Classes is the number of equivalence classes; SmallestClass the size
	// of the smallest (the k the output achieves).
	Classes       int64 `json:"classes"`
	SmallestClass int64 `json:"smallest_class"`

	// RecordsBelowK is the number of records in classes smaller than
	// RequiredK; ShareBelowK their share of Records.
	RecordsBelowK int64   `json:"records_below_k"`
	ShareBelowK   float64 `json:"share_below_k"`

	// MaxProsecutorRisk is 1 / SmallestClass; AvgProsecutorRisk the mean of
	// 1 / class size over the records (Classes / Records).
	MaxProsecutorRisk float64 `json:"max_prosecutor_risk"`
	AvgProsecutorRisk float64 `json:"avg_prosecutor_risk"`

	// Incomplete is set when the classes did not fit in --max-memory.
	Incomplete bool `json:"incomplete,omitempty"`
}

// classCounter counts the equivalence classes of the output, keyed by a
// 64-bit hash of the quasi-identifier values (two classes sharing a hash,
// a chance of about 2^-64 per pair, would be counted as one).
type classCounter struct {
	names   []string
	star    bool
	classes map[uint64]int64
	limit   int
	rep     *riskReport
}

func newClassCounter(rep *riskReport, star bool, memory int64) *classCounter {
	return &classCounter{names: rep.QuasiIdentifiers, star: star, rep: rep,
		classes: map[uint64]int64{}, limit: int(max(memory/classEntryBytes, 1024))}
}

// add counts the records of batch.
func (c *classCounter) add(batch arrow.RecordBatch) {
	if len(c.names) == 0 {
		return
	}
	texts := make([]func(int) string, 0, len(c.names))
	for _, name := range c.names {
		idx := batch.Schema().FieldIndices(name)
		if len(idx) == 0 {
			return // the shape check reports the missing column
		}
		texts = append(texts, textOf(batch.Column(idx[0])))
	}
	for i := 0; i < int(batch.NumRows()); i++ {
		var h uint64
		stars := c.star
		for _, text := range texts {
			v := text(i)
			stars = stars && v == "*"
			for j := 0; j < len(v); j++ {
				h = h*hashBase + uint64(v[j]) + 1
			}
			h *= hashBase // a separator no byte can produce
		}
		if stars {
			c.rep.SuppressedRecords++
			continue
		}
		c.rep.Records++
		h = finish(h, len(texts))
		if _, ok := c.classes[h]; !ok && len(c.classes) >= c.limit {
			c.rep.Incomplete = true
			continue
		}
		c.classes[h]++
	}
}

// finish computes the figures.
func (c *classCounter) finish() {
	r := c.rep
	if r.Incomplete || len(c.names) == 0 {
		return
	}
	r.Classes = int64(len(c.classes))
	for _, size := range c.classes {
		if r.SmallestClass == 0 || size < r.SmallestClass {
			r.SmallestClass = size
		}
		if size < int64(r.RequiredK) {
			r.RecordsBelowK += size
		}
	}
	if r.Records > 0 {
		r.ShareBelowK = float64(r.RecordsBelowK) / float64(r.Records)
		r.MaxProsecutorRisk = 1 / float64(r.SmallestClass)
		r.AvgProsecutorRisk = float64(r.Classes) / float64(r.Records)
	}
	c.classes = nil
}
