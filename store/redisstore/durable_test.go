package redisstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"duban/store/redisstore/redistest"
)

// TestWaitForReplica runs a master with one real replica: with
// wait_replicas=1 a confirm, a claim and the tick lock return once the
// replica has them (so a promotion keeps them); asking for two replicas
// of a deployment with one fails them with ErrNotReplicated, the write
// itself done, and the lock given back.
func TestWaitForReplica(t *testing.T) {
	master, replica := redistest.Start(t), redistest.Start(t)
	ctx := t.Context()
	rc := redis.NewClient(&redis.Options{Addr: replica.Addr()})
	defer rc.Close()
	replicate(t, master, rc)
	open := func(query string) *Store {
		s, err := New(Config{URL: master.URL() + "?" + query, Prefix: "wait:"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	one := open("wait_replicas=1&wait_timeout=5s&read_timeout=6s")
	// The replica is in sync once a write waits for it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := one.Claim(ctx, "sync", testOwner, time.Minute)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica never acknowledged: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if ok, err := one.Claim(ctx, "k", testOwner, time.Minute); !ok || err != nil {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	if err := one.Confirm(ctx, "k", testOwner, 0); err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	if v, err := rc.Get(ctx, "wait:ledger:k").Result(); err != nil || v != "s" {
		t.Errorf("the replica holds %q, %v right after the confirm; want the sent mark", v, err)
	}
	tok, err := one.Lock(ctx, "tick", time.Minute)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if err := one.Unlock(ctx, "tick", tok); err != nil {
		t.Fatal(err)
	}

	two := open("wait_replicas=2&wait_timeout=50ms&wait_strict=true")
	if _, err := two.Claim(ctx, "k2", testOwner, time.Minute); !errors.Is(err, ErrNotReplicated) {
		t.Errorf("Claim wanting 2 replicas of 1 = %v, want ErrNotReplicated", err)
	}
	if err := two.Confirm(ctx, "k2", testOwner, 0); !errors.Is(err, ErrNotReplicated) {
		t.Errorf("Confirm wanting 2 replicas of 1 = %v, want ErrNotReplicated", err)
	}
	if sent, err := one.Sent(ctx, "k2"); !sent || err != nil {
		t.Errorf("Sent after an unreplicated confirm = %v, %v; want the write done on the master", sent, err)
	}
	if _, err := two.Lock(ctx, "tick", time.Minute); !errors.Is(err, ErrNotReplicated) {
		t.Errorf("Lock wanting 2 replicas of 1 = %v, want ErrNotReplicated", err)
	}
	if _, err := one.Lock(ctx, "tick", time.Minute); err != nil {
		t.Errorf("Lock after an unreplicated Lock: %v; want it given back", err)
	}
}

// TestWaitForTheReplicasThereAre runs a master whose one replica dies:
// with wait_replicas=1 a write waits for it while it runs, refuses while
// it lags (the write stuck on the master), and once the master lists no
// replica, writes go through without waiting (no promotion can lose what
// no replica holds), until the replica is back and waited for again.
// wait_strict refuses them instead.
func TestWaitForTheReplicasThereAre(t *testing.T) {
	t.Parallel()
	master, replica := redistest.Start(t), redistest.Start(t)
	ctx := t.Context()
	rc := redis.NewClient(&redis.Options{Addr: replica.Addr()})
	defer rc.Close()
	replicate(t, master, rc)
	open := func(query string) *Store {
		s, err := New(Config{URL: master.URL() + "?" + query, Prefix: "wait2:"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s := open("wait_replicas=1&wait_timeout=300ms")
	strict := open("wait_replicas=1&wait_timeout=300ms&wait_strict=true")
	confirm := func(s *Store, key string) error {
		if _, err := s.Claim(ctx, key, testOwner, time.Minute); err != nil {
			return err
		}
		return s.Confirm(ctx, key, testOwner, 0)
	}
	eventuallyOK := func(what string, f func() error) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := f()
			if err == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %v", what, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	eventuallyOK("replica in sync", func() error { return confirm(strict, "sync") })

	// A replica that stops acknowledging but stays connected (paused):
	// every write is refused, strict or not.
	if err := rc.Do(ctx, "CLIENT", "PAUSE", 1000, "ALL").Err(); err != nil {
		t.Fatal(err)
	}
	if err := confirm(s, "paused"); !errors.Is(err, ErrNotReplicated) {
		t.Errorf("a write while the replica lags = %v, want ErrNotReplicated", err)
	}
	eventuallyOK("replica caught up", func() error { return confirm(s, "caught-up") })

	if err := replica.Kill(); err != nil {
		t.Fatal(err)
	}
	eventuallyOK("writes without the replica", func() error { return confirm(s, "alone") })
	start := time.Now()
	for i := range 5 {
		if err := confirm(s, fmt.Sprintf("alone%d", i)); err != nil {
			t.Fatalf("write %d with no replica: %v", i, err)
		}
	}
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("5 writes with no replica took %v: they waited for it", d)
	}
	if err := confirm(strict, "strict-alone"); !errors.Is(err, ErrNotReplicated) {
		t.Errorf("a strict write with no replica = %v, want ErrNotReplicated", err)
	}

	if err := replica.Restart(); err != nil {
		t.Fatal(err)
	}
	replicate(t, master, rc)
	// Within replicasRecheck the store waits for the replica again, and
	// then a write is on it when it returns.
	eventuallyOK("replica back in sync", func() error { return confirm(strict, "back") })
	time.Sleep(replicasRecheck)
	if err := confirm(s, "waited"); err != nil {
		t.Fatal(err)
	}
	if v, err := rc.Get(ctx, "wait2:ledger:waited").Result(); err != nil || v != "s" {
		t.Errorf("the replica holds %q, %v right after the confirm; want the sent mark", v, err)
	}
}

// replicate makes the server behind rc a replica of master, with the
// master sending its snapshot at once (redis-server waits 5 s by default
// for more replicas to share one).
func replicate(t *testing.T, master *redistest.Server, rc *redis.Client) {
	t.Helper()
	mc := redis.NewClient(&redis.Options{Addr: master.Addr()})
	defer mc.Close()
	if err := mc.ConfigSet(t.Context(), "repl-diskless-sync-delay", "0").Err(); err != nil {
		t.Fatalf("CONFIG SET: %v", err)
	}
	host, port, _ := strings.Cut(master.Addr(), ":")
	if err := rc.Do(t.Context(), "REPLICAOF", host, port).Err(); err != nil {
		t.Fatalf("REPLICAOF: %v", err)
	}
}

func TestStoreURLParameters(t *testing.T) {
	opts, x, err := parseURL("redis+cluster://n1:7000?addr=n2:7001&cluster_refresh=500ms&wait_replicas=1&wait_timeout=80ms")
	if err != nil {
		t.Fatal(err)
	}
	if o := opts.(*redis.ClusterOptions); o.ClusterStateReloadInterval != 500*time.Millisecond {
		t.Errorf("cluster reload interval %v, want 500ms", o.ClusterStateReloadInterval)
	}
	if x.WaitReplicas != 1 || x.WaitTimeout != 80*time.Millisecond {
		t.Errorf("extras %+v", x)
	}
	opts, x, err = parseURL("redis+cluster://n1:7000?addr=n2:7001")
	if err != nil {
		t.Fatal(err)
	}
	if o := opts.(*redis.ClusterOptions); o.ClusterStateReloadInterval != 2*time.Second || x.WaitReplicas != 0 {
		t.Errorf("defaults: reload %v, extras %+v; want 2s and no waiting", o.ClusterStateReloadInterval, x)
	}
	if _, _, err := parseURL("redis://127.0.0.1:6379/0?wait_replicas=1"); err != nil {
		t.Errorf("single node with wait_replicas: %v", err)
	}
	if _, x, err := parseURL("redis://h:1?wait_replicas=1&wait_strict=true"); err != nil || !x.WaitStrict {
		t.Errorf("wait_strict=true: %+v, %v", x, err)
	}
	if _, _, err := parseURL("redis://h:1?wait_replicas=1&wait_timeout=300ms&read_timeout=500ms"); err != nil {
		t.Errorf("wait_timeout well under read_timeout: %v", err)
	}
	for _, bad := range []string{"redis://h:1?wait_replicas=1&wait_timeout=500ms&read_timeout=500ms",
		"redis+sentinel://h:1?master_name=m&wait_replicas=1&wait_timeout=5s",
		"redis://h:1?wait_strict=maybe", "redis://h:1?wait_replicas=-1", "redis://h:1?wait_timeout=soon", "redis+cluster://h:1?cluster_refresh=0s"} {
		if _, _, err := parseURL(bad); err == nil {
			t.Errorf("parseURL(%q): no error", bad)
		}
	}
}

func TestTopologyError(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{redis.Nil, false},
		{context.Canceled, false},
		{errors.New("ERR Error running script"), false},
		{fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{io.EOF, true},
		{errors.New("CLUSTERDOWN The cluster is down"), true},
		{errors.New("READONLY You can't write against a read only replica."), true},
		{errors.New("LOADING Redis is loading the dataset in memory"), true},
	}
	for _, tt := range tests {
		if got := topologyError(tt.err); got != tt.want {
			t.Errorf("topologyError(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	var reloads int
	h := reloadOnTopologyError{reload: func() { reloads++ }}
	fail := h.ProcessHook(func(context.Context, redis.Cmder) error { return errors.New("CLUSTERDOWN") })
	ok := h.ProcessHook(func(context.Context, redis.Cmder) error { return nil })
	_ = fail(context.Background(), redis.NewCmd(context.Background()))
	_ = ok(context.Background(), redis.NewCmd(context.Background()))
	if reloads != 1 {
		t.Errorf("%d reloads after one topology error and one success, want 1", reloads)
	}
}
