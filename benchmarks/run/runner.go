package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/apache/arrow-go/v18/parquet/file"
)

// config holds the runner's settings.
type config struct {
	data, memData, tmp, bin, results, key string
	kanonData                             string
	reps                                  int
	pprof                                 bool
}

// pair is an input and output format.
type pair struct{ in, out string }

func (p pair) String() string {
	return fmt.Sprintf("%s → %s", label(p.in), label(p.out))
}

func label(ext string) string {
	switch ext {
	case "csv":
		return "CSV"
	case "ndjson":
		return "NDJSON"
	}
	return "Parquet"
}

var pairs = []pair{{"csv", "csv"}, {"csv", "parquet"}, {"parquet", "parquet"},
	{"ndjson", "parquet"}}

// Tools, in table order.
const (
	toolBaseline  = "baseline (arrow-go copy)"
	toolKeepAll   = "anon keep-all"
	toolReference = "anon reference"
	toolDuckCopy  = "DuckDB copy"
	toolDuckRef   = "DuckDB reference SQL"
)

// sample is one measured child process.
type sample struct {
	wall, cpu time.Duration
	rssKiB    int64
}

// cell is the result of one command over every repetition.
type cell struct {
	pair    pair
	tool    string
	samples []sample
	err     error
}

// command is something to time.
type command struct {
	tool string
	args []string
	out  string
}

// measure runs args as a child process and returns its wall time, CPU time
// and peak RSS.
func measure(args []string, extraEnv []string) (sample, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), extraEnv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 400 {
			msg = msg[len(msg)-400:]
		}
		return sample{}, fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, msg)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{}, errors.New("no rusage for the child process")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall: wall, cpu: cpu, rssKiB: ru.Maxrss}, nil
}

// rowCount reads the number of rows from a Parquet footer.
func rowCount(path string) (int64, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return 0, fmt.Errorf("count rows of %s: %w", path, err)
	}
	defer pf.Close()
	return pf.NumRows(), nil
}

