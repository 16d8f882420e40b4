package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// peopleNDJSON returns n records like those of benchmarks/gen: ints, floats,
// short strings, escapes, unicode and some nulls.
func peopleNDJSON(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	first := []string{"Erin", "Carole", "José", "Zoë", "Li", "Ann-Marie"}
	last := []string{"Wolff", "James", "O'Neil", "Nuñez", "Smith"}
	city := []string{"Reno", "Santa Ana", "São Paulo", "New York"}
	var b bytes.Buffer
	for i := range n {
		f, l := first[rng.IntN(len(first))], last[rng.IntN(len(last))]
		fmt.Fprintf(&b, `{"id":%d,"first_name":%q,"last_name":%q,`, i+1, f, l)
		fmt.Fprintf(&b, `"email":"%s.%s%d@example.com","phone":"(%03d) %03d-%04d",`,
			f, l, rng.IntN(10000), rng.IntN(1000), rng.IntN(1000), rng.IntN(10000))
		fmt.Fprintf(&b, `"ssn":"%03d-%02d-%04d","birth_date":"19%02d-%02d-%02d",`,
			rng.IntN(1000), rng.IntN(100), rng.IntN(10000), rng.IntN(100), 1+rng.IntN(12),
			1+rng.IntN(28))
		fmt.Fprintf(&b, `"zip":"%05d","city":%q,`, rng.IntN(100000), city[rng.IntN(len(city))])
		if rng.IntN(100) == 0 {
			b.WriteString(`"salary":null,`)
		} else {
			fmt.Fprintf(&b, `"salary":%d.%02d,`, 20000+rng.IntN(200000), rng.IntN(100))
		}
		fmt.Fprintf(&b, `"signup":"2023-%02d-%02dT10:07:20Z",`, 1+rng.IntN(12), 1+rng.IntN(28))
		switch rng.IntN(10) {
		case 0:
			b.WriteString(`"note":"",`)
		case 1:
			b.WriteString(`"note":"said \"hello\", then\nleft \u00e9",`)
		default:
			b.WriteString(`"note":"whose man shall, sandals",`)
		}
		b.WriteString(`"category":"enterprise"}` + "\n")
	}
	return b.Bytes()
}

// setNDJSONVar sets *p to v for the rest of the test.
func setNDJSONVar[T any](t *testing.T, p *T, v T) {
	t.Helper()
	old := *p
	*p = v
	t.Cleanup(func() { *p = old })
}

// chunking sets the chunk size, the alignment of chunks inside batches and
// the read size of the parallel reader for the rest of the test.
func ndjsonChunking(t *testing.T, size int, align int64, read int) {
	t.Helper()
	setNDJSONVar(t, &ndjsonChunkBytes, size)
	setNDJSONVar(t, &ndjsonAlign, align)
	setNDJSONVar(t, &ndjsonReadSize, read)
}

// ndjsonRun is what one read of an input gave.
type ndjsonRun struct {
	tbl   arrow.Table // the rows of the batches read before any error
	sizes []int64     // the rows of each batch
	err   error
	open  bool // the error came from opening (inference)
}

