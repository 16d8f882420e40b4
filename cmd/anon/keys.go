package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/formats"
)

// The environment variables that hold Parquet encryption keys, used when the
// matching flag is not given.
const (
	envOutputKey = "ANON_OUTPUT_KEY"
	envInputKey  = "ANON_INPUT_KEY"
)

// inputKeyFlag is the flag naming the key file of an encrypted Parquet input.
func inputKeyFlag() cli.Flag {
	return &cli.StringFlag{Name: "input-key-file",
		Usage: "file holding the key of an encrypted Parquet input: 64 hex digits or " +
			"32 raw bytes (default: the " + envInputKey + " environment variable)"}
}

// outputKeyFlag is the flag naming the key file to encrypt Parquet output with.
func outputKeyFlag() cli.Flag {
	return &cli.StringFlag{Name: "encrypt-key-file",
		Usage: "encrypt the Parquet output (AES-GCM, 256-bit key, footer and columns) " +
			"with the key in this file: 64 hex digits or 32 raw bytes (default: the " +
			envOutputKey + " environment variable)"}
}

// loadDataKey reads a key from the file named by flag, else from env. It
// returns nil without a key, and the place the key came from for messages.
// Neither the key nor the file's content ever appears in an error.
func loadDataKey(cmd *cli.Command, flag, env string) (key []byte, from string, err error) {
	var content []byte
	switch path := cmd.String(flag); {
	case path != "":
		from = "--" + flag
		content, err = os.ReadFile(path)
		if err != nil {
			return nil, from, fmt.Errorf("%s: read key file: %w", from, err)
		}
	case os.Getenv(env) != "":
		from = env
		content = []byte(os.Getenv(env))
	default:
		return nil, "", nil
	}
	key, err = formats.ParseKey(content)
	if err != nil {
		return nil, from, fmt.Errorf("%s: %w", from, err)
	}
	return key, from, nil
}

// inputKeys returns the decryption keys for an input of format, or nil.
// The flag is refused for other formats than Parquet; the environment
// variable is then ignored.
func inputKeys(cmd *cli.Command, format formats.Format) (*formats.ParquetKeys, error) {
	if format != formats.Parquet {
		if cmd.String("input-key-file") != "" {
			return nil, errors.New("--input-key-file applies to Parquet input only")
		}
		return nil, nil
	}
	key, _, err := loadDataKey(cmd, "input-key-file", envInputKey)
	if err != nil || key == nil {
		return nil, err
	}
	return &formats.ParquetKeys{FooterKey: key}, nil
}

// outputKeys returns the encryption key for an output of format, or nil.
// Asking for encryption of another format than Parquet is an error, by flag
// or by environment: the output would be written in the clear.
func outputKeys(cmd *cli.Command, format formats.Format) (*formats.ParquetKeys, error) {
	key, from, err := loadDataKey(cmd, "encrypt-key-file", envOutputKey)
	if err != nil || key == nil {
		return nil, err
	}
	if format != formats.Parquet {
		return nil, fmt.Errorf("%s asks for encrypted output, which needs Parquet; the "+
			"output format is %s", from, format)
	}
	if len(key) != formats.EncryptionKeySize {
		return nil, fmt.Errorf("%s: the output key must be 32 bytes (64 hex digits) "+
			"for AES-256", from)
	}
	return &formats.ParquetKeys{FooterKey: key}, nil
}
