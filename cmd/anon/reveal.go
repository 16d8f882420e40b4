package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/transform"
)

// revealCommand is `anon reveal`: it turns tokens written by the tokenize
// strategy back into the original values, for someone who holds the key.
func revealCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "reveal",
		Usage: "turn tokenize tokens back into the original values (needs the secret key)",
		UsageText: "anon reveal --namespace customer_email [--tweak T] TOKEN...\n" +
			"anon reveal --namespace customer_email --input tokens.txt",
		Description: "reveal decrypts tokens made by the tokenize strategy, with the same " +
			"secret key, namespace and tweak as the run that made them (the namespace " +
			"defaults to the column name in the profile). It prints one value per line, " +
			"in the order of the tokens: first those given as arguments, then the lines " +
			"of --input. A token made under another key, namespace or tweak reveals a " +
			"wrong value, not an error.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "namespace", Aliases: []string{"n"}, Required: true,
				Usage: "the tokenize namespace (the column name if the profile sets none)"},
			&cli.StringFlag{Name: "tweak", Usage: "the tokenize tweak, if the profile set one"},
			&cli.StringFlag{Name: "input", Aliases: []string{"i"},
				Usage: "file of tokens, one per line, or - for standard input"},
			&cli.StringFlag{Name: "key-file",
				Usage: "file holding the secret key (default: the ANON_KEY environment variable)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return revealAction(cmd, e)
		},
	}
}

// revealAction reads the tokens and prints the values they stand for.
func revealAction(cmd *cli.Command, e *env) error {
	ns := cmd.String("namespace")
	if ns == "" {
		return usageError(errors.New("--namespace must not be empty"))
	}
	input := cmd.String("input")
	if cmd.Args().Len() == 0 && input == "" {
		return usageError(errors.New("give tokens as arguments or with --input"))
	}
	secret, err := loadSecret(cmd.String("key-file"))
	if err != nil {
		return usageError(err)
	}
	if secret.IsZero() {
		return usageError(errors.New("reveal needs the secret key of the run: set " +
			"ANON_KEY or give --key-file"))
	}

	w := transform.NewWorker(secret, nil)
	tk := transform.NewTokenize(ns, cmd.String("tweak"))
	out := bufio.NewWriter(e.stdout)
	n := 0
	reveal := func(token string) error {
		n++
		v, err := tk.AppendReveal(w, nil, []byte(token))
		if err != nil {
			return runError(fmt.Errorf("token %d: %w", n, err))
		}
		v = append(v, '\n')
		_, err = out.Write(v)
		return err
	}

	for _, tok := range cmd.Args().Slice() {
		if err := reveal(tok); err != nil {
			out.Flush()
			return err
		}
	}
	if input != "" {
		if err := revealLines(input, e.stdin, reveal); err != nil {
			out.Flush()
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return runError(fmt.Errorf("write: %w", err))
	}
	return nil
}

// revealLines calls reveal for each line of the file at path (standard input
// for -), without its line ending.
func revealLines(path string, stdin io.Reader, reveal func(string) error) error {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return usageError(fmt.Errorf("read tokens: %w", err))
		}
		defer f.Close()
		r = f
	}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if err := reveal(strings.TrimSuffix(sc.Text(), "\r")); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return runError(fmt.Errorf("read tokens: %w", err))
	}
	return nil
}
