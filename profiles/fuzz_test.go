package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzProfileParse checks that any bytes given as a profile never panic the
// parser, and that every problem it reports is an *Error.
func FuzzProfileParse(f *testing.F) {
	examples, _ := filepath.Glob(filepath.Join("examples", "*.yaml"))
	for _, path := range examples {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range []string{
		"version: 1\ncolumns:\n  a: keep\n",
		"version: 1\ndefault: null\ncolumns: {}\n",
		"version: 1\ncolumns:\n  a: {strategy: mask, keep_first: 2, keep_last: 2}\n",
		"version: 1\ncolumns:\n  a: {strategy: hash, length: 8, unique: true}\n",
		"version: 1\ncolumns:\n  a: {strategy: noise, scale: 1e3, min: 0}\n",
		"version: 1\ncolumns:\n  a: {strategy: fake, kind: email, type: string}\n",
		"version: 1\naudit_log: a.jsonl\ncolumns:\n  a: null\n  b:\n",
		"version: 1\ncolumns:\n  zip: keep\nk_anonymity:\n  k: 2\n" +
			"  quasi_identifiers:\n    zip: {mask_suffix: true}\n",
		"version: 2\ncolumns: [a, b]\n",
		"- a\n- b\n",
		"a: &x [*x]\n",
		"version: 1\n---\nversion: 1\n",
		"{version: 1, columns: {a: {strategy: generalize, bins: [1, 2, 3]}}}",
		"version: 1\ncolumns:\n  \"\\u0000\": {strategy: constant, value: !!binary AAAA}\n",
		"\t- :",
		"",
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml", dir)
		if err == nil {
			if p == nil {
				t.Fatal("nil profile without an error")
			}
			_ = p.Guardrails(nil)
			return
		}
		for _, e := range unjoin(err) {
			var pe *Error
			if !errors.As(e, &pe) {
				t.Fatalf("error %T %q is not a *profiles.Error", e, e)
			}
		}
	})
}
