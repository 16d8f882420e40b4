package transform

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

func TestRegistrySortedAndUnique(t *testing.T) {
	names := make([]string, len(Specs()))
	for i, s := range Specs() {
		names[i] = s.Name
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("registry is not sorted: %v", names)
	}
	for i := 1; i < len(names); i++ {
		if names[i] == names[i-1] {
			t.Errorf("strategy %q is registered twice", names[i])
		}
	}
}

// TestSpecsComplete checks that every spec can be documented and looked up:
// help and the README are generated from these fields.
func TestSpecsComplete(t *testing.T) {
	for _, s := range Specs() {
		t.Run(s.Name, func(t *testing.T) {
			if s.Summary == "" || s.Example == "" || s.New == nil {
				t.Errorf("spec %q lacks a summary, an example or a constructor", s.Name)
			}
			if !strings.Contains(s.Example, s.Name) && s.Name != "keep" {
				t.Errorf("example %q does not use strategy %q", s.Example, s.Name)
			}
			got, err := Lookup(s.Name)
			if err != nil || got != s {
				t.Errorf("Lookup(%q) = %v, %v", s.Name, got, err)
			}
			seen := map[string]bool{}
			for _, p := range s.Params {
				if p.Doc == "" {
					t.Errorf("option %q has no doc", p.Name)
				}
				if seen[p.Name] {
					t.Errorf("option %q declared twice", p.Name)
				}
				seen[p.Name] = true
				if p.Type == ParamEnum && len(p.Enum) == 0 {
					t.Errorf("enum option %q lists no values", p.Name)
				}
			}
		})
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("scramble")
	if !errors.Is(err, ErrUnknownStrategy) {
		t.Errorf("Lookup(scramble) error = %v, want ErrUnknownStrategy", err)
	}
}
