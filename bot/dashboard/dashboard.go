package dashboard

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

// HistoryFunc returns a task's journal, oldest first: progress.Tracker's
// History.
type HistoryFunc func(ctx context.Context, t kb.Table, no int) ([]progress.Entry, error)

// A Reminder is one reminder the scheduler's ledger holds as sent for a
// task: the chat and the milestone ("due-7", "overdue-1").
type Reminder struct {
	Chat      string    `json:"chat"`
	Milestone string    `json:"milestone"`
	At        time.Time `json:"at,omitzero"` // when it was due to go out; zero when unknown
}

// Config configures the dashboard. Base is required.
type Config struct {
	// Prefix is the path the dashboard is mounted at, without a trailing
	// slash. Default: /dashboard. Every link in the pages is relative, so a
	// proxy may add its own prefix in front (see the package doc).
	Prefix string
	// Token, when set, is required (see the package doc); when empty the
	// dashboard serves loopback clients only. Default: "".
	Token string
	// Base returns the current knowledge base (it changes on reload); nil
	// while none is loaded.
	Base func() *kb.Base
	// History reads a task's status journal. Default: nil, every task 未开始.
	History HistoryFunc
	// Answer answers a question as the bot would (handlers.Handler.Answer of
	// the current base), for the task page. Default: nil, no answer shown.
	Answer func(ctx context.Context, q handlers.Question) handlers.Reply
	// Reminders lists the reminders sent for a task, where the ledger can
	// tell. Default: nil, the task page says the ledger is not readable.
	Reminders func(ctx context.Context, t kb.Table, no int, asOf time.Time) ([]Reminder, error)
	// Thresholds are the traffic-light thresholds (the config's). Default:
	// progress.Thresholds{} (yellow 14 days before the due day).
	Thresholds progress.Thresholds
	// Now is the clock: the default as-of day. Default: time.Now.
	Now func() time.Time
	// Logger logs failed requests. Default: discard.
	Logger *slog.Logger
}

//go:embed web
var web embed.FS

// Dashboard is the http.Handler of the dashboard; mount it at Prefix and
// Prefix+"/".
type Dashboard struct {
	cfg  Config
	mux  *http.ServeMux
	tmpl map[string]*template.Template
}

// New returns the dashboard. It panics when cfg.Base is nil, a wiring
// error like http.ServeMux.Handle's nil handler.
func New(cfg Config) *Dashboard {
	if cfg.Base == nil {
		panic("dashboard: Config.Base is nil")
	}
	cfg.Prefix = "/" + strings.Trim(cfg.Prefix, "/")
	if cfg.Prefix == "/" {
		cfg.Prefix = "/dashboard"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	d := &Dashboard{cfg: cfg, mux: http.NewServeMux(), tmpl: parseTemplates()}
	static, _ := fs.Sub(web, "web/static")
	d.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(http.FileServerFS(static))))
	d.mux.HandleFunc("GET /{$}", d.overview)
	d.mux.HandleFunc("GET /timeline", d.timeline)
	d.mux.HandleFunc("GET /task/{table}/{no}", d.task)
	d.mux.HandleFunc("GET /report", d.report)
	d.mux.HandleFunc("GET /export.xlsx", d.exportXLSX)
	d.mux.HandleFunc("GET /export.csv", d.exportCSV)
	d.mux.HandleFunc("GET /api/board", d.apiBoard)
	d.mux.HandleFunc("GET /api/tasks", d.apiTasks)
	d.mux.HandleFunc("GET /api/task/{table}/{no}", d.apiTask)
	return d
}

// Prefix is the path the dashboard expects to be mounted at.
func (d *Dashboard) Prefix() string { return d.cfg.Prefix }

// ServeHTTP checks access, then serves the page or endpoint under Prefix.
// The bare prefix redirects to Prefix+"/", so relative links resolve.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.guard(http.HandlerFunc(d.route)).ServeHTTP(w, r)
}

func (d *Dashboard) route(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, d.cfg.Prefix)
	if !ok || (rest != "" && rest[0] != '/') {
		http.NotFound(w, r)
		return
	}
	if rest == "" {
		// Relative to the last path segment: keeps a proxy's own prefix.
		last := d.cfg.Prefix[strings.LastIndexByte(d.cfg.Prefix, '/')+1:]
		target := last + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		redirect(w, target, http.StatusFound)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = rest
	r2.URL.RawPath = ""
	w.Header().Set("X-Content-Type-Options", "nosniff")
	d.mux.ServeHTTP(w, r2)
}

// redirect sends a relative Location as is: http.Redirect would make it
// absolute from the request path, which drops a proxy's prefix.
func redirect(w http.ResponseWriter, target string, code int) {
	w.Header().Set("Location", target)
	w.WriteHeader(code)
}

func cacheFor(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// errNoBase is served as 503 while no documents are loaded.
var errNoBase = errors.New("dashboard: no documents loaded yet")

// fail answers an error: 400 for a bad request (an as-of date), 503 while
// nothing is loaded, 500 otherwise, logged.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, code int, err error) {
	if code >= 500 {
		d.cfg.Logger.Error("dashboard request failed", "path", r.URL.Path, "err", err)
	}
	http.Error(w, err.Error(), code)
}
