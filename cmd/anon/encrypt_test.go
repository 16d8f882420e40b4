package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Keys for the encryption tests: hex in a file, raw bytes in a file.
const (
	encKeyHex   = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	otherKeyHex = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
	encSentinel = "SENTINEL-cipher-5150-plaintext"
)

// encSetup writes a keep-all profile, a CSV input holding encSentinel, and
// two key files; it returns their paths.
func encSetup(t *testing.T) (dir, prof, in, key, other string) {
	t.Helper()
	t.Setenv(envOutputKey, "")
	t.Setenv(envInputKey, "")
	dir = t.TempDir()
	prof = writeFile(t, dir, "p.yaml", "version: 1\ndefault: keep\ncolumns: {}\n")
	var b strings.Builder
	b.WriteString("id,secret\n")
	for i := range 300 {
		b.WriteString(strings.Repeat("x", i%3) + "1," + encSentinel + "\n")
	}
	in = writeFile(t, dir, "in.csv", b.String())
	key = writeFile(t, dir, "k.hex", encKeyHex+"\n")
	other = writeFile(t, dir, "other.hex", otherKeyHex+"\n")
	return dir, prof, in, key, other
}

// TestEncryptedOutputRoundTrip: anon run --encrypt-key-file writes Parquet
// in which the plaintext is absent, that reads back only with the key, and
// whose content equals the plain run's.
func TestEncryptedOutputRoundTrip(t *testing.T) {
	dir, prof, in, key, other := encSetup(t)
	enc := filepath.Join(dir, "enc.parquet")
	r := mustRun(t, "run", "-p", prof, "-i", in, "-o", enc, "--encrypt-key-file", key)
	for _, s := range []string{encKeyHex, encSentinel} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("run output shows %q", s)
		}
	}
	raw, err := os.ReadFile(enc)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(encSentinel)) || bytes.Contains(raw, []byte("secret")) {
		t.Error("the encrypted file holds plaintext")
	}
	if !bytes.HasSuffix(raw, []byte("PARE")) {
		t.Error("the file lacks the encrypted footer magic")
	}
	if st, _ := os.Stat(enc); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}

	// Read back with the key, as Parquet → CSV.
	back := filepath.Join(dir, "back.csv")
	mustRun(t, "run", "-p", prof, "-i", enc, "-o", back, "--input-key-file", key)
	if got := readFile(t, back); got != readFile(t, in) {
		t.Errorf("decrypted copy differs from the input:\n%.200s", got)
	}

	// The key from the environment, validate included.
	t.Setenv(envInputKey, encKeyHex)
	r = mustRun(t, "validate", "-p", prof, "-i", enc)
	if !strings.Contains(r.stdout, "covers all 2 columns") {
		t.Errorf("validate with ANON_INPUT_KEY: %s", r.stdout)
	}
	t.Setenv(envInputKey, "")

	// A missing or wrong key: exit 1, a clear message, nothing written.
	for name, args := range map[string][]string{
		"no key":    nil,
		"wrong key": {"--input-key-file", other},
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, "fail-"+strings.ReplaceAll(name, " ", "-")+".csv")
			r := anon(t, "", append([]string{"run", "-p", prof, "-i", enc, "-o", out},
				args...)...)
			if r.code != exitFailed {
				t.Errorf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			want := map[string]string{"no key": "file is encrypted; no key given",
				"wrong key": "cannot decrypt: wrong key"}[name]
			if !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, enc) {
				t.Errorf("stderr does not say %q about %s:\n%s", want, enc, r.stderr)
			}
			for _, s := range []string{encSentinel, encKeyHex, otherKeyHex, "panic",
				"goroutine"} {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("output shows %q", s)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("an output was written")
			}
		})
	}
}

// TestEncryptionKeyFromEnv: ANON_OUTPUT_KEY encrypts like the flag, and the
// flag wins over it.
func TestEncryptionKeyFromEnv(t *testing.T) {
	dir, prof, in, key, other := encSetup(t)
	t.Setenv(envOutputKey, otherKeyHex)
	a := filepath.Join(dir, "a.parquet")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", a)
	b := filepath.Join(dir, "b.parquet")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", b, "--encrypt-key-file", key)

	t.Setenv(envOutputKey, "") // CSV output cannot be encrypted
	mustRun(t, "run", "-p", prof, "-i", a, "-o", filepath.Join(dir, "a.csv"),
		"--input-key-file", other)
	mustRun(t, "run", "-p", prof, "-i", b, "-o", filepath.Join(dir, "b.csv"),
		"--input-key-file", key)
}

// TestEncryptionUsageErrors: encryption of non-Parquet output, bad key files
// and a key flag on a non-Parquet input are usage errors (exit 2) that never
// show the key file's content.
func TestEncryptionUsageErrors(t *testing.T) {
	dir, prof, in, key, _ := encSetup(t)
	short := writeFile(t, dir, "short.key", "SECRETKEYCONTENT-short")
	aes128 := writeFile(t, dir, "k128.hex", strings.Repeat("ab", 16))
	tests := []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"csv output", "", []string{"-o", filepath.Join(dir, "o.csv"),
			"--encrypt-key-file", key}, "needs Parquet"},
		{"csv output by env", encKeyHex, []string{"-o", filepath.Join(dir, "o.csv")},
			"ANON_OUTPUT_KEY asks for encrypted output"},
		{"short key", "", []string{"-o", filepath.Join(dir, "o.parquet"),
			"--encrypt-key-file", short}, "64 hexadecimal digits"},
		{"AES-128 output key", "", []string{"-o", filepath.Join(dir, "o.parquet"),
			"--encrypt-key-file", aes128}, "must be 32 bytes"},
		{"missing key file", "", []string{"-o", filepath.Join(dir, "o.parquet"),
			"--encrypt-key-file", filepath.Join(dir, "nope")}, "read key file"},
		{"input key on csv", "", []string{"-o", filepath.Join(dir, "o.csv"),
			"--input-key-file", key}, "Parquet input only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envOutputKey, tt.env)
			r := anon(t, "", append([]string{"run", "-p", prof, "-i", in}, tt.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tt.want)
			}
			for _, s := range []string{"SECRETKEYCONTENT", encKeyHex, "abababab"} {
				if strings.Contains(r.stderr+r.stdout, s) {
					t.Errorf("output shows key material %q", s)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "o.") || strings.Contains(e.Name(), ".tmp") {
					t.Errorf("left %s behind", e.Name())
				}
			}
		})
	}
}

// TestVerifyEncryptedOutput: verify reads an encrypted output with its key.
func TestVerifyEncryptedOutput(t *testing.T) {
	dir, _, in, key, _ := encSetup(t)
	prof := writeFile(t, dir, "mask.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  secret: {strategy: mask}\n")
	enc := filepath.Join(dir, "enc.parquet")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", enc, "--encrypt-key-file", key)

	r := anon(t, "", "verify", "-p", prof, "--original", in, "--anonymized", enc)
	if r.code != exitFailed || !strings.Contains(r.stderr, "encrypted") {
		t.Errorf("without the key: exit %d, want 1 saying it is encrypted:\n%s", r.code,
			r.stderr)
	}
	r = anon(t, "", "verify", "-p", prof, "--original", in, "--anonymized", enc,
		"--anonymized-key-file", key)
	if r.code != 0 || strings.Contains(r.stdout+r.stderr, encKeyHex) {
		t.Errorf("with the key: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}
