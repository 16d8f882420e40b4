package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/transform"
)

func strategiesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "strategies",
		Usage:     "list every strategy with its options and an example",
		UsageText: "anon strategies [--format text|markdown] [NAME]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text or markdown"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			specs := transform.Specs()
			if name := cmd.Args().First(); name != "" {
				spec, err := transform.Lookup(name)
				if err != nil {
					return usageError(err)
				}
				specs = []*transform.Spec{spec}
			}
			switch cmd.String("format") {
			case "text":
				writeStrategiesText(e.stdout, specs)
			case "markdown":
				writeStrategiesMarkdown(e.stdout, specs)
			default:
				return usageError(fmt.Errorf("unknown --format %q (want text or markdown)",
					cmd.String("format")))
			}
			return nil
		},
	}
}

// writeStrategiesText prints specs for a terminal.
func writeStrategiesText(w io.Writer, specs []*transform.Spec) {
	for i, s := range specs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		keyed := ""
		if s.Keyed {
			keyed = " (needs the secret key)"
		}
		fmt.Fprintf(w, "%s - %s%s\n", s.Name, s.Summary, keyed)
		if s.Doc != "" {
			fmt.Fprintf(w, "  %s\n", wrap(s.Doc, 76, "  "))
		}
		for _, p := range s.Params {
			fmt.Fprintf(w, "  %-22s %s%s\n", p.Name,
				strings.ReplaceAll(paramType(p), "\\|", "|"), paramDefault(p))
			fmt.Fprintf(w, "  %-22s %s\n", "", wrap(p.Doc, 54, strings.Repeat(" ", 25)))
		}
		if s.Example != "" {
			fmt.Fprintf(w, "  example:\n    %s\n", strings.ReplaceAll(s.Example, "\n", "\n    "))
		}
	}
}

// writeStrategiesMarkdown prints specs as the README's strategy reference.
func writeStrategiesMarkdown(w io.Writer, specs []*transform.Spec) {
	for _, s := range specs {
		fmt.Fprintf(w, "### `%s`\n\n%s.", s.Name, capitalize(s.Summary))
		if s.Doc != "" {
			fmt.Fprintf(w, " %s", s.Doc)
		}
		if s.Keyed {
			fmt.Fprint(w, " Needs the secret key.")
		}
		fmt.Fprintln(w)
		if len(s.Params) > 0 {
			fmt.Fprint(w, "\n| option | type | default | meaning |\n|---|---|---|---|\n")
			for _, p := range s.Params {
				def := strings.TrimPrefix(paramDefault(p), " default ")
				if def == "" {
					def = "-"
				}
				fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", p.Name, paramType(p), def,
					strings.ReplaceAll(p.Doc, "|", "\\|"))
			}
		}
		if s.Example != "" {
			fmt.Fprintf(w, "\n```yaml\n%s\n```\n", s.Example)
		}
		fmt.Fprintln(w)
	}
}

func paramType(p transform.Param) string {
	t := string(p.Type)
	if p.Type == transform.ParamEnum {
		t = strings.Join(p.Enum, " \\| ")
	}
	if p.Required {
		t += ", required"
	}
	return t
}

func paramDefault(p transform.Param) string {
	if p.Default == nil {
		return ""
	}
	return fmt.Sprintf(" default %v", p.Default)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// wrap breaks s into lines of at most width columns, indenting continuation
// lines with indent.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		if i > 0 && n+1+len(word) > width {
			b.WriteString("\n" + indent)
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
