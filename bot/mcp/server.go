package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"duban/handlers"
	"duban/kb"
)

// Config configures a Server.
type Config struct {
	// Handler returns the handler of the current knowledge base; `duban
	// serve` swaps it on reload, so it is asked on every call. Required.
	Handler func() *handlers.Handler
	// Status returns the status units reported for a task
	// (progress.Tracker's Lookup). Default: nil, results carry no status
	// and status filters are refused rather than answered wrongly.
	Status func(t kb.Table, no int) (kb.Status, bool)
	// Now is the clock for overdue's default date. Default: time.Now.
	Now func() time.Time
	// Version is reported to clients. Default: "dev".
	Version string
	// Logger logs each tool call (name, duration, error) at debug level;
	// arguments and answers are never logged (government content).
	// Default: discard.
	Logger *slog.Logger
}

// ErrNotLoaded is the error of a tool called before documents are loaded.
var ErrNotLoaded = errors.New("documents not loaded")

// A Server is duban's MCP server: the tools and resources of one
// knowledge base (as Config.Handler returns it at each call). It is safe
// for concurrent use by any number of sessions.
type Server struct {
	cfg Config
	srv *sdk.Server
}

// New returns a Server with every tool and resource registered.
func New(cfg Config) (*Server, error) {
	if cfg.Handler == nil {
		return nil, errors.New("mcp: Config.Handler is nil")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg}
	s.srv = sdk.NewServer(&sdk.Implementation{
		Name:    "duban",
		Title:   "duban 督办",
		Version: cfg.Version,
	}, &sdk.ServerOptions{
		Instructions: instructions,
		// No logging capability: duban sends no log notifications, and
		// advertising one invites clients to set levels for nothing.
		Capabilities: &sdk.ServerCapabilities{},
	})
	s.addTools()
	s.addResources()
	return s, nil
}

const instructions = `duban answers exactly from a local government's task documents (task-breakdown tables, numbered task lists, measures, notices, five-year plans). ` +
	`Use task for one numbered task, tasks_of_unit / tasks_of_leader for complete lists, due_between / overdue for deadlines, ` +
	`division_of_labour for 分管/联系/duties, indicator and quota for plan figures, search for any other passage, ask for the chat bot's own answer. ` +
	`Quote the source (file, line, table, row) each result carries. A not_found result names what was looked for and candidates; do not guess past it.`

// RunStdio serves one session over in and out (newline-delimited JSON-RPC,
// as `duban mcp` does on its standard input and output) until ctx is done
// or the client closes in.
func (s *Server) RunStdio(ctx context.Context, in io.Reader, out io.Writer) error {
	t := &sdk.IOTransport{Reader: io.NopCloser(in), Writer: nopCloser{out}}
	if err := s.srv.Run(ctx, t); err != nil && ctx.Err() == nil {
		return fmt.Errorf("mcp stdio: %w", err)
	}
	return nil
}

// handler returns the current handler or ErrNotLoaded.
func (s *Server) handler() (*handlers.Handler, error) {
	h := s.cfg.Handler()
	if h == nil || h.Base() == nil {
		return nil, ErrNotLoaded
	}
	return h, nil
}

// nopCloser leaves closing the process's standard output to the process.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
