package transform

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin for the B12 tests, whatever the host has

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Helpers for the noise and generalize tests. Strategies are built through
// the profile path (Spec.Parse, then Spec.New); a nil value is a null.

func nzTryBuild(spec *Spec, column string, raw map[string]any) (Strategy, error) {
	o, errs := spec.Parse(column, raw)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return spec.New(o)
}

func nzBuild(t testing.TB, spec *Spec, column string, raw map[string]any) Strategy {
	t.Helper()
	s, err := nzTryBuild(spec, column, raw)
	if err != nil {
		t.Fatalf("building %s for %q: %v", spec.Name, column, err)
	}
	return s
}

// nzWorker returns a worker keyed with key on a checked allocator.
func nzWorker(t testing.TB, key string) *Worker {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return NewWorker(NewSecret([]byte(key)), mem)
}

// nzArray builds an array of dt from values (nil is null): string for text,
// int64/float64/int32 for numbers and date32, int64 for date64/timestamps.
func nzArray(mem memory.Allocator, dt arrow.DataType, vals ...any) arrow.Array {
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.StringBuilder:
			bb.Append(v.(string))
		case *array.Int64Builder:
			bb.Append(v.(int64))
		case *array.Int32Builder:
			bb.Append(v.(int32))
		case *array.Uint8Builder:
			bb.Append(uint8(v.(int64)))
		case *array.Float64Builder:
			bb.Append(v.(float64))
		case *array.Float32Builder:
			bb.Append(float32(v.(float64)))
		case *array.Date32Builder:
			bb.Append(arrow.Date32(v.(int32)))
		case *array.Date64Builder:
			bb.Append(arrow.Date64(v.(int64)))
		case *array.TimestampBuilder:
			bb.Append(arrow.Timestamp(v.(int64)))
		default:
			panic(fmt.Sprintf("nzArray: %T", b))
		}
	}
	return b.NewArray()
}

// nzBatch makes a batch of named columns; the caller releases it.
func nzBatch(names []string, cols ...arrow.Array) arrow.RecordBatch {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: names[i], Type: c.DataType(), Nullable: true}
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(cols[0].Len()))
}

// nzApply applies s to column col of b and checks the output's type and
// length. The caller releases the result.
func nzApply(s Strategy, w *Worker, b arrow.RecordBatch, col int,
	offset int64) (arrow.Array, error) {
	want, err := s.OutputType(b.Column(col).DataType())
	if err != nil {
		return nil, err
	}
	out, err := s.Apply(w, Input{Batch: b, Column: col, Offset: offset})
	if err != nil {
		return nil, err
	}
	if !arrow.TypeEqual(out.DataType(), want) || out.Len() != int(b.NumRows()) {
		out.Release()
		return nil, fmt.Errorf("output %s with %d rows, want %s with %d",
			out.DataType(), out.Len(), want, b.NumRows())
	}
	return out, nil
}

// nzValues returns the values of arr as Go values, nil for nulls.
func nzValues(arr arrow.Array) []any {
	out := make([]any, arr.Len())
	for i := range out {
		if arr.IsNull(i) {
			continue
		}
		switch a := arr.(type) {
		case *array.String:
			out[i] = a.Value(i)
		case *array.Int64:
			out[i] = a.Value(i)
		case *array.Int32:
			out[i] = a.Value(i)
		case *array.Uint8:
			out[i] = int64(a.Value(i))
		case *array.Float64:
			out[i] = a.Value(i)
		case *array.Float32:
			out[i] = float64(a.Value(i))
		case *array.Date32:
			out[i] = int32(a.Value(i))
		case *array.Date64:
			out[i] = int64(a.Value(i))
		case *array.Timestamp:
			out[i] = int64(a.Value(i))
		default:
			panic(fmt.Sprintf("nzValues: %T", arr))
		}
	}
	return out
}

// nzRun applies s to one column of vals named column, at offset.
func nzRun(s Strategy, w *Worker, column string, dt arrow.DataType, offset int64,
	vals ...any) ([]any, error) {
	arr := nzArray(w.Mem, dt, vals...)
	defer arr.Release()
	b := nzBatch([]string{column}, arr)
	defer b.Release()
	out, err := nzApply(s, w, b, 0, offset)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	return nzValues(out), nil
}

