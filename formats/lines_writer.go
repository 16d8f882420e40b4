package formats

import (
	"bufio"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
)

// linesWriter writes a table of one column as text, one value per line,
// each followed by LF. A null is written as an empty line. Values are
// written byte for byte: a value holding LF spans several lines.
type linesWriter struct {
	textSink
}

func newLinesWriter(w io.Writer, schema *arrow.Schema, opt WriteOptions) (Writer, error) {
	if schema.NumFields() != 1 {
		return nil, fmt.Errorf("lines output needs exactly one column, not %d",
			schema.NumFields())
	}
	if dt := schema.Field(0).Type; arrow.IsNested(dt.ID()) {
		return nil, fmt.Errorf("lines output cannot write a %s column", dt)
	}
	return &linesWriter{textSink{w: bufio.NewWriterSize(w, 256<<10), name: opt.Name}}, nil
}

// Write implements [Writer].
func (w *linesWriter) Write(rec arrow.RecordBatch) error {
	if w.err != nil {
		return w.err
	}
	col := rec.Column(0)
	value := textValues(col)
	for i := 0; i < col.Len(); i++ {
		if !col.IsNull(i) {
			w.w.WriteString(value(i))
		}
		if err := w.w.WriteByte('\n'); err != nil {
			w.err = fmt.Errorf("write %s: %w", w.name, err)
			return w.err
		}
	}
	return nil
}

// textValues reads value i of a column as text.
func textValues(arr arrow.Array) func(i int) string {
	type stringer interface{ Value(int) string }
	if s, ok := arr.(stringer); ok {
		return s.Value
	}
	return arr.ValueStr
}

// Close implements [Writer].
func (w *linesWriter) Close() error {
	return w.close()
}
