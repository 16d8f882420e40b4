package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// profile runs BenchmarkAnonRun (profile_test.go) under -cpuprofile on the
// CSV input with the reference profile, and returns the top of
// `go tool pprof -top`. The profile and the test binary stay in the scratch
// directory only for the duration of the run; the pprof file is also kept as
// out/bench/cpu-reference-csv-parquet.pprof for a closer look.
func profile(c config) (string, error) {
	dir, err := filepath.Abs(c.tmp)
	if err != nil {
		return "", fmt.Errorf("profile: %w", err)
	}
	in, err := filepath.Abs(filepath.Join(c.data, "people.csv"))
	if err != nil {
		return "", fmt.Errorf("profile: %w", err)
	}
	prof := filepath.Join(dir, "cpu.pprof")
	bin := filepath.Join(dir, "run.test")
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkAnonRun$",
		"-benchtime", "1x", "-cpuprofile", prof, "-o", bin, "./benchmarks/run")
	cmd.Env = append(os.Environ(),
		"BENCH_PROFILE_INPUT="+in,
		"BENCH_PROFILE_PROFILE="+mustAbs("benchmarks/profiles/reference.yaml"),
		"BENCH_PROFILE_OUTPUT="+filepath.Join(dir, "profile.parquet"),
		"ANON_KEY="+c.key)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -cpuprofile: %w: %s", err, tail(out))
	}
	fmt.Fprintln(os.Stderr, "bench: CPU profile taken")
	keep := filepath.Join(filepath.Dir(filepath.Clean(c.data)), "cpu-reference-csv-parquet.pprof")
	if b, err := os.ReadFile(prof); err == nil {
		_ = os.WriteFile(keep, b, 0o644)
	}
	top, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=25", bin,
		prof).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w: %s", err, tail(top))
	}
	// Drop pprof's header lines about the binary and build ID.
	var lines []string
	for _, l := range strings.Split(string(top), "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") ||
			strings.HasPrefix(l, "Type:") || strings.HasPrefix(l, "Time:") {
			continue
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n"), nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

func tail(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 600 {
		s = s[len(s)-600:]
	}
	return s
}