func nzMustRun(t testing.TB, s Strategy, w *Worker, column string, dt arrow.DataType,
	vals ...any) []any {
	t.Helper()
	out, err := nzRun(s, w, column, dt, 0, vals...)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return out
}

var (
	nzText = arrow.BinaryTypes.String
	nzI64  = arrow.PrimitiveTypes.Int64
	nzF64  = arrow.PrimitiveTypes.Float64
)

// TestNoiseB14 is field report B14 (pg_diffix#302): with many seeds, noise
// must never push a count below min, and integers must stay integers.
func TestNoiseB14(t *testing.T) {
	tests := []struct {
		name   string
		column string
		raw    map[string]any
		dt     arrow.DataType
		vals   []any
	}{
		{"age ratio 0.5 min 0 text", "age",
			map[string]any{"relative": 0.5, "min": uint64(0)}, nzText, []any{"1", "3"}},
		{"num_children abs 2 min 0 text", "num_children",
			map[string]any{"scale": uint64(2), "min": uint64(0)}, nzText, []any{"0", "1"}},
		{"num_children abs 2 min 0 int64", "num_children",
			map[string]any{"scale": uint64(2), "min": uint64(0)}, nzI64, []any{int64(0), int64(1)}},
		{"gaussian abs 2 min 0 text", "num_children",
			map[string]any{"distribution": "gaussian", "scale": 2.0, "min": 0.0},
			nzText, []any{"0", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, tt.column, tt.raw)
			changed := 0
			for seed := 0; seed < 2000; seed++ {
				w := NewWorker(NewSecret([]byte(fmt.Sprintf("key-%d", seed))), nil)
				out, err := nzRun(s, w, tt.column, tt.dt, 0, tt.vals...)
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range out {
					var n int64
					switch v := v.(type) {
					case string:
						n, err = strconv.ParseInt(v, 10, 64)
						if err != nil {
							t.Fatalf("seed %d: %q is not an integer", seed, v)
						}
					case int64:
						n = v
					}
					if n < 0 {
						t.Fatalf("seed %d: row %d became %d, below min 0", seed, i+1, n)
					}
					if fmt.Sprint(v) != fmt.Sprint(tt.vals[i]) {
						changed++
					}
				}
			}
			if changed < 1000 {
				t.Errorf("only %d of 4000 values changed; is noise applied?", changed)
			}
		})
	}
}

// TestNoiseB11 is field report B11 (dolos#1104): a shift must never move a
// value past max_date (or before min_date); the bound is checked per row.
func TestNoiseB11(t *testing.T) {
	const maxDate = "2024-06-01"
	tests := []struct {
		name  string
		raw   map[string]any
		dt    arrow.DataType
		val   any
		check func(v any) (ok, atBound bool)
	}{
		{"rfc3339 text", map[string]any{"max_date": maxDate}, nzText,
			"2024-05-30T10:00:00Z", func(v any) (bool, bool) {
				tm, err := time.Parse(time.RFC3339, v.(string))
				bound := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
				return err == nil && !tm.After(bound) && strings.HasSuffix(v.(string), "Z"),
					tm.Equal(bound)
			}},
		{"rfc3339 bound with offset", map[string]any{"max_date": "2024-06-01T12:00:00+02:00"},
			nzText, "2024-05-30T10:00:00+02:00", func(v any) (bool, bool) {
				tm, err := time.Parse(time.RFC3339, v.(string))
				bound := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
				return err == nil && !tm.After(bound) &&
					strings.HasSuffix(v.(string), "+02:00"), tm.Equal(bound)
			}},
		{"date text", map[string]any{"max_date": maxDate}, nzText, "2024-05-30",
			func(v any) (bool, bool) {
				return len(v.(string)) == 10 && v.(string) <= maxDate, v == maxDate
			}},
		{"date text min", map[string]any{"min_date": "2024-05-25"}, nzText, "2024-05-30",
			func(v any) (bool, bool) {
				return len(v.(string)) == 10 && v.(string) >= "2024-05-25", v == "2024-05-25"
			}},
		{"naive text", map[string]any{"max_date": maxDate}, nzText, "2024-05-30 10:00:00",
			func(v any) (bool, bool) {
				return len(v.(string)) == 19 && v.(string) <= "2024-06-01 00:00:00",
					v == "2024-06-01 00:00:00"
			}},
		{"date32", map[string]any{"max_date": maxDate}, arrow.FixedWidthTypes.Date32,
			int32(19873), func(v any) (bool, bool) { // 2024-05-30
				return v.(int32) <= 19875, v.(int32) == 19875
			}},
		{"timestamp us utc", map[string]any{"max_date": maxDate},
			&arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
			time.Date(2024, 5, 30, 10, 0, 0, 0, time.UTC).UnixMicro(), func(v any) (bool, bool) {
				bound := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
				return v.(int64) <= bound, v.(int64) == bound
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := map[string]any{"max_shift_days": uint64(30)}
			for k, v := range tt.raw {
				raw[k] = v
			}
			s := nzBuild(t, noiseSpec, "submitted_at", raw)
			clamped := 0
			for seed := 0; seed < 300; seed++ {
				w := NewWorker(NewSecret([]byte(fmt.Sprintf("key-%d", seed))), nil)
				vals := []any{tt.val, tt.val, tt.val}
				out, err := nzRun(s, w, "submitted_at", tt.dt, 0, vals...)
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range out {
					ok, at := tt.check(v)
					if !ok {
						t.Fatalf("seed %d row %d: %v is out of bounds or lost its layout",
							seed, i+1, v)
					}
					if at {
						clamped++
					}
				}
			}
			if clamped == 0 {
				t.Errorf("no value reached the bound; clamping was not exercised")
			}
		})
	}
}

