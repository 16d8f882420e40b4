package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// notesMarker starts the hand-written part of RESULTS.md, which a new run
// keeps.
const notesMarker = "<!-- notes: everything below this line is kept by `make bench` -->"

// report gathers everything RESULTS.md shows.
type report struct {
	rows         int64
	reps         int
	started      time.Time
	haveDuck     bool
	load0, load1 string
	sizes        map[string]int64
	cells        []*cell
	adult        []adultRun
	mem          *memResult
	pprof        string
	pprofErr     error
}

func median[T int64 | time.Duration | float64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (c *cell) wall() time.Duration {
	var w []time.Duration
	for _, s := range c.samples {
		w = append(w, s.wall)
	}
	return median(w)
}

func (c *cell) cpu() time.Duration {
	var w []time.Duration
	for _, s := range c.samples {
		w = append(w, s.cpu)
	}
	return median(w)
}

func (c *cell) rssMiB() float64 {
	var r []int64
	for _, s := range c.samples {
		r = append(r, s.rssKiB)
	}
	return float64(median(r)) / 1024
}

// ratio is the median over repetitions of other's wall / c's wall, taken
// repetition by repetition, so that a drift in machine speed cancels: above 1
// means c is faster than other.
func (c *cell) ratio(other *cell) (float64, bool) {
	if c == nil || other == nil || c.err != nil || other.err != nil {
		return 0, false
	}
	n := min(len(c.samples), len(other.samples))
	if n == 0 {
		return 0, false
	}
	var rs []float64
	for i := range n {
		rs = append(rs, other.samples[i].wall.Seconds()/c.samples[i].wall.Seconds())
	}
	return median(rs), true
}

func (r *report) find(p pair, tool string) *cell {
	for _, c := range r.cells {
		if c.pair == p && c.tool == tool {
			return c
		}
	}
	return nil
}

// duckPeer is the DuckDB command a tool is compared with.
func duckPeer(tool string) string {
	if tool == toolReference || tool == toolDuckRef {
		if tool == toolDuckRef {
			return toolDuckCopy
		}
		return toolDuckRef
	}
	return toolDuckCopy
}

func fmtRatio(x float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.2f", x)
}

func fmtRate(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2f M", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.0f k", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}

// table renders the main table in Markdown (also readable as plain text).
func (r *report) table() string {
	var b strings.Builder
	b.WriteString("| formats | tool | wall s | rows/s | MB/s in | CPU s | peak RSS MiB " +
		"| × baseline | × DuckDB |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range r.cells {
		if c.err != nil || len(c.samples) == 0 {
			fmt.Fprintf(&b, "| %s | %s | failed | | | | | | |\n", c.pair, c.tool)
			continue
		}
		w := c.wall().Seconds()
		rb, okb := c.ratio(r.find(c.pair, toolBaseline))
		rd, okd := c.ratio(r.find(c.pair, duckPeer(c.tool)))
		if c.tool == toolDuckCopy {
			okd = false
		}
		fmt.Fprintf(&b, "| %s | %s | %.2f | %s | %.0f | %.2f | %.0f | %s | %s |\n",
			c.pair, c.tool, w, fmtRate(float64(r.rows)/w),
			float64(r.sizes[c.pair.in])/1e6/w, c.cpu().Seconds(), c.rssMiB(),
			fmtRatio(rb, okb), fmtRatio(rd, okd))
	}
	return b.String()
}

// targets checks the ratios of issue 7.
func (r *report) targets() string {
	var b strings.Builder
	b.WriteString("| target | measured | met |\n|---|---|---|\n")
	yes := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**no**"
	}
	for _, p := range []pair{{"csv", "parquet"}, {"parquet", "parquet"}} {
		x, ok := r.find(p, toolReference).ratio(r.find(p, toolDuckRef))
		if ok {
			fmt.Fprintf(&b, "| reference ≥ 0.75 × DuckDB reference SQL, %s | %.2f | %s |\n",
				p, x, yes(x >= 0.75))
		} else {
			fmt.Fprintf(&b, "| reference ≥ 0.75 × DuckDB reference SQL, %s | not measured | - |\n", p)
		}
	}
	for _, p := range pairs {
		if x, ok := r.find(p, toolKeepAll).ratio(r.find(p, toolBaseline)); ok {
			fmt.Fprintf(&b, "| keep-all ≥ 0.9 × baseline, %s | %.2f | %s |\n", p, x, yes(x >= 0.9))
		}
	}
	for _, tool := range []string{toolKeepAll, toolReference} {
		nd := r.find(pair{"ndjson", "parquet"}, tool)
		cp := r.find(pair{"csv", "parquet"}, tool)
		if nd != nil && cp != nil && nd.err == nil && cp.err == nil {
			x := cp.wall().Seconds() / nd.wall().Seconds()
			fmt.Fprintf(&b, "| NDJSON→Parquet ≥ 0.75 × CSV→Parquet rows/s, %s | %.2f | %s |\n",
				tool, x, yes(x >= 0.75))
		}
	}
	var worst float64
	for _, c := range r.cells {
		if c.tool == toolReference && c.err == nil {
			worst = max(worst, c.rssMiB())
		}
	}
	fmt.Fprintf(&b, "| reference peak RSS < 400 MiB (worst pair) | %.0f MiB | %s |\n",
		worst, yes(worst < 400))
	if m := r.mem; m != nil && m.err == nil {
		for i, p := range m.pairs {
			small := r.find(p, toolReference)
			if small == nil || small.err != nil {
				continue
			}
			big := float64(m.rss[i]) / 1024
			x := big / small.rssMiB()
			fmt.Fprintf(&b, "| peak RSS at %d rows within 20%% of %d rows, %s | %.0f vs %.0f MiB "+
				"(%.2f×) | %s |\n", m.rows, r.rows, p, big, small.rssMiB(), x,
				yes(x <= 1.2 && x >= 1/1.2))
		}
	} else {
		b.WriteString("| peak RSS flat from 2M to 20M rows | not measured in this run " +
			"(`make bench BENCH_MEM_ROWS=20000000`) | - |\n")
	}
	return b.String()
}

