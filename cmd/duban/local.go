package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"duban/kb"
	"duban/kb/ingest"
	"duban/store"
)

// The embedded store is one bbolt file that `duban serve` keeps locked, so
// the commands that read or write it (`status export`, `status history`,
// `remind --dry-run`, `remind --send`) cannot open it while serve runs.
// Instead serve listens on a Unix socket beside the store's file, which only
// the store's owner can reach (0600 in the data directory), and checks a
// token that it writes beside it (0600) at every start. A command that
// finds the socket answering sends it its arguments; serve runs the same
// command in its own process, over its open store and current knowledge
// base, and returns what it printed. With Redis nothing is locked and the
// commands open the store themselves.
const (
	localSocket = "duban.sock"
	localToken  = "duban.sock.token"
)

// localCommands are the commands serve runs for a local client.
var localCommands = map[string]bool{"status": true, "remind": true}

// localEnv is what a command run inside serve uses instead of opening the
// store and loading the documents: the server's own.
type localEnv struct {
	cfg  *config
	base *kb.Base
	st   store.Store
}

type localEnvKey struct{}

func envOf(ctx context.Context) (localEnv, bool) {
	e, ok := ctx.Value(localEnvKey{}).(localEnv)
	return e, ok
}

// keptOpen is the server's store lent to a command: Close leaves it open.
type keptOpen struct{ store.Store }

func (keptOpen) Close() error { return nil }

// localRequest and localReply are the socket's protocol (JSON over HTTP).
type localRequest struct {
	Args []string `json:"args"` // e.g. ["status", "export", "--format", "xlsx"]
}

type localReply struct {
	Stdout []byte `json:"stdout"`
	Stderr string `json:"stderr"`
	Error  string `json:"error,omitempty"`
	Usage  bool   `json:"usage,omitempty"` // the command's error was errUsage
}

// serveLocal listens on the data directory's socket until ctx ends. It is
// a no-op with Redis. base returns the current knowledge base.
func serveLocal(ctx context.Context, cfg *config, st store.Store, base func() *kb.Base, log *slog.Logger) (stop func()) {
	if cfg.RedisURL != "" {
		return func() {}
	}
	dir := cfg.rel(cfg.DataDir)
	sock, tokPath := filepath.Join(dir, localSocket), filepath.Join(dir, localToken)
	var raw [24]byte
	_, _ = rand.Read(raw[:])
	token := hex.EncodeToString(raw[:])
	if err := os.WriteFile(tokPath, []byte(token), 0o600); err != nil {
		log.Warn("local commands unavailable while serving: token not written", "err", err)
		return func() {}
	}
	_ = os.Remove(sock) // a socket left by a process that died
	ln, err := net.Listen("unix", sock)
	if err != nil {
		log.Warn("local commands unavailable while serving", "socket", sock, "err", err)
		return func() {}
	}
	_ = os.Chmod(sock, 0o600)
	srv := &http.Server{Handler: localHandler(cfg, st, base, token), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	log.Info("local commands (status, remind) served while running", "socket", sock)
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-done
		_ = os.Remove(sock)
		_ = os.Remove(tokPath)
	}
}

func localHandler(cfg *config, st store.Store, base func() *kb.Base, token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if r.Method != http.MethodPost || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var req localRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || len(req.Args) == 0 || !localCommands[req.Args[0]] {
			http.Error(w, "want {\"args\": [\"status\"|\"remind\", …]}", http.StatusBadRequest)
			return
		}
		b := base()
		if b == nil {
			http.Error(w, "documents not loaded yet", http.StatusServiceUnavailable)
			return
		}
		ctx := context.WithValue(r.Context(), localEnvKey{}, localEnv{cfg: cfg, base: b, st: keptOpen{st}})
		var out bytes.Buffer
		var errOut strings.Builder
		err := commands[req.Args[0]](ctx, req.Args[1:], strings.NewReader(""), &out, &errOut)
		rep := localReply{Stdout: out.Bytes(), Stderr: errOut.String()}
		if err != nil {
			rep.Error, rep.Usage = err.Error(), errors.Is(err, errUsage)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(rep)
	})
}

// errNoServer means no serve answers on the data directory's socket: the
// command opens the store itself.
var errNoServer = errors.New("no running duban serve")

// runOnServe sends args to the serve that holds cfg's embedded store and
// returns what the command printed there. It returns errNoServer when
// there is none (Redis, no socket, or a socket nobody listens on).
func runOnServe(ctx context.Context, cfg *config, args []string, stderr io.Writer) ([]byte, error) {
	if _, ok := envOf(ctx); ok || cfg.RedisURL != "" {
		return nil, errNoServer
	}
	dir := cfg.rel(cfg.DataDir)
	sock := filepath.Join(dir, localSocket)
	if _, err := os.Stat(sock); err != nil {
		return nil, errNoServer
	}
	token, err := os.ReadFile(filepath.Join(dir, localToken))
	if err != nil {
		return nil, errNoServer
	}
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}}
	body, _ := json.Marshal(localRequest{Args: args})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://duban/run", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := hc.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return nil, errNoServer // a socket left behind by a serve that died
		}
		return nil, fmt.Errorf("running duban serve (%s): %w", sock, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("running duban serve (%s): %s: %s", sock, resp.Status, strings.TrimSpace(string(msg)))
	}
	var rep localReply
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return nil, fmt.Errorf("running duban serve (%s): %w", sock, err)
	}
	fmt.Fprintf(stderr, "duban: ran by the running duban serve (%s)\n", sock)
	io.WriteString(stderr, rep.Stderr)
	switch {
	case rep.Usage:
		return rep.Stdout, errUsage
	case rep.Error != "":
		return rep.Stdout, errors.New(rep.Error)
	}
	return rep.Stdout, nil
}

// commandConfig is the server's config for a command run inside serve,
// else the file at path.
func commandConfig(ctx context.Context, path string) (*config, error) {
	if env, ok := envOf(ctx); ok {
		return env.cfg, nil
	}
	return loadConfig(path)
}

// commandBase is the server's knowledge base for a command run inside
// serve, else the documents loaded from the flag's or the config's folder.
// It returns nil and the error when nothing loaded; documents that failed
// while others loaded are reported on stderr.
func commandBase(ctx context.Context, docs string, cfg *config, stderr io.Writer) (*kb.Base, error) {
	if env, ok := envOf(ctx); ok {
		return env.base, nil
	}
	b, _, err := ingest.LoadDir(ctx, docsDir(docs, cfg))
	if b == nil {
		return nil, err
	}
	if err != nil {
		fmt.Fprintln(stderr, "duban: some documents failed to load:", err)
	}
	return b, nil
}