// readNDJSON reads in with the given decoding goroutines (0: sequential).
// It checks that no batch exceeds the batch size and, at the end of the
// test, that everything allocated was released.
func readNDJSON(t *testing.T, in io.Reader, opt ReadOptions, workers int) ndjsonRun {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	opt.Mem = mem
	if opt.Name == "" {
		opt.Name = "in.ndjson"
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	rd, err := newNDJSONReaderWorkers(in, opt, workers)
	if err != nil {
		return ndjsonRun{err: err, open: true}
	}
	var run ndjsonRun
	var recs []arrow.RecordBatch
	for rd.Next() {
		rec := rd.RecordBatch()
		if rec.NumRows() > int64(opt.BatchSize) {
			t.Errorf("batch of %d rows, batch size %d", rec.NumRows(), opt.BatchSize)
		}
		run.sizes = append(run.sizes, rec.NumRows())
		rec.Retain()
		recs = append(recs, rec)
	}
	run.err = rd.Err()
	if rd.Next() {
		t.Error("Next is true after it was false")
	}
	run.tbl = array.NewTableFromRecords(rd.Schema(), recs)
	for _, r := range recs {
		r.Release()
	}
	if err := rd.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	t.Cleanup(run.tbl.Release)
	return run
}

// checkNDJSONBoundaries checks that the batches of a parallel read end only at a
// multiple of batch, or of align inside a batch, as the Parquet writer needs
// to write the same pages as for the sequential batches.
func checkNDJSONBoundaries(t *testing.T, sizes []int64, batch, align int64) {
	t.Helper()
	var row int64
	for i, n := range sizes {
		if n <= 0 {
			t.Fatalf("batch %d has %d rows", i, n)
		}
		if row/batch != (row+n-1)/batch {
			t.Fatalf("batch %d (rows %d to %d) crosses a multiple of %d: %v",
				i, row+1, row+n, batch, sizes)
		}
		row += n
		if i < len(sizes)-1 && row%batch != 0 && (batch%align != 0 || row%align != 0) {
			t.Fatalf("batch %d ends at row %d, not at a multiple of %d or %d: %v",
				i, row, batch, align, sizes)
		}
	}
}

// sameAsSequential reads in sequentially and with workers goroutines and
// fails unless both give the same schema, rows and error. It returns both
// reads.
func sameAsSequential(t *testing.T, in []byte, opt ReadOptions,
	workers int) (seq, par ndjsonRun) {
	t.Helper()
	seq = readNDJSON(t, bytes.NewReader(in), opt, 0)
	par = readNDJSON(t, bytes.NewReader(in), opt, workers)
	if (seq.err == nil) != (par.err == nil) || seq.err != nil && seq.err.Error() != par.err.Error() {
		t.Fatalf("errors differ:\nsequential %v\n  parallel %v", seq.err, par.err)
	}
	if seq.open != par.open {
		t.Fatalf("error when opening: sequential %v, parallel %v", seq.open, par.open)
	}
	if seq.open {
		return seq, par
	}
	if !seq.tbl.Schema().Equal(par.tbl.Schema()) {
		t.Fatalf("schemas differ:\n%v\n%v", seq.tbl.Schema(), par.tbl.Schema())
	}
	checkNDJSONBoundaries(t, par.sizes, int64(opt.BatchSize), ndjsonAlign)
	seqOut := writeJSONTable(t, seq.tbl, false)
	parOut := writeJSONTable(t, par.tbl, false)
	if seq.err == nil {
		if !array.TableEqual(seq.tbl, par.tbl) || !bytes.Equal(seqOut, parOut) {
			t.Fatalf("rows differ:\nsequential %d rows\n  parallel %d rows",
				seq.tbl.NumRows(), par.tbl.NumRows())
		}
		if opt.BatchSize%int(ndjsonAlign) != 0 && !slices.Equal(seq.sizes, par.sizes) {
			t.Fatalf("batches differ: %v, %v", seq.sizes, par.sizes)
		}
		return seq, par
	}
	// Both stop at the same record; each delivers the batches before it
	// (the parallel reader's batches may be shorter, so it may deliver more).
	if !bytes.HasPrefix(parOut, seqOut) {
		t.Fatalf("the parallel reader's rows before the error differ")
	}
	var pe *ParseError
	if errors.As(par.err, &pe) && pe.Row > 0 && par.tbl.NumRows() >= pe.Row {
		t.Fatalf("%d rows delivered before an error at row %d", par.tbl.NumRows(), pe.Row)
	}
	return seq, par
}

func TestNDJSONParallelSameRows(t *testing.T) {
	orders, err := os.ReadFile("../testdata/relational/orders.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	books, err := os.ReadFile("../testdata/kylo-userdata/json/books1.json")
	if err != nil {
		t.Fatal(err)
	}
	people := peopleNDJSON(600)
	mixed := []byte(`{"n":1,"big":1e400,"o":{"a":[1, 2]},"s":"é\u00e9\ud83d\ude00","k\u00e9":1,` +
		`"kﾃ":null}` + "\r\n\n   \n" +
		`{"n":null,"big":123456789012345678901234567890,"o":[],"s":""}` + "\r\n" +
		"\t\r\n" + `{"s":"a","s":"b","n":-3,"big":-1}` + "\n" +
		`{"s":"\"\\\/\b\f\n\r\t\u0000","o":null,"n":0, "big" : 1}` + "\n" +
		`{"kﾃ":"x","k\u00e9":2,"ké":3}` + "\n")
	inputs := []struct {
		name string
		in   []byte
	}{
		{name: "people", in: people},
		{name: "people CRLF", in: bytes.ReplaceAll(people, []byte("\n"), []byte("\r\n"))},
		{name: "people blank lines", in: bytes.ReplaceAll(people, []byte("}\n"),
			[]byte("}\n \n\n"))},
		{name: "people no final newline", in: bytes.TrimSuffix(people, []byte("\n"))},
		{name: "people blank end", in: append(bytes.Clone(people), "\n\n  \r\n"...)},
		{name: "orders", in: orders},
		{name: "books", in: books},
		{name: "mixed", in: append([]byte("\ufeff"), bytes.Repeat(mixed, 50)...)},
		// Beyond the inference window of the default batch size.
		{name: "people 30000", in: peopleNDJSON(30000)},
	}
	settings := []struct {
		batch, size int
		align       int64
		read        int
	}{
		{batch: 1, size: 1, align: 1024, read: 1 << 20},
		{batch: 7, size: 1, align: 1024, read: 5},
		{batch: 12, size: 1, align: 4, read: 64},
		{batch: 100, size: 2000, align: 10, read: 333},
		{batch: 1024, size: 50000, align: 256, read: 4096},
		{batch: 64 << 10, size: 4 << 20, align: 1024, read: 1 << 20},
	}
	for _, in := range inputs {
		for _, s := range settings {
			if in.name == "people 30000" && s.batch < 1024 {
				continue // many small batches: slow, and covered above
			}
			for _, workers := range []int{1, 2, 3} {
				name := fmt.Sprintf("%s/batch=%d,chunk=%d,align=%d,read=%d,workers=%d",
					in.name, s.batch, s.size, s.align, s.read, workers)
				t.Run(name, func(t *testing.T) {
					ndjsonChunking(t, s.size, s.align, s.read)
					run, par := sameAsSequential(t, in.in,
						ReadOptions{Format: NDJSON, BatchSize: s.batch}, workers)
					if run.err != nil {
						t.Fatalf("valid input refused: %v", run.err)
					}
					if in.name == "people 30000" && len(par.sizes) < 3 {
						t.Fatalf("batches %v: the input was not cut", par.sizes)
					}
				})
			}
		}
	}
}

// TestNDJSONParallelErrors puts a bad record at every place of an input, so
// at and around every chunk and batch boundary, and checks that the parallel
// reader reports the same error as the sequential one: the first bad record,
// at the same line and row.
func TestNDJSONParallelErrors(t *testing.T) {
	const secret = "s3cr3t"
	setNDJSONVar(t, &maxNDJSONLine, 60)
	bad := []struct {
		name string
		line string
	}{
		{name: "syntax", line: `{"a":1,"b":` + secret + `}`},
		{name: "type", line: `{"a":"` + secret + `","b":"x"}`},
		{name: "fraction", line: `{"a":1.5,"b":"x"}`},
		{name: "new key", line: `{"a":1,"` + secret + `":1}`},
		{name: "not an object", line: `["` + secret + `"]`},
		{name: "invalid UTF-8", line: "{\"a\":1,\"b\":\"\xff" + secret + "\"}"},
		{name: "line too long", line: `{"a":1,"b":"` + strings.Repeat(secret, 10) + `"}`},
		{name: "unterminated", line: `{"a":1,"b":"` + secret},
	}
	const n = 30
	blank := func(i int) bool { return i%7 == 3 }
	recordsBefore := func(at int) int {
		k := 0
		for i := range at {
			if !blank(i) {
				k++
			}
		}
		return k
	}
	for _, b := range bad {
		for at := range n {
			var in strings.Builder
			for i := range n {
				switch {
				case i == at:
					in.WriteString(b.line)
				case blank(i):
					in.WriteString(" ")
				default:
					fmt.Fprintf(&in, `{"a":%d,"b":"v%d"}`, i, i)
				}
				in.WriteString("\n")
				if i == at+3 {
					// A second bad record must never be the one reported.
					in.WriteString(`{"a":"second"}` + "\n")
				}
			}
			for _, batch := range []int{2, 4, 5} {
				t.Run(fmt.Sprintf("%s/at=%d/batch=%d", b.name, at, batch), func(t *testing.T) {
					ndjsonChunking(t, 1, 2, 16)
					opt := ReadOptions{Format: NDJSON, Name: "data.ndjson", BatchSize: batch}
					run, _ := sameAsSequential(t, []byte(in.String()), opt, 2)
					var pe *ParseError
					if !errors.As(run.err, &pe) {
						t.Fatalf("got %v, want a *ParseError", run.err)
					}
					// A bad record inside the inference window can make a
					// conflict reported on a later line.
					if recordsBefore(at) >= batch && pe.Line != int64(at+1) {
						t.Errorf("error at line %d, want %d: %v", pe.Line, at+1, run.err)
					}
					if strings.Contains(pe.Err.Error(), secret) {
						t.Errorf("error quotes the data: %v", run.err)
					}
				})
			}
		}
	}
}

func TestNDJSONLineTooLong(t *testing.T) {
	setNDJSONVar(t, &maxNDJSONLine, 20)
	tests := []struct {
		name      string
		in        string
		line, row int64
	}{
		{name: "first line", in: `{"a":"0123456789abcdef"}` + "\n", line: 1, row: 1},
		{name: "after blank lines", in: "{\"a\":1}\n\n{\"a\":\"0123456789abcdef\"}\n",
			line: 3, row: 2},
		{name: "no newline at all", in: `{"a":1}` + "\n" + strings.Repeat(" ", 1<<20),
			line: 2, row: 2},
	}
	for _, tt := range tests {
		for _, workers := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s/workers=%d", tt.name, workers), func(t *testing.T) {
				run := readNDJSON(t, strings.NewReader(tt.in),
					ReadOptions{Format: NDJSON, Name: "x", BatchSize: 1}, workers)
				var pe *ParseError
				if !errors.As(run.err, &pe) || pe.Line != tt.line || pe.Row != tt.row ||
					!strings.Contains(pe.Error(), "line longer than") {
					t.Fatalf("got %v, want a too-long error at line %d row %d",
						run.err, tt.line, tt.row)
				}
			})
		}
	}
	// Exactly the limit is fine; '\r' counts.
	in := `{"a":"0123456789a"}` + "\r\n"
	for _, workers := range []int{0, 2} {
		run := readNDJSON(t, strings.NewReader(in+in+in),
			ReadOptions{Format: NDJSON, BatchSize: 1}, workers)
		if run.err != nil || run.tbl.NumRows() != 3 {
			t.Fatalf("lines of %d bytes: %v", len(in)-1, run.err)
		}
	}
}

