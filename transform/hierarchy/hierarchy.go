// Package hierarchy holds generalization hierarchies: for each original value,
// its generalization at each level, the last level being "*". They drive the
// generalize strategy and k-anonymity.
package hierarchy

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// Hierarchy maps original (leaf) values to their generalizations. Level 0 is
// the value itself; level Height() is the most general level.
type Hierarchy struct {
	// rows[i][l] is leaf i at level l.
	rows  [][]string
	index map[string]int
}

// ParseCSV reads a hierarchy in the format used by ARX: one row per original
// value, the value first, then its generalization at each level; every row has
// the same number of fields. sep is the field separator (';' in ARX files).
// Errors name the line, never a value.
func ParseCSV(data []byte, sep rune) (*Hierarchy, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = 0
	r.ReuseRecord = false

	h := &Hierarchy{index: map[string]int{}}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
				err = pe.Err
			}
			return nil, fmt.Errorf("hierarchy line %d: %w", line, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) < 2 {
			return nil, fmt.Errorf("hierarchy line %d: want a value and at least one level", line)
		}
		if _, dup := h.index[rec[0]]; dup {
			return nil, fmt.Errorf("hierarchy line %d: the value is listed twice", line)
		}
		h.index[rec[0]] = len(h.rows)
		h.rows = append(h.rows, rec)
	}
	if len(h.rows) == 0 {
		return nil, errors.New("hierarchy is empty")
	}
	return h, nil
}

// FromLevels builds a hierarchy from rows of [value, level1, level2, ...].
func FromLevels(rows [][]string) (*Hierarchy, error) {
	h := &Hierarchy{index: map[string]int{}}
	for i, r := range rows {
		if len(r) < 2 {
			return nil, fmt.Errorf("hierarchy row %d: want a value and at least one level", i+1)
		}
		if len(r) != len(rows[0]) {
			return nil, fmt.Errorf("hierarchy row %d: %d levels, want %d", i+1, len(r), len(rows[0]))
		}
		if _, dup := h.index[r[0]]; dup {
			return nil, fmt.Errorf("hierarchy row %d: the value is listed twice", i+1)
		}
		h.index[r[0]] = i
		h.rows = append(h.rows, append([]string(nil), r...))
	}
	if len(h.rows) == 0 {
		return nil, errors.New("hierarchy is empty")
	}
	return h, nil
}

// Height returns the number of levels above the original values.
func (h *Hierarchy) Height() int {
	return len(h.rows[0]) - 1
}

// Leaves returns the number of original values.
func (h *Hierarchy) Leaves() int {
	return len(h.rows)
}

// Index returns the leaf index of value, and whether the hierarchy has it.
func (h *Hierarchy) Index(value string) (int, bool) {
	i, ok := h.index[value]
	return i, ok
}

// Leaf returns the original value of leaf i.
func (h *Hierarchy) Leaf(i int) string {
	return h.rows[i][0]
}

// At returns leaf i generalized to level l.
func (h *Hierarchy) At(i, l int) string {
	return h.rows[i][l]
}

// Generalize returns value at level l, and false if value is not in the
// hierarchy or l is out of range.
func (h *Hierarchy) Generalize(value string, l int) (string, bool) {
	i, ok := h.index[value]
	if !ok || l < 0 || l > h.Height() {
		return "", false
	}
	return h.rows[i][l], true
}
