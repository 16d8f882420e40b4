package formats

import (
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/s2"
)

// arrow-go encodes Snappy with the s2 package's slower "better" mode, which
// took a tenth of the CPU of a CSV to Parquet run (benchmarks/RESULTS.md).
// s2's default Snappy-compatible encoder writes standard Snappy blocks
// (readable by every Parquet reader) faster, for files about 10% larger.
// Decoding stays arrow-go's own. The codec registry is global, so this is
// set once, here.
func init() {
	std, err := compress.GetCodec(compress.Codecs.Snappy)
	if err != nil {
		return
	}
	compress.RegisterCodec(compress.Codecs.Snappy, fastSnappy{std: std})
}

// fastSnappy encodes Snappy with s2's fast mode and decodes with std. It
// keeps no state: parallelParquet compresses several columns at once.
type fastSnappy struct {
	std compress.Codec
}

// Encode implements compress.Codec.
func (c fastSnappy) Encode(dst, src []byte) []byte {
	return s2.EncodeSnappy(dst[:cap(dst)], src)
}

// EncodeLevel implements compress.Codec; Snappy has no levels.
func (c fastSnappy) EncodeLevel(dst, src []byte, _ int) []byte {
	return c.Encode(dst, src)
}

// CompressBound implements compress.Codec.
func (c fastSnappy) CompressBound(n int64) int64 {
	if b := int64(s2.MaxEncodedLen(int(n))); b > c.std.CompressBound(n) {
		return b
	}
	return c.std.CompressBound(n)
}

// Decode implements compress.Codec.
func (c fastSnappy) Decode(dst, src []byte) []byte {
	return c.std.Decode(dst, src)
}
