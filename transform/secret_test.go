package transform

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretIsRedacted(t *testing.T) {
	const key = "sentinel-key-0123456789"
	s := NewSecret([]byte(key))

	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "secret", s)
	forms := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x", s, s, s, s, s, s),
		fmt.Sprintf("%v", struct{ S Secret }{s}), logs.String(),
	}
	for _, f := range forms {
		if strings.Contains(f, key) || strings.Contains(f, fmt.Sprintf("%x", key)) {
			t.Errorf("secret leaked in %q", f)
		}
	}
	if s.IsZero() || !(Secret{}).IsZero() {
		t.Error("IsZero is wrong")
	}
}
