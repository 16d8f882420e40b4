package transform

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// benchRows is the number of values per Apply in the strategy benchmarks.
const benchRows = 4096

// benchStrategy applies s to a 4096-row utf8 column of vals (cycled) and
// reports ns and allocations per value besides the per-Apply figures.
func benchStrategy(b *testing.B, s Strategy, key string, vals func(i int) string) {
	mem := memory.NewGoAllocator()
	in := make([]any, benchRows)
	for i := range in {
		in[i] = vals(i)
	}
	arr := txStringArray(mem, in)
	defer arr.Release()
	batch := txBatch("col", arr)
	defer batch.Release()
	w := NewWorker(NewSecret([]byte(key)), mem)
	input := Input{Batch: batch, Column: 0}

	// Warm up the worker's scratch buffer.
	out, err := s.Apply(w, input)
	if err != nil {
		b.Fatal(err)
	}
	out.Release()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		out, err := s.Apply(w, input)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
		n++
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)

	values := float64(n * benchRows)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/values, "ns/value")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/values, "allocs/value")
}

func BenchmarkMask(b *testing.B) {
	cases := []struct {
		name string
		raw  map[string]any
		val  func(i int) string
	}{
		{"card", map[string]any{"keep_last": uint64(4)},
			func(i int) string { return fmt.Sprintf("4111-1111-%04d-%04d", i%10000, i) }},
		{"email", map[string]any{"mode": "email", "keep_first": uint64(1), "domain": "mask"},
			func(i int) string { return fmt.Sprintf("user.%d@example.org", i) }},
		{"cjk", map[string]any{"keep_first": uint64(1)},
			func(i int) string { return fmt.Sprintf("北京市朝阳区%d号", i) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			benchStrategy(b, txBuild(b, maskSpec, "col", c.raw), "", c.val)
		})
	}
}

func BenchmarkHash(b *testing.B) {
	cases := []struct {
		name string
		raw  map[string]any
	}{
		{"hex", map[string]any{}},
		{"base32_20", map[string]any{"encoding": "base32", "length": uint64(20)}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			benchStrategy(b, txBuild(b, hashSpec, "col", c.raw), "bench key",
				func(i int) string { return fmt.Sprintf("user.%d@example.org", i) })
		})
	}
}

func BenchmarkFake(b *testing.B) {
	for _, kind := range FakeKinds() {
		b.Run(string(kind), func(b *testing.B) {
			val := func(i int) string { return fmt.Sprintf("Person Number %d", i) }
			if kind == FakeDateOfBirth {
				val = func(i int) string { return fmt.Sprintf("19%02d-0%d-1%d", i%100, 1+i%9, i%10) }
			}
			s := txBuild(b, fakeSpec, "col", map[string]any{"kind": string(kind)})
			benchStrategy(b, s, "bench key", val)
		})
	}
}
