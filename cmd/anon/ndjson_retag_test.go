package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRewrittenJSONColumnsAreStrings runs strategies over NDJSON columns kept
// as raw JSON (nested objects, arrays) or as exact big integers, and checks
// that every output line is valid JSON in which a rewritten value is a string
// and a kept value is unchanged.
func TestRewrittenJSONColumnsAreStrings(t *testing.T) {
	const input = `{"id":1,"obj":{"a":1},"big":123456789012345678901234567890,"arr":[1,2]}` +
		"\n" + `{"id":2,"obj":{"a":2},"big":98765432109876543210987654321,"arr":[3]}` + "\n"
	tests := []struct {
		name     string
		strategy string
		want     map[string]any // the first row's values of obj, big and arr
	}{
		{"keep", "keep", map[string]any{"obj": map[string]any{"a": json.Number("1")},
			"big": json.Number("123456789012345678901234567890"),
			"arr": []any{json.Number("1"), json.Number("2")}}},
		{"constant that looks like JSON", "{strategy: constant, value: '[1]'}",
			map[string]any{"obj": "[1]", "big": "[1]", "arr": "[1]"}},
		{"constant that looks like a number", "{strategy: constant, value: '123'}",
			map[string]any{"obj": "123", "big": "123", "arr": "123"}},
		{"mask", "mask", nil},
		{"generalize", "{strategy: generalize, keep_first: 3}", nil},
		{"hash", "{strategy: hash, length: 8}", nil},
		{"scrub", "scrub", nil},
	}
	for _, tc := range tests {
		for _, ext := range []string{"ndjson", "json"} {
			t.Run(tc.name+"/"+ext, func(t *testing.T) {
				dir := t.TempDir()
				in := writeFile(t, dir, "in.ndjson", input)
				prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
					"  obj: "+tc.strategy+"\n  big: "+tc.strategy+"\n  arr: "+tc.strategy+"\n")
				out := filepath.Join(dir, "out."+ext)
				t.Setenv("ANON_KEY", testKey)
				mustRun(t, "run", "-p", prof, "-i", in, "-o", out, "--no-progress")
				rows := decodeRows(t, readFile(t, out), ext == "json")
				if len(rows) != 2 {
					t.Fatalf("got %d rows, want 2", len(rows))
				}
				for _, col := range []string{"obj", "big", "arr"} {
					got := rows[0][col]
					if tc.want == nil {
						if _, ok := got.(string); !ok {
							t.Errorf("%s = %#v, want a string", col, got)
						}
						continue
					}
					if !jsonEqual(got, tc.want[col]) {
						t.Errorf("%s = %#v, want %#v", col, got, tc.want[col])
					}
				}
			})
		}
	}
}

// decodeRows parses NDJSON, or a JSON array when asArray is set, failing the
// test on any invalid JSON.
func decodeRows(t *testing.T, s string, asArray bool) []map[string]any {
	t.Helper()
	var rows []map[string]any
	if asArray {
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		if err := d.Decode(&rows); err != nil {
			t.Fatalf("output is not a JSON array of objects: %v\n%s", err, s)
		}
		return rows
	}
	for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		var row map[string]any
		d := json.NewDecoder(strings.NewReader(line))
		d.UseNumber()
		if err := d.Decode(&row); err != nil {
			t.Fatalf("output line %d is not a JSON object: %v\n%s", i+1, err, line)
		}
		rows = append(rows, row)
	}
	return rows
}

// jsonEqual compares two decoded JSON values by their encoding.
func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// TestEmptyObjectsKeepTheirRows checks that records without keys go through
// to NDJSON and JSON with every row, and are refused, leaving no output, for
// CSV and Parquet, which cannot hold rows without columns.
func TestEmptyObjectsKeepTheirRows(t *testing.T) {
	tests := []struct {
		name, in, ext string
		want          string // "" when the run must fail
	}{
		{"ndjson to ndjson", "{}\n{}\n{}\n", "ndjson", "{}\n{}\n{}\n"},
		{"ndjson to json", "{}\n{}\n", "json", "[{},\n{}]\n"},
		{"ndjson to csv", "{}\n{}\n", "csv", ""},
		{"ndjson to parquet", "{}\n{}\n", "parquet", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeFile(t, dir, "in.ndjson", tc.in)
			prof := writeFile(t, dir, "p.yaml", keepAll)
			out := filepath.Join(dir, "out."+tc.ext)
			r := anon(t, "", "run", "-p", prof, "-i", in, "-o", out, "--no-progress")
			if tc.want == "" {
				if r.code != exitUsage || !strings.Contains(r.stderr, "no columns") {
					t.Fatalf("exit %d, want %d and a message\n%s", r.code, exitUsage, r.stderr)
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("output left behind")
				}
				return
			}
			if r.code != exitOK {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if got := readFile(t, out); got != tc.want {
				t.Errorf("output %q, want %q", got, tc.want)
			}
			n := strings.Count(tc.in, "\n")
			if want := fmt.Sprintf("rows written  %d", n); !strings.Contains(r.stderr, want) &&
				!strings.Contains(r.stdout, want) {
				t.Errorf("summary lacks %q:\n%s", want, r.stderr)
			}
		})
	}
}
