package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestServerHealthAndReady(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "test_total", Help: "test"})
	reg.MustRegister(c)
	c.Inc()
	s := NewServer(ServerConfig{Metrics: reg})
	storeErr := errors.New("dial tcp 127.0.0.1:6379: connection refused")
	s.AddCheck("kb", func(context.Context) error { return nil })
	s.AddCheck("store", func(context.Context) error { return storeErr })
	srv := httptest.NewServer(s)
	defer srv.Close()

	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 503, "connection refused"},
		{"/metrics", 200, "test_total 1"},
		{"/nowhere", 404, ""},
	}
	for _, tt := range tests {
		resp, err := srv.Client().Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tt.path, resp.StatusCode, body, tt.wantStatus, tt.wantBody)
		}
	}

	var rd Readiness
	resp, _ := srv.Client().Get(srv.URL + "/readyz")
	json.NewDecoder(resp.Body).Decode(&rd)
	resp.Body.Close()
	if rd.Ready || rd.Checks["kb"] != "ok" || rd.Checks["store"] != storeErr.Error() {
		t.Errorf("readyz = %+v, want kb ok and the store's error", rd)
	}
	storeErr = nil
	if rd := s.Ready(t.Context()); !rd.Ready {
		t.Errorf("Ready() = %+v after the store recovered, want ready", rd)
	}
}

func TestServerReadyCheckTimeout(t *testing.T) {
	s := NewServer(ServerConfig{CheckTimeout: time.Millisecond})
	s.AddCheck("slow", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	if rd := s.Ready(t.Context()); rd.Ready || !strings.Contains(rd.Checks["slow"], "deadline") {
		t.Errorf("Ready() = %+v, want slow check timed out", rd)
	}
}

func TestServerNoMetricsRoute(t *testing.T) {
	rec := httptest.NewRecorder()
	NewServer(ServerConfig{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 404 {
		t.Errorf("/metrics without a registry = %d, want 404", rec.Code)
	}
}

func TestServerBodyCap(t *testing.T) {
	s := NewServer(ServerConfig{MaxBodyBytes: 10})
	s.Handle("POST /cb", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, err.Error(), 400)
			return
		}
		io.WriteString(w, "done")
	}))
	tests := []struct {
		name   string
		body   string
		length int64 // -1: unknown (chunked)
		want   int
	}{
		{"small", "0123456789", 10, 200},
		{"declared too large", "0123456789x", 11, 413},
		{"chunked too large", "0123456789x", -1, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/cb", io.NopCloser(strings.NewReader(tt.body)))
			req.ContentLength = tt.length
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("POST %d bytes = %d, want %d", len(tt.body), rec.Code, tt.want)
			}
		})
	}
}

func TestServerAddCheckPanicsOnDuplicate(t *testing.T) {
	s := NewServer(ServerConfig{})
	s.AddCheck("kb", func(context.Context) error { return nil })
	defer func() {
		if recover() == nil {
			t.Error("second AddCheck(kb) did not panic")
		}
	}()
	s.AddCheck("kb", func(context.Context) error { return nil })
}

// TestServerGracefulShutdown serves on a real loopback listener, stops the
// server while a request is in flight and checks that the request still
// completes and Serve returns nil.
func TestServerGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	s := NewServer(ServerConfig{})
	s.Handle("/slow", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel()
	waitRefused(t, addr) // the listener is closed: shutdown has begun
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Errorf("in-flight request = %q, %v; want it to finish", r.body, r.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil after a graceful shutdown", err)
	}
}

func TestServerShutdownTimeout(t *testing.T) {
	started := make(chan struct{})
	s := NewServer(ServerConfig{ShutdownTimeout: 20 * time.Millisecond})
	s.Handle("/stuck", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // released only when the server closes the connection
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	go func() {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/stuck"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	cancel()
	if err := <-served; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Serve = %v, want DeadlineExceeded after the shutdown timeout", err)
	}
}

func TestServerRunBadAddr(t *testing.T) {
	if err := NewServer(ServerConfig{}).Run(t.Context(), "127.0.0.1:-1"); err == nil {
		t.Error("Run on a bad address returned nil")
	}
}

// waitRefused dials addr until the connection is refused, bounded by a
// deadline rather than a sleep.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
	}
	t.Fatalf("%s still accepts connections", addr)
}
