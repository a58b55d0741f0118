package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ServerConfig configures a Server. The zero value is usable.
type ServerConfig struct {
	// Metrics is served at /metrics in the Prometheus text format.
	// Default: nil, no /metrics route.
	Metrics prometheus.Gatherer
	// MaxBodyBytes caps every request body; a larger declared length is
	// refused with 413 before the handler runs, and a body that turns out
	// larger fails the handler's read with *http.MaxBytesError.
	// Default: 1 MiB, far above any callback (a few KB) or emulator question.
	MaxBodyBytes int64
	// ShutdownTimeout bounds how long Run waits for in-flight requests
	// after its context is done. WeCom drops a callback after 5 s, so
	// nothing useful runs longer. Default: 10s.
	ShutdownTimeout time.Duration
	// CheckTimeout bounds each readiness check. Default: 2s.
	CheckTimeout time.Duration
	// Logger logs start, stop, the http.Server's own errors and one
	// access line per request (method, path, status, client, duration).
	// Default: discard.
	Logger *slog.Logger
	// Proxies are the reverse proxies whose forwarding headers name the
	// client (config trusted_proxies); see ClientFrom. Default: none, the
	// TCP peer is the client.
	Proxies Proxies
	// AdminToken, when set, is required on /metrics and /readyz (as
	// "Authorization: Bearer …" or ?token=); /healthz stays open for
	// liveness probes. Default: "", both open.
	AdminToken string
	// TLSCertFile and TLSKeyFile, when both set, make Serve speak HTTPS
	// (config tls.cert_file, tls.key_file), for a county without a proxy
	// in front. Default: plain HTTP.
	TLSCertFile, TLSKeyFile string
}

// A Server is the one HTTP server of duban: platform callbacks, the
// emulator, /healthz, /readyz and /metrics, with a body size cap on every
// route. Register routes and checks before Run.
type Server struct {
	cfg ServerConfig
	mux *http.ServeMux

	handler http.Handler // the mux behind the body cap and the access log

	mu      sync.Mutex
	checks  map[string]func(ctx context.Context) error
	details map[string]func() any
}

// NewServer returns a Server with /healthz, /readyz and (if cfg.Metrics is
// set) /metrics registered.
func NewServer(cfg ServerConfig) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 10 * time.Second
	}
	if cfg.CheckTimeout <= 0 {
		cfg.CheckTimeout = 2 * time.Second
	}
	cfg.Logger = orDiscard(cfg.Logger)
	s := &Server{cfg: cfg, mux: http.NewServeMux(), checks: map[string]func(context.Context) error{}}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "ok")
	})
	s.mux.Handle("GET /readyz", requireToken(cfg.AdminToken, http.HandlerFunc(s.readyz)))
	if cfg.Metrics != nil {
		s.mux.Handle("GET /metrics", requireToken(cfg.AdminToken, promhttp.HandlerFor(cfg.Metrics, promhttp.HandlerOpts{
			ErrorLog: slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
		})))
	}
	s.handler = accessLog(cfg.Logger, http.HandlerFunc(s.serve))
	return s
}

// Handle registers h for pattern (http.ServeMux syntax, e.g. "/wecom/app"
// or "POST /dingtalk/robot"). Like ServeMux it panics on a conflict.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// AddCheck registers a readiness check under name; /readyz runs them all.
// It panics on an empty name, a nil check or a name added twice.
func (s *Server) AddCheck(name string, check func(ctx context.Context) error) {
	if name == "" || check == nil {
		panic(fmt.Sprintf("bot: AddCheck(%q): empty name or nil check", name))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.checks[name]; dup {
		panic(fmt.Sprintf("bot: AddCheck(%q): added twice", name))
	}
	s.checks[name] = check
}

// ServeHTTP resolves the client (ClientFrom), logs the request, caps its
// body and dispatches to the registered routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(WithClient(r.Context(), s.cfg.Proxies.ClientOf(r)))
	s.handler.ServeHTTP(w, r)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	}
	s.mux.ServeHTTP(w, r)
}

// Readiness is the JSON body of /readyz: each check's name with "ok" or
// its error.
type Readiness struct {
	Ready  bool              `json:"ready"`
	Checks map[string]string `json:"checks"`
	// Details are informational (documents that failed to reload, skipped
	// files); they do not make the server unready.
	Details map[string]any `json:"details,omitempty"`
}

// AddDetail adds informational state to /readyz under name; f is called on
// every request and must be cheap and safe for concurrent use.
func (s *Server) AddDetail(name string, f func() any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.details == nil {
		s.details = map[string]func() any{}
	}
	s.details[name] = f
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	rd := s.Ready(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !rd.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(rd) //nolint:errcheck // the client went away
}

// Ready runs every check concurrently, each bounded by CheckTimeout.
func (s *Server) Ready(ctx context.Context) Readiness {
	s.mu.Lock()
	names := make([]string, 0, len(s.checks))
	for n := range s.checks {
		names = append(names, n)
	}
	checks := make([]func(context.Context) error, len(names))
	slices.Sort(names)
	for i, n := range names {
		checks[i] = s.checks[n]
	}
	s.mu.Unlock()

	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, check := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, s.cfg.CheckTimeout)
			defer cancel()
			errs[i] = check(cctx)
		})
	}
	wg.Wait()
	rd := Readiness{Ready: true, Checks: make(map[string]string, len(names))}
	for i, n := range names {
		rd.Checks[n] = "ok"
		if errs[i] != nil {
			rd.Ready = false
			rd.Checks[n] = errs[i].Error()
		}
	}
	s.mu.Lock()
	for n, f := range s.details {
		if rd.Details == nil {
			rd.Details = map[string]any{}
		}
		rd.Details[n] = f()
	}
	s.mu.Unlock()
	return rd
}

// Run listens on addr and serves until ctx is done, then shuts down
// gracefully (see Serve).
func (s *Server) Run(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http server: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is done. It then stops accepting, lets
// in-flight requests finish within ShutdownTimeout, closes the rest and
// returns; nil means every request finished.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	l := s.cfg.Logger
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(l.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	tls := s.cfg.TLSCertFile != "" && s.cfg.TLSKeyFile != ""
	go func() {
		if tls {
			errc <- srv.ServeTLS(ln, s.cfg.TLSCertFile, s.cfg.TLSKeyFile)
			return
		}
		errc <- srv.Serve(ln)
	}()
	l.Info("http server listening", "addr", ln.Addr().String(), "tls", tls)

	select {
	case err := <-errc: // Serve failed before anyone asked it to stop
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	l.Info("http server shutting down", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		srv.Close() // drop what did not finish in time
		return fmt.Errorf("http server shutdown: %w", err)
	}
	l.Info("http server stopped")
	return nil
}