// setBerlin runs the test with TZ=Europe/Berlin and time.Local set to it, as
// a process started with that TZ would have (field report B12).
func setBerlin(t *testing.T) {
	t.Setenv("TZ", "Europe/Berlin")
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	old := time.Local
	time.Local = loc
	t.Cleanup(func() { time.Local = old })
}

// TestNoiseB12 is field report B12 (arx#425): date-only values are civil
// dates; a zero shift leaves every layout unchanged whatever TZ is.
func TestNoiseB12(t *testing.T) {
	setBerlin(t)
	tests := []struct {
		name string
		dt   arrow.DataType
		vals []any
	}{
		{"iso dates", nzText, []any{"1885-03-01", "1899-12-31", "1893-04-01", nil, ""}},
		{"slash dates", nzText, []any{"3/1/1885", "12/31/1899", "03/01/1885"}},
		{"date-times", nzText, []any{"1885-03-01 00:00:00", "1885-03-01T00:00:00+01:00",
			"1899-12-31T23:59:59.250Z", "2024-03-31T02:30:00+01:00", "2024-10-27 02:30:00"}},
		{"date32", arrow.FixedWidthTypes.Date32, []any{int32(-31017), int32(-25568)}},
		{"date64", arrow.FixedWidthTypes.Date64, []any{int64(-31017) * 86400000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "birth_date", map[string]any{"max_shift_days": uint64(0)})
			got := nzMustRun(t, s, nzWorker(t, "k"), "birth_date", tt.dt, tt.vals...)
			for i := range got {
				if fmt.Sprint(got[i]) != fmt.Sprint(tt.vals[i]) {
					t.Errorf("row %d: %v became %v with a zero shift", i+1, tt.vals[i], got[i])
				}
			}
		})
	}
}

