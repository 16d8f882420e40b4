package transform

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// sliceSource yields prepared batches, releasing each on the next call, like
// a real reader.
type sliceSource struct {
	batches []arrow.RecordBatch
	i       int
	err     error
}

func (s *sliceSource) Next() bool {
	if s.i > 0 {
		s.batches[s.i-1].Release()
	}
	if s.i >= len(s.batches) {
		return false
	}
	s.i++
	return true
}

func (s *sliceSource) RecordBatch() arrow.RecordBatch { return s.batches[s.i-1] }
func (s *sliceSource) Err() error                     { return s.err }

// collect keeps the text of every written row.
type collect struct {
	rows []string
	fail error
}

func (c *collect) Write(b arrow.RecordBatch) error {
	if c.fail != nil {
		return c.fail
	}
	for r := 0; r < int(b.NumRows()); r++ {
		var fields []string
		for _, col := range b.Columns() {
			fields = append(fields, col.ValueStr(r))
		}
		c.rows = append(c.rows, strings.Join(fields, "|"))
	}
	return nil
}

// textBatches splits rows of (id, name) into batches of size n.
func textBatches(mem memory.Allocator, rows [][2]string, n int) []arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	var out []arrow.RecordBatch
	for start := 0; start < len(rows); start += n {
		end := min(start+n, len(rows))
		b := array.NewRecordBuilder(mem, schema)
		for _, r := range rows[start:end] {
			b.Field(0).(*array.StringBuilder).Append(r[0])
			if r[1] == "<null>" {
				b.Field(1).AppendNull()
			} else {
				b.Field(1).(*array.StringBuilder).Append(r[1])
			}
		}
		out = append(out, b.NewRecordBatch())
		b.Release()
	}
	return out
}

func TestRunKeepsOrderAndCounts(t *testing.T) {
	var rows [][2]string
	for i := range 1000 {
		name := fmt.Sprintf("n%d", i)
		if i%10 == 0 {
			name = "<null>"
		}
		rows = append(rows, [2]string{fmt.Sprint(i), name})
	}

	for _, tc := range []struct {
		name    string
		batch   int
		workers int
	}{
		{"one batch", 1000, 1},
		{"small batches, many workers", 7, 4},
		{"batch of one", 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)

			src := &sliceSource{batches: textBatches(mem, rows, tc.batch)}
			schema := src.batches[0].Schema()
			plan, err := NewPlan(schema, []Rule{
				{Column: "id", Strategy: "keep", Impl: Keep{}},
				{Column: "name", Strategy: "constant", Impl: Constant{Value: "x"}},
			})
			if err != nil {
				t.Fatal(err)
			}

			var out collect
			st, err := Run(context.Background(), plan, src, &out,
				RunOptions{Workers: tc.workers, Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			if st.RowsRead != 1000 || st.RowsWritten != 1000 {
				t.Errorf("rows read/written = %d/%d, want 1000/1000", st.RowsRead, st.RowsWritten)
			}
			if st.Changed[0] != 0 || st.Changed[1] != 900 {
				t.Errorf("changed = %v, want [0 900]", st.Changed)
			}
			for i, r := range out.rows {
				want := fmt.Sprintf("%d|x", i)
				if i%10 == 0 {
					want = fmt.Sprintf("%d|(null)", i)
				}
				if r != want {
					t.Fatalf("row %d = %q, want %q", i, r, want)
				}
			}
		})
	}
}

