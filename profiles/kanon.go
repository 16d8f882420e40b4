package profiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/anon-data/anon/transform/kanon"
)

// kAnonymity decodes and checks the k_anonymity section. Quasi-identifier
// columns belong to k-anonymity: the columns section may name them only as
// keep, and need not name them at all.
func (c *checker) kAnonymity(node ast.Node, columns []Column) *kanon.Config {
	var cfg kanon.Config
	err := yaml.NodeToValue(node, &cfg, yaml.Strict(), yaml.DisallowUnknownField())
	if err != nil {
		c.add(node, "k_anonymity", fmt.Errorf("%s", yaml.FormatError(err, false, false)))
		return nil
	}

	read := func(path string) ([]byte, error) {
		if !filepath.IsAbs(path) {
			path = filepath.Join(c.dir, path)
		}
		return os.ReadFile(path)
	}
	if err := cfg.Load(read); err != nil {
		for _, e := range unjoin(err) {
			c.add(node, "", e)
		}
		return nil
	}

	qi := map[string]bool{}
	for _, name := range cfg.Columns() {
		qi[name] = true
	}
	for _, col := range columns {
		if qi[col.Name] && col.Strategy != "keep" {
			c.errs = append(c.errs, &Error{File: c.file, Line: col.Line,
				Path: "columns." + col.Name, Err: fmt.Errorf("is a quasi-identifier of "+
					"k_anonymity, which generalizes it; write `%s: keep` or leave it out",
					col.Name)})
		}
	}
	return &cfg
}

// unjoin splits an errors.Join error into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{errors.Unwrap(err), err}[1:]
}
