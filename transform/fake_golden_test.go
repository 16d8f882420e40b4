package transform

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// goldenFakePath holds the expected fakes for a fixed key. It exists to catch
// a gofakeit upgrade (or a change here) that silently remaps every value:
// users rely on the same input giving the same fake across versions.
var goldenFakePath = filepath.Join("..", "testdata", "golden", "fake_kinds.json")

// goldenFakeKey is the fixed key of the golden file; never change it.
const goldenFakeKey = "anon golden key: never change this"

func init() {
	// Other golden tests in the package may register -update too.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files with the current output")
	}
}

// updateGolden reports whether -update was given.
func updateGolden() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// goldenFakeCase is one kind's inputs and outputs in the golden file.
type goldenFakeCase struct {
	Kind  FakeKind    `json:"kind"`
	Pairs [][2]string `json:"pairs"`
}

// goldenFakeInputs returns the 10 inputs of kind.
func goldenFakeInputs(kind FakeKind) []string {
	if kind == FakeDateOfBirth {
		return []string{"1985-03-04", "03/04/1985", "3/4/1985", "1985-03-04T10:00:00Z",
			"1985-03-04T10:00:00+02:00", "1999-12-31", "12/31/1999", "not a date", "",
			"2000-02-29"}
	}
	return []string{"Ana Test", "Bo Test", "ana.test@example.org", "+15550100123",
		"4111-1111-1111-1234", "", "42", "Zoë Łukasz", "密码令牌", "DE89370400440532013000"}
}

func TestFakeGolden(t *testing.T) {
	var got []goldenFakeCase
	for _, kind := range FakeKinds() {
		t.Run(string(kind), func(t *testing.T) {
			in := goldenFakeInputs(kind)
			s := fakeBuild(t, kind, "golden", map[string]any{"namespace": "golden"})
			out := txApply(t, s, txWorker(t, goldenFakeKey), "golden", txStrings(in...))
			c := goldenFakeCase{Kind: kind}
			for i := range in {
				c.Pairs = append(c.Pairs, [2]string{in[i], out[i].(string)})
			}
			got = append(got, c)
		})
	}
	gotJSON, err := marshalGoldenFakes(got)
	if err != nil {
		t.Fatal(err)
	}

	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(goldenFakePath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFakePath, gotJSON, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenFakePath)
		return
	}

	want, err := os.ReadFile(goldenFakePath)
	if err != nil {
		t.Fatalf("%v (run go test ./transform -run Golden -update to create it)", err)
	}
	if bytes.Equal(want, gotJSON) {
		return
	}

	var wantCases []goldenFakeCase
	if err := json.Unmarshal(want, &wantCases); err != nil {
		t.Fatalf("reading %s: %v", goldenFakePath, err)
	}
	byKind := map[FakeKind]goldenFakeCase{}
	for _, c := range wantCases {
		byKind[c.Kind] = c
	}
	for _, c := range got {
		w, ok := byKind[c.Kind]
		if !ok {
			t.Errorf("kind %s missing from the golden file", c.Kind)
			continue
		}
		for i, p := range c.Pairs {
			if i >= len(w.Pairs) || w.Pairs[i] != p {
				t.Errorf("kind %s input %d: got %q, golden file has %v",
					c.Kind, i, p[1], w.Pairs[min(i, len(w.Pairs)-1)])
			}
		}
	}
	t.Error("fakes differ from the golden file; if the change is intended (a gofakeit " +
		"upgrade remaps every fake), rerun with -update and say so in the release notes")
}

// marshalGoldenFakes writes the cases as JSON with one input/output pair per
// line, so that a diff of the file reads well.
func marshalGoldenFakes(cases []goldenFakeCase) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, c := range cases {
		kind, err := json.Marshal(c.Kind)
		if err != nil {
			return nil, err
		}
		b.WriteString(`  {"kind": `)
		b.Write(kind)
		b.WriteString(`, "pairs": [` + "\n")
		for j, p := range c.Pairs {
			pair, err := json.Marshal(p)
			if err != nil {
				return nil, err
			}
			b.WriteString("    ")
			b.Write(pair)
			if j < len(c.Pairs)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("  ]}")
		if i < len(cases)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return b.Bytes(), nil
}
