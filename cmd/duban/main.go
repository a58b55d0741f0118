// Command duban is the 督办 chat bot: it answers officials' questions about
// who is responsible for which task and by when, from the government's own
// task documents, and pushes deadline reminders to each unit's group chat.
//
//	duban serve  --docs DIR [--config FILE]   run the bot server and scheduler
//	duban ask    --docs DIR [--json] QUESTION… answer questions on the command line
//	duban kb     dump|check --docs DIR         inspect the knowledge base
//	duban remind --docs DIR --config FILE --now RFC3339 --dry-run|--send
//	duban mcp    --docs DIR [--config FILE]    MCP tools over stdio
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // deadlines and cron specs are in Asia/Shanghai on any host
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "duban:", err)
		}
		os.Exit(exitCode(err))
	}
}

var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

const usage = `duban — 督办 chat bot for WeCom and DingTalk work groups

Usage:
  duban serve  --docs DIR [--config FILE]        run the server (callbacks, emulator, reminders)
  duban ask    --docs DIR [--json] QUESTION…     answer questions
  duban ask    --docs DIR --batch FILE|-         one question a line → one JSON line each
  duban kb dump  --docs DIR [--kind KIND]        records as JSON (tasks, leaders, indicators, quotas, units, …)
  duban kb check --docs DIR                      warnings: rows the reader is unsure of
  duban remind --docs DIR --config FILE --now RFC3339 --dry-run [--json] | --send
  duban config example                           print a commented example configuration
  duban mcp    --docs DIR [--config FILE]        MCP tools for LLM assistants over stdio

Run "duban COMMAND -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "kb":
		return runKB(ctx, rest, stdout, stderr)
	case "ask":
		return runAsk(ctx, rest, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if f, ok := commands[cmd]; ok {
		return f(ctx, rest, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "duban: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// commands holds the subcommands registered by their own files.
var commands = map[string]func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error{}
