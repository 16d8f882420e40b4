package profiles

import (
	"errors"
	"path/filepath"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// auditLog reads the top-level `audit_log` key: a file path, relative to the
// profile's folder.
func (c *checker) auditLog(node ast.Node) string {
	var path string
	if err := yaml.NodeToValue(node, &path); err != nil || path == "" {
		c.add(node, "audit_log", errors.New("want the path of the audit log file"))
		return ""
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.dir, path)
	}
	return path
}
