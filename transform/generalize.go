package transform

import "errors"

// TODO(helper): placeholder until the generalize strategy lands.
var generalizeSpec = &Spec{
	Name:    "generalize",
	Summary: "not yet implemented",
	New:     func(Options) (Strategy, error) { return nil, errors.New("generalize: not implemented") },
}
