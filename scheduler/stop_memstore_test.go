package scheduler

import (
	"context"
	"sync"
	"testing"
	"time"

	"duban/store/memstore"
)

// TestStopMidTickMemstore stops the one process of an embedded-store
// deployment while its second message (a digest's second part) is in flight, then starts it again
// (for a reload: a new scheduler on the same open store), as serve does:
// Start runs the tick it missed today at once. Every reminder is
// accepted exactly once, and none waits for a claim to lapse.
func TestStopMidTickMemstore(t *testing.T) {
	base := seedsBase(t)
	for _, kind := range stopKinds {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			c := &clock{t: stopTick}
			sl := &sleeper{c: c}
			open := func() *memstore.Store {
				st, err := memstore.Open(memstore.Config{Dir: dir, Now: c.Now, SweepEvery: -1, FlushEvery: -1})
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
			ep := newEndpoint(c.Now, func(chat string) string { return stopChats()[chatIndex(stopChats(), chat)].Type })
			ep.dialect.Limit = stopLimit
			g := newGate(2)
			cfg := stopConfig(c.Now)
			cfg.Sleep = sl.Sleep
			cfg.Concurrency = 1

			disk := open()
			stA := &crashable{Store: disk}
			a, err := New(cfg, base, replicaPusher{name: "a", ep: ep, g: g}, stA)
			if err != nil {
				t.Fatal(err)
			}
			plan := a.Plan(stopTick)
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			var repA Report
			done := runTracked(&wg, func() { repA, _ = a.Run(ctx, stopTick) })
			select {
			case <-g.flight:
			case <-time.After(20 * time.Second):
				t.Fatal("no message in flight")
			}
			stopAndWait(t, kind, g, cancel, stA, done)
			stoppedAt := c.Now()
			if kind != "kill -9" {
				// Chats not begun hold no claims; the one begun releases the
				// rest of its digest (the next tick finds none pending).
				if repA.Pushes != 2 || repA.Pending != 0 {
					t.Errorf("stopped run: %+v; want the 2 messages up to the one in flight accepted", repA)
				}
			}
			if kind != "reload" {
				if err := disk.Close(); err != nil && kind != "kill -9" {
					t.Fatal(err)
				}
				disk = open()
			}
			defer disk.Close()

			// The next start: its catch-up tick.
			var mu sync.Mutex
			var pending int
			ticked := make(chan struct{}, 1)
			cfgB := cfg
			cfgB.Metrics = MetricsFunc(func(e Event) {
				mu.Lock()
				defer mu.Unlock()
				switch e.Kind {
				case EventPending:
					pending += e.Tasks
				case EventTick:
					select {
					case ticked <- struct{}{}:
					default:
					}
				}
			})
			g2 := newGate(-1)
			b, err := New(cfgB, base, replicaPusher{name: "b", ep: ep, g: g2}, disk)
			if err != nil {
				t.Fatal(err)
			}
			ctxB, cancelB := context.WithCancel(t.Context())
			startDone := runTracked(&wg, func() { _ = b.Start(ctxB) })
			select {
			case <-ticked:
			case <-time.After(20 * time.Second):
				t.Fatal("the restarted scheduler ran no catch-up tick")
			}
			cancelB()
			<-startDone
			wg.Wait()
			checkOnce(t, base, plan, ep)
			if pending > 0 {
				t.Errorf("after %s the next tick found %d reminders pending: it waited for claims to lapse", kind, pending)
			}
			t.Logf("%s: %d messages before the stop, the rest %v (simulated) after it", kind, repA.Pushes, c.Now().Sub(stoppedAt))
		})
	}
}
