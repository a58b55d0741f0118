package redistest

import (
	"testing"
	"time"
)

func TestKillRestart(t *testing.T) {
	s := Start(t)
	if err := ping(s.Addr()); err != nil {
		t.Fatalf("PING after Start: %v", err)
	}
	if err := s.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := ping(s.Addr()); err == nil {
		t.Fatal("PING after Kill succeeded")
	}
	addr := s.Addr()
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if s.Addr() != addr {
		t.Fatalf("address after Restart = %s, want %s", s.Addr(), addr)
	}
	if err := ping(s.Addr()); err != nil {
		t.Fatalf("PING after Restart: %v", err)
	}
	if s.Log() == "" {
		t.Error("Log is empty")
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}

// TestClusterFailover starts a Cluster of three masters with a replica
// each, kills the master of a key and waits for its replica to serve the
// key's slot.
func TestClusterFailover(t *testing.T) {
	t.Parallel()
	c := StartCluster(t, 3)
	ctx := t.Context()
	m, err := c.MasterOf(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	if err := m.Kill(); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := c.MasterOf(ctx, "k")
		if err == nil && n != m {
			t.Logf("slot of k served by a replica %v after its master died", time.Since(killed).Round(time.Millisecond))
			break
		}
		if time.Since(killed) > 20*time.Second {
			t.Fatalf("20 s after the kill the master of k is %v, %v", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
}

// TestSentinelFailover starts a Sentinel setup, kills the master and waits
// for the sentinels to name the replica.
func TestSentinelFailover(t *testing.T) {
	t.Parallel()
	s := StartSentinel(t)
	ctx := t.Context()
	if m, err := s.CurrentMaster(ctx); err != nil || m != s.Master {
		t.Fatalf("CurrentMaster = %v, %v; want the master as started", m, err)
	}
	killed := time.Now()
	if err := s.Master.Kill(); err != nil {
		t.Fatal(err)
	}
	for {
		m, err := s.CurrentMaster(ctx)
		if err == nil && m == s.Replica {
			t.Logf("sentinels named the replica %v after the master died", time.Since(killed).Round(time.Millisecond))
			break
		}
		if time.Since(killed) > 20*time.Second {
			t.Fatalf("20 s after the kill CurrentMaster = %v, %v", m, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