// TestNDJSONParallelSuite reads every JSONTestSuite file as one record among
// valid ones, sequentially and in parallel, and expects the same outcome.
func TestNDJSONParallelSuite(t *testing.T) {
	for _, prefix := range []string{"y_", "n_", "i_"} {
		for _, path := range jsonSuiteFiles(t, prefix) {
			doc, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(filepath.Base(path), func(t *testing.T) {
				ndjsonChunking(t, 1, 2, 7)
				var in bytes.Buffer
				for i := range 5 {
					fmt.Fprintf(&in, "{\"k\":%d}\n", i)
				}
				in.Write(doc)
				in.WriteString("\n{\"k\":9}\n")
				sameAsSequential(t, in.Bytes(), ReadOptions{Format: NDJSON, BatchSize: 2}, 2)
			})
		}
	}
}

// ndjsonFailingReader returns err after n bytes.
type ndjsonFailingReader struct {
	r   io.Reader
	n   int
	err error
}

func (f *ndjsonFailingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	m, err := f.r.Read(p)
	f.n -= m
	return m, err
}

func TestNDJSONParallelReadError(t *testing.T) {
	in := peopleNDJSON(3000)
	boom := errors.New("boom")
	for _, at := range []int{300 << 10, len(in) / 2, len(in) - 10} {
		var want error
		for _, workers := range []int{0, 2} {
			t.Run(fmt.Sprintf("at=%d/workers=%d", at, workers), func(t *testing.T) {
				ndjsonChunking(t, 10000, 16, 4096)
				r := &ndjsonFailingReader{r: bytes.NewReader(in), n: at, err: boom}
				run := readNDJSON(t, r, ReadOptions{Format: NDJSON, Name: "x", BatchSize: 64},
					workers)
				if !errors.Is(run.err, boom) || run.err.Error() != "read x: boom" {
					t.Fatalf("got %v, want read x: boom", run.err)
				}
				if want != nil && run.err.Error() != want.Error() {
					t.Fatalf("got %v, sequential %v", run.err, want)
				}
				want = run.err
			})
		}
	}
}

