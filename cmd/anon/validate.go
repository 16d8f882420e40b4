package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v3"

	"github.com/anon-data/anon/profiles"
	"github.com/anon-data/anon/transform"
)

func validateCommand(e *env) *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "profile", Aliases: []string{"p"}, Required: true,
			Usage: "the YAML profile to check"},
		&cli.BoolFlag{Name: "strict",
			Usage: "fail (exit 2) on weak settings, not only warn"},
	}
	return &cli.Command{
		Name:  "validate",
		Usage: "check a profile, and that it covers every column of an input, writing nothing",
		UsageText: "anon validate --profile p.yaml\n" +
			"anon validate --profile p.yaml --input customers.csv",
		Flags: append(flags, inputFlags()...),
		Action: func(ctx context.Context, cmd *cli.Command) error {
			return validateAction(cmd, e)
		},
	}
}

func validateAction(cmd *cli.Command, e *env) error {
	prof, err := profiles.Load(cmd.String("profile"))
	if err != nil {
		return usageError(err)
	}
	if cmd.String("input") == "" {
		if err := printGuardrails(e.stdout, prof.Guardrails(nil),
			cmd.Bool("strict")); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: profile is valid (%d columns named)\n",
			prof.Path, len(prof.Columns))
		return nil
	}

	ropt, err := readOptions(cmd, prof)
	if err != nil {
		return usageError(err)
	}
	reader, err := openInput(cmd.String("input"), ropt, e.stdin)
	if err != nil {
		return runError(err)
	}
	defer reader.Close()

	schema := reader.Schema()
	plan, err := transform.NewPlan(schema, prof.Rules(schema))
	if err != nil {
		return usageError(fmt.Errorf("%s: %w", prof.Path, err))
	}
	if err := checkKAnonymityColumns(prof, plan.Out); err != nil {
		return usageError(err)
	}
	var absent []string
	for _, c := range prof.Columns {
		if len(schema.FieldIndices(c.Name)) == 0 {
			absent = append(absent, c.Name)
		}
	}
	if len(absent) > 0 {
		fmt.Fprintf(e.stdout, "warning: the profile names columns the input does not have: %v\n",
			absent)
	}
	sample := sampleInput(prof, reader)
	if err := reader.Err(); err != nil {
		return runError(err)
	}
	if err := printGuardrails(e.stdout, prof.Guardrails(sample),
		cmd.Bool("strict")); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: profile is valid and covers all %d columns of %s "+
		"(%d written, %d dropped)\n", prof.Path, len(schema.Fields()), ropt.Name,
		len(plan.Columns), len(plan.Dropped))
	return nil
}
