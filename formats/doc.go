// Package formats reads and writes the tables anon works on, as streams of
// Arrow record batches: CSV, NDJSON, JSON arrays of objects, and Parquet.
//
// Readers never infer a type that could change a value: CSV columns are read
// as text unless the caller declares a type, so leading zeros, phone numbers
// and long IDs keep their exact text. Errors name the file, the line or row,
// and the column, and never contain a value from the data.
//
// The package imports Arrow only; it never imports transform.
package formats
