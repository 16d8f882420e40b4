package detect

import (
	"container/heap"
	"hash/fnv"
	"math"
)

// sketchSize is the number of hashes a distinct-count sketch keeps.
const sketchSize = 2048

// distinctSketch estimates the number of distinct values in bounded memory
// with the k-minimum-values method: it keeps the sketchSize smallest
// 64-bit hashes. It is exact below sketchSize distinct values, and two
// sketches merge. It stores hashes, never values.
type distinctSketch struct {
	seen map[uint64]struct{}
	h    maxHeap
}

func newSketch() *distinctSketch {
	return &distinctSketch{seen: map[uint64]struct{}{}}
}

// hashValue is FNV-1a followed by a 64-bit finaliser (splitmix64), so that
// hashes spread over the whole range.
func hashValue(v string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(v))
	x := f.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func (s *distinctSketch) add(v string) { s.addHash(hashValue(v)) }

func (s *distinctSketch) addHash(x uint64) {
	if _, ok := s.seen[x]; ok {
		return
	}
	if len(s.h) >= sketchSize {
		if x >= s.h[0] {
			return
		}
		delete(s.seen, heap.Pop(&s.h).(uint64))
	}
	s.seen[x] = struct{}{}
	heap.Push(&s.h, x)
}

func (s *distinctSketch) merge(o *distinctSketch) {
	for _, x := range o.h {
		s.addHash(x)
	}
}

// estimate returns the estimated number of distinct values.
func (s *distinctSketch) estimate() float64 {
	if len(s.h) < sketchSize {
		return float64(len(s.h))
	}
	return float64(sketchSize-1) / (float64(s.h[0]) / math.MaxUint64)
}

type maxHeap []uint64

func (h maxHeap) Len() int           { return len(h) }
func (h maxHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h maxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *maxHeap) Push(x any)        { *h = append(*h, x.(uint64)) }
func (h *maxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
