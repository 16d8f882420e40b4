package main

import (
	"context"
	"os"
	"testing"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
)

// BenchmarkAnonRun does in-process what `anon run` does (load the profile,
// open the input with the profile's column types, plan, run the pipeline,
// write Parquet or CSV), so that `go test -cpuprofile` can profile it. It is
// skipped unless BENCH_PROFILE_INPUT, BENCH_PROFILE_PROFILE and
// BENCH_PROFILE_OUTPUT are set; ANON_KEY keys the strategies. The runner
// (profile.go) sets them.
func BenchmarkAnonRun(b *testing.B) {
	in, profPath := os.Getenv("BENCH_PROFILE_INPUT"), os.Getenv("BENCH_PROFILE_PROFILE")
	out := os.Getenv("BENCH_PROFILE_OUTPUT")
	if in == "" || profPath == "" || out == "" {
		b.Skip("set BENCH_PROFILE_INPUT, BENCH_PROFILE_PROFILE and BENCH_PROFILE_OUTPUT")
	}
	secret := transform.NewSecret([]byte(os.Getenv("ANON_KEY")))
	defer os.Remove(out)
	for b.Loop() {
		if err := anonRun(in, profPath, out, secret); err != nil {
			b.Fatal(err)
		}
	}
}

func anonRun(in, profPath, out string, secret transform.Secret) error {
	prof, err := profiles.Load(profPath)
	if err != nil {
		return err
	}
	inFormat, err := formats.Detect(in, "", "")
	if err != nil {
		return err
	}
	outFormat, err := formats.Detect(out, "", "")
	if err != nil {
		return err
	}
	r, err := formats.Open(in, formats.ReadOptions{Format: inFormat,
		ColumnTypes: prof.ColumnTypes()})
	if err != nil {
		return err
	}
	defer r.Close()
	plan, err := transform.NewPlan(r.Schema(), prof.Rules(r.Schema()))
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := formats.NewWriter(f, plan.OutputSchema(), formats.WriteOptions{
		Format: outFormat, Name: out})
	if err != nil {
		return err
	}
	if _, err := transform.Run(context.Background(), plan, r, w,
		transform.RunOptions{Secret: secret}); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}