// ndjsonCountingReader counts the bytes read from it.
type ndjsonCountingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *ndjsonCountingReader) Read(p []byte) (int, error) {
	m, err := c.r.Read(p)
	c.n.Add(int64(m))
	return m, err
}

// waitNDJSONGoroutines waits until at most n goroutines run.
func waitNDJSONGoroutines(t *testing.T, n int) {
	t.Helper()
	for start := time.Now(); runtime.NumGoroutine() > n; {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("%d goroutines, want %d", runtime.NumGoroutine(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestNDJSONParallelCloseEarly(t *testing.T) {
	in := peopleNDJSON(20000)
	ndjsonChunking(t, 4096, 16, 4096)
	for _, next := range []int{0, 1, 5} {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("next=%d/workers=%d", next, workers), func(t *testing.T) {
				base := runtime.NumGoroutine()
				mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
				src := &ndjsonCountingReader{r: bytes.NewReader(in)}
				rd, err := newNDJSONReaderWorkers(src,
					ReadOptions{Format: NDJSON, BatchSize: 1024, Mem: mem}, workers)
				if err != nil {
					t.Fatal(err)
				}
				opened := src.n.Load()
				for range next {
					if !rd.Next() {
						t.Fatalf("no batch: %v", rd.Err())
					}
				}
				if next > 0 {
					if p, ok := rd.(*ndjsonParallel); !ok || !p.started {
						t.Fatalf("%T: the parallel reader did not start", rd)
					}
					if got := runtime.NumGoroutine(); got <= base {
						t.Errorf("%d goroutines while reading, %d before", got, base)
					}
					// The chunker stops when every chunk is taken: after
					// inference it has read the batches delivered, 2 * workers
					// chunks and one more (each up to 4096 bytes and 16 lines),
					// and the buffer of a bufio.Reader (256 KiB).
					time.Sleep(50 * time.Millisecond)
					limit := int64(256<<10 + (next+2*workers+1)*(4096+16*400))
					if got := src.n.Load() - opened; got > limit {
						t.Errorf("read %d bytes of %d ahead of Next, want at most %d",
							got, len(in), limit)
					}
				}
				if err := rd.Close(); err != nil {
					t.Fatal(err)
				}
				waitNDJSONGoroutines(t, base)
				mem.AssertSize(t, 0)
			})
		}
	}
	t.Run("after an error", func(t *testing.T) {
		base := runtime.NumGoroutine()
		bad := append(bytes.Clone(in[:len(in)/2]), "{\"id\":\"x\"}\n"...)
		rd, err := newNDJSONReaderWorkers(bytes.NewReader(bad),
			ReadOptions{Format: NDJSON, BatchSize: 1024}, 2)
		if err != nil {
			t.Fatal(err)
		}
		for rd.Next() {
		}
		if rd.Err() == nil {
			t.Fatal("no error")
		}
		rd.Close()
		waitNDJSONGoroutines(t, base)
	})
}

func TestPlainRun(t *testing.T) {
	want := func(b []byte) int {
		for i, c := range b {
			if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
				return i
			}
		}
		return len(b)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte{'a', ' ', '~', 0x1f, 0x20, 0x21, '"', '#', '\\', ']', 0x7f, 0x80,
		0xff, 0, 0x01, 'z'}
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(4) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = byte(0x23 + rng.IntN(0x7f-0x23))
				if b[i] == '\\' {
					b[i] = 'x'
				}
			}
		}
		if got, w := plainRun(b), want(b); got != w {
			t.Fatalf("plainRun(%q) = %d, want %d", b, got, w)
		}
	}
}

