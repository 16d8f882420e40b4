package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names the hidden environment variable that makes anon write
// a CPU profile of the whole process, for benchmarks (`go tool pprof`).
const cpuProfileEnv = "ANON_CPUPROFILE"

// startCPUProfile starts a CPU profile into the file named by ANON_CPUPROFILE
// and returns the function that stops it and closes the file; without the
// variable it does nothing. A failure is reported on stderr and never stops
// the run.
//
// main must call it around run, before os.Exit:
//
//	stopProfile := startCPUProfile(os.Stderr)
//	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
//	stopProfile()
func startCPUProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv(cpuProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "anon: %s: %v\n", cpuProfileEnv, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fmt.Fprintf(stderr, "anon: %s: start CPU profile: %v\n", cpuProfileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "anon: %s: close %s: %v\n", cpuProfileEnv, path, err)
		}
	}
}
