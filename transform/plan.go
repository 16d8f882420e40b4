package transform

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Rule names the strategy for one input column.
type Rule struct {
	// Column is the input column's name.
	Column string

	// Strategy is the name of the strategy, for summaries and reports.
	Strategy string

	// Impl rewrites the column; nil means keep.
	Impl Strategy
}

// ColumnReader is implemented by strategies that read other columns of the
// batch (noise keyed by an entity column); [NewPlan] checks that they exist.
type ColumnReader interface {
	ReadsColumns() []string
}

// ColumnPlan is the plan for one output column.
type ColumnPlan struct {
	// Name is the column's name.
	Name string

	// Input is the index of the column in the input schema.
	Input int

	// Strategy is the name of the strategy applied.
	Strategy string

	// Impl is the strategy; nil means the column passes through.
	Impl Strategy
}

// BatchStage rewrites whole batches after the column strategies, for work that
// spans columns and rows (k-anonymity generalizes quasi-identifiers and
// suppresses rows). It may return a batch with fewer rows.
type BatchStage interface {
	// OutputSchema returns the schema of the batches ApplyBatch returns for
	// batches of schema in.
	OutputSchema(in *arrow.Schema) (*arrow.Schema, error)

	// ApplyBatch returns the rewritten batch; the caller releases both.
	// offset is the 0-based row number of the batch's first row in the input.
	ApplyBatch(w *Worker, b arrow.RecordBatch, offset int64) (arrow.RecordBatch, error)
}

// Plan is a checked mapping from an input schema to an output schema.
type Plan struct {
	// In is the input schema.
	In *arrow.Schema

	// Out is the output schema: the input minus dropped columns, with each
	// column's type as its strategy writes it.
	Out *arrow.Schema

	// Columns has one entry per output column, in output order.
	Columns []ColumnPlan

	// Dropped lists the input columns left out of the output.
	Dropped []string

	// Stage, if set, runs on every batch after the column strategies; set it
	// with [Plan.SetStage].
	Stage BatchStage

	// staged is the schema after Stage.
	staged *arrow.Schema
}

// SetStage adds a batch stage after the column strategies.
func (p *Plan) SetStage(s BatchStage) error {
	out, err := s.OutputSchema(p.Out)
	if err != nil {
		return err
	}
	p.Stage, p.staged = s, out
	return nil
}

// OutputSchema returns the schema of the batches the plan writes.
func (p *Plan) OutputSchema() *arrow.Schema {
	if p.staged != nil {
		return p.staged
	}
	return p.Out
}

// NewPlan checks rules against the input schema and returns the plan. Every
// input column must have a rule; the error lists all columns without one, and
// every column whose strategy cannot handle its type.
func NewPlan(in *arrow.Schema, rules []Rule) (*Plan, error) {
	byName := make(map[string]Rule, len(rules))
	for _, r := range rules {
		byName[r.Column] = r
	}

	p := &Plan{In: in}
	var fields []arrow.Field
	var missing, problems []string
	for i, f := range in.Fields() {
		r, ok := byName[f.Name]
		if !ok {
			missing = append(missing, f.Name)
			continue
		}
		if _, isDrop := r.Impl.(Drop); isDrop {
			p.Dropped = append(p.Dropped, f.Name)
			continue
		}

		if cr, ok := r.Impl.(ColumnReader); ok {
			for _, name := range cr.ReadsColumns() {
				if len(in.FieldIndices(name)) == 0 {
					problems = append(problems, fmt.Sprintf("column %q: strategy %s reads "+
						"column %q, which the input does not have", f.Name, r.Strategy, name))
				}
			}
		}

		outType := f.Type
		if r.Impl != nil {
			t, err := r.Impl.OutputType(f.Type)
			if err != nil {
				problems = append(problems, fmt.Sprintf("column %q (%s): strategy %s: %v",
					f.Name, f.Type, r.Strategy, err))
				continue
			}
			outType = t
		}
		if _, isKeep := r.Impl.(Keep); isKeep {
			r.Impl = nil
		}

		// Keep the field's metadata only where the column passes through
		// unchanged. A strategy's output is plain values: metadata such as
		// the JSON readers' raw-JSON or exact-number tag would make a writer
		// emit rewritten text unquoted, as if it were still JSON.
		field := arrow.Field{Name: f.Name, Type: outType, Nullable: true}
		if r.Impl == nil && arrow.TypeEqual(outType, f.Type) {
			field = f
		}
		fields = append(fields, field)
		p.Columns = append(p.Columns, ColumnPlan{
			Name: f.Name, Input: i, Strategy: r.Strategy, Impl: r.Impl,
		})
	}

	if len(missing) > 0 {
		problems = append([]string{fmt.Sprintf(
			"the profile does not name %d input column(s): %s; give each a strategy "+
				"(or keep), or set a default", len(missing), strings.Join(missing, ", "))},
			problems...)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}

	md := in.Metadata()
	p.Out = arrow.NewSchema(fields, &md)
	return p, nil
}
