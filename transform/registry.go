package transform

import "fmt"

// registry lists every strategy, sorted by name. A test checks the order and
// that names are unique. Add a strategy here and in its own file.
var registry = []*Spec{
	constantSpec,
	dropSpec,
	fakeSpec,
	generalizeSpec,
	hashSpec,
	keepSpec,
	maskSpec,
	noiseSpec,
	nullSpec,
	scrubSpec,
	tokenizeSpec,
}

// Specs returns the specs of every strategy, sorted by name. The slice must
// not be modified.
func Specs() []*Spec {
	return registry
}

// Lookup returns the spec of the strategy called name.
func Lookup(name string) (*Spec, error) {
	for _, s := range registry {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownStrategy, name)
}
