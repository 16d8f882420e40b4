package transform

import "errors"

// TODO(helper): placeholder until the mask strategy lands.
var maskSpec = &Spec{
	Name:    "mask",
	Summary: "not yet implemented",
	New:     func(Options) (Strategy, error) { return nil, errors.New("mask: not implemented") },
}
