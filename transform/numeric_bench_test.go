package transform

import (
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

const nzBenchRows = 4096

// nzBenchColumn returns a 4096-row column of dt with values from gen.
func nzBenchColumn(dt arrow.DataType, gen func(i int) any) arrow.Array {
	vals := make([]any, nzBenchRows)
	for i := range vals {
		vals[i] = gen(i)
	}
	return nzArray(memory.DefaultAllocator, dt, vals...)
}

// nzBenchStrategy applies s to col b.N times and reports ns per value.
func nzBenchStrategy(b *testing.B, s Strategy, col arrow.Array) {
	batch := nzBatch([]string{"c"}, col)
	defer batch.Release()
	w := NewWorker(NewSecret([]byte("k")), nil)
	in := Input{Batch: batch, Column: 0}

	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		out, err := s.Apply(w, in)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*nzBenchRows), "ns/value")
}

func BenchmarkNoise(b *testing.B) {
	benches := []struct {
		name string
		raw  map[string]any
		dt   arrow.DataType
		gen  func(i int) any
	}{
		{"text_int", map[string]any{"scale": uint64(2), "min": uint64(0)}, nzText,
			func(i int) any { return strconv.Itoa(i % 100) }},
		{"text_decimal", map[string]any{"relative": 0.05}, nzText,
			func(i int) any { return strconv.Itoa(50000+i) + ".20" }},
		{"float64", map[string]any{"distribution": "gaussian", "scale": 1.5}, nzF64,
			func(i int) any { return float64(i) }},
		{"int64", map[string]any{"scale": uint64(3)}, nzI64,
			func(i int) any { return int64(i) }},
		{"text_date", map[string]any{"max_shift_days": uint64(30)}, nzText,
			func(i int) any { return "2020-01-" + strconv.Itoa(10+i%20) }},
		{"text_rfc3339", map[string]any{"max_shift_days": uint64(30)}, nzText,
			func(i int) any { return "2020-01-" + strconv.Itoa(10+i%20) + "T10:00:00Z" }},
		{"timestamp", map[string]any{"max_shift_days": uint64(30), "max_date": "2024-06-01"},
			&arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
			func(i int) any { return int64(i) * 1e9 }},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			s := nzBuild(b, noiseSpec, "c", bb.raw)
			col := nzBenchColumn(bb.dt, bb.gen)
			defer col.Release()
			nzBenchStrategy(b, s, col)
		})
	}
}

func BenchmarkGeneralize(b *testing.B) {
	benches := []struct {
		name string
		raw  map[string]any
		dt   arrow.DataType
		gen  func(i int) any
	}{
		{"bucket_text", map[string]any{"bucket": uint64(10), "top": uint64(90)}, nzText,
			func(i int) any { return strconv.Itoa(i % 100) }},
		{"bucket_float64", map[string]any{"bucket": 2.5}, nzF64,
			func(i int) any { return float64(i) / 7 }},
		{"date_month_text", map[string]any{"date_level": "month"}, nzText,
			func(i int) any { return "1985-03-" + strconv.Itoa(10+i%20) }},
		{"keep_first", map[string]any{"keep_first": uint64(3)}, nzText,
			func(i int) any { return strconv.Itoa(10000 + i) }},
		{"hierarchy", map[string]any{"hierarchy": []byte(nzBenchHierarchy()), "level": 2},
			nzText, func(i int) any { return strconv.Itoa(i % 100) }},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			s := nzBuild(b, generalizeSpec, "c", bb.raw)
			col := nzBenchColumn(bb.dt, bb.gen)
			defer col.Release()
			nzBenchStrategy(b, s, col)
		})
	}
}

// nzBenchHierarchy is an age hierarchy for 0-99 with two levels.
func nzBenchHierarchy() string {
	var s []byte
	for i := range 100 {
		lo := i / 10 * 10
		s = strconv.AppendInt(s, int64(i), 10)
		s = append(s, ';')
		s = strconv.AppendInt(s, int64(lo), 10)
		s = append(s, '-')
		s = strconv.AppendInt(s, int64(lo+9), 10)
		s = append(s, ";*\n"...)
	}
	return string(s)
}
