package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// csvRead is everything a CSV reader yields: its schema, its batches and
// the error that ended them.
type csvRead struct {
	schema  *arrow.Schema
	batches []arrow.RecordBatch
	err     error
}

func (c *csvRead) release() {
	for _, b := range c.batches {
		b.Release()
	}
}

// readCSVWorkers reads input with the given workers; buildMin 0 builds even
// the smallest batches on several goroutines. The caller releases the
// result.
func readCSVWorkers(t testing.TB, input []byte, opt ReadOptions, workers,
	buildMin int) *csvRead {
	t.Helper()
	opt.Format = CSV
	if opt.Name == "" {
		opt.Name = "in.csv"
	}
	r, err := newCSVReaderWorkers(bytes.NewReader(input), opt, workers)
	if err != nil {
		return &csvRead{err: err}
	}
	defer r.Close()
	r.buildMin = buildMin
	res := &csvRead{schema: r.Schema()}
	for r.Next() {
		b := r.RecordBatch()
		b.Retain()
		res.batches = append(res.batches, b)
	}
	res.err = r.Err()
	return res
}

// diffCSVReads describes how got differs from want, or returns "".
func diffCSVReads(got, want *csvRead) string {
	if (got.err == nil) != (want.err == nil) ||
		(got.err != nil && got.err.Error() != want.err.Error()) {
		return fmt.Sprintf("error %v, want %v", got.err, want.err)
	}
	var gpe, wpe *ParseError
	if errors.As(got.err, &gpe) != errors.As(want.err, &wpe) ||
		(gpe != nil && (gpe.File != wpe.File || gpe.Line != wpe.Line ||
			gpe.Row != wpe.Row || gpe.Column != wpe.Column)) {
		return fmt.Sprintf("parse error %+v, want %+v", gpe, wpe)
	}
	if (got.schema == nil) != (want.schema == nil) ||
		(got.schema != nil && !got.schema.Equal(want.schema)) {
		return fmt.Sprintf("schema %v, want %v", got.schema, want.schema)
	}
	if len(got.batches) != len(want.batches) {
		return fmt.Sprintf("%d batches, want %d", len(got.batches), len(want.batches))
	}
	for i := range got.batches {
		if !array.RecordEqual(got.batches[i], want.batches[i]) {
			return fmt.Sprintf("batch %d differs:\n%v\nwant\n%v", i, got.batches[i],
				want.batches[i])
		}
	}
	return ""
}

// checkCSVWorkersAgree reads input sequentially, then with several workers,
// and fails if any read differs from the sequential one.
func checkCSVWorkersAgree(t *testing.T, name string, input []byte, opt ReadOptions) {
	t.Helper()
	if opt.BatchSize >= 7 && len(input)/opt.BatchSize < 10_000 {
		// The checked allocator records a stack per allocation: too slow
		// for many small batches.
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		opt.Mem = mem
	}
	want := readCSVWorkers(t, input, opt, 1, 0)
	defer want.release()
	for _, c := range []struct{ workers, buildMin int }{
		{2, 0}, {3, csvParallelBuildMin}, {8, 0},
	} {
		got := readCSVWorkers(t, input, opt, c.workers, c.buildMin)
		if d := diffCSVReads(got, want); d != "" {
			t.Errorf("%s, batch size %d, %d workers, build min %d: %s", name,
				opt.BatchSize, c.workers, c.buildMin, d)
		}
		got.release()
	}
}

// csvBoundaryInputs returns inputs whose quoted newlines, blank lines and
// bad rows fall on every position relative to small batches.
func csvBoundaryInputs() map[string][]byte {
	inputs := map[string][]byte{}
	var b strings.Builder
	b.WriteString("a,b,c\n")
	cells := []string{`"x` + "\n" + `y"`, `"p""q` + "\r\n" + `r"`, `""`, ``, `plain`,
		`"` + "\n\n" + `"`, `é`, `"a,b"`}
	for i := range 40 {
		fmt.Fprintf(&b, "%d,%s,%s", i, cells[i%len(cells)], cells[(i*3+1)%len(cells)])
		switch i % 5 {
		case 0:
			b.WriteString("\r\n")
		case 3:
			b.WriteString("\n\n") // a blank line, skipped
		default:
			b.WriteString("\n")
		}
	}
	inputs["quoted newlines"] = []byte(b.String())
	inputs["quoted newlines, no final newline"] =
		[]byte(strings.TrimSuffix(b.String(), "\n"))

	bad := map[string]string{
		"too few fields":          "1,2",
		"too many fields":         "1,2,3,4",
		"bare quote":              `1,x"y,3`,
		"text after quote":        `1,"x"y,3`,
		"invalid utf8":            "1,\xff,3",
		"utf8 split across field": "1\xc3,\xa9,3",
		"bad integer":             "q,2,3",
		"bad integer, multiline":  "q,\"2\n2\",3",
		"unterminated":            "1,\"open\n2,3,4",
	}
	for kind, row := range bad {
		for pos := range 12 {
			var b strings.Builder
			b.WriteString("a,b,c\n")
			for i := range 12 {
				if i == pos {
					b.WriteString(row)
				} else {
					fmt.Fprintf(&b, "%d,\"v\n%d\",%d", i, i, i)
				}
				b.WriteString("\n")
			}
			inputs[fmt.Sprintf("%s at row %d", kind, pos+1)] = []byte(b.String())
		}
	}
	return inputs
}

