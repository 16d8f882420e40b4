package profiles

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/anon-data/anon/transform"
	"github.com/anon-data/anon/transform/kanon"
)

// CurrentVersion is the profile format version this build reads.
const CurrentVersion = 1

// Defaults a profile may set for columns it does not name. "error" (the
// default) refuses to run; the others apply that strategy.
var Defaults = []string{"error", "keep", "null", "drop"}

// Profile is a parsed and validated profile.
type Profile struct {
	// Path is the file the profile was read from, or a name for errors.
	Path string

	// SHA256 is the hex digest of the profile's bytes, for audit records.
	SHA256 string

	// Version is the format version.
	Version int

	// Default is the strategy for columns the profile does not name.
	Default string

	// Columns are the named columns, in profile order.
	Columns []Column

	// KAnonymity is the k_anonymity section, or nil. Its hierarchy files are
	// loaded.
	KAnonymity *kanon.Config

	// AuditLog is the `audit_log` key: the file each run appends its audit
	// record to, resolved against the profile's folder; "" if unset.
	AuditLog string

	// dir resolves relative file paths.
	dir string

	// src is the profile's text, for the guardrails' key positions.
	src []byte
}

// Column is one column's entry.
type Column struct {
	// Name is the column's name in the input.
	Name string

	// Strategy is the strategy's name.
	Strategy string

	// Type, if set, declares the column's Arrow type for text inputs (CSV).
	Type arrow.DataType

	// Unique is set by `unique: true`: distinct inputs must give distinct
	// outputs, and the profile is refused unless the strategy promises it.
	Unique bool

	// Spec is the strategy's specification.
	Spec *transform.Spec

	// Impl is the built strategy.
	Impl transform.Strategy

	// Line is the column's line in the profile.
	Line int
}

// Error is a problem at one place in a profile.
type Error struct {
	// File is the profile's path.
	File string

	// Line and Col are 1-based; 0 when unknown.
	Line, Col int

	// Path is the key's path, such as columns.zip.keep_first.
	Path string

	// Err is the cause.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	}
	if e.Path == "" {
		return fmt.Sprintf("%s: %v", where, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", where, e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error {
	return e.Err
}

// Load reads and validates the profile at path.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	return Parse(data, path, filepath.Dir(path))
}

// Parse validates a profile held in data. name is used in errors; dir
// resolves relative file paths (hierarchies). All problems are returned
// together, joined with errors.Join, each an *Error.
func Parse(data []byte, name, dir string) (*Profile, error) {
	sum := sha256.Sum256(data)
	p := &Profile{Path: name, SHA256: hex.EncodeToString(sum[:]), Default: "error", dir: dir,
		src: data}
	c := &checker{file: name, dir: dir, lines: strings.Split(string(data), "\n")}

	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("not valid YAML: %w", err)}
	}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, &Error{File: name, Err: errors.New("want one YAML document")}
	}
	root, ok := f.Docs[0].Body.(*ast.MappingNode)
	if !ok {
		return nil, c.at(f.Docs[0].Body, "", errors.New("a profile is a mapping of keys"))
	}

	var columns, kanonNode ast.Node
	seen := map[string]bool{}
	for _, kv := range root.Values {
		key := kv.Key.String()
		seen[key] = true
		switch key {
		case "version":
			if err := yaml.NodeToValue(kv.Value, &p.Version); err != nil {
				c.add(kv.Value, "version", errors.New("want a whole number"))
			}
		case "default":
			// `default: null` reads as YAML null; it means the null strategy.
			if n, ok := kv.Value.(*ast.NullNode); ok && c.writtenNull(n) {
				p.Default = "null"
				continue
			}
			if err := yaml.NodeToValue(kv.Value, &p.Default); err != nil ||
				!contains(Defaults, p.Default) {
				c.add(kv.Value, "default", fmt.Errorf("want one of %s",
					strings.Join(Defaults, ", ")))
			}
		case "columns":
			columns = kv.Value
		case "k_anonymity":
			kanonNode = kv.Value
		case "audit_log":
			p.AuditLog = c.auditLog(kv.Value)
		default:
			c.add(kv.Key, key, errors.New("unknown key (want version, default, "+
				"columns, k_anonymity or audit_log)"))
		}
	}

	if !seen["version"] {
		c.add(root, "version", errors.New("missing; add `version: 1`"))
	} else if p.Version != CurrentVersion {
		c.add(root, "version", fmt.Errorf("version %d is not supported; this build reads %d",
			p.Version, CurrentVersion))
	}
	if columns == nil {
		c.add(root, "columns", errors.New("missing; name every column of the input"))
	} else {
		p.Columns = c.columns(columns)
	}
	if kanonNode != nil {
		p.KAnonymity = c.kAnonymity(kanonNode, p.Columns)
	}

	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return p, nil
}

// Rules returns one rule per column of schema: the profile's strategy for
// each named column and the profile's default for the others. With the
// default "error", unnamed columns are left out, and [transform.NewPlan]
// reports them all.
func (p *Profile) Rules(schema *arrow.Schema) []transform.Rule {
	named := map[string]Column{}
	for _, c := range p.Columns {
		named[c.Name] = c
	}

	qi := map[string]bool{}
	if p.KAnonymity != nil {
		for _, name := range p.KAnonymity.Columns() {
			qi[name] = true
		}
	}

	var rules []transform.Rule
	for _, f := range schema.Fields() {
		if qi[f.Name] {
			rules = append(rules, transform.Rule{Column: f.Name, Strategy: "k-anonymity",
				Impl: transform.Keep{}})
			continue
		}
		if c, ok := named[f.Name]; ok {
			rules = append(rules, transform.Rule{Column: c.Name, Strategy: c.Strategy, Impl: c.Impl})
			continue
		}
		if p.Default == "error" || p.Default == "" {
			continue
		}
		spec, _ := transform.Lookup(p.Default)
		impl, _ := spec.New(transform.NewOptions(f.Name, nil))
		rules = append(rules, transform.Rule{Column: f.Name, Strategy: p.Default, Impl: impl})
	}
	return rules
}

// Unnamed returns the schema's columns the profile does not name, sorted.
func (p *Profile) Unnamed(schema *arrow.Schema) []string {
	named := map[string]bool{}
	for _, c := range p.Columns {
		named[c.Name] = true
	}
	var out []string
	for _, f := range schema.Fields() {
		if !named[f.Name] {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// ColumnTypes returns the declared types, for text readers.
func (p *Profile) ColumnTypes() map[string]arrow.DataType {
	out := map[string]arrow.DataType{}
	for _, c := range p.Columns {
		if c.Type != nil {
			out[c.Name] = c.Type
		}
	}
	return out
}

// Keyed returns the names of the strategies in use that need the secret key.
func (p *Profile) Keyed() []string {
	set := map[string]bool{}
	for _, c := range p.Columns {
		if c.Spec != nil && c.Spec.Keyed {
			set[c.Strategy] = true
		}
	}
	var out []string
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Column returns the entry for name, and whether the profile names it.
func (p *Profile) Column(name string) (Column, bool) {
	for _, c := range p.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