func run(c config) error {
	if c.reps < 1 {
		c.reps = 1
	}
	rows, err := rowCount(filepath.Join(c.data, "people.parquet"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.tmp, 0o755); err != nil {
		return fmt.Errorf("create scratch directory: %w", err)
	}
	defer os.RemoveAll(c.tmp)

	anon := filepath.Join(c.bin, "anon")
	baseline := filepath.Join(c.bin, "baseline")
	duck := filepath.Join(c.bin, "duckdb-peer")
	haveDuck := true
	if _, err := os.Stat(duck); err != nil {
		haveDuck = false
		fmt.Println("DuckDB peer not built (bin/duckdb-peer missing): skipping DuckDB; " +
			"see benchmarks/duckdb")
	}
	keyEnv := []string{"ANON_KEY=" + c.key}

	rep := &report{rows: rows, reps: c.reps, started: time.Now(), haveDuck: haveDuck,
		load0: loadAvg(), sizes: map[string]int64{}}
	for _, ext := range []string{"csv", "ndjson", "parquet"} {
		st, err := os.Stat(filepath.Join(c.data, "people."+ext))
		if err != nil {
			return fmt.Errorf("input missing: %w", err)
		}
		rep.sizes[ext] = st.Size()
	}

	for _, p := range pairs {
		in := filepath.Join(c.data, "people."+p.in)
		out := func(tag string) string {
			return filepath.Join(c.tmp, tag+"."+p.out)
		}
		anonCmd := func(profile string) []string {
			return []string{anon, "run", "--force", "--no-progress", "--profile",
				filepath.Join("benchmarks", "profiles", profile), "--input", in,
				"--output", out("anon")}
		}
		cmds := []command{
			{toolBaseline, []string{baseline, "-in", in, "-out", out("base")}, out("base")},
			{toolKeepAll, anonCmd("keep-all.yaml"), out("anon")},
			{toolReference, anonCmd("reference.yaml"), out("anon")},
		}
		if haveDuck {
			cmds = append(cmds,
				command{toolDuckCopy, []string{duck, "-in", in, "-out", out("duck"),
					"-mode", "copy"}, out("duck")},
				command{toolDuckRef, []string{duck, "-in", in, "-out", out("duck"),
					"-mode", "ref"}, out("duck")})
		}
		cells := make([]*cell, len(cmds))
		for i, cm := range cmds {
			cells[i] = &cell{pair: p, tool: cm.tool}
		}
		for r := 0; r < c.reps; r++ {
			order := make([]int, len(cmds))
			for i := range order {
				order[i] = i
			}
			if r%2 == 1 {
				slices.Reverse(order)
			}
			for _, i := range order {
				if cells[i].err != nil {
					continue
				}
				s, err := measure(cmds[i].args, keyEnv)
				os.Remove(cmds[i].out)
				if err != nil {
					cells[i].err = err
					fmt.Fprintf(os.Stderr, "bench: %s %s failed: %v\n", p, cmds[i].tool, err)
					continue
				}
				cells[i].samples = append(cells[i].samples, s)
				fmt.Fprintf(os.Stderr, "bench: %-18s %-26s run %d: %6.2f s %5d MiB\n",
					p, cmds[i].tool, r+1, s.wall.Seconds(), s.rssKiB/1024)
			}
		}
		rep.cells = append(rep.cells, cells...)
	}

	rep.adult = adultRuns(c, anon, keyEnv)
	if c.memData != "" {
		rep.mem = memCheck(c, anon, keyEnv)
	}
	if c.pprof {
		rep.pprof, rep.pprofErr = profile(c)
	}
	rep.load1 = loadAvg()

	md := rep.markdown(previousNotes(c.results))
	fmt.Println(rep.table())
	if err := os.WriteFile(c.results, []byte(md), 0o644); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	fmt.Println("wrote", c.results)
	return nil
}

// adultRun is one timed k-anonymity profile.
type adultRun struct {
	name    string
	samples []sample
	err     error
}

// adultRuns times anon run on the Adult data with the global and local
// k-anonymity profiles.
func adultRuns(c config, anon string, keyEnv []string) []adultRun {
	profiles := []struct{ name, path string }{
		{"global (profiles/examples/adult-kanon.yaml)", "profiles/examples/adult-kanon.yaml"},
		{"local (benchmarks/profiles/adult-local.yaml)", "benchmarks/profiles/adult-local.yaml"},
	}
	inputs := []struct{ label, path string }{{"Adult, 30,162 rows", "testdata/adult/adult.csv"}}
	if c.kanonData != "" {
		inputs = append(inputs, struct{ label, path string }{
			"resampled Adult, " + filepath.Base(c.kanonData), c.kanonData})
	}
	var runs []adultRun
	for _, in := range inputs {
		reps := c.reps
		if in.path != "testdata/adult/adult.csv" {
			reps = 1 // the large table: one run each
		}
		for _, p := range profiles {
			ar := adultRun{name: p.name + " on " + in.label}
			for r := 0; r < reps; r++ {
				s, err := measure([]string{anon, "run", "--force", "--no-progress",
					"--profile", p.path, "--input", in.path,
					"--delimiter", ";", "--output", filepath.Join(c.tmp, "adult.csv")}, keyEnv)
				os.Remove(filepath.Join(c.tmp, "adult.csv"))
				if err != nil {
					ar.err = err
					break
				}
				ar.samples = append(ar.samples, s)
			}
			fmt.Fprintf(os.Stderr, "bench: %s done\n", ar.name)
			runs = append(runs, ar)
		}
	}
	return runs
}

// memResult is the reference profile on the larger table.
type memResult struct {
	rows  int64
	pairs []pair
	rss   []int64
	wall  []time.Duration
	err   error
}

// memCheck runs the reference profile once per Parquet-output pair on the
// larger table, to compare peak RSS with the main run.
func memCheck(c config, anon string, keyEnv []string) *memResult {
	m := &memResult{}
	m.rows, m.err = rowCount(filepath.Join(c.memData, "people.parquet"))
	if m.err != nil {
		return m
	}
	for _, p := range []pair{{"csv", "parquet"}, {"parquet", "parquet"}} {
		out := filepath.Join(c.tmp, "mem."+p.out)
		s, err := measure([]string{anon, "run", "--force", "--no-progress", "--profile",
			"benchmarks/profiles/reference.yaml", "--input",
			filepath.Join(c.memData, "people."+p.in), "--output", out}, keyEnv)
		os.Remove(out)
		if err != nil {
			m.err = err
			return m
		}
		m.pairs = append(m.pairs, p)
		m.rss = append(m.rss, s.rssKiB)
		m.wall = append(m.wall, s.wall)
	}
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