func TestParseFloatBytes(t *testing.T) {
	cases := []string{"0", "-0", "-0.0", "0.1", "1.5", "93690.55", "123456789012345",
		"1234567890123456", "0.000000000000001", "9007199254740993", "1e5", "-2.5E-3",
		"99999999999999.9", "0.30000000000000004", "1.7976931348623157e308", "1e400", "-1e400"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		s := strconv.FormatUint(rng.Uint64N(1e16), 10)
		if k := rng.IntN(len(s) + 1); k < len(s) {
			s = s[:k] + "." + s[k:]
			if k == 0 {
				s = "0" + s
			}
		}
		if rng.IntN(2) == 0 {
			s = "-" + s
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		got, gerr := parseFloatBytes([]byte(s))
		want, werr := strconv.ParseFloat(s, 64)
		if (gerr == nil) != (werr == nil) || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseFloatBytes(%q) = %v, %v; want %v, %v", s, got, gerr, want, werr)
		}
	}
}

// FuzzNDJSONParallel checks that the parallel reader gives what the
// sequential one gives, rows and errors, for any input and small chunks.
func FuzzNDJSONParallel(f *testing.F) {
	for _, seed := range []string{
		"{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n{\"a\":4}\n{\"a\":5}",
		"{\"a\":1}\r\n{\"a\":\"x\"}\r\n",
		"{\"n\":1}\n{\"n\":12345678901234567890}\n{\"n\":null}\n{}\n{\"m\":1}",
		"{\"s\":\"\\u00e9\"}\n \n{\"s\":\"\xff\"}\n",
	} {
		f.Add([]byte(seed), uint8(2), uint8(1))
	}
	f.Fuzz(func(t *testing.T, in []byte, batch, size uint8) {
		ndjsonChunking(t, int(size%64), 2, 3)
		setNDJSONVar(t, &maxNDJSONLine, 200)
		opt := ReadOptions{Format: NDJSON, Name: "fuzz", BatchSize: 1 + int(batch%8)}
		sameAsSequential(t, in, opt, 2)
	})
}

