// This file holds schema inference for the JSON readers: the broad JSON
// categories seen in the first records, and how each column's Arrow type is
// settled from them or from a declared type.

package formats

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
)

// jsonCategory is the broad JSON type seen during inference.
type jsonCategory uint8

const (
	catNone jsonCategory = iota
	catBool
	catNumber
	catString
	catNested
)

var categoryNames = [...]string{"null", "boolean", "number", "string", "object or array"}

// infer reads up to min(BatchSize, inferRecords) records, keeps a copy of
// them and settles each column's type.
func (r *jsonReader) infer() error {
	limit := min(r.opt.BatchSize, inferRecords)
	for len(r.pendingOff) < limit {
		raw, line, err := r.src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		r.row++
		if err := r.p.parseObject(raw); err != nil {
			return r.syntaxError(err)
		}
		r.pendingOff = append(r.pendingOff, len(r.pending))
		r.pendingLn = append(r.pendingLn, line)
		r.pending = append(r.pending, raw...)

		for fi := range r.p.fields {
			f := &r.p.fields[fi]
			key := r.key(f)
			idx, ok := r.index[string(key)]
			if !ok {
				if err := r.keyLooksLikeData(key, fi, line, r.row); err != nil {
					return err
				}
				idx = len(r.cols)
				name := string(key)
				r.index[name] = idx
				r.cols = append(r.cols, &jsonColumn{name: name})
			}
			c := r.cols[idx]
			if err := c.observe(&f.val, r.p.raw(&f.val)); err != nil && c.conflict == nil {
				c.conflict = &ParseError{File: r.opt.Name, Line: line, Row: r.row, Column: c.name,
					Err: err}
			}
		}
	}
	r.pendingOff = append(r.pendingOff, len(r.pending))

	// Declared types win; declared columns never seen are appended, sorted.
	var extra []string
	for name := range r.opt.ColumnTypes {
		if _, ok := r.index[name]; !ok {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		r.index[name] = len(r.cols)
		r.cols = append(r.cols, &jsonColumn{name: name})
	}
	var conflict *ParseError
	for _, c := range r.cols {
		if t, ok := r.opt.ColumnTypes[c.name]; ok {
			if err := c.declare(t); err != nil {
				return err
			}
			continue
		}
		if c.conflict != nil && (conflict == nil || c.conflict.Row < conflict.Row) {
			conflict = c.conflict
		}
		c.settle()
	}
	if conflict != nil {
		return conflict
	}
	r.pendingOff = r.pendingOff[:len(r.pendingOff)-1]
	r.row = 0
	r.replay = true
	return nil
}

// observe records the category of one value, of text raw, during inference.
func (c *jsonColumn) observe(v *jsonValue, raw []byte) error {
	var cat jsonCategory
	switch v.kind {
	case jsonNull:
		return nil
	case jsonBool:
		cat = catBool
	case jsonNumber:
		cat = catNumber
		if v.frac {
			f, err := parseFloatBytes(raw)
			if err != nil || math.IsInf(f, 0) {
				c.hasBig = true
			}
			c.hasFloat = true
		} else if _, ok := parseInt64Bytes(raw); !ok {
			c.hasBig = true
		}
	case jsonString:
		cat = catString
	default:
		cat = catNested
	}
	if c.cat == catNone {
		c.cat = cat
		return nil
	}
	if c.cat != cat {
		return fmt.Errorf("mixed JSON types in one column (%s, then %s); "+
			"declare the column's type in the profile", categoryNames[c.cat], categoryNames[cat])
	}
	return nil
}

// settle picks the inferred type.
func (c *jsonColumn) settle() {
	switch c.cat {
	case catBool:
		c.kind, c.typ = colBool, arrow.FixedWidthTypes.Boolean
	case catNumber:
		switch {
		case c.hasBig:
			c.kind, c.typ, c.meta = colNumText, arrow.BinaryTypes.String, JSONKindNumber
		case c.hasFloat:
			c.kind, c.typ = colFloat64, arrow.PrimitiveTypes.Float64
		default:
			c.kind, c.typ = colInt64, arrow.PrimitiveTypes.Int64
		}
	case catNested:
		c.kind, c.typ, c.meta = colJSONText, arrow.BinaryTypes.String, JSONKindText
	default:
		c.kind, c.typ = colString, arrow.BinaryTypes.String
	}
}

// declare sets a type given in ReadOptions.ColumnTypes.
func (c *jsonColumn) declare(t arrow.DataType) error {
	c.typ, c.declared = t, true
	switch t.ID() {
	case arrow.BOOL:
		c.kind = colBool
	case arrow.INT64:
		c.kind = colInt64
	case arrow.FLOAT64:
		c.kind = colFloat64
	case arrow.STRING, arrow.LARGE_STRING:
		c.kind = colAnyText
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.UINT64, arrow.FLOAT32, arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL128,
		arrow.DECIMAL256:
		c.kind = colDeclared
	default:
		return fmt.Errorf("column %q: type %s is not supported for JSON input", c.name, t)
	}
	return nil
}
