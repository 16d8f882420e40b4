package transform

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

var nullSpec = &Spec{
	Name:    "null",
	Summary: "replace every value with null",
	Doc: "The column stays in the output with its type, and every value is null " +
		"(an empty field in CSV, null in JSON).",
	Example: "ssn: null",
	New:     func(Options) (Strategy, error) { return Null{}, nil },
}

// Null replaces every value of a column with null and keeps its type.
type Null struct{}

// OutputType implements [Strategy]: the type is unchanged.
func (Null) OutputType(in arrow.DataType) (arrow.DataType, error) { return in, nil }

// Apply implements [Strategy].
func (Null) Apply(w *Worker, in Input) (arrow.Array, error) {
	arr := in.Array()
	return array.MakeArrayOfNull(w.Mem, arr.DataType(), arr.Len()), nil
}
