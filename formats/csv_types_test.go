package formats

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// readTypedCSV reads input with the declared types and returns column 1 as Go
// values (nil for null).
func readTypedCSV(t *testing.T, input string, typ arrow.DataType) ([]any, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r, err := NewReader(strings.NewReader(input), ReadOptions{Format: CSV, Name: "t.csv",
		Mem: mem, BatchSize: 2, ColumnTypes: map[string]arrow.DataType{"v": typ}})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if got := r.Schema().Field(1).Type; !arrow.TypeEqual(got, typ) {
		t.Fatalf("got type %s, want %s", got, typ)
	}
	var out []any
	for r.Next() {
		c := r.RecordBatch().Column(1)
		for i := range c.Len() {
			if c.IsNull(i) {
				out = append(out, nil)
				continue
			}
			switch a := c.(type) {
			case *array.Int64:
				out = append(out, a.Value(i))
			case *array.Int32:
				out = append(out, a.Value(i))
			case *array.Float64:
				out = append(out, a.Value(i))
			case *array.Float32:
				out = append(out, a.Value(i))
			case *array.Boolean:
				out = append(out, a.Value(i))
			case *array.Date32:
				out = append(out, a.Value(i))
			case *array.Timestamp:
				out = append(out, a.Value(i))
			case *array.String:
				out = append(out, a.Value(i))
			default:
				t.Fatalf("unexpected array %T", c)
			}
		}
	}
	return out, r.Err()
}

// csvColumnInput makes an input whose column v holds values, one per row.
func csvColumnInput(values ...string) string {
	var b strings.Builder
	b.WriteString("k,v\n")
	for i, v := range values {
		b.WriteString(string(rune('a' + i)))
		b.WriteString(",")
		b.WriteString(v)
		b.WriteString("\n")
	}
	return b.String()
}