// TestNoiseB18 is field report B18 (texera#6279): a value that does not
// parse fails naming row and column, never the value; no row is dropped.
func TestNoiseB18(t *testing.T) {
	tests := []struct {
		name   string
		raw    map[string]any
		good   string
		offset int64 // the bad value is always input row 151
	}{
		{"number, one batch", map[string]any{"scale": uint64(2)}, "40", 0},
		{"number, batch from row 101", map[string]any{"scale": uint64(2)}, "40", 100},
		{"date", map[string]any{"max_shift_days": uint64(3)}, "2020-01-01", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "age", tt.raw)
			var vals []any
			for i := tt.offset; i < 150; i++ {
				vals = append(vals, tt.good)
			}
			vals = append(vals, "unknown")
			_, err := nzRun(s, nzWorker(t, "k"), "age", nzText, tt.offset, vals...)
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("error = %v, want a *RowError", err)
			}
			if re.Row != 151 || re.Column != "age" {
				t.Errorf("error names row %d column %q, want row 151 column age", re.Row, re.Column)
			}
			if strings.Contains(err.Error(), "unknown") {
				t.Errorf("error %q contains the value", err)
			}

			// Without the bad value, every row comes out.
			out, err := nzRun(s, nzWorker(t, "k"), "age", nzText, tt.offset,
				vals[:len(vals)-1]...)
			if err != nil || len(out) != len(vals)-1 {
				t.Errorf("good rows: %d out, err %v", len(out), err)
			}
		})
	}
}

// TestNoiseB21 is field report B21 (arrow#39466): zoned and naive timestamps
// keep their exact type; a zero shift keeps their values.
func TestNoiseB21(t *testing.T) {
	instant := time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC).UnixMicro()
	tests := []struct {
		name  string
		dt    *arrow.TimestampType
		shift uint64
	}{
		{"ts_utc shift 0", &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, 0},
		{"ts_local shift 0", &arrow.TimestampType{Unit: arrow.Microsecond}, 0},
		{"ts_utc shift 30", &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, 30},
		{"ts_local shift 30", &arrow.TimestampType{Unit: arrow.Microsecond}, 30},
		{"ts berlin ms shift 30",
			&arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "Europe/Berlin"}, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "ts", map[string]any{"max_shift_days": tt.shift})
			got, err := s.OutputType(tt.dt)
			if err != nil || !arrow.TypeEqual(got, tt.dt) {
				t.Fatalf("OutputType = %v, %v; want %v", got, err, tt.dt)
			}
			v := instant
			if tt.dt.Unit == arrow.Millisecond {
				v /= 1000
			}
			out := nzMustRun(t, s, nzWorker(t, "k"), "ts", tt.dt, v, v, v, v, nil)
			perDay := unitsPerDay(tt.dt.Unit)
			for i, o := range out[:4] {
				diff := o.(int64) - v
				switch {
				case tt.shift == 0 && diff != 0:
					t.Errorf("row %d moved by %d with a zero shift", i+1, diff)
				case diff%perDay != 0 || diff/perDay > int64(tt.shift) ||
					-diff/perDay > int64(tt.shift):
					t.Errorf("row %d moved by %d units, not whole days within %d",
						i+1, diff, tt.shift)
				}
			}
			if out[4] != nil {
				t.Errorf("null became %v", out[4])
			}
		})
	}
}

// TestNoiseBy checks that rows of one entity share one draw, so intervals
// within the entity survive.
func TestNoiseBy(t *testing.T) {
	tests := []struct {
		name     string
		raw      map[string]any
		vals     []any
		interval func(a, b string) float64
	}{
		{"dates by patient", map[string]any{"max_shift_days": uint64(365), "by": "patient_id"},
			[]any{"2024-01-01", "2024-02-01", "2024-01-11"}, func(a, b string) float64 {
				x, _ := time.Parse(time.DateOnly, a)
				y, _ := time.Parse(time.DateOnly, b)
				return y.Sub(x).Hours() / 24
			}},
		{"numbers by patient", map[string]any{"scale": uint64(100), "by": "patient_id"},
			[]any{"1000", "2000", "1010"}, func(a, b string) float64 {
				x, _ := strconv.ParseFloat(a, 64)
				y, _ := strconv.ParseFloat(b, 64)
				return y - x
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "admitted", tt.raw)
			want := tt.interval(tt.vals[0].(string), tt.vals[2].(string))
			moved := 0
			for seed := 0; seed < 50; seed++ {
				w := nzWorker(t, fmt.Sprintf("key-%d", seed))
				ids := nzArray(w.Mem, nzText, "p1", "p2", "p1")
				col := nzArray(w.Mem, nzText, tt.vals...)
				b := nzBatch([]string{"patient_id", "admitted"}, ids, col)
				ids.Release()
				col.Release()
				out, err := nzApply(s, w, b, 1, 0)
				b.Release()
				if err != nil {
					t.Fatal(err)
				}
				got := nzValues(out)
				out.Release()
				if d := tt.interval(got[0].(string), got[2].(string)); d != want {
					t.Fatalf("seed %d: interval within p1 is %v, want %v", seed, d, want)
				}
				if got[0] != tt.vals[0] {
					moved++
				}
			}
			if moved == 0 {
				t.Error("no value moved")
			}

			// Without by, rows are drawn apart and the interval changes.
			delete(tt.raw, "by")
			s = nzBuild(t, noiseSpec, "admitted", tt.raw)
			got := nzMustRun(t, s, nzWorker(t, "k"), "admitted", nzText, tt.vals...)
			if tt.interval(got[0].(string), got[2].(string)) == want {
				t.Error("without by the interval survived; is the draw keyed by row?")
			}
		})
	}
}

