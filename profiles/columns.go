package profiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/anon-data/anon/transform"
)

// checker collects every problem found in one profile.
type checker struct {
	file  string
	dir   string
	lines []string
	errs  []error
}

// at returns an *Error located at node.
func (c *checker) at(node ast.Node, path string, err error) *Error {
	e := &Error{File: c.file, Path: path, Err: err}
	if node != nil {
		if tk := node.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
	}
	return e
}

// add records an *Error located at node.
func (c *checker) add(node ast.Node, path string, err error) {
	c.errs = append(c.errs, c.at(node, path, err))
}

// keyString returns a mapping key's text, unquoted.
func keyString(n ast.MapKeyNode) string {
	var s string
	if err := yaml.NodeToValue(n, &s); err == nil {
		return s
	}
	return n.String()
}

// columns parses the columns section: a mapping from column name to either a
// strategy name or a mapping with `strategy`, an optional `type`, an optional
// `unique`, and the strategy's options.
func (c *checker) columns(node ast.Node) []Column {
	m, ok := node.(*ast.MappingNode)
	if !ok {
		c.add(node, "columns", errors.New("want a mapping from column name to strategy"))
		return nil
	}

	var out []Column
	seen := map[string]bool{}
	for _, kv := range m.Values {
		name := keyString(kv.Key)
		path := "columns." + name
		if seen[name] {
			c.add(kv.Key, path, errors.New("the column is named twice"))
			continue
		}
		seen[name] = true

		col, ok := c.column(name, path, kv.Value)
		if ok {
			col.Line = kv.Key.GetToken().Position.Line
			out = append(out, col)
		}
	}
	return out
}

// column parses one column's entry.
func (c *checker) column(name, path string, node ast.Node) (Column, bool) {
	col := Column{Name: name}
	raw := map[string]any{}
	keyNodes := map[string]ast.Node{}

	switch n := node.(type) {
	case *ast.StringNode:
		col.Strategy = n.Value
	case *ast.NullNode:
		// `ssn: null` reads as YAML null; it means the null strategy. An
		// empty entry (`ssn:`) is an error, not a guess.
		if !c.writtenNull(n) {
			c.add(node, path, errors.New("no strategy given; write one, such as keep"))
			return col, false
		}
		col.Strategy = "null"
	case *ast.MappingNode:
		for _, kv := range n.Values {
			key := keyString(kv.Key)
			keyNodes[key] = kv.Key
			switch key {
			case "strategy":
				if err := yaml.NodeToValue(kv.Value, &col.Strategy); err != nil {
					c.add(kv.Value, path+".strategy", errors.New("want a strategy name"))
					return col, false
				}
			case "type":
				var t string
				_ = yaml.NodeToValue(kv.Value, &t)
				dt, err := ParseType(t)
				if err != nil {
					c.add(kv.Value, path+".type", err)
					return col, false
				}
				col.Type = dt
			case "unique":
				if err := yaml.NodeToValue(kv.Value, &col.Unique); err != nil {
					c.add(kv.Value, path+".unique", errors.New("want true or false"))
					return col, false
				}
			default:
				var v any
				if err := yaml.NodeToValue(kv.Value, &v); err != nil {
					c.add(kv.Value, path+"."+key, fmt.Errorf("cannot read the value: %w", err))
					return col, false
				}
				raw[key] = v
			}
		}
		if col.Strategy == "" {
			c.add(node, path, errors.New("missing `strategy`"))
			return col, false
		}
	default:
		c.add(node, path, errors.New("want a strategy name (keep) or a mapping "+
			"({strategy: mask, keep_last: 4})"))
		return col, false
	}

	spec, err := transform.Lookup(col.Strategy)
	if err != nil {
		c.add(node, path+".strategy", fmt.Errorf("%w; see `anon strategies`", err))
		return col, false
	}
	col.Spec = spec

	// File options name a file relative to the profile; hand its bytes over.
	for key, v := range raw {
		p := spec.Param(key)
		if p == nil || p.Type != transform.ParamFile {
			continue
		}
		data, err := c.readFile(v)
		if err != nil {
			c.add(keyNodes[key], path+"."+key, err)
			return col, false
		}
		raw[key] = data
	}

	opts, errs := spec.Parse(name, raw)
	opts = opts.WithUnique(col.Unique)
	for _, err := range errs {
		c.add(c.nodeFor(err, keyNodes, node), c.pathFor(err, path), err)
	}
	if len(errs) > 0 {
		return col, false
	}

	if col.Unique {
		if err := spec.CheckUnique(opts); err != nil {
			c.add(keyNodes["unique"], path+".unique", err)
			return col, false
		}
	}

	impl, err := spec.New(opts)
	if err != nil {
		c.add(c.nodeFor(err, keyNodes, node), c.pathFor(err, path), err)
		return col, false
	}
	col.Impl = impl
	return col, true
}

// writtenNull reports whether a null node was written as the word null,
// rather than left empty.
func (c *checker) writtenNull(n *ast.NullNode) bool {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 ||
		tk.Position.Line > len(c.lines) {
		return false
	}
	line := c.lines[tk.Position.Line-1]
	col := tk.Position.Column - 1
	if col < 0 || col > len(line) {
		return false
	}
	return strings.HasPrefix(line[col:], "null")
}

// readFile reads a file option, relative to the profile's folder.
func (c *checker) readFile(v any) ([]byte, error) {
	rel, ok := v.(string)
	if !ok || rel == "" {
		return nil, errors.New("want a file path")
	}
	path := rel
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.dir, rel)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read file: %w", err)
	}
	return data, nil
}

// nodeFor returns the node of the option a *transform.ParamError names.
func (c *checker) nodeFor(err error, keys map[string]ast.Node, fallback ast.Node) ast.Node {
	var pe *transform.ParamError
	if errors.As(err, &pe) {
		if n, ok := keys[pe.Param]; ok {
			return n
		}
	}
	return fallback
}

// pathFor returns the key path of the option a *transform.ParamError names.
// The option's name is then dropped from the message, which the path says.
func (c *checker) pathFor(err error, path string) string {
	var pe *transform.ParamError
	if errors.As(err, &pe) && pe.Param != "" {
		return path + "." + pe.Param
	}
	return path
}

// ParseType turns a declared column type into an Arrow type. Accepted:
// string, int64, float64, bool, date, timestamp (wall-clock, microseconds)
// and timestamp_utc (an instant, microseconds, UTC).
func ParseType(name string) (arrow.DataType, error) {
	switch strings.ToLower(name) {
	case "string", "text", "utf8":
		return arrow.BinaryTypes.String, nil
	case "int64", "int", "integer":
		return arrow.PrimitiveTypes.Int64, nil
	case "float64", "float", "double", "number":
		return arrow.PrimitiveTypes.Float64, nil
	case "bool", "boolean":
		return arrow.FixedWidthTypes.Boolean, nil
	case "date", "date32":
		return arrow.FixedWidthTypes.Date32, nil
	case "timestamp":
		return &arrow.TimestampType{Unit: arrow.Microsecond}, nil
	case "timestamp_utc":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	}
	return nil, fmt.Errorf("unknown type %q (want string, int64, float64, bool, date, "+
		"timestamp or timestamp_utc)", name)
}
