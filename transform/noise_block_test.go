package transform

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// blockSeedReference computes, independently of Worker, the generator seed
// of a typed noise value without a by column: AES-256, keyed by
// HMAC-SHA256(key, "noise/block", namespace, "") with length-prefixed parts,
// of the big-endian row number and bit pattern.
func blockSeedReference(t *testing.T, key, namespace string, row int64,
	bits uint64) (uint64, uint64) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(key))
	for _, p := range []string{"noise/block", namespace, ""} {
		mac.Write(binary.AppendUvarint(nil, uint64(len(p))))
		mac.Write([]byte(p))
	}
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}

	var plain, out [16]byte
	binary.BigEndian.PutUint64(plain[:8], uint64(row))
	binary.BigEndian.PutUint64(plain[8:], bits)
	block.Encrypt(out[:], plain[:])
	return binary.LittleEndian.Uint64(out[:8]), binary.LittleEndian.Uint64(out[8:])
}

func TestNoiseTypedSeedKnownAnswer(t *testing.T) {
	const key = "anon-test-key-0001"
	tests := []struct {
		name      string
		namespace string
		offset    int64
		values    []any
	}{
		{name: "first batch", namespace: "salary", values: []any{1000.5, -3.0, 0.0}},
		{name: "later batch", namespace: "salary", offset: 1 << 20,
			values: []any{1000.5, math.MaxFloat64}},
		{name: "shared namespace", namespace: "pay", values: []any{42.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := nzWorker(t, key)
			arr := nzArray(w.Mem, arrow.PrimitiveTypes.Float64, tt.values...)
			defer arr.Release()
			b := nzBatch([]string{"salary"}, arr)
			defer b.Release()
			s := nzBuild(t, noiseSpec, "salary",
				map[string]any{"scale": 1.0, "namespace": tt.namespace})

			k, err := s.(*Noise).keyer(w, Input{Batch: b, Offset: tt.offset})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range tt.values {
				bits := math.Float64bits(v.(float64))
				if err := k.seedBits(i, bits); err != nil {
					t.Fatal(err)
				}
				got := w.Rand().Uint64()

				hi, lo := blockSeedReference(t, key, tt.namespace, tt.offset+int64(i)+1, bits)
				want := rand.New(rand.NewPCG(hi, lo)).Uint64()
				if got != want {
					t.Errorf("row %d: first draw %x, want %x", i, got, want)
				}
			}
		})
	}
}

func TestBlockCipherPerNamespace(t *testing.T) {
	w := nzWorker(t, "anon-test-key-0001")
	other := nzWorker(t, "anon-test-key-0002")

	var plain, a, b, c, d [16]byte
	ciphers := []struct {
		w             *Worker
		domain, space string
		out           *[16]byte
	}{
		{w, "noise", "salary", &a},
		{w, "noise", "signup", &b},
		{w, "other", "salary", &c},
		{other, "noise", "salary", &d},
	}
	for _, cc := range ciphers {
		blk, err := cc.w.BlockCipher(cc.domain, cc.space)
		if err != nil {
			t.Fatal(err)
		}
		blk.Encrypt(cc.out[:], plain[:])
	}
	if a == b || a == c || a == d {
		t.Errorf("namespace, domain or key did not change the block key: %x %x %x %x",
			a, b, c, d)
	}

	if _, err := NewWorker(Secret{}, nil).BlockCipher("noise", "x"); err == nil {
		t.Error("a worker without a secret gave a block cipher")
	}
}
