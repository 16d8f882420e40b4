// Command run is the benchmark runner behind `make bench`. One process after
// another, on the same generated files, it times the bare arrow-go copy
// (benchmarks/baseline), `anon run` with the keep-all and the reference
// profiles, and DuckDB (benchmarks/duckdb, when built) for CSV->CSV,
// CSV->Parquet, Parquet->Parquet and NDJSON->Parquet; then `anon run` on the
// Adult data with k-anonymity (global and local). Each child's wall time,
// CPU time and peak RSS are measured; every command runs -reps times, in
// alternating order, and medians are reported. It prints the table and
// writes it as Markdown to -results.
//
// Settings come from flags, whose defaults come from the environment:
// BENCH_ROWS (informative; the row count is read from people.parquet),
// BENCH_DATA, BENCH_TMP, BENCH_REPS, BENCH_MEM_DATA (a second, larger data
// directory for the memory check) and BENCH_PPROF (0 turns the CPU profile
// off).
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
)

func main() {
	var c config
	flag.StringVar(&c.data, "data", env("BENCH_DATA", "out/bench/2000000"),
		"directory holding people.csv, people.ndjson and people.parquet")
	flag.StringVar(&c.kanonData, "kanon-data", env("BENCH_KANON_DATA", ""),
		"a large Adult-shaped CSV for the k-anonymity runs (benchmarks/gen -adult-rows)")
	flag.StringVar(&c.memData, "mem-data", env("BENCH_MEM_DATA", ""),
		"optional directory of a larger table (e.g. 20M rows) for the memory check")
	flag.StringVar(&c.tmp, "tmp", env("BENCH_TMP", defaultTmp()),
		"scratch directory for outputs (a tmpfs keeps the runs CPU-bound)")
	flag.StringVar(&c.bin, "bin", "bin", "directory holding anon, baseline and duckdb-peer")
	flag.IntVar(&c.reps, "reps", envInt("BENCH_REPS", 3), "runs of each command")
	flag.StringVar(&c.results, "results", "benchmarks/RESULTS.md", "Markdown output")
	flag.BoolVar(&c.pprof, "pprof", env("BENCH_PPROF", "1") != "0",
		"profile anon run CSV->Parquet with the reference profile")
	flag.StringVar(&c.key, "key", env("ANON_KEY", "bench-key-not-secret-do-not-use-0123"),
		"secret key for the keyed strategies")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// defaultTmp is a tmpfs when there is one, so that disk speed is not measured.
func defaultTmp() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm/anon-bench"
	}
	return "out/bench/tmp"
}
