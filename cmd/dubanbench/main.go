// Command dubanbench drives a running `duban serve` over loopback with
// signed and encrypted platform callbacks (WeCom app XML, WeCom AI bot
// JSON, DingTalk robot), at a fixed rate or as fast as possible, and
// reports throughput, latency percentiles, errors and the server's peak
// memory. It stops by itself after -n requests or -d, whichever comes
// first, and refuses any target that is not a loopback address.
//
//	dubanbench -url http://127.0.0.1:8080 -platform all -d 10s -c 32
//	dubanbench -platform dingtalk -rate 5000 -d 10s -pid 1234 -json
//
// The exit status is 3 when any request failed (non-200, an empty or
// invalid reply, a timeout), 2 for bad flags and 1 for other failures.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "dubanbench:", err)
		}
		os.Exit(exitCode(err))
	}
}

var (
	errUsage = errors.New("usage")
	// errFailed is returned when a run had errors, so scripts can tell.
	errFailed = errors.New("requests failed")
)

func exitCode(err error) int {
	switch {
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errFailed):
		return 3
	}
	return 1
}

// run parses args, runs the load for each selected platform in turn and
// writes one report each.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	questions, err := loadQuestions(opts.questions)
	if err != nil {
		return err
	}
	var reports []Report
	for _, p := range opts.platformList() {
		t, err := newTarget(p, opts)
		if err != nil {
			return err
		}
		r, err := Load(ctx, t, questions, opts.load)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if opts.pid > 0 {
			r.Server, err = ReadMemory(opts.pid)
			if err != nil {
				return err
			}
		}
		reports = append(reports, r)
		if !opts.json && !opts.tsv {
			r.WriteText(stdout)
		}
		if ctx.Err() != nil {
			break
		}
	}
	switch {
	case opts.json:
		err = WriteJSON(stdout, reports)
	case opts.tsv:
		err = WriteTSV(stdout, reports)
	}
	if err != nil {
		return err
	}
	for _, r := range reports {
		if r.Errors > 0 {
			return fmt.Errorf("%w: %d of %d on %s", errFailed, r.Errors, r.Requests, r.Platform)
		}
	}
	return nil
}
