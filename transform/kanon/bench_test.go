package kanon

import (
	"context"
	"testing"
)

// benchAdult measures count + search + apply on Adult, 8 quasi-identifiers,
// k = 5, 2% limit, DM.
func benchAdult(b *testing.B, method string, limit float64) {
	tab := loadAdult(b)
	cfg := adultConfig(b, adultQI8, 5, limit, MetricDM, method)
	batches := tab.batches(8192)
	b.ResetTimer()
	for b.Loop() {
		res, err := Prepare(context.Background(), cfg, &sliceSource{batches: batches})
		if err != nil {
			b.Fatal(err)
		}
		st := res.Stage()
		var offset int64
		for _, batch := range batches {
			out, err := st.ApplyBatch(nil, batch, offset)
			if err != nil {
				b.Fatal(err)
			}
			offset += batch.NumRows()
			out.Release()
		}
	}
}

// BenchmarkGlobalAdult is the whole k-anonymity work for the global method.
func BenchmarkGlobalAdult(b *testing.B) { benchAdult(b, MethodGlobal, 0.02) }

// BenchmarkLocalAdult is the whole k-anonymity work for the local method.
func BenchmarkLocalAdult(b *testing.B) { benchAdult(b, MethodLocal, 0) }

// BenchmarkSearchGlobalAdult is the search alone.
func BenchmarkSearchGlobalAdult(b *testing.B) {
	tab := loadAdult(b)
	cfg := adultConfig(b, adultQI8, 5, 0.02, MetricDM, MethodGlobal)
	c := NewCounter(countedColumns(cfg))
	for _, batch := range tab.batches(0) {
		if err := c.Add(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Search(context.Background(), cfg, c); err != nil {
			b.Fatal(err)
		}
	}
}
