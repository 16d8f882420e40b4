package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
)

// sampleInput reads up to profiles.SampleRows rows of reader for the
// guardrails. A read error ends the sample early; the run reports it.
func sampleInput(prof *profiles.Profile, reader formats.Reader) *profiles.Sample {
	s := prof.NewSample()
	for !s.Full() && reader.Next() {
		s.Add(reader.RecordBatch())
	}
	return s
}

// logGuardrails logs the profile's weak settings at warn level. The input,
// unless it is standard input, is sampled with a reader of its own.
func logGuardrails(logger *slog.Logger, prof *profiles.Profile, in string,
	ropt formats.ReadOptions) {
	var sample *profiles.Sample
	if in != "-" {
		if r, err := formats.Open(in, ropt); err == nil {
			sample = sampleInput(prof, r)
			r.Close()
		}
	}
	for _, w := range prof.Guardrails(sample) {
		logger.Warn("weak profile setting", "profile", w.File, "line", w.Line,
			"key", w.Path, "warning", w.Message)
	}
}

// printGuardrails prints the weak settings to w for `anon validate` and, with
// strict, fails when there are any.
func printGuardrails(w io.Writer, ws []profiles.Warning, strict bool) error {
	for _, x := range ws {
		fmt.Fprintf(w, "warning: %s\n", x)
	}
	if strict && len(ws) > 0 {
		return usageError(fmt.Errorf("%d weak profile setting(s); --strict makes them "+
			"errors", len(ws)))
	}
	return nil
}
