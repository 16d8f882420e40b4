package kanon

import (
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/anon-data/anon/transform/hierarchy"
)

// Method names.
const (
	MethodGlobal = "global"
	MethodLocal  = "local"
)

// Metric names.
const (
	MetricDM           = "dm"
	MetricAvgClassSize = "avg_class_size"
	MetricPrecision    = "precision"
	MetricLoss         = "loss"
	MetricEntropy      = "entropy"
)

// Treatments of suppressed records.
const (
	SuppressRemove = "remove"
	SuppressStar   = "star"
)

// Config is the k_anonymity section of a profile. Decode it with goccy/go-yaml;
// then call [Config.Validate] and [Config.Load] before [Prepare].
type Config struct {
	// K is the smallest allowed class size; at least 1.
	K int `yaml:"k"`

	// SuppressionLimit is the largest share of records that may be
	// suppressed, in [0, 1]; at most floor(SuppressionLimit × N) records.
	SuppressionLimit float64 `yaml:"suppression_limit"`

	// Metric is the information loss to minimize: dm (default),
	// avg_class_size, precision, loss or entropy.
	Metric string `yaml:"metric"`

	// Method is global (default) or local.
	Method string `yaml:"method"`

	// Suppressed says what happens to suppressed records: remove (default)
	// or star (kept, with every quasi-identifier set to "*").
	Suppressed string `yaml:"suppressed"`

	// LDiversity, if set, also requires distinct l-diversity.
	LDiversity *LDiversity `yaml:"l_diversity"`

	// QuasiIdentifiers maps each quasi-identifier column to its hierarchy.
	QuasiIdentifiers map[string]*QuasiIdentifier `yaml:"quasi_identifiers"`
}

// LDiversity asks every class to hold at least L distinct values of Column.
type LDiversity struct {
	// Column is the sensitive column; it is not generalized.
	Column string `yaml:"column"`

	// L is the number of distinct values required; at least 1.
	L int `yaml:"l"`
}

// QuasiIdentifier names the hierarchy of one column: exactly one of
// Hierarchy, MaskSuffix, Intervals and Dates.
type QuasiIdentifier struct {
	// Hierarchy is the path of an ARX-format CSV hierarchy file.
	Hierarchy string `yaml:"hierarchy"`

	// Separator is the field separator of the hierarchy file; default ";".
	Separator string `yaml:"separator"`

	// MaskSuffix masks one more trailing character per level.
	MaskSuffix bool `yaml:"mask_suffix"`

	// Intervals gives the interval width of each level (numbers).
	Intervals []float64 `yaml:"intervals"`

	// Dates generalizes YYYY-MM-DD dates to month, year and decade.
	Dates bool `yaml:"dates"`

	// file is the parsed hierarchy file, set by Load.
	file *hierarchy.Hierarchy
}

// Columns returns the quasi-identifier column names, sorted.
func (c *Config) Columns() []string {
	names := make([]string, 0, len(c.QuasiIdentifiers))
	for name := range c.QuasiIdentifiers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// withDefaults returns the metric, method and suppression treatment with
// their defaults filled in.
func (c *Config) withDefaults() (metric, method, suppressed string) {
	metric, method, suppressed = c.Metric, c.Method, c.Suppressed
	if metric == "" {
		metric = MetricDM
	}
	if method == "" {
		method = MethodGlobal
	}
	if suppressed == "" {
		suppressed = SuppressRemove
	}
	return metric, method, suppressed
}

// Validate checks the section without reading any file. Every problem is
// reported, each naming its key (k_anonymity.quasi_identifiers.age: ...).
func (c *Config) Validate() error {
	var errs []error

	if c.K < 1 {
		errs = append(errs, errors.New("k_anonymity.k: must be at least 1"))
	}
	if !(c.SuppressionLimit >= 0 && c.SuppressionLimit <= 1) {
		errs = append(errs, errors.New("k_anonymity.suppression_limit: must be between 0 and 1"))
	}
	switch c.Metric {
	case "", MetricDM, MetricAvgClassSize, MetricPrecision, MetricLoss, MetricEntropy:
	default:
		errs = append(errs, errors.New("k_anonymity.metric: must be one of dm, "+
			"avg_class_size, precision, loss, entropy"))
	}
	switch c.Method {
	case "", MethodGlobal, MethodLocal:
	default:
		errs = append(errs, errors.New("k_anonymity.method: must be global or local"))
	}
	switch c.Suppressed {
	case "", SuppressRemove, SuppressStar:
	default:
		errs = append(errs, errors.New("k_anonymity.suppressed: must be remove or star"))
	}
	if len(c.QuasiIdentifiers) == 0 {
		errs = append(errs, errors.New("k_anonymity.quasi_identifiers: name at least one column"))
	}
	for _, name := range c.Columns() {
		if err := c.QuasiIdentifiers[name].validate(); err != nil {
			errs = append(errs, fmt.Errorf("k_anonymity.quasi_identifiers.%s: %w", name, err))
		}
	}
	if l := c.LDiversity; l != nil {
		if l.Column == "" {
			errs = append(errs, errors.New(
				"k_anonymity.l_diversity.column: name the sensitive column"))
		} else if _, isQI := c.QuasiIdentifiers[l.Column]; isQI {
			errs = append(errs, errors.New("k_anonymity.l_diversity.column: "+
				"the sensitive column cannot be a quasi-identifier"))
		}
		if l.L < 1 {
			errs = append(errs, errors.New("k_anonymity.l_diversity.l: must be at least 1"))
		}
	}
	return errors.Join(errs...)
}

func (q *QuasiIdentifier) validate() error {
	if q == nil {
		return errors.New("give a hierarchy: hierarchy, mask_suffix, intervals or dates")
	}
	kinds := 0
	if q.Hierarchy != "" {
		kinds++
	}
	if q.MaskSuffix {
		kinds++
	}
	if q.Intervals != nil {
		kinds++
	}
	if q.Dates {
		kinds++
	}
	switch {
	case kinds == 0:
		return errors.New("give a hierarchy: hierarchy, mask_suffix, intervals or dates")
	case kinds > 1:
		return errors.New("give only one of hierarchy, mask_suffix, intervals and dates")
	}
	if q.Separator != "" && (q.Hierarchy == "" || utf8.RuneCountInString(q.Separator) != 1) {
		return errors.New("separator must be one character and goes with hierarchy")
	}
	if q.Intervals != nil {
		if err := hierarchy.CheckWidths(q.Intervals); err != nil {
			return err
		}
	}
	return nil
}

// Load validates the section and parses every hierarchy file, reading it
// through read (the profile loader resolves paths relative to the profile).
func (c *Config) Load(read func(path string) ([]byte, error)) error {
	if err := c.Validate(); err != nil {
		return err
	}
	for _, name := range c.Columns() {
		q := c.QuasiIdentifiers[name]
		if q.Hierarchy == "" {
			continue
		}
		data, err := read(q.Hierarchy)
		if err != nil {
			return fmt.Errorf("k_anonymity.quasi_identifiers.%s.hierarchy: %w", name, err)
		}
		sep := ';'
		if q.Separator != "" {
			sep, _ = utf8.DecodeRuneInString(q.Separator)
		}
		h, err := hierarchy.ParseCSV(data, sep)
		if err != nil {
			return fmt.Errorf("k_anonymity.quasi_identifiers.%s.hierarchy: %w", name, err)
		}
		q.file = h
	}
	return nil
}
