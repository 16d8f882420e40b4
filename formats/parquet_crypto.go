package formats

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/parquet"
)

// EncryptionKeySize is the length in bytes of the key anon writes encrypted
// Parquet with: AES-256.
const EncryptionKeySize = 32

// ErrDecrypt is returned when an encrypted Parquet file cannot be decrypted
// with the key given: a wrong key, or a file changed after it was written.
var ErrDecrypt = errors.New("cannot decrypt: wrong key, or the file was altered")

// ParquetKeys are the keys of Parquet modular encryption. Every printed form
// (fmt verbs, slog) is redacted, so a key cannot reach a message by accident.
type ParquetKeys struct {
	// FooterKey is the AES key of the footer, 16, 24 or 32 bytes. On write it
	// also encrypts every column; on read it decrypts the footer and every
	// column encrypted with the footer key.
	FooterKey []byte

	// ColumnKeys are read-only keys of columns encrypted with their own key,
	// by column path (a.b.c). anon never writes per-column keys.
	ColumnKeys map[string][]byte

	// AADPrefix is the file's AAD prefix, needed to read a file written with
	// a prefix that it does not store. anon never writes one.
	AADPrefix string
}

// String implements fmt.Stringer with a redacted form.
func (k *ParquetKeys) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer with a redacted form.
func (k *ParquetKeys) GoString() string { return "formats.ParquetKeys{[redacted]}" }

// Format implements fmt.Formatter: every verb prints the redacted form.
func (k *ParquetKeys) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// LogValue implements slog.LogValuer with a redacted form.
func (k *ParquetKeys) LogValue() slog.Value { return slog.StringValue(k.String()) }

// ParseKey reads an AES key from the content of a key file or an environment
// variable: 32, 48 or 64 hexadecimal digits (surrounding white space
// ignored), or else exactly 16, 24 or 32 raw bytes (a trailing line break
// ignored). Hex is tried first. The error never quotes the content.
func ParseKey(content []byte) ([]byte, error) {
	trimmed := strings.TrimSpace(string(content))
	switch len(trimmed) {
	case 32, 48, 64:
		if key, err := hex.DecodeString(trimmed); err == nil {
			return key, nil
		}
	}
	for _, raw := range [][]byte{content, []byte(strings.TrimRight(string(content), "\r\n"))} {
		switch len(raw) {
		case 16, 24, 32:
			return append([]byte(nil), raw...), nil
		}
	}
	return nil, errors.New("an encryption key must be 64 hexadecimal digits (32 bytes; " +
		"create one with: openssl rand -hex 32) or exactly 32 raw bytes; " +
		"16- and 24-byte keys are accepted for reading only")
}

// checkAESKey checks the length of an AES key.
func checkAESKey(key []byte) error {
	switch len(key) {
	case 16, 24, 32:
		return nil
	}
	return errors.New("an AES key must be 16, 24 or 32 bytes")
}

// encryptionProperties returns new, single-use properties for one output
// file: AES-GCM, footer and every column encrypted with the footer key.
func encryptionProperties(k *ParquetKeys) (*parquet.FileEncryptionProperties, error) {
	if len(k.FooterKey) != EncryptionKeySize {
		return nil, fmt.Errorf("the output encryption key must be %d bytes (AES-256)",
			EncryptionKeySize)
	}
	return parquet.NewFileEncryptionProperties(string(k.FooterKey),
		parquet.WithAlg(parquet.AesGcm)), nil
}

// decryptionProperties returns new, single-use properties to read one file.
func decryptionProperties(k *ParquetKeys) (*parquet.FileDecryptionProperties, error) {
	if err := checkAESKey(k.FooterKey); err != nil {
		return nil, fmt.Errorf("the input decryption key: %w", err)
	}
	opts := []parquet.FileDecryptionOption{parquet.WithFooterKey(string(k.FooterKey))}
	if len(k.ColumnKeys) > 0 {
		cols := parquet.ColumnPathToDecryptionPropsMap{}
		for _, path := range sortedKeys(k.ColumnKeys) {
			key := k.ColumnKeys[path]
			if err := checkAESKey(key); err != nil {
				return nil, fmt.Errorf("the decryption key of column %q: %w", path, err)
			}
			cols[path] = parquet.NewColumnDecryptionProperties(path,
				parquet.WithDecryptKey(string(key)))
		}
		opts = append(opts, parquet.WithColumnKeys(cols))
	}
	if k.AADPrefix != "" {
		opts = append(opts, parquet.WithDecryptAadPrefix(k.AADPrefix))
	}
	return parquet.NewFileDecryptionProperties(opts...), nil
}

func sortedKeys(m map[string][]byte) []string {
	return slices.Sorted(maps.Keys(m))
}

// decryptError turns an error from opening or reading an encrypted file into
// one that says what went wrong without the library's internals. The cause
// is dropped: arrow-go's messages may name key metadata.
func decryptError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, s := range []string{"message authentication failed", "decrypt", "AES", "aad",
		"AAD", "footer key", "column key", "signature"} {
		if strings.Contains(msg, s) {
			return ErrDecrypt
		}
	}
	return err
}
