package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/anon-data/anon/transform"
)

// minKeyBytes is the shortest secret key accepted.
const minKeyBytes = 16

// loadSecret reads the secret key from keyFile, or else from ANON_KEY. A
// missing key gives a zero Secret; the caller refuses keyed strategies then.
// Neither the key nor the file's content ever appears in an error.
func loadSecret(keyFile string) (transform.Secret, error) {
	var key []byte
	switch {
	case keyFile != "":
		data, err := os.ReadFile(keyFile)
		if err != nil {
			return transform.Secret{}, fmt.Errorf("read key file: %w", err)
		}
		key = bytes.TrimRight(data, "\r\n")
		if len(key) == 0 {
			return transform.Secret{}, fmt.Errorf("key file %s is empty", keyFile)
		}
	case os.Getenv("ANON_KEY") != "":
		key = []byte(os.Getenv("ANON_KEY"))
	default:
		return transform.Secret{}, nil
	}

	if len(bytes.TrimSpace(key)) == 0 {
		return transform.Secret{}, fmt.Errorf("the secret key is blank")
	}
	if len(key) < minKeyBytes {
		return transform.Secret{}, fmt.Errorf("the secret key is too short: want at least "+
			"%d bytes (a random 32-byte key is best: openssl rand -hex 32)", minKeyBytes)
	}
	return transform.NewSecret(key), nil
}