func day(y int, m time.Month, d int) arrow.Date32 {
	return arrow.Date32FromTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// TestCSVDeclaredTypes checks the parsing of declared column types.
func TestCSVDeclaredTypes(t *testing.T) {
	jan7 := time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		typ    arrow.DataType
		values []string
		want   []any
	}{
		{name: "int64", typ: arrow.PrimitiveTypes.Int64,
			values: []string{"42", "-9223372036854775808", "+7", "9223372036854775807",
				"", `""`, "007"},
			want: []any{int64(42), int64(math.MinInt64), int64(7), int64(math.MaxInt64),
				nil, nil, int64(7)}},
		{name: "int32", typ: arrow.PrimitiveTypes.Int32, values: []string{"-2147483648", "5"},
			want: []any{int32(math.MinInt32), int32(5)}},
		{name: "float64", typ: arrow.PrimitiveTypes.Float64,
			values: []string{"1.5", "-0.25", "1e3", "53872.20", "+Inf", "-inf", ""},
			want:   []any{1.5, -0.25, 1000.0, 53872.2, math.Inf(1), math.Inf(-1), nil}},
		{name: "float32", typ: arrow.PrimitiveTypes.Float32, values: []string{"0.1"},
			want: []any{float32(0.1)}},
		{name: "bool", typ: arrow.FixedWidthTypes.Boolean,
			values: []string{"true", "False", "1", "0", "T", ""},
			want:   []any{true, false, true, false, true, nil}},
		{name: "date32", typ: arrow.FixedWidthTypes.Date32,
			values: []string{"2024-02-29", "1969-12-31", "1970-01-01", "0001-01-01", ""},
			want: []any{day(2024, 2, 29), arrow.Date32(-1), arrow.Date32(0),
				day(1, 1, 1), nil}},
		{name: "naive timestamp ms", typ: &arrow.TimestampType{Unit: arrow.Millisecond},
			values: []string{"2024-01-07 00:00:00.123", "2024-01-07T00:00:00", "2024-01-07",
				"1969-12-31 23:59:59.9", ""},
			want: []any{arrow.Timestamp(jan7.UnixMilli() + 123), arrow.Timestamp(jan7.UnixMilli()),
				arrow.Timestamp(jan7.UnixMilli()), arrow.Timestamp(-100), nil}},
		{name: "naive timestamp s", typ: &arrow.TimestampType{Unit: arrow.Second},
			values: []string{"2024-01-07 00:00:01", "2024-01-07T00:00:00.000"},
			want:   []any{arrow.Timestamp(jan7.Unix() + 1), arrow.Timestamp(jan7.Unix())}},
		{name: "zoned timestamp us",
			typ: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
			values: []string{"2024-01-07T01:00:00+01:00", "2024-01-07T00:00:00.000001Z",
				"2024-01-06 19:00:00-05:00", "2024-01-07t00:00:00z"},
			want: []any{arrow.Timestamp(jan7.UnixMicro()), arrow.Timestamp(jan7.UnixMicro() + 1),
				arrow.Timestamp(jan7.UnixMicro()), arrow.Timestamp(jan7.UnixMicro())}},
		{name: "zoned timestamp ns with offset zone",
			typ:    &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "+05:30"},
			values: []string{"2024-01-07T05:30:00.123456789+05:30"},
			want:   []any{arrow.Timestamp(jan7.UnixNano() + 123456789)}},
		{name: "utf8 declared", typ: arrow.BinaryTypes.String, values: []string{"02134", "", `""`},
			want: []any{"02134", nil, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readTypedCSV(t, csvColumnInput(tt.values...), tt.typ)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCSVDeclaredTypeErrors checks that a bad value fails with its row and
// column and that the message does not quote it.
func TestCSVDeclaredTypeErrors(t *testing.T) {
	i64, f64 := arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64
	naive := &arrow.TimestampType{Unit: arrow.Millisecond}
	zoned := &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}
	tests := []struct {
		name  string
		typ   arrow.DataType
		value string
		cause error
	}{
		{name: "int letters", typ: i64, value: "12SECRET", cause: errNotInteger},
		{name: "int decimal", typ: arrow.PrimitiveTypes.Int64, value: "1.0", cause: errNotInteger},
		{name: "int space", typ: i64, value: "\" 17\"", cause: errNotInteger},
		{name: "int sign only", typ: arrow.PrimitiveTypes.Int64, value: "-", cause: errNotInteger},
		{name: "int overflow", typ: arrow.PrimitiveTypes.Int64, value: "98765432109876543210",
			cause: errIntRange},
		{name: "int64 just over", typ: arrow.PrimitiveTypes.Int64, value: "9223372036854775808",
			cause: errIntRange},
		{name: "int32 overflow", typ: arrow.PrimitiveTypes.Int32, value: "2147483648",
			cause: errIntRange},
		{name: "float letters", typ: f64, value: "SECRET", cause: errNotNumber},
		{name: "float two points", typ: arrow.PrimitiveTypes.Float64, value: "1.5.5",
			cause: errNotNumber},
		{name: "float overflow", typ: arrow.PrimitiveTypes.Float64, value: "1e400",
			cause: errFloatRange},
		{name: "bool", typ: arrow.FixedWidthTypes.Boolean, value: "yes", cause: errNotBool},
		{name: "date no such day", typ: arrow.FixedWidthTypes.Date32, value: "2023-02-29",
			cause: errNotDate},
		{name: "date short month", typ: arrow.FixedWidthTypes.Date32, value: "2024-1-07",
			cause: errNotDate},
		{name: "date slashes", typ: arrow.FixedWidthTypes.Date32, value: "07/01/2024",
			cause: errNotDate},
		{name: "date with time", typ: arrow.FixedWidthTypes.Date32, value: "2024-01-07T00:00:00",
			cause: errNotDate},
		{name: "timestamp hour", typ: naive, value: "2024-01-07 25:00:00", cause: errNotTimestamp},
		{name: "timestamp epoch", typ: naive, value: "1704585600", cause: errNotTimestamp},
		{name: "timestamp trailing", typ: naive, value: "2024-01-07 00:00:00 SECRET",
			cause: errNotTimestamp},
		{name: "timestamp date and zone", typ: zoned, value: "2024-01-07Z",
			cause: errNotTimestamp},
		{name: "timestamp zone unwanted", typ: naive, value: "2024-01-07T00:00:00Z",
			cause: errZoneUnwanted},
		{name: "timestamp zone needed", typ: zoned, value: "2024-01-07 00:00:00",
			cause: errZoneNeeded},
		{name: "timestamp fraction too fine", typ: naive, value: "2024-01-07 00:00:00.1234",
			cause: errTimeFraction},
		{name: "timestamp out of range", typ: &arrow.TimestampType{Unit: arrow.Nanosecond},
			value: "2300-01-01 00:00:00", cause: errTimeRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTypedCSV(t, csvColumnInput("", "", tt.value, ""), tt.typ)
			checkParseError(t, err, csvFailure{line: 4, row: 3, column: "v", cause: tt.cause})
			bare := strings.Trim(tt.value, `" `)
			if strings.Contains(err.Error(), bare) {
				t.Errorf("error %q quotes the value", err)
			}
		})
	}
}

// TestCSVFirstBadValue checks that the first bad row is reported when bad
// values are in several columns.
func TestCSVFirstBadValue(t *testing.T) {
	input := "a,b,c\n1,2,3\n4,5,x\n6,y,z\n"
	types := map[string]arrow.DataType{
		"a": arrow.PrimitiveTypes.Int64, "b": arrow.PrimitiveTypes.Int64,
		"c": arrow.PrimitiveTypes.Int64,
	}
	_, _, err := readAllCSV(t, input, ReadOptions{ColumnTypes: types})
	checkParseError(t, err, csvFailure{line: 3, row: 2, column: "c", cause: errNotInteger})
}