func (r *report) markdown(notes string) string {
	var b strings.Builder
	b.WriteString("# Benchmark results\n\n")
	b.WriteString("Written by `make bench` (`benchmarks/run`); see the Benchmarks section of " +
		"the README. Do not edit above the notes marker: the next run rewrites it.\n\n")
	fmt.Fprintf(&b, "- date: %s\n", r.started.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- machine: %s, %d cores (GOMAXPROCS %d), %s/%s\n", cpuModel(),
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- Go: %s\n", goVersion())
	fmt.Fprintf(&b, "- rows: %d (benchmarks/gen, seed 42); input sizes: CSV %.1f MB, "+
		"NDJSON %.1f MB, Parquet %.1f MB\n", r.rows, float64(r.sizes["csv"])/1e6,
		float64(r.sizes["ndjson"])/1e6, float64(r.sizes["parquet"])/1e6)
	fmt.Fprintf(&b, "- runs: %d of each command, alternating order; medians. Load average "+
		"before / after: %s / %s (the machine is shared)\n", r.reps, r.load0, r.load1)
	if !r.haveDuck {
		b.WriteString("- DuckDB: **not built** (bin/duckdb-peer missing), its columns are " +
			"empty\n")
	}
	b.WriteString("\nrows/s = rows / median wall time. MB/s = input file bytes / wall " +
		"(Parquet input is compressed). CPU s = user + system time of the process. " +
		"× baseline and × DuckDB are speed ratios (above 1 is faster), taken run by run " +
		"and then the median. The DuckDB column compares the baseline and keep-all " +
		"with DuckDB's plain copy, and the reference profile with DuckDB's reference " +
		"SQL (`benchmarks/duckdb/main.go`).\n\n")
	b.WriteString(r.table())
	b.WriteString("\n## Issue 7 targets\n\n")
	b.WriteString(r.targets())
	b.WriteString("\n## k-anonymity on Adult and on a resampled Adult table\n\n")
	b.WriteString("| method | wall s | CPU s | peak RSS MiB |\n|---|---:|---:|---:|\n")
	for _, a := range r.adult {
		if a.err != nil {
			fmt.Fprintf(&b, "| %s | failed: %v | | |\n", a.name, a.err)
			continue
		}
		c := &cell{samples: a.samples}
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.0f |\n", a.name, c.wall().Seconds(),
			c.cpu().Seconds(), c.rssMiB())
	}
	b.WriteString("\nThe large table (`BENCH_KANON_ROWS`, default 10,000,000) draws rows " +
		"of Adult with replacement, so Adult's hierarchies apply; memory grows with the " +
		"distinct quasi-identifier combinations, not with rows.\n")
	if r.mem != nil && r.mem.err != nil {
		fmt.Fprintf(&b, "\nMemory check failed: %v\n", r.mem.err)
	}
	b.WriteString("\n## CPU profile: anon run, CSV → Parquet, reference profile\n\n")
	switch {
	case r.pprofErr != nil:
		fmt.Fprintf(&b, "Profile failed: %v\n", r.pprofErr)
	case r.pprof != "":
		b.WriteString("`go test ./benchmarks/run -bench AnonRun -cpuprofile`, " +
			"`go tool pprof -top` (flat, top entries):\n\n```\n")
		b.WriteString(r.pprof)
		b.WriteString("```\n")
	default:
		b.WriteString("Not taken in this run (BENCH_PPROF=0).\n")
	}
	b.WriteString("\n" + notesMarker + "\n")
	b.WriteString(notes)
	return b.String()
}

// previousNotes returns the hand-written part of an existing RESULTS.md.
func previousNotes(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	_, after, ok := strings.Cut(string(b), notesMarker+"\n")
	if !ok {
		return ""
	}
	return after
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok &&
			strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func goVersion() string {
	out, err := exec.Command("go", "version").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}
