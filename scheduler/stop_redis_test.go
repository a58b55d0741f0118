package scheduler

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"duban/store/redisstore"
	"duban/store/redisstore/redistest"
)

var redisPrefixes atomic.Int64

// TestStopMidTickRedisReplicas runs the tick on three replicas at once, each
// with its own client of one real redis-server, as cron fires on every
// replica. The one that wins the tick lock is stopped with its second
// message in flight; the others retry the tick as the cron job does and
// finish it. For a reload the stopped replica also starts again at once.
// Every reminder is accepted exactly once; the delay from the stop to the
// last message is measured on the real clock (a tick lock lease of 2 s).
func TestStopMidTickRedisReplicas(t *testing.T) {
	base := seedsBase(t)
	rs := redistest.Start(t)
	for _, kind := range stopKinds {
		t.Run(kind, func(t *testing.T) {
			ep := newEndpoint(time.Now, func(chat string) string { return stopChats()[chatIndex(stopChats(), chat)].Type })
			ep.dialect.Limit = stopLimit
			g := newGate(2)
			prefix := "stop" + strconv.FormatInt(redisPrefixes.Add(1), 10) + ":"
			cfg := stopConfig(time.Now)
			// Short leases, yet generous for -race on two loaded cores.
			cfg.PushTimeout = time.Second
			cfg.LockTTL, cfg.ClaimTTL = 2*time.Second, 3*time.Second
			cfg.RetryBackoff, cfg.MaxRetryBackoff = 100*time.Millisecond, time.Second
			cfg.Concurrency = 1
			// On the real clock, a full window would wait a minute; the
			// window has its own tests.
			cfg.RateBurst, ep.limit = 1000, 1000

			type replica struct {
				s      *Scheduler
				st     *crashable
				cancel context.CancelFunc
				done   <-chan struct{}
			}
			var wg sync.WaitGroup
			newReplica := func(name string) *replica {
				cl, err := redisstore.New(redisstore.Config{URL: rs.URL(), Prefix: prefix})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cl.Close() })
				st := &crashable{Store: cl}
				s, err := New(cfg, base, replicaPusher{name: name, ep: ep, g: g}, st)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithCancel(t.Context())
				r := &replica{s: s, st: st, cancel: cancel}
				r.done = runTracked(&wg, func() { s.tick(ctx, s.allRules(), LockName) })
				return r
			}
			names := []string{"a", "b", "c"}
			replicas := map[string]*replica{}
			for _, n := range names {
				replicas[n] = newReplica(n)
			}
			plan := replicas["a"].s.Plan(time.Now())
			var stopped string
			select {
			case stopped = <-g.flight:
			case <-time.After(20 * time.Second):
				t.Fatal("no message in flight")
			}
			r := replicas[stopped]
			stopAt := time.Now()
			stopAndWait(t, kind, g, r.cancel, r.st, r.done)
			if kind == "reload" {
				replicas[stopped] = newReplica(stopped)
			}
			for _, n := range names {
				select {
				case <-replicas[n].done:
				case <-time.After(30 * time.Second):
					t.Fatalf("replica %s's tick did not finish", n)
				}
			}
			wg.Wait()
			var last time.Time
			for _, dl := range ep.deliveries() {
				if dl.at.After(last) {
					last = dl.at
				}
			}
			checkOnce(t, base, plan, ep)
			t.Logf("%s of replica %s: the last message %v after the stop (lock lease %v)",
				kind, stopped, last.Sub(stopAt).Round(time.Millisecond), cfg.LockTTL)
		})
	}
}
