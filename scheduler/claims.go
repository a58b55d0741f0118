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
//
// It also knows when each claim's lease ends, as far as this process can
// tell (the last claim or renewal the store acknowledged, plus ClaimTTL),
// so that a confirm failing through a store outage is retried for as long
// as the claim is still ours and no longer (confirm).
type claimSet struct {
	st    Store
	owner store.Owner
	ttl   time.Duration
	now   func() time.Time

	mu   sync.Mutex
	keys map[string]time.Time // key → end of its lease
}

func newClaimSet(st Store, owner store.Owner, ttl time.Duration, now func() time.Time) *claimSet {
	return &claimSet{st: st, owner: owner, ttl: ttl, now: now, keys: map[string]time.Time{}}
}

// add records a claim the store has just granted.
func (c *claimSet) add(key string) { c.renewed(key, c.now()) }

// renewed records that the store granted or renewed key's claim by a call
// begun at t: its lease runs at least until t + ttl.
func (c *claimSet) renewed(key string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys[key] = t.Add(c.ttl)
}

// lease returns the end of key's lease (ok false: not held).
func (c *claimSet) lease(key string) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.keys[key]
	return t, ok
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
		begun := c.now()
		err := c.st.Renew(ctx, k, c.owner, c.ttl)
		switch {
		case err == nil:
			c.mu.Lock()
			if _, ok := c.keys[k]; ok { // not confirmed or released meanwhile
				c.keys[k] = begun.Add(c.ttl)
			}
			c.mu.Unlock()
		case errors.Is(err, store.ErrNotHeld):
			c.drop(k)
		}
		// Another error is the store's: the lease still runs, and the
		// renewal before the part is sent decides.
	}
}

// keepAlive renews the held claims every third of the ttl until stop is
// called, even after ctx ends: a stopped run still confirms the message in
// flight, and its claims must not lapse while that confirm waits out a
// store outage. (A claim another holder took over fails its renewal and is
// dropped, so renewing never keeps a claim from a newer run.) It uses a
// real timer, not Config.Sleep: its period is the store's lease.
func (c *claimSet) keepAlive(ctx context.Context) (stop func()) {
	ctx = context.WithoutCancel(ctx)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(c.ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				c.renewAll(ctx)
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
