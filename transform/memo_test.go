package transform

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestMemoKeepsOutputs checks that the per-worker cache of fake and hash
// never changes an output: every value of columns with many repeats, few
// repeats and evicting collisions gets the output computed without the cache.
func TestMemoKeepsOutputs(t *testing.T) {
	fake, err := NewFake(FakeFirstName, "person")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := NewHash(HashHex, 16, "ssn")
	if err != nil {
		t.Fatal(err)
	}
	direct := map[string]func(w *Worker, v []byte) ([]byte, error){
		"fake": func(w *Worker, v []byte) ([]byte, error) { return fake.AppendFake(w, nil, v) },
		"hash": func(w *Worker, v []byte) ([]byte, error) { return hash.AppendToken(w, nil, v) },
	}
	strategies := map[string]Strategy{"fake": fake, "hash": hash}

	columns := map[string]func(i int) string{
		// 50 values over and over, with the empty string among them.
		"repeated": func(i int) string {
			if i%50 == 0 {
				return ""
			}
			return fmt.Sprintf("name%d", i%50)
		},
		// Every value once: the cache turns itself off.
		"distinct": func(i int) string { return fmt.Sprintf("user%d@example.com", i) },
		// 30,000 values, each twice in a row: more values than slots, so
		// entries are evicted while the cache stays on.
		"evicting": func(i int) string { return fmt.Sprintf("v%d", (i/2)%30000) },
	}

	secret := NewSecret([]byte("memo-test-key"))
	mem := memory.NewGoAllocator()
	for sname, s := range strategies {
		for cname, gen := range columns {
			t.Run(sname+"/"+cname, func(t *testing.T) {
				w := NewWorker(secret, mem)
				ref := NewWorker(secret, mem)
				// Three batches through one worker, so later batches meet
				// the entries of earlier ones.
				for batch := 0; batch < 3; batch++ {
					vals := make([]any, 20000)
					for i := range vals {
						vals[i] = gen(batch*len(vals) + i)
					}
					arr := txStringArray(mem, vals)
					b := txBatch("col", arr)
					out, err := s.Apply(w, Input{Batch: b, Column: 0})
					if err != nil {
						t.Fatal(err)
					}
					got := out.(*array.String)
					for i, v := range vals {
						want, err := direct[sname](ref, []byte(v.(string)))
						if err != nil {
							t.Fatal(err)
						}
						if got.Value(i) != string(want) {
							t.Fatalf("batch %d row %d: cached output %q, direct %q",
								batch, i, got.Value(i), want)
						}
					}
					out.Release()
					b.Release()
					arr.Release()
				}
			})
		}
	}
}

// TestMemoTurnsOff checks the sampling: a column of distinct values bypasses
// the cache after the sample, a column of repeats keeps using it.
func TestMemoTurnsOff(t *testing.T) {
	cases := []struct {
		name   string
		value  func(i int) string
		wantOn bool
	}{
		{"distinct", func(i int) string { return fmt.Sprint("id", i) }, false},
		{"repeats", func(i int) string { return fmt.Sprint("city", i%300) }, true},
		{"one in four repeats", func(i int) string {
			if i%4 == 0 {
				return "same"
			}
			return fmt.Sprint("id", i)
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newTextMemo()
			m.startBatch()
			for i := 0; i < 2*memoSample; i++ {
				v := []byte(c.value(i))
				if _, ok := m.get(v); !ok && m.on {
					m.put(v, []byte("out"))
				}
			}
			if m.on != c.wantOn {
				t.Errorf("cache on = %v after %d values (hits %d of %d), want %v",
					m.on, 2*memoSample, m.hits, m.lookups, c.wantOn)
			}
			m.startBatch()
			if !m.on {
				t.Error("a new batch must start with the cache on")
			}
		})
	}
}
