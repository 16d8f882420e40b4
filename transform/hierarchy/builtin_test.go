package hierarchy

import (
	"reflect"
	"strings"
	"testing"
)

// chain returns every level of value.
func chain(t *testing.T, h *Hierarchy, value string) []string {
	t.Helper()
	var out []string
	for l := 0; l <= h.Height(); l++ {
		g, ok := h.Generalize(value, l)
		if !ok {
			t.Fatalf("value missing at level %d", l)
		}
		out = append(out, g)
	}
	return out
}

func TestIntervals(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		widths []float64
		value  string
		want   []string
	}{
		{name: "age", values: []string{"39", "7"}, widths: []float64{5, 10, 20}, value: "39",
			want: []string{"39", "35-39", "30-39", "20-39", "*"}},
		{name: "zero aligned", values: []string{"0", "7"}, widths: []float64{5, 10, 20}, value: "0",
			want: []string{"0", "0-4", "0-9", "0-19", "*"}},
		{name: "negative", values: []string{"-3"}, widths: []float64{5}, value: "-3",
			want: []string{"-3", "-5--1", "*"}},
		{name: "fractions", values: []string{"3.5", "7"}, widths: []float64{5, 10}, value: "3.5",
			want: []string{"3.5", "[0, 5)", "[0, 10)", "*"}},
		{name: "all levels kept though one merges all", values: []string{"1", "2"},
			widths: []float64{100, 200}, value: "2", want: []string{"2", "0-99", "0-199", "*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Intervals(tt.values, tt.widths)
			if err != nil {
				t.Fatal(err)
			}
			if got := chain(t, h, tt.value); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIntervalsErrors(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		widths []float64
	}{
		{name: "text", values: []string{"1", "SECRET"}, widths: []float64{5}},
		{name: "nan", values: []string{"NaN"}, widths: []float64{5}},
		{name: "no widths", values: []string{"1"}},
		{name: "zero width", values: []string{"1"}, widths: []float64{0}},
		{name: "not nested", values: []string{"1"}, widths: []float64{5, 7}},
		{name: "shrinking", values: []string{"1"}, widths: []float64{10, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Intervals(tt.values, tt.widths)
			if err == nil || strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %v, want one without the value", err)
			}
		})
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  []string
	}{
		{name: "B12 pre-1900", value: "1885-03-01",
			want: []string{"1885-03-01", "1885-03", "1885", "1880s", "*"}},
		{name: "end of century", value: "1899-12-31",
			want: []string{"1899-12-31", "1899-12", "1899", "1890s", "*"}},
		{name: "leap day", value: "2000-02-29",
			want: []string{"2000-02-29", "2000-02", "2000", "2000s", "*"}},
		{name: "with time", value: "2024-01-07T23:59:59Z",
			want: []string{"2024-01-07T23:59:59Z", "2024-01", "2024", "2020s", "*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TZ", "Europe/Berlin")
			h, err := Dates([]string{tt.value})
			if err != nil {
				t.Fatal(err)
			}
			if got := chain(t, h, tt.value); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"1900-02-29", "2024-13-01", "2024-1-01", "SECRET", "2024-01-07x"} {
		if _, err := Dates([]string{bad}); err == nil || strings.Contains(err.Error(), bad) {
			t.Errorf("invalid date accepted or echoed: %v", err)
		}
	}
}

func TestMaskSuffix(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		value  string
		want   []string
	}{
		{name: "zip", values: []string{"02134", "00501"}, value: "02134",
			want: []string{"02134", "0213*", "021**", "02***", "0****", "*****", "*"}},
		{name: "shorter value", values: []string{"02134", "ab"}, value: "ab",
			want: []string{"ab", "a*", "**", "**", "**", "**", "*"}},
		{name: "runes", values: []string{"中文字"}, value: "中文字",
			want: []string{"中文字", "中文*", "中**", "***", "*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := MaskSuffix(tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if got := chain(t, h, tt.value); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			all := make([]int, h.Leaves())
			for i := range all {
				all[i] = i
			}
			if err := h.CheckNested(all); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCheckNested(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		ok   bool
	}{
		{name: "adult-like", csv: "a;x;*\nb;x;*\nc;y;*\n", ok: true},
		{name: "label splits", csv: "a;x;p;*\nb;x;q;*\n", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseCSV([]byte(tt.csv), ';')
			if err != nil {
				t.Fatal(err)
			}
			all := make([]int, h.Leaves())
			for i := range all {
				all[i] = i
			}
			if err := h.CheckNested(all); (err == nil) != tt.ok {
				t.Errorf("CheckNested = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
