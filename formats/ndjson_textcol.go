// This file holds textBuilder, which builds the utf8 columns of the JSON
// readers with less work per value than array.StringBuilder.

package formats

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// textBuilder builds a utf8 array: the bytes of its values, their int32
// end offsets and a validity bitmap, in buffers from mem. Each value costs
// a copy and two stores; capacity is checked, but grown only on demand.
// Buffers may hold more than the batch needs; their tails are not zeroed.
type textBuilder struct {
	mem                 memory.Allocator
	data, offs, valid   *memory.Buffer
	d                   []byte  // data's bytes, to its capacity
	o                   []int32 // offs as int32s: o[i+1] ends value i
	v                   []byte  // valid's bytes
	dlen, n, nulls, cap int     // bytes, values, nulls, values with room
}

// maxTextBytes bounds the data bytes of one array, which int32 offsets
// address. A variable for tests.
var maxTextBytes = math.MaxInt32

func newTextBuilder(mem memory.Allocator) *textBuilder {
	return &textBuilder{mem: mem}
}

// reserve makes room for rows more values and bytes more data bytes.
func (t *textBuilder) reserve(rows, bytes int) {
	if t.offs == nil || t.n+rows > t.cap {
		t.growRows(rows)
	}
	if t.dlen+bytes > len(t.d) {
		t.growData(bytes)
	}
}

// growRows makes room for at least rows more values, doubling at least. It
// makes the buffers if needed.
func (t *textBuilder) growRows(rows int) {
	if t.offs == nil {
		t.data = memory.NewResizableBuffer(t.mem)
		t.offs = memory.NewResizableBuffer(t.mem)
		t.valid = memory.NewResizableBuffer(t.mem)
	}
	c := max(t.n+rows, 2*t.cap, 16)
	t.offs.Reserve((c + 1) * arrow.Int32SizeBytes)
	t.valid.Reserve(int(bitutil.BytesForBits(int64(c))))
	t.o = arrow.Int32Traits.CastFromBytes(t.offs.Buf())
	t.o[0] = 0
	t.v = t.valid.Buf()
	t.cap = c
}

// growData makes room for n more data bytes, doubling at least; it reports
// false if the offsets would overflow.
func (t *textBuilder) growData(n int) bool {
	if t.dlen+n > maxTextBytes {
		return false
	}
	if t.offs == nil {
		t.growRows(0)
	}
	t.data.Reserve(min(max(t.dlen+n, 2*len(t.d)), maxTextBytes))
	// Reserve rounds up: never use more than the limit, so append's check
	// of the room left is also the check of the limit.
	t.d = t.data.Buf()
	t.d = t.d[:min(len(t.d), maxTextBytes)]
	return true
}

// append appends a value; it reports false, appending nothing, if the
// column would hold more than 2 GiB.
func (t *textBuilder) append(b []byte) bool {
	if len(b) > len(t.d)-t.dlen && !t.growData(len(b)) {
		return false
	}
	if t.n == t.cap {
		t.growRows(1)
	}
	t.dlen += copy(t.d[t.dlen:], b)
	bitutil.SetBit(t.v, t.n)
	t.n++
	t.o[t.n] = int32(t.dlen)
	return true
}

// appendNull appends a null.
func (t *textBuilder) appendNull() {
	if t.n == t.cap {
		t.growRows(1)
	}
	bitutil.ClearBit(t.v, t.n)
	t.n++
	t.o[t.n] = int32(t.dlen)
	t.nulls++
}

// dataLen returns the data bytes appended since the last array.
func (t *textBuilder) dataLen() int { return t.dlen }

// newArray returns the values appended so far as an array and starts anew.
func (t *textBuilder) newArray() arrow.Array {
	if t.offs == nil {
		t.growRows(0)
	}
	t.data.ResizeNoShrink(t.dlen)
	t.offs.ResizeNoShrink((t.n + 1) * arrow.Int32SizeBytes)
	t.valid.ResizeNoShrink(int(bitutil.BytesForBits(int64(t.n))))
	valid := t.valid
	if t.nulls == 0 {
		valid = nil
	}
	data := array.NewData(arrow.BinaryTypes.String, t.n,
		[]*memory.Buffer{valid, t.offs, t.data}, nil, t.nulls, 0)
	arr := array.MakeFromData(data)
	data.Release()
	t.release()
	return arr
}

// release frees the buffers; the builder can be used again.
func (t *textBuilder) release() {
	for _, b := range []*memory.Buffer{t.data, t.offs, t.valid} {
		if b != nil {
			b.Release()
		}
	}
	*t = textBuilder{mem: t.mem}
}
