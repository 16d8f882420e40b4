package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"
	"golang.org/x/term"
)

// progress shows rows done on stderr when stderr is a terminal, and logs one
// debug line per batch.
type progress struct {
	bar    *progressbar.ProgressBar
	logger *slog.Logger
	last   int64
}

func newProgress(cmd *cli.Command, stderr io.Writer, logger *slog.Logger) *progress {
	p := &progress{logger: logger}
	f, ok := stderr.(*os.File)
	if !ok || cmd.Bool("no-progress") || jsonLogs(cmd) || !term.IsTerminal(int(f.Fd())) {
		return p
	}
	p.bar = progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("rows"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionClearOnFinish(),
	)
	return p
}

// update is called after each batch with the rows read so far.
func (p *progress) update(rows int64) {
	p.logger.Debug("batch written", "rows_read", rows)
	if p.bar != nil {
		_ = p.bar.Add64(rows - p.last)
	}
	p.last = rows
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
