package storeconfig

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"duban/store/memstore"
	"duban/store/redisstore/redistest"
)

func TestOpenEmbedded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s, kind, err := Open(t.Context(), Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if kind != KindEmbedded {
		t.Errorf("kind = %q, want %q", kind, KindEmbedded)
	}
	if ok, err := s.FirstSeen(t.Context(), "k", time.Minute); !ok || err != nil {
		t.Errorf("FirstSeen = %v, %v", ok, err)
	}
	if _, err := os.Stat(filepath.Join(dir, memstore.FileName)); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestOpenRedis(t *testing.T) {
	srv := redistest.Start(t)
	s, kind, err := Open(t.Context(), Config{RedisURL: srv.URL(), Prefix: "storeconfig:"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if kind != KindRedis {
		t.Errorf("kind = %q, want %q", kind, KindRedis)
	}
	if ok, err := s.FirstSeen(t.Context(), "k", time.Minute); !ok || err != nil {
		t.Errorf("FirstSeen = %v, %v", ok, err)
	}
}

func TestOpenErrors(t *testing.T) {
	// A port nothing listens on: take a free one and close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := l.Addr().String()
	l.Close()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"bad redis url", Config{RedisURL: "http://127.0.0.1:6379"}},
		{"redis down", Config{RedisURL: "redis://" + deadAddr + "/0?dial_timeout=200ms&max_retries=0"}},
		{"data dir is a file", Config{DataDir: file}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			if s, kind, err := Open(ctx, tt.cfg); err == nil {
				s.Close()
				t.Fatalf("Open = %q, nil error; want an error", kind)
			}
		})
	}
}

// TestOpenStartDown checks that with StartDown a Redis that is not up yet
// gives a store and an ErrDown error (serve starts and reports not ready)
// instead of no store; the old Open made `serve` exit within 50 ms.
func TestOpenStartDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	s, kind, err := Open(ctx, Config{RedisURL: "redis://" + deadAddr + "/0?dial_timeout=200ms&max_retries=0", StartDown: true})
	if !errors.Is(err, ErrDown) || s == nil || kind != KindRedis {
		t.Fatalf("Open(StartDown) = %v, %q, %v; want a store, redis, ErrDown", s, kind, err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping of a dead Redis succeeded")
	}
	if _, _, err := Open(ctx, Config{RedisURL: "http://127.0.0.1:6379", StartDown: true}); err == nil || errors.Is(err, ErrDown) {
		t.Errorf("bad URL with StartDown: err = %v, want a plain error", err)
	}
}
