package scheduler

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"duban/store"
)

var errOutage = errors.New("store down: connection refused")

// outageStore is a fakeStore that fails every call while the fake clock is
// inside its outage window, as a Redis failover does; the window opens
// when a test's hook says so.
type outageStore struct {
	*fakeStore
	mu       sync.Mutex
	from, to time.Time // the window; zero: no outage
	// onUnlock, when set, is called at the first Unlock (before the check).
	onUnlock      func()
	lastConfirm   time.Time // the clock at the last Confirm attempt
	confirmsTried int
}

func (o *outageStore) down() error {
	now := o.fakeStore.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.from.IsZero() && !now.Before(o.from) && now.Before(o.to) {
		return errOutage
	}
	return nil
}

// fail opens an outage of d from now.
func (o *outageStore) fail(d time.Duration) {
	now := o.fakeStore.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.from, o.to = now, now.Add(d)
}

func (o *outageStore) Claim(ctx context.Context, k string, ow store.Owner, ttl time.Duration) (bool, error) {
	if err := o.down(); err != nil {
		return false, err
	}
	return o.fakeStore.Claim(ctx, k, ow, ttl)
}

func (o *outageStore) Renew(ctx context.Context, k string, ow store.Owner, ttl time.Duration) error {
	if err := o.down(); err != nil {
		return err
	}
	return o.fakeStore.Renew(ctx, k, ow, ttl)
}

func (o *outageStore) Confirm(ctx context.Context, k string, ow store.Owner, retain time.Duration) error {
	o.mu.Lock()
	o.lastConfirm = o.fakeStore.now()
	o.confirmsTried++
	o.mu.Unlock()
	if err := o.down(); err != nil {
		return err
	}
	return o.fakeStore.Confirm(ctx, k, ow, retain)
}

func (o *outageStore) Release(ctx context.Context, k string, ow store.Owner) error {
	if err := o.down(); err != nil {
		return err
	}
	return o.fakeStore.Release(ctx, k, ow)
}

func (o *outageStore) Sent(ctx context.Context, k string) (bool, error) {
	if err := o.down(); err != nil {
		return false, err
	}
	return o.fakeStore.Sent(ctx, k)
}

func (o *outageStore) Reserve(ctx context.Context, k string, b int, per time.Duration) (time.Duration, error) {
	if err := o.down(); err != nil {
		return 0, err
	}
	return o.fakeStore.Reserve(ctx, k, b, per)
}

func (o *outageStore) Block(ctx context.Context, k string, b int, per, d time.Duration) error {
	if err := o.down(); err != nil {
		return err
	}
	return o.fakeStore.Block(ctx, k, b, per, d)
}

func (o *outageStore) Lock(ctx context.Context, name string, ttl time.Duration) (int64, error) {
	if err := o.down(); err != nil {
		return 0, err
	}
	return o.fakeStore.Lock(ctx, name, ttl)
}

func (o *outageStore) Extend(ctx context.Context, name string, tok int64, ttl time.Duration) error {
	if err := o.down(); err != nil {
		return err
	}
	return o.fakeStore.Extend(ctx, name, tok, ttl)
}

func (o *outageStore) Unlock(ctx context.Context, name string, tok int64) error {
	o.mu.Lock()
	hook := o.onUnlock
	o.onUnlock = nil
	o.mu.Unlock()
	if hook != nil {
		hook()
	}
	if err := o.down(); err != nil {
		return err
	}
	return o.fakeStore.Unlock(ctx, name, tok)
}

// outageRig is a scheduler on the fixture whose store is an outageStore,
// one chat at a time (so the outage meets one chat's confirm). Leases are
// the defaults: claims and the tick lock 2 minutes.
func outageRig(t *testing.T) (*Scheduler, *outageStore, *fakePusher, *clock) {
	t.Helper()
	c := &clock{t: monday}
	st := &outageStore{fakeStore: newFakeStore(c.Now)}
	p := &fakePusher{now: c.Now}
	cfg := fixtureConfig()
	cfg.Now, cfg.Sleep, cfg.Concurrency = c.Now, (&sleeper{c: c}).Sleep, 1
	s, err := New(cfg, fixtureBase(t), p, st)
	if err != nil {
		t.Fatal(err)
	}
	return s, st, p, c
}

