package transform

import "errors"

// TODO(helper): placeholder until the fake strategy lands.
var fakeSpec = &Spec{
	Name:    "fake",
	Summary: "not yet implemented",
	New:     func(Options) (Strategy, error) { return nil, errors.New("fake: not implemented") },
}