func TestNoiseByMissingColumn(t *testing.T) {
	s := nzBuild(t, noiseSpec, "admitted", map[string]any{"max_shift_days": uint64(3),
		"by": "patient_id"})
	_, err := nzRun(s, nzWorker(t, "k"), "admitted", nzText, 0, "2024-01-01")
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Param != "by" || !strings.Contains(err.Error(), "patient_id") {
		t.Errorf("error = %v, want a ParamError on by naming patient_id", err)
	}
}

// TestNoiseBatchSizes checks that output does not depend on how the column is
// split into batches.
func TestNoiseBatchSizes(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		dt   arrow.DataType
		gen  func(i int) any
	}{
		{"text integers", map[string]any{"scale": uint64(5)}, nzText,
			func(i int) any { return strconv.Itoa(i % 7) }},
		{"float64", map[string]any{"relative": 0.1}, nzF64,
			func(i int) any { return float64(i%5) * 1.5 }},
		{"text dates", map[string]any{"max_shift_days": uint64(10)}, nzText,
			func(i int) any { return "2020-01-0" + strconv.Itoa(1+i%9) }},
		{"date32", map[string]any{"max_shift_days": uint64(10)}, arrow.FixedWidthTypes.Date32,
			func(i int) any { return int32(18000 + i%3) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "c", tt.raw)
			vals := make([]any, 50)
			for i := range vals {
				vals[i] = tt.gen(i)
			}
			vals[13] = nil
			var outs [][]any
			for _, size := range []int{1, 7, len(vals)} {
				w := nzWorker(t, "k")
				var all []any
				for off := 0; off < len(vals); off += size {
					end := min(off+size, len(vals))
					out, err := nzRun(s, w, "c", tt.dt, int64(off), vals[off:end]...)
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, out...)
				}
				outs = append(outs, all)
			}
			for k := 1; k < len(outs); k++ {
				if fmt.Sprint(outs[k]) != fmt.Sprint(outs[0]) {
					t.Errorf("batch sizes give different output:\n%v\n%v", outs[0], outs[k])
				}
			}
			if fmt.Sprint(outs[0]) == fmt.Sprint(vals) {
				t.Error("output equals input")
			}
		})
	}
}

func TestNoiseDifferentKeys(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		vals []any
	}{
		{"numbers", map[string]any{"scale": uint64(10)}, []any{"100", "200", "300", "400"}},
		{"dates", map[string]any{"max_shift_days": uint64(100)},
			[]any{"2020-01-01", "2020-01-01", "2021-05-05", "2022-02-02"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "c", tt.raw)
			a := nzMustRun(t, s, nzWorker(t, "k"), "c", nzText, tt.vals...)
			again := nzMustRun(t, s, nzWorker(t, "k"), "c", nzText, tt.vals...)
			b := nzMustRun(t, s, nzWorker(t, "other"), "c", nzText, tt.vals...)
			if fmt.Sprint(a) != fmt.Sprint(again) {
				t.Errorf("same key, different output: %v vs %v", a, again)
			}
			same := 0
			for i := range a {
				if a[i] == b[i] {
					same++
				}
			}
			if same > 1 {
				t.Errorf("different keys gave %d equal values of %d: %v vs %v",
					same, len(a), a, b)
			}
		})
	}
}

