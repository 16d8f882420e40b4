package transform

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// ParamType is the type of a strategy option, as written in a profile.
type ParamType string

// The option types a profile can hold.
const (
	ParamString  ParamType = "string"
	ParamInt     ParamType = "int"
	ParamFloat   ParamType = "float"
	ParamBool    ParamType = "bool"
	ParamEnum    ParamType = "enum"
	ParamFloats  ParamType = "list of numbers"
	ParamStrings ParamType = "list of strings"
	// ParamFile is a path in the profile, relative to the profile's folder.
	// The profile loader reads the file and the strategy gets its bytes
	// through [Options.File], so strategies never do I/O.
	ParamFile ParamType = "file"
)

// Param declares one option of a strategy.
type Param struct {
	// Name is the key in the profile (snake_case).
	Name string

	// Type is the option's type.
	Type ParamType

	// Doc is a one-line description for help and the README.
	Doc string

	// Default is the value used when the option is absent, or nil.
	Default any

	// Required marks an option without a default that must be given.
	Required bool

	// Enum lists the accepted values of a [ParamEnum] option.
	Enum []string
}

// Spec declares a strategy as data: its name, documentation, options and a
// constructor. It is the single source for profile validation, `anon
// strategies` and the README's strategy reference.
type Spec struct {
	// Name is the keyword used in profiles.
	Name string

	// Summary is one line for listings.
	Summary string

	// Doc describes the behaviour in a few sentences, including nulls.
	Doc string

	// Keyed reports whether the strategy needs the secret key.
	Keyed bool

	// Params declares the options, in the order they are documented.
	Params []Param

	// Example is a profile snippet (YAML) using the strategy.
	Example string

	// New builds the strategy from validated options. Range problems are
	// returned as a [*ParamError].
	New func(o Options) (Strategy, error)

	// Unique reports whether the strategy, built with options o, keeps
	// distinct inputs distinct, as a column marked `unique: true` needs: nil
	// if it does, else an error saying why not and what would. A nil Unique
	// means the strategy can map distinct values to the same output. Use
	// [Spec.CheckUnique].
	Unique func(o Options) error
}

// ErrNotUnique is returned by [Spec.CheckUnique] for a strategy that can map
// distinct values to the same output.
var ErrNotUnique = errors.New("cannot keep a unique column unique")

// CheckUnique returns nil if the strategy with options o keeps distinct
// inputs distinct, else an error wrapping [ErrNotUnique] that names a
// strategy that would.
func (s *Spec) CheckUnique(o Options) error {
	if s.Unique == nil {
		return fmt.Errorf("%w: %s can give distinct values the same output; use "+
			"tokenize (keeps the format, reversible with the key) or hash",
			ErrNotUnique, s.Name)
	}
	if err := s.Unique(o); err != nil {
		return fmt.Errorf("%w: %w", ErrNotUnique, err)
	}
	return nil
}

// ParamError reports a problem with one option of a strategy.
type ParamError struct {
	// Param is the option's name, or "" for a problem with the whole entry.
	Param string

	// Err is the cause; it wraps [ErrInvalidParam] or [ErrUnknownStrategy].
	Err error
}

// Error implements error.
func (e *ParamError) Error() string {
	if e.Param == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("option %q: %v", e.Param, e.Err)
}

// Unwrap returns the cause.
func (e *ParamError) Unwrap() error {
	return e.Err
}

// paramErrorf returns a *ParamError wrapping ErrInvalidParam.
func paramErrorf(param, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &ParamError{Param: param, Err: fmt.Errorf("%w: %s", ErrInvalidParam, msg)}
}

// Param returns the declared option called name, or nil.
func (s *Spec) Param(name string) *Param {
	for i := range s.Params {
		if s.Params[i].Name == name {
			return &s.Params[i]
		}
	}
	return nil
}

// Parse checks raw options (as decoded from YAML) against the spec and
// returns them typed, with defaults filled in. It reports every problem, each
// as a *ParamError. Values of [ParamFile] options must already be replaced by
// the file's bytes ([]byte) by the caller.
func (s *Spec) Parse(column string, raw map[string]any) (Options, []error) {
	o := Options{column: column, values: map[string]any{}}
	var errs []error

	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p := s.Param(k)
		if p == nil {
			errs = append(errs, paramErrorf(k, "strategy %q has no such option%s",
				s.Name, s.suggest(k)))
			continue
		}
		v, err := convert(p, raw[k])
		if err != nil {
			errs = append(errs, &ParamError{Param: k, Err: err})
			continue
		}
		o.values[k] = v
	}

	for _, p := range s.Params {
		if _, ok := o.values[p.Name]; ok {
			continue
		}
		if _, given := raw[p.Name]; given {
			continue
		}
		switch {
		case p.Default != nil:
			o.values[p.Name] = p.Default
		case p.Required:
			errs = append(errs, paramErrorf(p.Name, "is required"))
		}
	}
	return o, errs
}

