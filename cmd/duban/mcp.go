package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"duban/bot"
	"duban/bot/mcp"
	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
	"duban/progress"
)

func init() { commands["mcp"] = runMCP }

// mcpConfig is the `mcp:` section: the Streamable HTTP endpoint at /mcp of
// `duban serve`. It is off by default and never open: the tools read
// government documents, so a token is required.
type mcpConfig struct {
	Enabled bool   `yaml:"enabled"`
	Token   string `yaml:"token"` // bearer token clients send; at least minMCPToken characters
}

// minMCPToken is the shortest token accepted: 16 characters of `openssl
// rand -hex 24` are 64 bits, beyond guessing over HTTP.
const minMCPToken = 16

// validateMCP checks the mcp section; each problem names its YAML path.
func (c *config) validateMCP() []error {
	if !c.MCP.Enabled {
		return nil
	}
	switch {
	case c.MCP.Token == "":
		return []error{fmt.Errorf("mcp.token: missing: /mcp needs a bearer token when mcp.enabled is true%s", c.hint())}
	case len(c.MCP.Token) < minMCPToken:
		return []error{fmt.Errorf("mcp.token: %d characters: want at least %d (e.g. openssl rand -hex 24)", len(c.MCP.Token), minMCPToken)}
	}
	return nil
}

// mountMCP serves the MCP tools at /mcp of srv when the config enables
// them. Answers come from the knowledge base state holds at each call, so
// a reload is seen at once; statuses from status.
func mountMCP(cfg *config, srv *bot.Server, state *kbState, status func(kb.Table, int) (kb.Status, bool), log *slog.Logger) error {
	if !cfg.MCP.Enabled {
		return nil
	}
	s, err := mcp.New(mcp.Config{Handler: state.current, Status: status, Logger: log})
	if err != nil {
		return err
	}
	h, err := s.HTTPHandler(cfg.MCP.Token)
	if err != nil {
		return fmt.Errorf("config: mcp.token: %w", err)
	}
	srv.Handle("/mcp", h)
	log.Info("mcp endpoint enabled", "path", "/mcp")
	return nil
}

// runMCP is `duban mcp`: the MCP tools over standard input and output, for
// desktop assistants that start duban themselves. Standard output carries
// the protocol only; everything else goes to standard error.
func runMCP(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.String("docs", "", "documents folder (default: the config's docs, else "+defaultDocs+")")
	cfgPath := fs.String("config", "", "configuration file; its store (data_dir or redis_url) gives the statuses units reported")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: duban mcp --docs DIR [--config FILE]")
		return errUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	dir := docsDir(*docs, cfg)
	b, _, err := ingest.LoadDir(ctx, dir)
	if b == nil {
		return fmt.Errorf("mcp: documents %s: %w", dir, err)
	}
	if err != nil {
		log.Error("some documents failed to load; they are left out", "err", err)
	}
	var status func(kb.Table, int) (kb.Status, bool)
	if *cfgPath != "" {
		// Without the store the tools still answer, but with no status
		// field and status filters refused: never a task shown as not
		// started because its report could not be read.
		st, err := openStatusStore(ctx, cfg)
		if err != nil {
			log.Warn("statuses unavailable", "err", err)
		} else {
			defer st.Close()
			status = progress.New(st, progress.Config{}).Lookup
		}
	}
	h := handlers.New(b, handlers.Config{Status: status, EffectiveDue: progress.EffectiveDue})
	s, err := mcp.New(mcp.Config{Handler: func() *handlers.Handler { return h }, Status: status, Logger: log})
	if err != nil {
		return err
	}
	if err := s.RunStdio(ctx, stdin, stdout); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