// TestNoiseSpread checks the noise size: Laplace b has mean absolute
// deviation b, Gaussian sigma has standard deviation sigma.
func TestNoiseSpread(t *testing.T) {
	tests := []struct {
		name    string
		raw     map[string]any
		base    float64
		want    float64
		measure func(devs []float64) float64
	}{
		{"laplace scale 10", map[string]any{"scale": uint64(10)}, 0, 10, meanAbs},
		{"laplace relative 0.2 of 50", map[string]any{"relative": 0.2}, 50, 10, meanAbs},
		{"gaussian sigma 3", map[string]any{"distribution": "gaussian", "scale": uint64(3)},
			100, 3, rms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "x", tt.raw)
			vals := make([]any, 20000)
			for i := range vals {
				vals[i] = tt.base
			}
			out := nzMustRun(t, s, nzWorker(t, "k"), "x", nzF64, vals...)
			devs := make([]float64, len(out))
			for i, v := range out {
				devs[i] = v.(float64) - tt.base
			}
			got := tt.measure(devs)
			if math.Abs(got-tt.want) > 0.15*tt.want {
				t.Errorf("spread %.3f, want %.3f within 15%%", got, tt.want)
			}
		})
	}
}

func meanAbs(d []float64) float64 {
	var s float64
	for _, x := range d {
		s += math.Abs(x)
	}
	return s / float64(len(d))
}

func rms(d []float64) float64 {
	var s float64
	for _, x := range d {
		s += x * x
	}
	return math.Sqrt(s / float64(len(d)))
}

// TestNoiseTextShape checks that text numbers keep their shape.
func TestNoiseTextShape(t *testing.T) {
	tests := []struct {
		name  string
		raw   map[string]any
		in    string
		shape func(string) bool
	}{
		{"two decimals", map[string]any{"scale": uint64(50)}, "53872.20",
			func(s string) bool { i := strings.IndexByte(s, '.'); return i > 0 && len(s)-i == 3 }},
		{"integer", map[string]any{"scale": 2.5}, "42",
			func(s string) bool { _, err := strconv.Atoi(s); return err == nil }},
		{"one decimal, clamped", map[string]any{"scale": uint64(5), "min": 0.05, "max": 9.99},
			"0.5", func(s string) bool {
				v, err := strconv.ParseFloat(s, 64)
				return err == nil && v >= 0.05 && v <= 9.99 && len(s) == 3
			}},
		{"exponent", map[string]any{"relative": 0.1}, "1.5e3",
			func(s string) bool { return strings.Contains(s, "e+03") && len(s) == 7 }},
		{"spaces trimmed", map[string]any{"scale": uint64(3)}, " 7 ",
			func(s string) bool { _, err := strconv.Atoi(s); return err == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "c", tt.raw)
			vals := []any{tt.in, tt.in, tt.in, tt.in, tt.in, nil, ""}
			out := nzMustRun(t, s, nzWorker(t, "k"), "c", nzText, vals...)
			for i, v := range out[:5] {
				if !tt.shape(v.(string)) {
					t.Errorf("row %d: %q does not keep the shape of %q", i+1, v, tt.in)
				}
			}
			if out[5] != nil || out[6] != "" {
				t.Errorf("null and empty became %v, %q", out[5], out[6])
			}
		})
	}
}

// TestNoiseTypedColumns checks that typed columns keep their type and range.
func TestNoiseTypedColumns(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		dt   arrow.DataType
		vals []any
		ok   func(v any) bool
	}{
		{"int32", map[string]any{"scale": uint64(3)}, arrow.PrimitiveTypes.Int32,
			[]any{int32(10), int32(20)}, func(v any) bool { _, ok := v.(int32); return ok }},
		{"uint8 saturates", map[string]any{"scale": uint64(100)}, arrow.PrimitiveTypes.Uint8,
			[]any{int64(250), int64(3)}, func(v any) bool { return v.(int64) <= 255 }},
		{"float32", map[string]any{"scale": 0.5, "max": uint64(10)},
			arrow.PrimitiveTypes.Float32, []any{9.5, 1.25}, func(v any) bool {
				return v.(float64) <= 10
			}},
		{"date64", map[string]any{"max_shift_days": uint64(5)}, arrow.FixedWidthTypes.Date64,
			[]any{int64(18000) * 86400000}, func(v any) bool {
				d := v.(int64) - 18000*86400000
				return d%86400000 == 0 && d/86400000 <= 5 && d/86400000 >= -5
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "c", tt.raw)
			for seed := 0; seed < 100; seed++ {
				w := nzWorker(t, fmt.Sprint(seed))
				out := nzMustRun(t, s, w, "c", tt.dt, tt.vals...)
				for i, v := range out {
					if !tt.ok(v) {
						t.Fatalf("seed %d row %d: %v (%T) is out of range", seed, i+1, v, v)
					}
				}
			}
		})
	}
}