func TestRunStopsOnError(t *testing.T) {
	rows := [][2]string{{"1", "a"}, {"2", "b"}, {"3", "c"}}
	sinkErr := errors.New("disk full")

	t.Run("sink error", func(t *testing.T) {
		src := &sliceSource{batches: textBatches(memory.DefaultAllocator, rows, 1)}
		plan, _ := NewPlan(src.batches[0].Schema(), []Rule{
			{Column: "id", Impl: Keep{}}, {Column: "name", Impl: Keep{}},
		})
		_, err := Run(context.Background(), plan, src, &collect{fail: sinkErr}, RunOptions{})
		if !errors.Is(err, sinkErr) {
			t.Errorf("Run error = %v, want %v", err, sinkErr)
		}
	})

	t.Run("source error", func(t *testing.T) {
		srcErr := errors.New("bad line")
		src := &sliceSource{batches: textBatches(memory.DefaultAllocator, rows, 1), err: srcErr}
		plan, _ := NewPlan(src.batches[0].Schema(), []Rule{
			{Column: "id", Impl: Keep{}}, {Column: "name", Impl: Keep{}},
		})
		_, err := Run(context.Background(), plan, src, &collect{}, RunOptions{})
		if !errors.Is(err, srcErr) {
			t.Errorf("Run error = %v, want %v", err, srcErr)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		src := &sliceSource{batches: textBatches(memory.DefaultAllocator, rows, 1)}
		plan, _ := NewPlan(src.batches[0].Schema(), []Rule{
			{Column: "id", Impl: Keep{}}, {Column: "name", Impl: Keep{}},
		})
		_, err := Run(ctx, plan, src, &collect{}, RunOptions{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run error = %v, want context.Canceled", err)
		}
	})
}

func TestNewPlanListsEveryProblem(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.BinaryTypes.String},
		{Name: "b", Type: arrow.PrimitiveTypes.Int64},
		{Name: "c", Type: arrow.BinaryTypes.String},
		{Name: "d", Type: arrow.BinaryTypes.String},
	}, nil)
	_, err := NewPlan(schema, []Rule{
		{Column: "b", Strategy: "constant", Impl: Constant{Value: "not a number"}},
	})
	if err == nil {
		t.Fatal("NewPlan succeeded, want an error")
	}
	for _, want := range []string{"3 input column(s): a, c, d", `column "b"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestNewPlanDropsAndTypes(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.BinaryTypes.String},
		{Name: "b", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	plan, err := NewPlan(schema, []Rule{
		{Column: "a", Strategy: "drop", Impl: Drop{}},
		{Column: "b", Strategy: "null", Impl: Null{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Out.Fields()) != 1 || plan.Out.Field(0).Name != "b" ||
		!arrow.TypeEqual(plan.Out.Field(0).Type, arrow.PrimitiveTypes.Int64) {
		t.Errorf("output schema = %v, want only b as int64", plan.Out)
	}
	if len(plan.Dropped) != 1 || plan.Dropped[0] != "a" {
		t.Errorf("dropped = %v, want [a]", plan.Dropped)
	}
}

func TestNewPlanChecksColumnsReadByStrategies(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.BinaryTypes.String}}, nil)
	opts, _ := noiseSpec.Parse("a", map[string]any{"scale": 1.0, "by": "patient"})
	s, err := noiseSpec.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewPlan(schema, []Rule{{Column: "a", Strategy: "noise", Impl: s}})
	if err == nil || !strings.Contains(err.Error(), `"patient"`) {
		t.Errorf("NewPlan error = %v, want one naming the missing by column", err)
	}
}

// TestNewPlanKeepsFieldMetadataOnlyForKeptColumns checks that a column's
// metadata (such as the JSON readers' raw-JSON tag) survives keep and is
// dropped once a strategy rewrites the values.
func TestNewPlanKeepsFieldMetadataOnlyForKeptColumns(t *testing.T) {
	md := arrow.NewMetadata([]string{"anon.json"}, []string{"json"})
	tests := []struct {
		name     string
		rule     Rule
		wantMeta bool
	}{
		{"keep", Rule{Column: "a", Strategy: "keep", Impl: Keep{}}, true},
		{"no strategy", Rule{Column: "a", Strategy: "keep"}, true},
		{"null", Rule{Column: "a", Strategy: "null", Impl: Null{}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			schema := arrow.NewSchema([]arrow.Field{
				{Name: "a", Type: arrow.BinaryTypes.String, Metadata: md},
			}, nil)
			plan, err := NewPlan(schema, []Rule{tc.rule})
			if err != nil {
				t.Fatal(err)
			}
			got := plan.Out.Field(0).Metadata.Len() > 0
			if got != tc.wantMeta {
				t.Errorf("metadata kept = %v, want %v", got, tc.wantMeta)
			}
		})
	}
}
