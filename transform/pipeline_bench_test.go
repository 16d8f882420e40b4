package transform

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Pipeline benchmark sizes: 16 batches of 16 Ki rows, prepared once.
const (
	pipeBenchBatches = 16
	pipeBenchRows    = 16 * 1024
)

// cycleSource yields the same prepared batches again and again; Run retains
// and releases its own references, so the batches outlive every run.
type cycleSource struct {
	batches []arrow.RecordBatch
	i       int
}

func (s *cycleSource) Next() bool {
	if s.i >= len(s.batches) {
		return false
	}
	s.i++
	return true
}

func (s *cycleSource) RecordBatch() arrow.RecordBatch { return s.batches[s.i-1] }
func (s *cycleSource) Err() error                     { return nil }

// discard is a sink that drops every batch.
type discard struct{}

func (discard) Write(arrow.RecordBatch) error { return nil }

// pipeBenchBatchesOf builds people-like batches: id, first_name, last_name,
// email, phone, city, all utf8 with mostly distinct values.
func pipeBenchBatchesOf(mem memory.Allocator) []arrow.RecordBatch {
	names := []string{"id", "first_name", "last_name", "email", "phone", "city"}
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	first := []string{"Anna", "Boris", "Chloe", "Dmitri", "Emma", "Farid", "Grace", "Hugo"}
	last := []string{"Smith", "Okafor", "Nguyen", "Garcia", "Müller", "Rossi", "Kowalski"}
	city := []string{"Lyon", "Austin", "Osaka", "Leeds", "Porto"}
	var out []arrow.RecordBatch
	row := 0
	for range pipeBenchBatches {
		rb := array.NewRecordBuilder(mem, schema)
		for range pipeBenchRows {
			f, l := first[row%len(first)], last[(row/7)%len(last)]
			rb.Field(0).(*array.StringBuilder).Append(fmt.Sprint(row + 1))
			rb.Field(1).(*array.StringBuilder).Append(f)
			rb.Field(2).(*array.StringBuilder).Append(l)
			rb.Field(3).(*array.StringBuilder).Append(fmt.Sprintf("%s.%s%d@mail.test", f, l, row))
			rb.Field(4).(*array.StringBuilder).Append(fmt.Sprintf("+1-555-%07d", row))
			rb.Field(5).(*array.StringBuilder).Append(city[row%len(city)])
			row++
		}
		out = append(out, rb.NewRecordBatch())
		rb.Release()
	}
	return out
}

// BenchmarkPipeline runs [Run] over in-memory batches, with every column kept
// and with fake names, a keyed email hash and a masked phone, and reports ns
// and allocations per row (all columns of the row).
func BenchmarkPipeline(b *testing.B) {
	mem := memory.NewGoAllocator()
	batches := pipeBenchBatchesOf(mem)
	defer func() {
		for _, r := range batches {
			r.Release()
		}
	}()
	schema := batches[0].Schema()
	build := func(name string, raw map[string]any, column string) Strategy {
		spec, err := Lookup(name)
		if err != nil {
			b.Fatal(err)
		}
		return txBuild(b, spec, column, raw)
	}
	keepAll := func() []Rule {
		var rules []Rule
		for _, f := range schema.Fields() {
			rules = append(rules, Rule{Column: f.Name, Strategy: "keep", Impl: nil})
		}
		return rules
	}
	fakeHashMask := func() []Rule {
		rules := keepAll()
		rules[1] = Rule{Column: "first_name", Strategy: "fake",
			Impl: build("fake", map[string]any{"kind": "first_name"}, "first_name")}
		rules[2] = Rule{Column: "last_name", Strategy: "fake",
			Impl: build("fake", map[string]any{"kind": "last_name"}, "last_name")}
		rules[3] = Rule{Column: "email", Strategy: "hash",
			Impl: build("hash", map[string]any{}, "email")}
		rules[4] = Rule{Column: "phone", Strategy: "mask",
			Impl: build("mask", map[string]any{"keep_last": 4}, "phone")}
		return rules
	}
	secret := NewSecret([]byte("pipeline-benchmark-key-0123456789"))

	for _, tc := range []struct {
		name  string
		rules []Rule
	}{
		{"keep-all", keepAll()},
		{"fake+hash+mask", fakeHashMask()},
	} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", tc.name, workers), func(b *testing.B) {
				plan, err := NewPlan(schema, tc.rules)
				if err != nil {
					b.Fatal(err)
				}
				runOnce := func() {
					_, err := Run(context.Background(), plan,
						&cycleSource{batches: batches}, discard{},
						RunOptions{Secret: secret, Workers: workers, Mem: mem})
					if err != nil {
						b.Fatal(err)
					}
				}
				runOnce() // warm up
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				b.ReportAllocs()
				b.ResetTimer()
				n := 0
				for b.Loop() {
					runOnce()
					n++
				}
				b.StopTimer()
				runtime.ReadMemStats(&after)
				rows := float64(n * pipeBenchBatches * pipeBenchRows)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/rows, "ns/row")
				b.ReportMetric(float64(after.Mallocs-before.Mallocs)/rows, "allocs/row")
			})
		}
	}
}
