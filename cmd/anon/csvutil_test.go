package main

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// csvColumn returns the values of column name in CSV text, read with the
// standard library's reader as an independent check.
func csvColumn(t *testing.T, text, name string) []string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	idx := -1
	for i, h := range records[0] {
		if h == name {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatalf("no column %q", name)
	}
	var out []string
	for _, r := range records[1:] {
		out = append(out, r[idx])
	}
	return out
}

func mkdir(dir string) error { return os.MkdirAll(dir, 0o755) }
