package transform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// hmacReference computes the hash strategy's digest independently of Worker:
// HMAC-SHA256 over domain, namespace and value, each prefixed by its length
// as an unsigned varint.
func hmacReference(key, namespace, value string) []byte {
	mac := hmac.New(sha256.New, []byte(key))
	for _, p := range []string{"hash", namespace, value} {
		mac.Write(binary.AppendUvarint(nil, uint64(len(p))))
		mac.Write([]byte(p))
	}
	return mac.Sum(nil)
}

func TestHashKnownAnswer(t *testing.T) {
	const key = "anon-test-key-0001"
	b32 := base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
	long := strings.Repeat("long value ", 40) // length prefix over 127: two varint bytes

	tests := []struct {
		name   string
		column string
		raw    map[string]any
		value  string
		want   string
	}{
		{
			name: "fixed vector from an outside HMAC implementation", column: "ssn",
			raw:   map[string]any{"namespace": "customer"},
			value: "900-12-3456",
			want:  "8eb4b1995f20b517adeddf5d484eb0ec86c663c717536c6f05262d0f07e7a2c2",
		},
		{
			name: "fixed vector in base32", column: "ssn",
			raw:   map[string]any{"namespace": "customer", "encoding": "base32"},
			value: "900-12-3456",
			want:  "r22ldgk7ec2rplpn35ouqtvq5sdmmy6hc5jwy3yfeywq6b7hulba",
		},
		{
			name: "default namespace is the column", column: "email",
			raw:   map[string]any{},
			value: "ana.test@example.org",
			want:  hex.EncodeToString(hmacReference(key, "email", "ana.test@example.org")),
		},
		{
			name: "long value", column: "note",
			raw:   map[string]any{"namespace": "n"},
			value: long,
			want:  hex.EncodeToString(hmacReference(key, "n", long)),
		},
		{
			name: "empty string is a value", column: "email",
			raw:   map[string]any{},
			value: "",
			want:  hex.EncodeToString(hmacReference(key, "email", "")),
		},
		{
			name: "hex truncated", column: "id",
			raw:   map[string]any{"length": uint64(16)},
			value: "12345",
			want:  hex.EncodeToString(hmacReference(key, "id", "12345"))[:16],
		},
		{
			name: "base32 full", column: "id",
			raw:   map[string]any{"encoding": "base32"},
			value: "12345",
			want:  b32.EncodeToString(hmacReference(key, "id", "12345")),
		},
		{
			name: "base32 truncated to 8", column: "id",
			raw:   map[string]any{"encoding": "base32", "length": int64(8)},
			value: "12345",
			want:  b32.EncodeToString(hmacReference(key, "id", "12345"))[:8],
		},
		{
			name: "hex full length given explicitly", column: "id",
			raw:   map[string]any{"length": uint64(64)},
			value: "12345",
			want:  hex.EncodeToString(hmacReference(key, "id", "12345")),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := txBuild(t, hashSpec, tt.column, tt.raw)
			got := txApply(t, s, txWorker(t, key), tt.column, []any{tt.value, nil})
			want := []any{tt.want, nil}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

func TestHashKeys(t *testing.T) {
	vals := txStrings("ana.test@example.org", "bo.test@example.org", "", "1")
	tests := []struct {
		name     string
		keyA     string
		keyB     string
		wantSame bool
	}{
		{"B01 different keys change every value", "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", false},
		{"same key gives identical output", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := txBuild(t, hashSpec, "email", nil)
			a := txApply(t, s, txWorker(t, tt.keyA), "email", vals)
			b := txApply(t, s, txWorker(t, tt.keyB), "email", vals)
			for i := range vals {
				if same := a[i] == b[i]; same != tt.wantSame {
					t.Errorf("value %d: same=%v, want %v", i, same, tt.wantSame)
				}
			}
		})
	}
}

func TestHashNamespaces(t *testing.T) {
	tests := []struct {
		name     string
		rawA     map[string]any
		rawB     map[string]any
		wantSame bool
	}{
		{"default namespaces differ by column", nil, nil, false},
		{"shared namespace joins columns",
			map[string]any{"namespace": "customer"}, map[string]any{"namespace": "customer"}, true},
		{"different namespaces",
			map[string]any{"namespace": "customer"}, map[string]any{"namespace": "supplier"}, false},
	}
	vals := txStrings("7", "Ana Test")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := txWorker(t, "k")
			a := txApply(t, txBuild(t, hashSpec, "cust_id", tt.rawA), w, "cust_id", vals)
			b := txApply(t, txBuild(t, hashSpec, "customer", tt.rawB), w, "customer", vals)
			if same := reflect.DeepEqual(a, b); same != tt.wantSame {
				t.Errorf("same=%v, want %v: %q vs %q", same, tt.wantSame, a, b)
			}
		})
	}
}

func TestHashIsNotPlainSHA256(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
	}{
		{"hex", nil},
		{"base32", map[string]any{"encoding": "base32"}},
		{"hex truncated", map[string]any{"length": uint64(8)}},
	}
	values := []string{"900-12-3456", "", "a", "ana.test@example.org"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := txBuild(t, hashSpec, "ssn", tt.raw)
			got := txApply(t, s, txWorker(t, "k"), "ssn", txStrings(values...))
			for i, v := range values {
				sum := sha256.Sum256([]byte(v))
				plainHex := hex.EncodeToString(sum[:])
				plainB32 := strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))
				g := got[i].(string)
				if strings.HasPrefix(plainHex, g) || strings.HasPrefix(plainB32, g) {
					t.Errorf("B27: value %d hashed to plain sha256 %q", i, g)
				}
				if len(v) >= 5 && strings.Contains(g, v) {
					t.Errorf("value %d appears in its token", i)
				}
			}
		})
	}
}

func TestHashNoSecret(t *testing.T) {
	tests := []struct {
		name string
		vals []any
	}{
		{"values", txStrings("900-12-3456")},
		{"only nulls", []any{nil, nil}},
		{"no rows", []any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := txBuild(t, hashSpec, "ssn", nil)
			_, err := txTryApply(s, txWorker(t, ""), "ssn", tt.vals, 0)
			if !errors.Is(err, ErrNoSecret) {
				t.Fatalf("got %v, want ErrNoSecret", err)
			}
			if strings.Contains(err.Error(), "900") {
				t.Errorf("error %q carries the value", err)
			}
		})
	}
	if !hashSpec.Keyed {
		t.Error("hash spec is not marked keyed")
	}
}

func TestHashOptionErrors(t *testing.T) {
	tests := []struct {
		name  string
		raw   map[string]any
		param string
	}{
		{"length below 8", map[string]any{"length": uint64(7)}, "length"},
		{"length above hex", map[string]any{"length": uint64(65)}, "length"},
		{"length above base32", map[string]any{"encoding": "base32", "length": uint64(53)},
			"length"},
		{"negative length", map[string]any{"length": int64(-8)}, "length"},
		{"unknown encoding", map[string]any{"encoding": "base64"}, "encoding"},
		{"empty namespace", map[string]any{"namespace": ""}, "namespace"},
		{"unknown option", map[string]any{"salt": "x"}, "salt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := txTryBuild(hashSpec, "ssn", tt.raw)
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != tt.param {
				t.Fatalf("got %v, want a ParamError for %q", err, tt.param)
			}
			if !errors.Is(err, ErrInvalidParam) {
				t.Errorf("error %v does not wrap ErrInvalidParam", err)
			}
		})
	}
}
