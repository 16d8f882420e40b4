package transform

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
)

var dropSpec = &Spec{
	Name:    "drop",
	Summary: "remove the column from the output",
	Doc:     "The column does not appear in the output at all.",
	Example: "internal_notes: drop",
	New:     func(Options) (Strategy, error) { return Drop{}, nil },
}

// Drop removes a column. The pipeline leaves a dropped column out of the
// output schema and never calls Apply.
type Drop struct{}

// OutputType implements [Strategy]; a dropped column has no output type.
func (Drop) OutputType(arrow.DataType) (arrow.DataType, error) { return nil, nil }

// Apply implements [Strategy]; it is never called by the pipeline.
func (Drop) Apply(*Worker, Input) (arrow.Array, error) {
	return nil, errors.New("transform: drop has no output column")
}