// TestConfirmOutlastsHalfTheLease: the store goes down as the first digest
// is accepted and comes back after 100 s, more than half the 2-minute
// claim but within it. The confirm keeps trying until the store is back,
// so every reminder is confirmed once and a later run sends nothing again.
func TestConfirmOutlastsHalfTheLease(t *testing.T) {
	s, st, p, c := outageRig(t)
	// The outage opens as the first post is accepted (fakePusher records
	// it when fail returns nil).
	var once sync.Once
	p.fail = func(string, int) error {
		once.Do(func() { st.fail(100 * time.Second) })
		return nil
	}
	start := c.Now()
	rep, err := s.Run(t.Context(), monday)
	if err != nil {
		t.Fatalf("Run: %v (%+v)", err, rep)
	}
	if rep.Sent != 7 {
		t.Errorf("first run %+v, want 7 sent and confirmed", rep)
	}
	if el := c.Now().Sub(start); el < 100*time.Second {
		t.Errorf("the run took %s of fake time: the outage did not meet a confirm", el)
	}
	waitBackground(t, s)
	// Every claim would have lapsed by now: only the ledger stops a resend.
	c.Advance(5 * time.Minute)
	rep, err = s.Run(t.Context(), c.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 0 || rep.Skipped != 7 {
		t.Errorf("run after the outage %+v, want 7 skipped, none sent", rep)
	}
	if n := len(p.deliveries()); n != 5 {
		t.Errorf("%d deliveries, want 5 (one per chat)", n)
	}
	if d := st.doubled(); len(d) > 0 {
		t.Errorf("confirmed twice: %v", d)
	}
}

// TestConfirmStopsBeforeTheLeaseLapses: an outage longer than the claim's
// lease. The confirm is retried past half the lease (the old limit) but
// its last attempt starts before the lease ends: after that the claim is
// no longer this process's to confirm.
func TestConfirmStopsBeforeTheLeaseLapses(t *testing.T) {
	s, st, p, c := outageRig(t)
	var once sync.Once
	var posted time.Time
	p.fail = func(string, int) error {
		once.Do(func() { posted = c.Now(); st.fail(10 * time.Minute) })
		return nil
	}
	// The other chats fail to claim (the store is down): an error.
	if _, err := s.Run(t.Context(), monday); err == nil {
		t.Error("Run through a 10-minute outage: no error")
	}
	waitBackground(t, s)
	st.mu.Lock()
	last, tried := st.lastConfirm, st.confirmsTried
	st.mu.Unlock()
	ttl := s.cfg.ClaimTTL
	if tried < 2 {
		t.Fatalf("%d confirm attempts", tried)
	}
	if d := last.Sub(posted); d <= ttl/2 || d >= ttl {
		t.Errorf("last confirm attempt %s after the post, want within (%s, %s)", d, ttl/2, ttl)
	}
}

// TestUnlockAfterOutage: the store fails as a run unlocks and is back 20 s
// later. The lock is released in the background as soon as the store
// answers, not left to lapse at the end of its 2-minute lease, and another
// replica's tick can lock at once.
func TestUnlockAfterOutage(t *testing.T) {
	s, st, _, c := outageRig(t)
	var downAt time.Time
	st.onUnlock = func() { downAt = c.Now(); st.fail(20 * time.Second) }
	if _, err := s.Run(t.Context(), monday); err != nil {
		t.Fatal(err)
	}
	waitBackground(t, s)
	if el := c.Now().Sub(downAt); el < 20*time.Second || el >= s.cfg.LockTTL {
		t.Errorf("unlocked %s after the outage began, want from 20 s and before the lease (%s)", el, s.cfg.LockTTL)
	}
	if _, err := st.Lock(t.Context(), LockName, time.Minute); err != nil {
		t.Errorf("another replica's Lock after the store came back: %v", err)
	}
}

// TestUnlockRetryIsFenced: an outage longer than the lock's lease. The
// retries stop by the time the lease lapses, so the lock a newer run then
// takes is never freed by them.
func TestUnlockRetryIsFenced(t *testing.T) {
	s, st, _, c := outageRig(t)
	var downAt time.Time
	st.onUnlock = func() { downAt = c.Now(); st.fail(5 * time.Minute) }
	if _, err := s.Run(t.Context(), monday); err != nil {
		t.Fatal(err)
	}
	waitBackground(t, s)
	if el := c.Now().Sub(downAt); el >= s.cfg.LockTTL {
		t.Errorf("unlock retried for %s, past the lease (%s)", el, s.cfg.LockTTL)
	}
	c.Set(downAt.Add(6 * time.Minute))
	tok, err := st.Lock(t.Context(), LockName, time.Minute)
	if err != nil {
		t.Fatalf("the newer run's Lock: %v", err)
	}
	if err := st.Extend(t.Context(), LockName, tok, time.Minute); err != nil {
		t.Errorf("the newer run's lock was freed: %v", err)
	}
}

// TestClaimKeptThroughOutage: a live process keeps its claim through a
// store outage shorter than the lease, even after its run was stopped (the
// message in flight is still being confirmed): keepAlive renews once the
// store is back, and the lease the confirm reads moves on with it.
func TestClaimKeptThroughOutage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &outageStore{fakeStore: newFakeStore(time.Now)}
		owner := store.Owner{Lock: LockName, Token: 1}
		const ttl = 30 * time.Second
		ctx, cancel := context.WithCancel(t.Context())
		if ok, err := st.Claim(ctx, "k", owner, ttl); !ok || err != nil {
			t.Fatalf("Claim = %v, %v", ok, err)
		}
		held := newClaimSet(st, owner, ttl, time.Now)
		held.add("k")
		first, _ := held.lease("k")
		stop := held.keepAlive(ctx)
		cancel() // a SIGTERM: the run stops, its confirm goes on
		st.fail(25 * time.Second)
		time.Sleep(50 * time.Second) // past the first lease's end
		end, ok := held.lease("k")
		stop()
		if !ok || !end.After(first.Add(ttl)) {
			t.Errorf("lease ends %v (held %v), want renewed past %v", end, ok, first.Add(ttl))
		}
		st.fakeStore.mu.Lock()
		state := st.fakeStore.state("k", owner)
		st.fakeStore.mu.Unlock()
		if state != "own" {
			t.Errorf("claim is %q in the store after the outage, want still ours", state)
		}
	})
}

// waitBackground waits for s's background unlocks, which run on the fake
// clock's sleeps and so end at once.
func waitBackground(t *testing.T, s *Scheduler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := s.Wait(ctx); err != nil {
		t.Fatalf("background unlock still running: %v", err)
	}
}