// readNDJSONRows reads in and returns the number of rows.
func readNDJSONRows(in []byte, opt ReadOptions, workers int) (int64, error) {
	rd, err := newNDJSONReaderWorkers(bytes.NewReader(in), opt, workers)
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	var n int64
	for rd.Next() {
		n += rd.RecordBatch().NumRows()
	}
	return n, rd.Err()
}

func BenchmarkNDJSONRead(b *testing.B) {
	in := peopleNDJSON(200000)
	for _, workers := range []int{0, 1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				n, err := readNDJSONRows(in, ReadOptions{Format: NDJSON, Name: "bench"}, workers)
				if err != nil || n != 200000 {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// TestTextBuilder checks textBuilder against array.StringBuilder on random
// values and nulls, with and without room reserved, over several arrays.
func TestTextBuilder(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rng := rand.New(rand.NewPCG(7, 8))
	tb := newTextBuilder(mem)
	defer tb.release()
	for round := range 20 {
		want := array.NewStringBuilder(mem)
		n := rng.IntN(300)
		if round%2 == 0 {
			tb.reserve(rng.IntN(n+1), rng.IntN(100))
		}
		for range n {
			switch rng.IntN(5) {
			case 0:
				tb.appendNull()
				want.AppendNull()
			default:
				v := strings.Repeat("é", rng.IntN(40))
				if !tb.append([]byte(v)) {
					t.Fatal("append refused")
				}
				want.Append(v)
			}
		}
		got, w := tb.newArray(), want.NewArray()
		if !array.Equal(got, w) || got.NullN() != w.NullN() {
			t.Fatalf("round %d: got %v, want %v", round, got, w)
		}
		if err := got.(*array.String).ValidateFull(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		got.Release()
		w.Release()
		want.Release()
	}
}

// TestNDJSONColumnTooBig lowers the text limit of a column per batch and
// expects an error naming the row and column, never a corrupt array.
func TestNDJSONColumnTooBig(t *testing.T) {
	setNDJSONVar(t, &maxTextBytes, 10)
	in := "{\"s\":\"abcde\"}\n{\"s\":\"fghij\"}\n{\"s\":\"klmno\"}\n{\"s\":null}\n"
	for _, workers := range []int{0, 2} {
		for _, batch := range []int{1, 2, 3} {
			run := readNDJSON(t, strings.NewReader(in),
				ReadOptions{Format: NDJSON, Name: "x", BatchSize: batch}, workers)
			var pe *ParseError
			if batch < 3 {
				// 10 bytes per batch at most: fine.
				if run.err != nil || run.tbl.NumRows() != 4 {
					t.Errorf("workers %d, batch %d: %v", workers, batch, run.err)
				}
				continue
			}
			if !errors.As(run.err, &pe) || pe.Row != 3 || pe.Line != 3 || pe.Column != "s" ||
				!errors.Is(run.err, errJSONColumnTooBig) {
				t.Errorf("workers %d, batch %d: got %v, want too big at row 3",
					workers, batch, run.err)
			}
		}
	}
}

// TestNDJSONKeyOrder checks the keys the parser expects from the records
// before: other orders, repeated keys (the last wins), escaped spellings of
// a name, and names that are never expected because JSON escapes them.
func TestNDJSONKeyOrder(t *testing.T) {
	in := `{"a":1,"b":"x","q\"k":1,"é":1}` + "\n" +
		`{"b":"y","a":2,"é":2,"q\"k":2}` + "\n" +
		`{"a":3,"a":4,"b":"z","b":"zz"}` + "\n" +
		`{"\u0061":5,"b":"w","q\u0022k":5,"\u00e9":5}` + "\n" +
		`{"b":"v"}` + "\n" +
		`{"a" :6, "b": "u" ,"é":6}` + "\n"
	want := map[string]string{
		"a":   "1|2|4|5|<null>|6",
		"b":   "x|y|zz|w|v|u",
		`q"k`: "1|2|<null>|5|<null>|<null>",
		"é":   "1|2|<null>|5|<null>|6",
	}
	for _, batch := range []int{1, 2, 0} {
		for _, workers := range []int{0, 2} {
			t.Run(fmt.Sprintf("batch=%d/workers=%d", batch, workers), func(t *testing.T) {
				run := readNDJSON(t, strings.NewReader(in),
					ReadOptions{Format: NDJSON, BatchSize: batch}, workers)
				if run.err != nil {
					t.Fatal(run.err)
				}
				for name, w := range want {
					if got := strings.Join(columnStrings(t, run.tbl, name), "|"); got != w {
						t.Errorf("column %q: got %s, want %s", name, got, w)
					}
				}
			})
		}
	}
}
