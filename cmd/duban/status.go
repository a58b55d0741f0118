package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"duban/kb"
	"duban/kb/ingest"
	"duban/progress"
	"duban/store"
	"duban/store/storeconfig"
)

func init() { commands["status"] = runStatus }

const statusUsage = `usage:
  duban status export  --docs DIR --config FILE [--format csv|xlsx] [-o FILE]
  duban status history --config FILE [--table key_tasks] NO
`

// runStatus is `duban status`: the task statuses units reported in chat.
func runStatus(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, statusUsage)
		return errUsage
	}
	switch args[0] {
	case "export":
		return statusExport(ctx, args[1:], stdout, stderr)
	case "history":
		return statusHistory(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, statusUsage)
	return errUsage
}

// openStatusStore opens the configured store. The embedded store's file is
// locked by a running `duban serve`; say so rather than only time out.
func openStatusStore(ctx context.Context, cfg *config) (store.Store, error) {
	st, _, err := storeconfig.Open(ctx, storeconfig.Config{RedisURL: cfg.RedisURL, DataDir: cfg.rel(cfg.DataDir), Prefix: cfg.RedisPrefix})
	if err != nil {
		if cfg.RedisURL == "" {
			return nil, fmt.Errorf("store: %w (a running duban serve holds the embedded store %s; stop it, or share state through redis_url)", err, cfg.rel(cfg.DataDir))
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	return st, nil
}

func statusExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("status export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.String("docs", "", "documents folder (default: the config's docs, else "+defaultDocs+")")
	cfgPath := fs.String("config", "", "configuration file (store: data_dir or redis_url)")
	format := fs.String("format", "", "csv or xlsx (default: from -o's extension, else csv)")
	out := fs.String("o", "", "output file (default: standard output)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprint(stderr, statusUsage)
		return errUsage
	}
	f := strings.ToLower(*format)
	if f == "" {
		f = "csv"
		if strings.EqualFold(filepath.Ext(*out), ".xlsx") {
			f = "xlsx"
		}
	}
	write := map[string]func(io.Writer, *kb.Base, map[progress.Key]kb.Status) error{"csv": progress.WriteCSV, "xlsx": progress.WriteXLSX}[f]
	if write == nil {
		return fmt.Errorf("status export: --format %q: want csv or xlsx", *format)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	b, _, err := ingest.LoadDir(ctx, docsDir(*docs, cfg))
	if b == nil {
		return err
	}
	if err != nil {
		fmt.Fprintln(stderr, "duban: some documents failed to load:", err)
	}
	st, err := openStatusStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	statuses, err := progress.New(st, progress.Config{}).Current(ctx)
	if err != nil {
		return fmt.Errorf("status export: %w", err)
	}
	if *out == "" {
		return write(stdout, b, statuses)
	}
	// Write beside the target and rename, so a failed export never leaves
	// half a spreadsheet where last month's report was.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".duban-export-*")
	if err != nil {
		return fmt.Errorf("status export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp, b, statuses); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("status export: %w", err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("status export: %w", err)
	}
	fmt.Fprintf(stderr, "duban: wrote %d tasks (%d with a report) to %s\n", len(b.Records()), len(statuses), *out)
	return nil
}

func statusHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("status history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration file (store: data_dir or redis_url)")
	table := fs.String("table", string(kb.KeyTasks), "key_tasks, people_projects, measures_2019 or nantong_2019")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprint(stderr, statusUsage)
		return errUsage
	}
	no, err := strconv.Atoi(fs.Arg(0))
	if err != nil || no <= 0 {
		return fmt.Errorf("status history: %q is not a task number", fs.Arg(0))
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	st, err := openStatusStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	t := kb.Table(*table)
	h, err := progress.New(st, progress.Config{}).History(ctx, t, no)
	if err != nil {
		return err
	}
	label := progress.Label(t, no)
	if len(h) == 0 {
		fmt.Fprintf(stdout, "%s: no reports.\n", label)
		return nil
	}
	fmt.Fprintf(stdout, "%s: %d entries\n", label, len(h))
	for _, e := range h {
		line := fmt.Sprintf("#%d %s %s", e.Seq, e.At.In(kb.Location).Format(time.DateTime), e.Label())
		if e.State == kb.Undone {
			line += fmt.Sprintf(" #%d", e.Undoes)
		}
		for _, f := range []string{e.Unit, e.User, e.Chat} {
			if f != "" {
				line += " | " + f
			}
		}
		if e.Note != "" {
			line += " | " + e.Note
		}
		fmt.Fprintln(stdout, line)
	}
	if cur, ok := progress.Fold(h); ok {
		fmt.Fprintf(stdout, "current: %s (%s)\n", cur.Label(), cur.Byline())
	} else {
		fmt.Fprintf(stdout, "current: %s\n", kb.NotStarted)
	}
	return nil
}
