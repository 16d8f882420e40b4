package transform

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// nzGeneralize builds generalize from raw and applies it to vals.
func nzGeneralize(t *testing.T, raw map[string]any, dt arrow.DataType, vals ...any) []any {
	t.Helper()
	s := nzBuild(t, generalizeSpec, "c", raw)
	return nzMustRun(t, s, nzWorker(t, ""), "c", dt, vals...)
}

func nzCheck(t *testing.T, got, want []any) {
	t.Helper()
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestGeneralizeRanges(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		dt   arrow.DataType
		in   []any
		want []any
	}{
		{"integer buckets", map[string]any{"bucket": uint64(10)}, nzText,
			[]any{"37", "30", "39", "0", "-1", nil, ""},
			[]any{"30-39", "30-39", "30-39", "0-9", "-10--1", nil, ""}},
		{"decimal values", map[string]any{"bucket": uint64(10)}, nzText,
			[]any{"37.5", "40.0", "-0.5"}, []any{"30.0-40.0", "40.0-50.0", "-10.0-0.0"}},
		{"fractional bucket", map[string]any{"bucket": 2.5}, nzText,
			[]any{"37", "0.3"}, []any{"35.0-37.5", "0.0-2.5"}},
		{"small bucket, float edge", map[string]any{"bucket": 0.1}, nzText,
			[]any{"0.3", "0.29"}, []any{"0.3-0.4", "0.2-0.3"}},
		{"top coding", map[string]any{"bucket": uint64(10), "top": uint64(90)}, nzText,
			[]any{"89", "90", "104"}, []any{"80-89", ">=90", ">=90"}},
		{"bottom coding", map[string]any{"bucket": uint64(10), "bottom": uint64(18)}, nzText,
			[]any{"17", "18", "25"}, []any{"<18", "18-19", "20-29"}},
		{"clipped by top", map[string]any{"bucket": uint64(10), "top": uint64(95)}, nzText,
			[]any{"93", "95"}, []any{"90-94", ">=95"}},
		{"top and bottom without bucket",
			map[string]any{"top": uint64(90), "bottom": uint64(18)}, nzText,
			[]any{"45", "17", "90", "45.5"}, []any{"45", "<18", ">=90", "45.5"}},
		{"int64 column", map[string]any{"bucket": uint64(10), "top": uint64(90)}, nzI64,
			[]any{int64(37), int64(95), nil}, []any{"30-39", ">=90", nil}},
		{"float64 column", map[string]any{"bucket": uint64(10)}, nzF64,
			[]any{37.0, 12.25}, []any{"30.0-40.0", "10.0-20.0"}},
		{"float64 without bucket", map[string]any{"top": 100.5}, nzF64,
			[]any{37.25, 101.0}, []any{"37.25", ">=100.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nzCheck(t, nzGeneralize(t, tt.raw, tt.dt, tt.in...), tt.want)
		})
	}
}

// TestGeneralizeB15 is field report B15 (arrow#46853): ZIP codes arrive as
// text, so the leading zeros survive and the prefix is kept.
func TestGeneralizeB15(t *testing.T) {
	tests := []struct {
		name string
		keep uint64
		in   []any
		want []any
	}{
		{"zip codes", 3, []any{"02134", "00501"}, []any{"021**", "005**"}},
		{"multibyte", 3, []any{"Zürich", "密码令牌", "éé中"},
			[]any{"Zür***", "密码令*", "éé中"}},
		{"keep none", 0, []any{"abc"}, []any{"***"}},
		{"shorter than prefix", 8, []any{"ab", ""}, []any{"ab", ""}},
		{"nulls", 1, []any{nil, "xy"}, []any{nil, "x*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nzGeneralize(t, map[string]any{"keep_first": tt.keep}, nzText, tt.in...)
			nzCheck(t, got, tt.want)
		})
	}
}

