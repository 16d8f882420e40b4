package transform

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// Strategy rewrites one column of a record batch.
//
// Implementations must be safe for concurrent use by several workers: all
// mutable scratch state belongs to the [Worker] passed to Apply.
type Strategy interface {
	// OutputType reports the Arrow type that Apply returns for an input column
	// of type in, or an error wrapping [ErrUnsupportedType] when the strategy
	// cannot handle that type.
	OutputType(in arrow.DataType) (arrow.DataType, error)

	// Apply returns the rewritten column for in.Column of in.Batch. It must not
	// release or modify the input; the caller releases the returned array.
	// Nulls stay nulls unless the strategy documents otherwise. Errors about a
	// value are a [*RowError] naming the row and column, never the value.
	Apply(w *Worker, in Input) (arrow.Array, error)
}

// Input is what a strategy sees of one batch.
type Input struct {
	// Batch is the whole input batch, so that a strategy can read another
	// column (noise keyed by an entity column, for example).
	Batch arrow.RecordBatch

	// Column is the index in Batch of the column to rewrite.
	Column int

	// Offset is the 0-based row number, in the input file, of the batch's
	// first row. Row-keyed strategies use Offset+i so that output does not
	// depend on batch size.
	Offset int64
}

// Array returns the column to rewrite.
func (in Input) Array() arrow.Array {
	return in.Batch.Column(in.Column)
}

// Name returns the name of the column to rewrite.
func (in Input) Name() string {
	return in.Batch.ColumnName(in.Column)
}

// Row returns the 1-based row number, in the input file, of row i of the
// batch; it is the number used in error messages.
func (in Input) Row(i int) int64 {
	return in.Offset + int64(i) + 1
}