// TestCSVWorkersAgree checks that reading with several workers yields the
// same batches and the same error as reading on one goroutine, for every
// CSV fixture and for inputs with boundaries at every batch position.
func TestCSVWorkersAgree(t *testing.T) {
	inputs := csvBoundaryInputs()
	for _, pattern := range []string{"*/*.csv", "*/*/*.csv"} {
		files, err := filepath.Glob(filepath.Join(csvTestdata, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inputs[f] = b
		}
	}
	if len(inputs) < 150 {
		t.Fatalf("only %d inputs: fixtures missing?", len(inputs))
	}

	opts := []ReadOptions{
		{},
		{CSV: CSVOptions{NoHeader: true}},
		{ColumnTypes: map[string]arrow.DataType{"a": arrow.PrimitiveTypes.Int64}},
		{CSV: CSVOptions{Delimiter: ';', Quote: '\''}},
	}
	for name, input := range inputs {
		for oi, opt := range opts {
			for _, size := range []int{1, 2, 3, 4, 5, 7, DefaultBatchSize} {
				if size < 7 && len(input) > 100_000 {
					continue
				}
				opt.BatchSize = size
				checkCSVWorkersAgree(t, fmt.Sprintf("%s, options %d", name, oi), input, opt)
			}
		}
	}
}

// TestCSVErrorOrder checks which error is reported when a batch holds
// several, or the next batch holds one too: the batch's scan error (bad
// quoting, field count, encoding) before its value errors, and any error of
// a batch before those of the batches after it, whatever the workers.
func TestCSVErrorOrder(t *testing.T) {
	// rows makes 12 rows in batches of 4. A good row takes two lines, or
	// one when plain.
	rows := func(bad map[int]string, plain bool) string {
		var b strings.Builder
		b.WriteString("n,s\n")
		for i := 1; i <= 12; i++ {
			switch v, ok := bad[i]; {
			case ok:
				b.WriteString(v + "\n")
			case plain:
				fmt.Fprintf(&b, "%d,%d\n", i, i)
			default:
				fmt.Fprintf(&b, "%d,\"s\n%d\"\n", i, i)
			}
		}
		return b.String()
	}
	int64s := map[string]arrow.DataType{"n": arrow.PrimitiveTypes.Int64}
	twoInts := map[string]arrow.DataType{
		"n": arrow.PrimitiveTypes.Int64, "s": arrow.PrimitiveTypes.Int32}
	tests := []struct {
		name  string
		bad   map[int]string
		plain bool
		types map[string]arrow.DataType
		want  csvFailure
	}{
		{name: "value error before a bad row in the next batch",
			bad: map[int]string{3: "x,a", 6: "1"}, types: int64s,
			want: csvFailure{line: 6, row: 3, column: "n", cause: errNotInteger}},
		{name: "scan error after a value error in its batch",
			bad: map[int]string{2: "x,a", 4: `1,a"b`}, types: int64s,
			want: csvFailure{line: 7, row: 4, column: "s", cause: errBareQuote}},
		{name: "encoding error before a value error in the next batch",
			bad: map[int]string{5: "1,\xff", 9: "y,b"}, types: int64s,
			want: csvFailure{line: 10, row: 5, column: "s", cause: errInvalidUTF8}},
		{name: "unterminated quote in the last batch",
			bad: map[int]string{12: `1,"open`}, types: int64s,
			want: csvFailure{line: 24, row: 12, column: "s", cause: errUnterminated}},
		{name: "value errors in two columns of one row",
			bad: map[int]string{7: "x,y", 8: "1,y"}, plain: true, types: twoInts,
			want: csvFailure{line: 8, row: 7, column: "n", cause: errNotInteger}},
		{name: "value error in an earlier row of a later column",
			bad: map[int]string{6: "1,y", 7: "x,2"}, plain: true, types: twoInts,
			want: csvFailure{line: 7, row: 6, column: "s", cause: errNotInteger}},
	}
	for _, tt := range tests {
		input := []byte(rows(tt.bad, tt.plain))
		opt := ReadOptions{BatchSize: 4, ColumnTypes: tt.types}
		for _, workers := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("%s/%d workers", tt.name, workers), func(t *testing.T) {
				res := readCSVWorkers(t, input, opt, workers, 0)
				defer res.release()
				checkParseError(t, res.err, tt.want)
			})
		}
	}
}

