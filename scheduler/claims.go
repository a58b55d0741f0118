package scheduler

import (
	"context"
	"errors"
	"sync"
	"time"

	"duban/store"
)

// A claimSet is the ledger claims a run holds and has neither confirmed
// nor released. While the run lasts it renews them every third of
// ClaimTTL, so a claim is a lease: alive while its run sends (through
// rate-limit waits and backoffs), lapsing within ClaimTTL once the process
// is gone (kill -9), and taken over at once by the next holder of the tick
// lock (store.Owner).
type claimSet struct {
	st    Store
	owner store.Owner
	ttl   time.Duration

	mu   sync.Mutex
	keys map[string]struct{}
}

func newClaimSet(st Store, owner store.Owner, ttl time.Duration) *claimSet {
	return &claimSet{st: st, owner: owner, ttl: ttl, keys: map[string]struct{}{}}
}

func (c *claimSet) add(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys[key] = struct{}{}
}

func (c *claimSet) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.keys, key)
}

func (c *claimSet) snapshot() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.keys))
	for k := range c.keys {
		out = append(out, k)
	}
	return out
}

// renewAll renews every held claim once. A claim another holder took is
// dropped: the part that carries it checks again before it is sent.
func (c *claimSet) renewAll(ctx context.Context) {
	for _, k := range c.snapshot() {
		if err := c.st.Renew(ctx, k, c.owner, c.ttl); errors.Is(err, store.ErrNotHeld) {
			c.drop(k)
		}
		// Another error is the store's: the lease still runs, and the
		// renewal before the part is sent decides.
	}
}

// keepAlive renews the held claims every third of the ttl until stop is
// called. It uses a real timer, not Config.Sleep: its period is the
// store's lease.
func (c *claimSet) keepAlive(ctx context.Context) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(c.ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				c.renewAll(ctx)
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
