package transform

import "github.com/apache/arrow-go/v18/arrow"

var keepSpec = &Spec{
	Name:    "keep",
	Summary: "pass the column through unchanged",
	Doc: "The column is copied as it is: same values, same type, same nulls. " +
		"Use it for columns that hold no personal data; naming them keeps the " +
		"profile an explicit review of every column.",
	Example: "country: keep",
	New:     func(Options) (Strategy, error) { return Keep{}, nil },
	Unique:  func(Options) error { return nil },
}

// Keep passes a column through unchanged.
type Keep struct{}

// OutputType implements [Strategy]: the type is unchanged.
func (Keep) OutputType(in arrow.DataType) (arrow.DataType, error) { return in, nil }

// Apply implements [Strategy]: it returns the input column, retained.
func (Keep) Apply(_ *Worker, in Input) (arrow.Array, error) {
	arr := in.Array()
	arr.Retain()
	return arr, nil
}
