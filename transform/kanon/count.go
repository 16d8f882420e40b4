package kanon

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Counter counts the distinct tuples of values of a fixed list of columns
// (the quasi-identifiers, then the sensitive column if any). Each column's
// values are coded as small integers through a dictionary, so memory grows
// with distinct values and tuples, not with rows. Null is counted as the
// empty string. A Counter is not safe for concurrent use; count parts of a
// file with separate Counters and [Counter.Merge] them.
type Counter struct {
	columns []string
	dicts   []map[string]int32 // per column: value -> code
	values  [][]string         // per column: code -> value
	index   map[string]int32   // packed codes -> tuple
	codes   []int32            // tuple-major, len(columns) per tuple
	counts  []int64            // per tuple
	rows    int64
	key     []byte
}

// NewCounter returns an empty Counter over columns.
func NewCounter(columns []string) *Counter {
	c := &Counter{
		columns: append([]string(nil), columns...),
		dicts:   make([]map[string]int32, len(columns)),
		values:  make([][]string, len(columns)),
		index:   map[string]int32{},
		key:     make([]byte, 4*len(columns)),
	}
	for i := range columns {
		c.dicts[i] = map[string]int32{}
	}
	return c
}

// Rows returns the number of rows counted.
func (c *Counter) Rows() int64 {
	return c.rows
}

// Tuples returns the number of distinct tuples counted.
func (c *Counter) Tuples() int {
	return len(c.counts)
}

// Add counts the rows of b. Only the Counter's columns are read; a missing
// column is an error naming it.
func (c *Counter) Add(b arrow.RecordBatch) error {
	cols, err := columnsOf(b, c.columns)
	if err != nil {
		return err
	}
	read := make([]func(int) string, len(cols))
	for j, a := range cols {
		read[j] = textOf(a)
	}

	n := int(b.NumRows())
	for i := 0; i < n; i++ {
		for j := range cols {
			c.putCode(j, c.code(j, read[j](i)))
		}
		c.addKey(1)
	}
	c.rows += int64(n)
	return nil
}

// Merge adds the counts of o, which must count the same columns, to c.
func (c *Counter) Merge(o *Counter) error {
	if strings.Join(c.columns, "\x00") != strings.Join(o.columns, "\x00") {
		return errors.New("kanon: cannot merge counters of different columns")
	}
	w := len(c.columns)
	for t, n := range o.counts {
		for j := 0; j < w; j++ {
			c.putCode(j, c.code(j, o.values[j][o.codes[t*w+j]]))
		}
		c.addKey(n)
	}
	c.rows += o.rows
	return nil
}

// code returns the code of value in column j, adding it if new.
func (c *Counter) code(j int, value string) int32 {
	if k, ok := c.dicts[j][value]; ok {
		return k
	}
	k := int32(len(c.values[j]))
	value = strings.Clone(value)
	c.dicts[j][value] = k
	c.values[j] = append(c.values[j], value)
	return k
}

func (c *Counter) putCode(j int, code int32) {
	binary.LittleEndian.PutUint32(c.key[4*j:], uint32(code))
}

// addKey counts n rows of the tuple in c.key.
func (c *Counter) addKey(n int64) {
	if t, ok := c.index[string(c.key)]; ok {
		c.counts[t] += n
		return
	}
	c.index[string(c.key)] = int32(len(c.counts))
	for j := range c.columns {
		c.codes = append(c.codes, int32(binary.LittleEndian.Uint32(c.key[4*j:])))
	}
	c.counts = append(c.counts, n)
}

// lookup returns the tuple of the codes in key, or -1.
func (c *Counter) lookup(key []byte) int32 {
	if t, ok := c.index[string(key)]; ok {
		return t
	}
	return -1
}

// columnsOf returns the arrays of the named columns of b.
func columnsOf(b arrow.RecordBatch, names []string) ([]arrow.Array, error) {
	cols := make([]arrow.Array, len(names))
	for j, name := range names {
		idx := b.Schema().FieldIndices(name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("kanon: column %q is not in the input", name)
		}
		cols[j] = b.Column(idx[0])
	}
	return cols, nil
}

// textOf returns a reader of value i of a as text: text arrays directly,
// other types through ValueStr, null as "". The string of a text array is
// only valid while the array is.
func textOf(a arrow.Array) func(int) string {
	switch t := a.(type) {
	case *array.String:
		return func(i int) string { return orEmpty(t, i, t.Value) }
	case *array.LargeString:
		return func(i int) string { return orEmpty(t, i, t.Value) }
	case *array.StringView:
		return func(i int) string { return orEmpty(t, i, t.Value) }
	}
	return func(i int) string { return orEmpty(a, i, a.ValueStr) }
}

func orEmpty(a arrow.Array, i int, value func(int) string) string {
	if a.IsNull(i) {
		return ""
	}
	return value(i)
}