// TestGeneralizeDates covers each level and field report B12 (arx#425):
// date-only values are civil dates whatever TZ is.
func TestGeneralizeDates(t *testing.T) {
	setBerlin(t)
	day := func(y int, m time.Month, d int) int32 {
		return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	tests := []struct {
		name  string
		level string
		dt    arrow.DataType
		in    []any
		want  []any
	}{
		{"B12 month", "month", nzText, []any{"1885-03-01", "1899-12-31"},
			[]any{"1885-03", "1899-12"}},
		{"day", "day", nzText, []any{"1885-03-01", "1885-03-01 23:53:28", nil, ""},
			[]any{"1885-03-01", "1885-03-01", nil, ""}},
		{"year", "year", nzText, []any{"1885-03-01", "3/1/1885"}, []any{"1885", "1885"}},
		{"decade", "decade", nzText, []any{"1885-03-01", "1890-01-01", "2009-12-31"},
			[]any{"1880s", "1890s", "2000s"}},
		{"slash dates", "month", nzText, []any{"12/31/1899", "03/01/1885"},
			[]any{"1899-12", "1885-03"}},
		{"rfc3339 keeps the written date", "day", nzText,
			[]any{"1899-12-31T23:30:00-05:00", "2024-01-01T00:30:00+01:00"},
			[]any{"1899-12-31", "2024-01-01"}},
		{"date32", "month", arrow.FixedWidthTypes.Date32,
			[]any{day(1885, 3, 1), day(1969, 12, 31)}, []any{"1885-03", "1969-12"}},
		{"naive timestamp", "day", &arrow.TimestampType{Unit: arrow.Second},
			[]any{time.Date(1885, 3, 1, 23, 0, 0, 0, time.UTC).Unix()}, []any{"1885-03-01"}},
		{"zoned timestamp in its zone", "day",
			&arrow.TimestampType{Unit: arrow.Second, TimeZone: "America/New_York"},
			[]any{time.Date(2024, 1, 2, 3, 0, 0, 0, time.UTC).Unix()}, []any{"2024-01-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nzGeneralize(t, map[string]any{"date_level": tt.level}, tt.dt, tt.in...)
			nzCheck(t, got, tt.want)
		})
	}
}

func TestGeneralizeHierarchy(t *testing.T) {
	file, err := os.ReadFile("../testdata/adult/adult_hierarchy_age.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		level uint64
		dt    arrow.DataType
		in    []any
		want  []any
	}{
		{"level 1", 1, nzText, []any{"39", "17", nil, ""}, []any{"35-39", "15-19", nil, ""}},
		{"level 2", 2, nzText, []any{"39"}, []any{"30-39"}},
		{"level 3", 3, nzText, []any{"39"}, []any{"20-39"}},
		{"level 4", 4, nzText, []any{"39"}, []any{"*"}},
		{"int64 column", 2, nzI64, []any{int64(39), int64(90)}, []any{"30-39", "80-89"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := map[string]any{"hierarchy": file, "level": tt.level}
			nzCheck(t, nzGeneralize(t, raw, tt.dt, tt.in...), tt.want)
		})
	}

	t.Run("unknown value", func(t *testing.T) {
		s := nzBuild(t, generalizeSpec, "age", map[string]any{"hierarchy": file, "level": 1})
		_, err := nzRun(s, nzWorker(t, ""), "age", nzText, 40, "39", "unknown-age")
		var re *RowError
		if !errors.As(err, &re) || re.Row != 42 || re.Column != "age" {
			t.Fatalf("error = %v, want a RowError at row 42, column age", err)
		}
		if !strings.Contains(err.Error(), "not in hierarchy") ||
			strings.Contains(err.Error(), "unknown-age") {
			t.Errorf("error %q should say not in hierarchy without the value", err)
		}
	})
}

func TestGeneralizeBadText(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		good string
	}{
		{"number", map[string]any{"bucket": uint64(10)}, "1"},
		{"date", map[string]any{"date_level": "year"}, "2020-02-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, generalizeSpec, "c", tt.raw)
			_, err := nzRun(s, nzWorker(t, ""), "c", nzText, 0, tt.good, "secret-value")
			var re *RowError
			if !errors.As(err, &re) || re.Row != 2 || strings.Contains(err.Error(), "secret") {
				t.Errorf("error = %v, want a RowError at row 2 without the value", err)
			}
		})
	}
}

func TestGeneralizeOutputType(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		in   arrow.DataType
		err  bool
	}{
		{"ranges on int64", map[string]any{"bucket": uint64(5)}, nzI64, false},
		{"dates on date64", map[string]any{"date_level": "year"}, arrow.FixedWidthTypes.Date64,
			false},
		{"prefix on int32", map[string]any{"keep_first": uint64(1)}, arrow.PrimitiveTypes.Int32,
			false},
		{"ranges on date32", map[string]any{"bucket": uint64(5)}, arrow.FixedWidthTypes.Date32,
			true},
		{"dates on float64", map[string]any{"date_level": "year"}, nzF64, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := nzBuild(t, generalizeSpec, "c", tt.raw)
			got, err := s.OutputType(tt.in)
			if tt.err {
				if !errors.Is(err, ErrUnsupportedType) {
					t.Errorf("error = %v, want ErrUnsupportedType", err)
				}
				return
			}
			if err != nil || !arrow.TypeEqual(got, arrow.BinaryTypes.String) {
				t.Errorf("OutputType = %v, %v; want utf8", got, err)
			}
		})
	}
}

func TestGeneralizeParamErrors(t *testing.T) {
	hier := []byte("1;a;*\n2;a;*\n")
	tests := []struct {
		name  string
		raw   map[string]any
		param string
		words string // the message names these options
	}{
		{"no mode", map[string]any{}, "", "bucket"},
		{"two modes", map[string]any{"bucket": uint64(10), "keep_first": uint64(2)}, "",
			"bucket and keep_first"},
		{"dates and hierarchy", map[string]any{"date_level": "year", "hierarchy": hier,
			"level": 1}, "", "date_level and hierarchy"},
		{"zero bucket", map[string]any{"bucket": uint64(0)}, "bucket", ""},
		{"negative bucket", map[string]any{"bucket": -5.0}, "bucket", ""},
		{"bottom above top", map[string]any{"bottom": uint64(90), "top": uint64(18)}, "bottom", ""},
		{"negative keep_first", map[string]any{"keep_first": int64(-1)}, "keep_first", ""},
		{"level without hierarchy", map[string]any{"keep_first": uint64(1), "level": 1},
			"level", ""},
		{"hierarchy without level", map[string]any{"hierarchy": hier}, "level", ""},
		{"level too high", map[string]any{"hierarchy": hier, "level": 3}, "level", ""},
		{"level zero", map[string]any{"hierarchy": hier, "level": 0}, "level", ""},
		{"bad separator", map[string]any{"hierarchy": hier, "level": 1, "separator": ";;"},
			"separator", ""},
		{"empty hierarchy", map[string]any{"hierarchy": []byte{}, "level": 1}, "hierarchy", ""},
		{"bad date level", map[string]any{"date_level": "week"}, "date_level", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := nzTryBuild(generalizeSpec, "c", tt.raw)
			var pe *ParamError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalidParam) {
				t.Fatalf("error = %v, want a *ParamError", err)
			}
			if pe.Param != tt.param {
				t.Errorf("error names option %q, want %q (%v)", pe.Param, tt.param, err)
			}
			if !strings.Contains(err.Error(), tt.words) {
				t.Errorf("error %q does not name %q", err, tt.words)
			}
		})
	}
}
