package scheduler

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"duban/handlers"
	"duban/outbound"
	"duban/store"
)

// clock is a fake time that moves only when told, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleeper is an injected Config.Sleep that records the waits and moves the
// clock instead of blocking.
type sleeper struct {
	c     *clock
	mu    sync.Mutex
	slept []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.slept = append(s.slept, d)
	s.mu.Unlock()
	s.c.Advance(d)
	return ctx.Err()
}

func (s *sleeper) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.slept...)
}

// fakeStore is an in-memory Ledger, Limiter and Locker on a fake clock,
// with the semantics of store.Store's contract.
type fakeStore struct {
	now func() time.Time

	mu       sync.Mutex
	ledger   map[string]entry
	slots    map[string][]time.Time
	locks    map[string]entry
	fence    int64
	confirms map[string]int // key → times confirmed
	claimErr error          // injected: every Claim fails
}

type entry struct {
	sent  bool
	owner store.Owner // of a claim
	token int64       // of a lock
	until time.Time   // zero: forever
}

func (e entry) live(now time.Time) bool { return e.until.IsZero() || now.Before(e.until) }

func newFakeStore(now func() time.Time) *fakeStore {
	return &fakeStore{now: now, ledger: map[string]entry{}, slots: map[string][]time.Time{},
		locks: map[string]entry{}, confirms: map[string]int{}}
}

// state classifies key for o as store.Ledger's contract does; f.mu held.
func (f *fakeStore) state(key string, o store.Owner) string {
	e, ok := f.ledger[key]
	switch {
	case !ok || !e.live(f.now()):
		return "free"
	case e.sent:
		return "sent"
	case e.owner == o:
		return "own"
	case e.owner.Lock == o.Lock && e.owner.Token < o.Token:
		return "free"
	}
	return "other"
}

func (f *fakeStore) Claim(ctx context.Context, key string, o store.Owner, ttl time.Duration) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.claimErr != nil {
		return false, f.claimErr
	}
	if st := f.state(key, o); st == "sent" || st == "other" {
		return false, nil
	}
	f.ledger[key] = entry{owner: o, until: f.now().Add(ttl)}
	return true, nil
}

func (f *fakeStore) Renew(ctx context.Context, key string, o store.Owner, ttl time.Duration) error {
	ok, err := f.Claim(ctx, key, o, ttl)
	if err != nil {
		return err
	}
	if !ok {
		return store.ErrNotHeld
	}
	return nil
}

func (f *fakeStore) Confirm(ctx context.Context, key string, o store.Owner, retain time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.state(key, o)
	if st == "sent" {
		return nil
	}
	e := entry{sent: true}
	if retain > 0 {
		e.until = f.now().Add(retain)
	}
	f.ledger[key] = e
	f.confirms[key]++
	if st == "other" {
		return store.ErrNotHeld
	}
	return nil
}

func (f *fakeStore) Release(ctx context.Context, key string, o store.Owner) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state(key, o) == "own" {
		delete(f.ledger, key)
	}
	return nil
}

func (f *fakeStore) Sent(ctx context.Context, key string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.ledger[key]
	return ok && e.sent && e.live(f.now()), nil
}

// Reserve is a sliding-window log of the last burst sends.
func (f *fakeStore) Reserve(ctx context.Context, key string, burst int, per time.Duration) (time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	slots := f.slots[key]
	if n := len(slots); n >= burst && slots[n-burst].Add(per).After(now) {
		return slots[n-burst].Add(per).Sub(now), nil
	}
	slots = append(slots, now)
	if len(slots) > burst {
		slots = slots[len(slots)-burst:]
	}
	f.slots[key] = slots
	return 0, nil
}

func (f *fakeStore) Block(ctx context.Context, key string, burst int, per, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	floor := f.now().Add(d - per)
	old := f.slots[key]
	slots := make([]time.Time, burst)
	for i := range slots {
		slots[i] = floor
		if j := len(old) - burst + i; j >= 0 && old[j].After(floor) {
			slots[i] = old[j]
		}
	}
	f.slots[key] = slots
	return nil
}

func (f *fakeStore) Lock(ctx context.Context, name string, ttl time.Duration) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.locks[name]; ok && e.live(f.now()) {
		return 0, store.ErrLocked
	}
	f.fence++
	f.locks[name] = entry{token: f.fence, until: f.now().Add(ttl)}
	return f.fence, nil
}

func (f *fakeStore) Extend(ctx context.Context, name string, token int64, ttl time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.locks[name]
	if !ok || e.token != token || !e.live(f.now()) {
		return store.ErrNotHeld
	}
	e.until = f.now().Add(ttl)
	f.locks[name] = e
	return nil
}

func (f *fakeStore) Unlock(ctx context.Context, name string, token int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.locks[name]
	if !ok || e.token != token || !e.live(f.now()) {
		return store.ErrNotHeld
	}
	delete(f.locks, name)
	return nil
}

// doubled returns the keys confirmed more than once.
func (f *fakeStore) doubled() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k, n := range f.confirms {
		if n > 1 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// errRetry is a platform refusal worth retrying (rate limit, 5xx), as the
// senders' typed errors are.
type errRetry struct{ retry bool }

func (e errRetry) Error() string {
	if e.retry {
		return "platform busy"
	}
	return "webhook key invalid"
}
func (e errRetry) Retryable() bool { return e.retry }

var (
	errBusy   = errRetry{retry: true}
	errBadKey = errRetry{retry: false}
	errPlain  = errors.New("connection reset")
)

// delivery is one accepted push.
type delivery struct {
	at    time.Time
	chat  string
	reply handlers.Reply
}

// fakePusher records deliveries; fail decides an attempt's error.
type fakePusher struct {
	now  func() time.Time
	fail func(chat string, attempt int) error // attempt counts per chat, from 1

	mu       sync.Mutex
	attempts map[string]int
	got      []delivery
	book     replyBook
}

// Sender implements Pusher: each chat's sender renders as its type's
// real sender does, and pushes each part's reply with Push.
func (p *fakePusher) Sender(c Chat) (outbound.Sender, bool) {
	return replySender{chat: c, book: &p.book, push: p.Push}, true
}

func (p *fakePusher) Push(ctx context.Context, chat string, r handlers.Reply) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.attempts == nil {
		p.attempts = map[string]int{}
	}
	p.attempts[chat]++
	if p.fail != nil {
		if err := p.fail(chat, p.attempts[chat]); err != nil {
			return err
		}
	}
	var at time.Time
	if p.now != nil {
		at = p.now()
	}
	p.got = append(p.got, delivery{at: at, chat: chat, reply: r})
	return nil
}

func (p *fakePusher) deliveries() []delivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]delivery(nil), p.got...)
}

func (p *fakePusher) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = nil
	p.attempts = nil
}