// suggest returns " (did you mean ...?)" for a near-miss option name.
func (s *Spec) suggest(name string) string {
	var names []string
	for _, p := range s.Params {
		names = append(names, p.Name)
		if strings.Contains(p.Name, name) || strings.Contains(name, p.Name) {
			return fmt.Sprintf(" (did you mean %q?)", p.Name)
		}
	}
	if len(names) == 0 {
		return "; it takes no options"
	}
	return "; it takes " + strings.Join(names, ", ")
}

// convert turns a YAML-decoded value into the Go type of p.
func convert(p *Param, v any) (any, error) {
	bad := func() error {
		return fmt.Errorf("%w: want %s", ErrInvalidParam, p.Type)
	}

	switch p.Type {
	case ParamString:
		s, ok := v.(string)
		if !ok {
			return nil, bad()
		}
		return s, nil
	case ParamEnum:
		s, ok := v.(string)
		if !ok {
			return nil, bad()
		}
		for _, e := range p.Enum {
			if s == e {
				return s, nil
			}
		}
		return nil, fmt.Errorf("%w: want one of %s", ErrInvalidParam, strings.Join(p.Enum, ", "))
	case ParamInt:
		f, ok := number(v)
		if !ok || f != float64(int64(f)) {
			return nil, bad()
		}
		return int64(f), nil
	case ParamFloat:
		f, ok := number(v)
		if !ok {
			// YAML 1.1 readers take 1e3 (no dot) as text; accept it as a number.
			s, isText := v.(string)
			parsed, err := strconv.ParseFloat(s, 64)
			if !isText || err != nil || math.IsInf(parsed, 0) || math.IsNaN(parsed) {
				return nil, bad()
			}
			f = parsed
		}
		return f, nil
	case ParamBool:
		b, ok := v.(bool)
		if !ok {
			return nil, bad()
		}
		return b, nil
	case ParamFloats:
		list, ok := v.([]any)
		if !ok {
			return nil, bad()
		}
		out := make([]float64, len(list))
		for i, e := range list {
			f, ok := number(e)
			if !ok {
				return nil, bad()
			}
			out[i] = f
		}
		return out, nil
	case ParamStrings:
		list, ok := v.([]any)
		if !ok {
			return nil, bad()
		}
		out := make([]string, len(list))
		for i, e := range list {
			s, ok := e.(string)
			if !ok {
				return nil, bad()
			}
			out[i] = s
		}
		return out, nil
	case ParamFile:
		b, ok := v.([]byte)
		if !ok {
			return nil, errors.New("file option was not loaded by the profile reader")
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown option type %q", p.Type)
}

// number converts the numeric types a YAML decoder produces to float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// Options are a strategy's validated options. Getters return the zero value
// for an absent option without a default; use [Options.Has] to tell.
type Options struct {
	column string
	values map[string]any
	unique bool
}

// WithUnique returns the options of a column marked `unique: true` in the
// profile, for strategies that change how they work to keep it unique.
func (o Options) WithUnique(unique bool) Options {
	o.unique = unique
	return o
}

// Unique reports whether the column is marked `unique: true`.
func (o Options) Unique() bool { return o.unique }

// NewOptions returns options for tests and programmatic use, without
// validation. Prefer [Spec.Parse].
func NewOptions(column string, values map[string]any) Options {
	return Options{column: column, values: values}
}

// Column returns the name of the column the options were written for.
func (o Options) Column() string { return o.column }

// Has reports whether the option is set, by the profile or by default.
func (o Options) Has(name string) bool {
	_, ok := o.values[name]
	return ok
}

// String returns a string or enum option.
func (o Options) String(name string) string {
	s, _ := o.values[name].(string)
	return s
}

// Int returns an integer option.
func (o Options) Int(name string) int64 {
	switch n := o.values[name].(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// Float returns a numeric option.
func (o Options) Float(name string) float64 {
	f, _ := number(o.values[name])
	return f
}

// Bool returns a boolean option.
func (o Options) Bool(name string) bool {
	b, _ := o.values[name].(bool)
	return b
}

// Floats returns a list-of-numbers option.
func (o Options) Floats(name string) []float64 {
	f, _ := o.values[name].([]float64)
	return f
}

// Strings returns a list-of-strings option.
func (o Options) Strings(name string) []string {
	s, _ := o.values[name].([]string)
	return s
}

// File returns the contents of a file option.
func (o Options) File(name string) []byte {
	b, _ := o.values[name].([]byte)
	return b
}