func TestNoiseUnsupported(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		dt   arrow.DataType
	}{
		{"numbers on date32", map[string]any{"scale": uint64(1)}, arrow.FixedWidthTypes.Date32},
		{"dates on int64", map[string]any{"max_shift_days": uint64(1)}, nzI64},
		{"bool", map[string]any{"scale": uint64(1)}, arrow.FixedWidthTypes.Boolean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, noiseSpec, "c", tt.raw)
			if _, err := s.OutputType(tt.dt); !errors.Is(err, ErrUnsupportedType) {
				t.Errorf("OutputType(%s) error = %v, want ErrUnsupportedType", tt.dt, err)
			}
		})
	}
}

func TestNoiseNoSecret(t *testing.T) {
	s := nzBuild(t, noiseSpec, "c", map[string]any{"scale": uint64(1)})
	w := NewWorker(Secret{}, nil)
	if _, err := nzRun(s, w, "c", nzText, 0, "1"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("error = %v, want ErrNoSecret", err)
	}
}

func TestNoiseParamErrors(t *testing.T) {
	tests := []struct {
		name  string
		raw   map[string]any
		param string
	}{
		{"no mode", map[string]any{}, "scale"},
		{"only distribution", map[string]any{"distribution": "gaussian"}, "scale"},
		{"scale and relative", map[string]any{"scale": uint64(1), "relative": 0.5}, "relative"},
		{"negative scale", map[string]any{"scale": int64(-1)}, "scale"},
		{"negative relative", map[string]any{"relative": -0.5}, "relative"},
		{"min without scale", map[string]any{"min": uint64(0)}, "scale"},
		{"min above max", map[string]any{"scale": uint64(1), "min": uint64(5), "max": uint64(1)},
			"min"},
		{"negative shift", map[string]any{"max_shift_days": int64(-3)}, "max_shift_days"},
		{"huge shift", map[string]any{"max_shift_days": uint64(100000)}, "max_shift_days"},
		{"bad max_date", map[string]any{"max_shift_days": uint64(3), "max_date": "yesterday"},
			"max_date"},
		{"max_date without shift", map[string]any{"max_date": "2024-01-01"}, "max_shift_days"},
		{"min_date after max_date", map[string]any{"max_shift_days": uint64(3),
			"min_date": "2024-02-01", "max_date": "2024-01-01"}, "min_date"},
		{"bad distribution", map[string]any{"scale": uint64(1), "distribution": "cauchy"},
			"distribution"},
		{"empty by", map[string]any{"scale": uint64(1), "by": ""}, "by"},
		{"unknown option", map[string]any{"scale": uint64(1), "sigma": uint64(1)}, "sigma"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := nzTryBuild(noiseSpec, "c", tt.raw)
			var pe *ParamError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalidParam) {
				t.Fatalf("error = %v, want a *ParamError", err)
			}
			if pe.Param != tt.param {
				t.Errorf("error names option %q, want %q (%v)", pe.Param, tt.param, err)
			}
		})
	}
}

func TestNoiseTypedConstructor(t *testing.T) {
	zero := 0.0
	n, err := NewNoise(&NumberNoise{Scale: 1, Min: &zero}, &DateNoise{MaxShiftDays: 2}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	got := nzMustRun(t, n, nzWorker(t, "k"), "c", nzI64, int64(0), int64(1))
	for _, v := range got {
		if v.(int64) < 0 {
			t.Errorf("value %v below min", v)
		}
	}
	if _, err := NewNoise(nil, nil, "", ""); err == nil {
		t.Error("NewNoise(nil, nil) succeeded")
	}
}