// csvCloseCheckReader fails the test through lateReads if it is read after
// closed is set, and can block its reads once its data runs out.
type csvCloseCheckReader struct {
	r         io.Reader
	closed    atomic.Bool
	lateReads atomic.Int64
	block     chan struct{} // when not nil, reads at the end wait for it
	blocked   chan struct{} // closed when a read starts waiting for block
}

func (c *csvCloseCheckReader) Read(p []byte) (int, error) {
	if c.closed.Load() {
		c.lateReads.Add(1)
	}
	n, err := c.r.Read(p)
	if err == io.EOF && c.block != nil {
		close(c.blocked)
		<-c.block
	}
	return n, err
}

// waitCSVGoroutines waits until at most n goroutines run, and fails if that
// takes more than a few seconds.
func waitCSVGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines still run, want %d", runtime.NumGoroutine(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestCSVCloseStopsScan closes readers before the end of their input, in
// every state, and checks that no goroutine is left and that the input is
// not read after Close returns.
func TestCSVCloseStopsScan(t *testing.T) {
	input := csvBenchInput(20000)
	base := runtime.NumGoroutine()
	for _, nexts := range []int{0, 1, 2, 5} {
		for _, workers := range []int{1, 2, 4} {
			src := &csvCloseCheckReader{r: bytes.NewReader(input)}
			r, err := newCSVReaderWorkers(src, ReadOptions{Format: CSV, BatchSize: 1000},
				workers)
			if err != nil {
				t.Fatal(err)
			}
			for range nexts {
				if !r.Next() {
					t.Fatalf("Next failed: %v", r.Err())
				}
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			src.closed.Store(true)
			if r.Next() {
				t.Error("Next after Close returned a batch")
			}
			waitCSVGoroutines(t, base)
			if n := src.lateReads.Load(); n > 0 {
				t.Errorf("%d nexts, %d workers: %d reads after Close", nexts, workers, n)
			}
		}
	}

	// After an error, the scan ahead stops too.
	bad := append(append([]byte{}, input[:len(input)/2]...), "\n1,x\"y\n"...)
	src := &csvCloseCheckReader{r: bytes.NewReader(bad)}
	r, err := newCSVReaderWorkers(src, ReadOptions{Format: CSV, BatchSize: 1000}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	if !errors.Is(r.Err(), errBareQuote) && !strings.Contains(r.Err().Error(), "fields") {
		t.Errorf("got %v, want a parse error", r.Err())
	}
	r.Close()
	waitCSVGoroutines(t, base)
}

// TestCSVCloseWaitsForBlockedRead: a scan ahead blocked in the underlying
// Read holds Close until the Read returns, so that the caller may close the
// input as soon as Close returns (the known cost: a stalled pipe stalls
// Close).
func TestCSVCloseWaitsForBlockedRead(t *testing.T) {
	base := runtime.NumGoroutine()
	src := &csvCloseCheckReader{r: bytes.NewReader(csvBenchInput(3000)),
		block: make(chan struct{}), blocked: make(chan struct{})}
	r, err := newCSVReaderWorkers(src, ReadOptions{Format: CSV, BatchSize: 1000}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if !r.Next() {
			t.Fatalf("Next failed: %v", r.Err())
		}
	}
	// The scan of the fourth batch reaches the end of the input and waits.
	<-src.blocked
	closed := make(chan struct{})
	go func() {
		r.Close()
		src.closed.Store(true)
		close(closed)
	}()
	select {
	case <-closed:
		t.Fatal("Close returned while a Read was blocked")
	case <-time.After(50 * time.Millisecond):
	}
	close(src.block)
	<-closed
	waitCSVGoroutines(t, base)
	if n := src.lateReads.Load(); n > 0 {
		t.Errorf("%d reads after Close", n)
	}
}

// FuzzCSVWorkers reads arbitrary input sequentially and with several
// workers, with small batches, and wants the same batches and error.
func FuzzCSVWorkers(f *testing.F) {
	seeds := []string{
		"a,b,c\n1,,\"\"\n2,x,y\n",
		"a,b\r\n\"x\r\ny\",\"say \"\"hi\"\"\"\r\n\n3,4\n",
		"a\n\n\"\"\n x \n",
		"a,b\n1,2,3\n",
		"a,b\n1,2\n3,\"open\n",
		"a,b\n1,2\n3,\xff\n",
		"a,b\n1\xc3,\xa9\n",
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i), uint8(i))
	}
	f.Fuzz(func(t *testing.T, input []byte, size, dialect uint8) {
		opt := ReadOptions{BatchSize: int(size%5) + 1,
			CSV: csvFuzzDialects[int(dialect)%len(csvFuzzDialects)]}
		if dialect&0x80 != 0 {
			opt.ColumnTypes = map[string]arrow.DataType{"a": arrow.PrimitiveTypes.Int64}
		}
		want := readCSVWorkers(t, input, opt, 1, 0)
		defer want.release()
		got := readCSVWorkers(t, input, opt, 3, 0)
		defer got.release()
		if d := diffCSVReads(got, want); d != "" {
			t.Fatalf("input %q: %s", input, d)
		}
	})
}
