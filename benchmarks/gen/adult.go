package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// generateAdult writes adult-ROWS.csv into out: rows drawn with replacement
// from the Adult extract at src (same `;`-separated columns, same
// hierarchies apply), for the k-anonymity benchmark on a large table.
func generateAdult(src, out string, rows int, seed uint64) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read adult: %w", err)
	}
	lines := bytes.Split(bytes.TrimRight(data, "\r\n"), []byte("\n"))
	if len(lines) < 2 {
		return fmt.Errorf("%s has no rows", src)
	}
	header, body := lines[0], lines[1:]

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(out, fmt.Sprintf("adult-%d.csv", rows))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.Write(bytes.TrimRight(header, "\r"))
	w.WriteByte('\n')

	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for range rows {
		w.Write(bytes.TrimRight(body[r.IntN(len(body))], "\r"))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
