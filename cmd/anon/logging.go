package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/urfave/cli/v3"
)

// logFlags are the global logging flags.
func logFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:  "log-format",
			Value: "text",
			Usage: "log format: text or json (one JSON object per line, for pipelines)",
		},
		&cli.StringFlag{
			Name:  "log-level",
			Value: "info",
			Usage: "log level: debug, info, warn or error",
		},
	}
}

// newLogger builds the logger the flags ask for, writing to w. Log lines never
// carry data values: only names, counts and places.
func newLogger(cmd *cli.Command, w io.Writer) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(cmd.String("log-level")) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}

	opts := &slog.HandlerOptions{Level: level}
	if strings.ToLower(cmd.String("log-format")) == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// jsonLogs reports whether logs are JSON (then no progress bar and a JSON
// summary).
func jsonLogs(cmd *cli.Command) bool {
	return strings.ToLower(cmd.String("log-format")) == "json"
}

// checkLogFlags rejects unknown log levels and formats.
func checkLogFlags(ctx context.Context, cmd *cli.Command) (context.Context, error) {
	switch strings.ToLower(cmd.String("log-level")) {
	case "debug", "info", "warn", "error":
	default:
		return ctx, usageError(fmt.Errorf("unknown --log-level %q (want debug, info, warn "+
			"or error)", cmd.String("log-level")))
	}
	switch strings.ToLower(cmd.String("log-format")) {
	case "text", "json":
	default:
		return ctx, usageError(fmt.Errorf("unknown --log-format %q (want text or json)",
			cmd.String("log-format")))
	}
	return ctx, nil
}
