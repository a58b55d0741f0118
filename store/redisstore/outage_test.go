package redisstore

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/store/redisstore/redistest"
)

// outageQuery makes a dead server fail fast: short timeouts, no retries.
const outageQuery = "?dial_timeout=200ms&read_timeout=200ms&write_timeout=200ms&max_retries=0"

// waitPing polls Ping until it succeeds or 5 s pass. After a run of failed
// dials go-redis's pool stops dialing and probes the server once a
// second, so a store recovers within about a second of the server.
func waitPing(t *testing.T, s *Store) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := s.Ping(t.Context())
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ping 5 s after the server came back: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOutage kills the server under a live store: every operation returns
// an error (none panics, none reports success), Ping fails, and once the
// server is back the same store works again without being reopened.
func TestOutage(t *testing.T) {
	srv := redistest.Start(t)
	s, err := New(Config{URL: srv.URL() + outageQuery})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping before the outage: %v", err)
	}
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}

	ops := []struct {
		name string
		call func(context.Context) error
	}{
		{"Ping", s.Ping},
		{"FirstSeen", func(ctx context.Context) error { _, err := s.FirstSeen(ctx, "k", time.Minute); return err }},
		{"Claim", func(ctx context.Context) error { _, err := s.Claim(ctx, "k", testOwner, time.Minute); return err }},
		{"Confirm", func(ctx context.Context) error { return s.Confirm(ctx, "k", testOwner, 0) }},
		{"Release", func(ctx context.Context) error { return s.Release(ctx, "k", testOwner) }},
		{"Sent", func(ctx context.Context) error { _, err := s.Sent(ctx, "k"); return err }},
		{"Reserve", func(ctx context.Context) error { _, err := s.Reserve(ctx, "k", 1, time.Second); return err }},
		{"Lock", func(ctx context.Context) error { _, err := s.Lock(ctx, "k", time.Minute); return err }},
		{"Extend", func(ctx context.Context) error { return s.Extend(ctx, "k", 1, time.Minute) }},
		{"Unlock", func(ctx context.Context) error { return s.Unlock(ctx, "k", 1) }},
		{"Get", func(ctx context.Context) error { _, _, err := s.Get(ctx, "k"); return err }},
		{"Put", func(ctx context.Context) error { return s.Put(ctx, "k", []byte("v"), time.Minute) }},
		{"Append", func(ctx context.Context) error { _, err := s.Append(ctx, "k", []byte("v")); return err }},
		{"List", func(ctx context.Context) error { _, err := s.List(ctx, "k"); return err }},
		{"Keys", func(ctx context.Context) error { _, err := s.Keys(ctx); return err }},
	}
	// In parallel: each failing call spends go-redis's dial retries
	// (5 × 100 ms, not settable by a single-node URL).
	errs := make([]error, len(ops))
	var wg sync.WaitGroup
	for i, op := range ops {
		wg.Go(func() { errs[i] = op.call(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			t.Errorf("%s during the outage: nil error", ops[i].name)
		} else if !strings.HasPrefix(err.Error(), "redisstore: ") {
			t.Errorf("%s during the outage: error %q does not say where", ops[i].name, err)
		}
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitPing(t, s)
	t.Logf("store recovered %v after the server restarted", time.Since(start).Round(time.Millisecond))
	for _, op := range ops {
		if op.name == "Extend" || op.name == "Unlock" {
			continue // ErrNotHeld: no lock with token 1 after the outage
		}
		if err := op.call(ctx); err != nil {
			t.Errorf("%s after the server came back: %v", op.name, err)
		}
	}
}

// TestServerRestartKeepsLedger stops the server cleanly (SIGTERM flushes
// the AOF) and starts it again: confirmed keys and the journal survive, as
// they do in production with appendonly yes.
func TestServerRestartKeepsLedger(t *testing.T) {
	srv := redistest.Start(t)
	s, err := New(Config{URL: srv.URL() + outageQuery})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	if _, err := s.Claim(ctx, "sent", testOwner, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Confirm(ctx, "sent", testOwner, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "task", []byte("e")); err != nil {
		t.Fatal(err)
	}
	tok, err := s.Lock(ctx, "tick", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	waitPing(t, s)
	if ok, err := s.Sent(ctx, "sent"); !ok || err != nil {
		t.Errorf("Sent after restart = %v, %v; want true", ok, err)
	}
	if l, err := s.List(ctx, "task"); len(l) != 1 || err != nil {
		t.Errorf("List after restart = %q, %v; want one entry", l, err)
	}
	if err := s.Unlock(ctx, "tick", tok); err != nil {
		t.Errorf("Unlock after restart: %v", err)
	}
	if tok2, err := s.Lock(ctx, "tick", time.Minute); err != nil || tok2 <= tok {
		t.Errorf("Lock after restart = %d, %v; want a token above %d", tok2, err, tok)
	}
}
