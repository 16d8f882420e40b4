package formats

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/snappy"
)

// TestFastSnappyIsStandardSnappy: blocks from the registered Snappy codec
// decode with a plain Snappy decoder, and back through the codec.
func TestFastSnappyIsStandardSnappy(t *testing.T) {
	codec, err := compress.GetCodec(compress.Codecs.Snappy)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := codec.(fastSnappy); !ok {
		t.Fatalf("registered Snappy codec is %T, want fastSnappy", codec)
	}
	for _, src := range [][]byte{nil, []byte("a"),
		bytes.Repeat([]byte("ana.lima@example.org,"), 5000)} {
		enc := codec.Encode(make([]byte, 0, codec.CompressBound(int64(len(src)))), src)
		plain, err := snappy.Decode(nil, enc)
		if err != nil || !bytes.Equal(plain, src) {
			t.Fatalf("standard Snappy decode: %v, equal %v", err, bytes.Equal(plain, src))
		}
		if got := codec.Decode(make([]byte, len(src)), enc); !bytes.Equal(got, src) {
			t.Fatal("codec round trip differs")
		}
	}
}
