package transform

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math/rand/v2"

	"github.com/anon-data/anon/detect"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/brianvoe/gofakeit/v7"
)

// Worker holds the scratch state of one pipeline goroutine: one keyed HMAC,
// reset per value, and one fake generator, reseeded per value from that HMAC.
// A Worker must not be shared between goroutines.
type Worker struct {
	// Mem allocates the arrays that strategies build.
	Mem memory.Allocator

	mac   hash.Hash
	keyed bool
	sum   []byte
	msg   []byte
	pcg   *rand.PCG
	rng   *rand.Rand
	faker *gofakeit.Faker
	buf   []byte

	// memos caches outputs of pure strategies per strategy (see memo.go).
	memos map[Strategy]*textMemo

	// spans finds the spans that scrub replaces, reusing its memory.
	spans detect.SpanScanner

	// blocks caches the ciphers of [Worker.BlockCipher] by domain and
	// namespace.
	blocks map[[2]string]cipher.Block
}

// NewWorker returns a Worker whose digests are keyed with secret. A Worker
// made with a zero Secret refuses keyed work with [ErrNoSecret].
func NewWorker(secret Secret, mem memory.Allocator) *Worker {
	if mem == nil {
		mem = memory.DefaultAllocator
	}

	pcg := rand.NewPCG(0, 0)
	w := &Worker{
		Mem:   mem,
		keyed: !secret.IsZero(),
		sum:   make([]byte, 0, sha256.Size),
		pcg:   pcg,
		rng:   rand.New(pcg),
		faker: gofakeit.NewFaker(pcg, false),
	}
	if w.keyed {
		w.mac = hmac.New(sha256.New, secret.bytes())
	}
	return w
}

// Digest returns HMAC-SHA256(secret, domain, namespace, value), each part
// length-prefixed so that no two different triples collide. The HMAC message
// is, for each of domain, namespace and value in that order, the part's byte
// length as an unsigned varint (encoding/binary.PutUvarint) followed by the
// part's bytes; tests recompute it independently with crypto/hmac. The
// returned slice is reused by the next call.
func (w *Worker) Digest(domain, namespace string, value []byte) ([]byte, error) {
	if !w.keyed {
		return nil, ErrNoSecret
	}

	// The message is gathered first and hashed in one Write: each Write has
	// a fixed cost that is large next to a short value.
	msg := appendPart(w.msg[:0], domain)
	msg = appendPart(msg, namespace)
	msg = binary.AppendUvarint(msg, uint64(len(value)))
	msg = append(msg, value...)
	w.msg = msg

	w.mac.Reset()
	w.mac.Write(msg)
	w.sum = w.mac.Sum(w.sum[:0])
	return w.sum, nil
}

// BlockCipher returns the AES-256 cipher whose key is
// Digest(domain+"/block", namespace, nil): one key per domain and namespace,
// derived from the secret. Encrypting one 16-byte block with it is a keyed
// pseudorandom function of inputs of exactly 16 bytes (AES is a
// pseudorandom permutation), about ten times cheaper than an HMAC; noise
// uses it to key its draw from a typed value and its row number. The cipher
// is cached in the worker.
func (w *Worker) BlockCipher(domain, namespace string) (cipher.Block, error) {
	id := [2]string{domain, namespace}
	if b, ok := w.blocks[id]; ok {
		return b, nil
	}

	key, err := w.Digest(domain+"/block", namespace, nil)
	if err != nil {
		return nil, err
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if w.blocks == nil {
		w.blocks = map[[2]string]cipher.Block{}
	}
	w.blocks[id] = b
	return b, nil
}

// appendPart appends the length-prefixed bytes of s to msg.
func appendPart(msg []byte, s string) []byte {
	msg = binary.AppendUvarint(msg, uint64(len(s)))
	return append(msg, s...)
}

// Seed reseeds the worker's generator from a digest and returns it. Every
// value drawn afterwards, through [Worker.Rand] or [Worker.Faker], is a pure
// function of the digest.
func (w *Worker) Seed(digest []byte) {
	w.pcg.Seed(binary.LittleEndian.Uint64(digest[0:8]), binary.LittleEndian.Uint64(digest[8:16]))
}

// Rand returns the worker's generator, seeded by the last [Worker.Seed].
func (w *Worker) Rand() *rand.Rand {
	return w.rng
}

// Faker returns the worker's fake generator, seeded by the last [Worker.Seed].
func (w *Worker) Faker() *gofakeit.Faker {
	return w.faker
}

// Buffer returns a scratch byte slice, emptied, for building one value.
func (w *Worker) Buffer() []byte {
	return w.buf[:0]
}

// KeepBuffer hands back a grown scratch slice for reuse by the next value.
func (w *Worker) KeepBuffer(b []byte) {
	w.buf = b
}
