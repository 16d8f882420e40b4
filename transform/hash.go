package transform

import "errors"

// TODO(helper): placeholder until the hash strategy lands.
var hashSpec = &Spec{
	Name:    "hash",
	Summary: "not yet implemented",
	New:     func(Options) (Strategy, error) { return nil, errors.New("hash: not implemented") },
}
