// Package storetest holds the contract suite that every store.Store
// implementation passes, in the manner of testing/slogtest: memstore and
// redisstore both call Run from their tests.
//
// Expiry is tested without waiting on the wall clock. Each implementation
// hands the suite a Harness whose Advance moves the time its store sees:
// memstore reads an injected FakeClock, and the Redis harness advances the
// same clock (used for rate-limit refills) and shortens every key's TTL on
// the server by the same amount, which is what the server would see had
// that time passed. TTLs in the suite are minutes long, so the few
// milliseconds of real time a test takes never decide an outcome.
package storetest

import (
	"sync"
	"testing"
	"time"

	"duban/store"
)

// A Harness is one fresh, empty store under test and a way to move its time.
type Harness struct {
	Store store.Store
	// Advance moves the time the store sees forward by d: every TTL, claim,
	// lease and bucket refill behaves as if d had passed.
	Advance func(d time.Duration)
}

// Run runs the contract suite. newStore is called once per subtest and must
// return an empty store; it should register its own cleanup with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) Harness) {
	groups := []struct {
		name  string
		tests []contractTest
	}{
		{"Ping", []contractTest{{"ok", testPing}}},
		{"Dedup", dedupTests},
		{"Ledger", ledgerTests},
		{"Limiter", limiterTests},
		{"Lock", lockTests},
		{"Conversations", conversationTests},
		{"Journal", journalTests},
		{"OnceJournal", onceTests},
		{"Invalid", invalidTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, ct := range g.tests {
				t.Run(ct.name, func(t *testing.T) {
					ct.run(t, newStore(t))
				})
			}
		})
	}
}

// A contractTest is one named check of the contract.
type contractTest struct {
	name string
	run  func(t *testing.T, h Harness)
}

func testPing(t *testing.T, h Harness) {
	if err := h.Store.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// A FakeClock is a clock that moves only when told to; pass its Now to a
// store's Config and its Advance to the Harness. It is safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock reading start.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start}
}

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// parallel runs f(i) for i in [0, n) in n goroutines at once and waits.
func parallel(n int, f func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			f(i)
		}()
	}
	start.Done()
	done.Wait()
}
