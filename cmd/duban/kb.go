package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"duban/kb"
	"duban/kb/ingest"
)

// defaultDocs is where the documents are when no flag or config says.
const defaultDocs = "../shared/seeds"

func runKB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "dump" && args[0] != "check") {
		fmt.Fprintln(stderr, "usage: duban kb dump|check --docs DIR [--kind tasks|leaders|members|duties|indicators|quotas|phases|boxes|units|passages|docs|tables|check|appointments]")
		return errUsage
	}
	sub := args[0]
	fs := flag.NewFlagSet("kb "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.String("docs", defaultDocs, "documents folder")
	kind := fs.String("kind", "tasks", "record kind to dump")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	b, res, err := ingest.LoadDir(ctx, *docs)
	if b == nil {
		return err
	}
	if sub == "check" {
		return kbCheck(b, res, err, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "duban: some documents failed to load:", err)
	}
	v, ok := dumpKind(b, *kind)
	if !ok {
		return fmt.Errorf("kb dump: unknown --kind %q", *kind)
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func dumpKind(b *kb.Base, kind string) (any, bool) {
	c := b.Contents()
	switch kind {
	case "tasks", "records":
		return nonNil(c.Records), true
	case "leaders":
		return nonNil(c.Leaders), true
	case "members":
		return nonNil(c.Members), true
	case "duties":
		return nonNil(c.Duties), true
	case "indicators":
		return nonNil(c.Indicators), true
	case "quotas":
		return nonNil(c.Quotas), true
	case "phases":
		return nonNil(c.Phases), true
	case "boxes":
		return nonNil(c.Boxes), true
	case "passages":
		return nonNil(c.Passages), true
	case "docs":
		return nonNil(c.Docs), true
	case "appointments":
		return nonNil(c.Appointments), true
	case "tables":
		return nonNil(b.Tables()), true
	case "check":
		return b.Check(), true
	case "units":
		type unit struct {
			Name    string   `json:"name"`
			Aliases []string `json:"aliases,omitempty"`
			Leads   int      `json:"leads"`
			CoOps   int      `json:"co_ops"`
		}
		var out []unit
		for _, u := range b.Units() {
			out = append(out, unit{Name: u, Aliases: b.UnitAliases(u)[1:], Leads: len(b.ByUnit(u, true)), CoOps: len(b.ByUnit(u, false))})
		}
		return nonNil(out), true
	}
	return nil, false
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func kbCheck(b *kb.Base, res ingest.Result, loadErr error, stdout io.Writer) error {
	c := b.Contents()
	rep := b.Check()
	fmt.Fprintf(stdout, "documents: %d, tasks: %v, leaders: %d, members: %d, duties: %d, indicators: %d, quotas: %d, passages: %d\n",
		len(c.Docs), rep.RecordsByTable, len(c.Leaders), len(c.Members), len(c.Duties), len(c.Indicators), len(c.Quotas), len(c.Passages))
	fmt.Fprint(stdout, rep.Text())
	for _, s := range res.Skipped {
		fmt.Fprintf(stdout, "skipped %s: %s\n", s.File, s.Reason)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(stdout, "warning:", w)
	}
	fmt.Fprintf(stdout, "%d warnings, %d skipped\n", len(c.Warnings), len(res.Skipped))
	if loadErr != nil {
		fmt.Fprintln(stdout, "errors:")
		fmt.Fprintln(stdout, loadErr)
		return fmt.Errorf("kb check: some documents failed to load")
	}
	return nil
}
