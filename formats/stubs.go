package formats

// TODO(helper): placeholders until the readers and writers land.

import (
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
)

var errTodo = errors.New("not implemented")

func newCSVReader(io.Reader, ReadOptions) (Reader, error)                 { return nil, errTodo }
func newNDJSONReader(io.Reader, ReadOptions) (Reader, error)              { return nil, errTodo }
func newJSONArrayReader(io.Reader, ReadOptions) (Reader, error)           { return nil, errTodo }
func openParquet(string, ReadOptions) (Reader, error)                     { return nil, errTodo }
func newCSVWriter(io.Writer, *arrow.Schema, WriteOptions) (Writer, error) { return nil, errTodo }
func newParquetWriter(io.Writer, *arrow.Schema, WriteOptions) (Writer, error) {
	return nil, errTodo
}
func newNDJSONWriter(io.Writer, *arrow.Schema, WriteOptions, bool) (Writer, error) {
	return nil, errTodo
}
