package transform

import "errors"

// TODO(helper): placeholder until the noise strategy lands.
var noiseSpec = &Spec{
	Name:    "noise",
	Summary: "not yet implemented",
	New:     func(Options) (Strategy, error) { return nil, errors.New("noise: not implemented") },
}
