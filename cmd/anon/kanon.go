package main

import (
	"context"
	"errors"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
)

// prepareKAnonymity runs the first pass of k-anonymity when the profile asks
// for it and adds the resulting stage to the plan. It returns the report.
func prepareKAnonymity(ctx context.Context, prof *profiles.Profile, plan *transform.Plan,
	in string, ropt formats.ReadOptions) (any, error) {
	if !prof.HasKAnonymity() {
		return nil, nil
	}
	return nil, usageError(errors.New("k_anonymity is not wired yet"))
}
