package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"duban/kb"
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

// openStatusStore opens the configured store, or lends the server's when
// the command runs inside serve (local.go). The embedded store's file is
// locked by a running `duban serve`; say so rather than only time out.
func openStatusStore(ctx context.Context, cfg *config) (store.Store, error) {
	if env, ok := envOf(ctx); ok {
		return env.st, nil
	}
	st, _, err := storeconfig.Open(ctx, storeconfig.Config{RedisURL: cfg.RedisURL, DataDir: cfg.rel(cfg.DataDir), Prefix: cfg.RedisPrefix})
	if err != nil {
		if cfg.RedisURL == "" {
			return nil, fmt.Errorf("store: %w (a running duban serve holds the embedded store %s and does not answer on its socket %s)", err, cfg.rel(cfg.DataDir), localSocket)
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
	if f != "csv" && f != "xlsx" {
		return fmt.Errorf("status export: --format %q: want csv or xlsx", *format)
	}
	cfg, err := commandConfig(ctx, *cfgPath)
	if err != nil {
		return err
	}
	// The 灯 column as of now, with the configured thresholds.
	exp := progress.Export{Lights: cfg.Lights}
	write := map[string]func(io.Writer, *kb.Base, map[progress.Key]kb.Status) error{"csv": exp.WriteCSV, "xlsx": exp.WriteXLSX}[f]
	if data, err := runOnServe(ctx, cfg, []string{"status", "export", "--format", f}, stderr); !errors.Is(err, errNoServer) {
		if err != nil {
			return err
		}
		if *out == "" {
			_, err = stdout.Write(data)
			return err
		}
		return writeFileAtomic(*out, func(w io.Writer) error { _, err := w.Write(data); return err })
	}
	b, err := commandBase(ctx, *docs, cfg, stderr)
	if b == nil {
		return err
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
	if err := writeFileAtomic(*out, func(w io.Writer) error { return write(w, b, statuses) }); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "duban: wrote %d tasks (%d with a report) to %s\n", len(b.Records()), len(statuses), *out)
	return nil
}

// writeFileAtomic writes beside path and renames, so a failed export never
// leaves half a spreadsheet where last month's report was.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".duban-export-*")
	if err != nil {
		return fmt.Errorf("status export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("status export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("status export: %w", err)
	}
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
	cfg, err := commandConfig(ctx, *cfgPath)
	if err != nil {
		return err
	}
	if data, err := runOnServe(ctx, cfg, []string{"status", "history", "--table", *table, strconv.Itoa(no)}, stderr); !errors.Is(err, errNoServer) {
		stdout.Write(data)
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
		return printUrges(ctx, st, t, no, stdout)
	}
	fmt.Fprintf(stdout, "%s: %d entries\n", label, len(h))
	for _, e := range h {
		line := fmt.Sprintf("#%d %s %s", e.Seq, e.At.In(kb.Location).Format(time.DateTime), e.Label())
		if e.State == kb.Undone {
			line += fmt.Sprintf(" #%d", e.Undoes)
		}
		for _, f := range []string{e.Reviewer, e.Unit, e.User, e.Chat} {
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
	return printUrges(ctx, st, t, no, stdout)
}

// printUrges lists the task's 催办, counted in its own journal log.
func printUrges(ctx context.Context, st store.Store, t kb.Table, no int, stdout io.Writer) error {
	us, err := progress.NewUrgeLog(st, nil).History(ctx, t, no)
	if err != nil || len(us) == 0 {
		return err
	}
	fmt.Fprintf(stdout, "urged %d times:\n", len(us))
	for i, u := range us {
		line := fmt.Sprintf("催办#%d %s %s", i+1, u.At.In(kb.Location).Format(time.DateTime), u.From)
		if u.By != "" {
			line += " | " + u.By
		}
		if len(u.To) > 0 {
			line += " → " + strings.Join(u.To, "、")
		}
		fmt.Fprintln(stdout, line)
	}
	return nil
}
