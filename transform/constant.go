package transform

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var constantSpec = &Spec{
	Name:    "constant",
	Summary: "replace every value with one fixed value",
	Doc: "Every non-null value becomes `value`. The column keeps its type: for a " +
		"typed column (a Parquet integer, say) the value must parse as that type. " +
		"Nulls stay null unless `fill_nulls` is true.",
	Params: []Param{
		{Name: "value", Type: ParamString, Required: true, Doc: "the replacement value"},
		{Name: "fill_nulls", Type: ParamBool, Default: false,
			Doc: "replace nulls with the value too"},
	},
	Example: "country: {strategy: constant, value: \"Nowhere\"}",
	New: func(o Options) (Strategy, error) {
		return Constant{Value: o.String("value"), FillNulls: o.Bool("fill_nulls")}, nil
	},
}

// Constant replaces every value of a column with Value.
type Constant struct {
	// Value is the replacement, as text; it is parsed for typed columns.
	Value string

	// FillNulls replaces nulls too.
	FillNulls bool
}

// OutputType implements [Strategy]: the type is unchanged, and Value must
// parse as that type.
func (c Constant) OutputType(in arrow.DataType) (arrow.DataType, error) {
	if isStringLike(in) {
		return in, nil
	}

	b := array.NewBuilder(memory.DefaultAllocator, in)
	defer b.Release()
	if err := b.AppendValueFromString(c.Value); err != nil {
		return nil, fmt.Errorf("%w: value does not parse as %s", ErrInvalidParam, in)
	}
	return in, nil
}

// Apply implements [Strategy].
func (c Constant) Apply(w *Worker, in Input) (arrow.Array, error) {
	arr := in.Array()
	b := array.NewBuilder(w.Mem, arr.DataType())
	defer b.Release()
	b.Reserve(arr.Len())

	for i := 0; i < arr.Len(); i++ {
		if arr.IsNull(i) && !c.FillNulls {
			b.AppendNull()
			continue
		}
		if err := b.AppendValueFromString(c.Value); err != nil {
			return nil, rowError(in, i, fmt.Errorf("constant does not fit the column type"))
		}
	}
	return b.NewArray(), nil
}
