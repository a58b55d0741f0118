package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/outbound"
	"duban/store"
)

// The stop tests stop a replica in the middle of a tick, with a message in
// flight, in the three ways an operator's server meets: SIGTERM (a
// restart, a deploy: the run's context ends), a reload (the same, and a new
// scheduler starts on the same store at once) and kill -9 (the process
// and its store connection vanish; nothing is released or confirmed).
// Then the next tick runs, and every reminder of the plan must have been
// accepted exactly once.

// stopTick is the tick of the stop tests: at 09:00 on 25 August 2020 the
// seeds give these chats dozens of reminders, several parts each at the
// endpoint's stopLimit bytes.
var stopTick = time.Date(2020, 8, 25, 9, 0, 0, 0, kb.Location)

// stopLimit is the message size of the stop tests' endpoint: small, so
// that a chat of five reminders takes three or more parts.
const stopLimit = 500

func stopChats() []Chat {
	var out []Chat
	for i, u := range []string{"住建局", "交通局", "发改委", "文广旅局"} {
		typ := WeComWebhook
		if i == 3 {
			typ = DingTalkWebhook
		}
		out = append(out, Chat{Name: u + "工作群", Type: typ, Units: []string{u}, HasCredentials: true})
	}
	return out
}

func stopConfig(now func() time.Time) Config {
	return Config{
		Chats:     stopChats(),
		Reminders: []Rule{{Cron: "0 9 * * 1-5", DaysBefore: []int{30, 7, 1}, OverdueEveryDays: 7, CoUnits: true}},
		Now:       now,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// gate holds the n-th post of a Pusher in flight until told what happens
// to it, as a post to a slow platform is when the stop comes.
type gate struct {
	n       int32
	calls   atomic.Int32
	flight  chan string // the replica whose post is in flight
	outcome chan error  // nil: the platform accepts it
}

func newGate(n int32) *gate {
	return &gate{n: n, flight: make(chan string, 1), outcome: make(chan error, 1)}
}

// replicaPusher is one replica's view of the shared endpoint.
type replicaPusher struct {
	name string
	ep   *endpoint
	g    *gate
}

// Sender implements Pusher: the endpoint's sender, whose n-th post (over
// the replicas sharing the gate) waits for the gate's outcome.
func (p replicaPusher) Sender(c Chat) (outbound.Sender, bool) {
	return &endpointSender{e: p.ep, chat: c, post: func(chat string, r handlers.Reply, piece string) error {
		if p.g.calls.Add(1) == p.g.n {
			p.g.flight <- p.name
			if err := <-p.g.outcome; err != nil {
				return err
			}
		}
		return p.ep.post(chat, r, piece)
	}}, true
}

// crashable is a replica's store that can die with its process: after
// crash every call fails, so nothing is released, confirmed or unlocked.
type crashable struct {
	Store
	crashed atomic.Bool
}

var errCrashed = errors.New("process killed")

func (c *crashable) check() error {
	if c.crashed.Load() {
		return errCrashed
	}
	return nil
}

func (c *crashable) Claim(ctx context.Context, k string, o store.Owner, ttl time.Duration) (bool, error) {
	if err := c.check(); err != nil {
		return false, err
	}
	return c.Store.Claim(ctx, k, o, ttl)
}

func (c *crashable) Renew(ctx context.Context, k string, o store.Owner, ttl time.Duration) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.Store.Renew(ctx, k, o, ttl)
}

func (c *crashable) Confirm(ctx context.Context, k string, o store.Owner, retain time.Duration) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.Store.Confirm(ctx, k, o, retain)
}

func (c *crashable) Release(ctx context.Context, k string, o store.Owner) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.Store.Release(ctx, k, o)
}

func (c *crashable) Sent(ctx context.Context, k string) (bool, error) {
	if err := c.check(); err != nil {
		return false, err
	}
	return c.Store.Sent(ctx, k)
}

func (c *crashable) Reserve(ctx context.Context, k string, b int, per time.Duration) (time.Duration, error) {
	if err := c.check(); err != nil {
		return 0, err
	}
	return c.Store.Reserve(ctx, k, b, per)
}

func (c *crashable) Block(ctx context.Context, k string, b int, per, d time.Duration) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.Store.Block(ctx, k, b, per, d)
}

func (c *crashable) Lock(ctx context.Context, name string, ttl time.Duration) (int64, error) {
	if err := c.check(); err != nil {
		return 0, err
	}
	return c.Store.Lock(ctx, name, ttl)
}

func (c *crashable) Extend(ctx context.Context, name string, tok int64, ttl time.Duration) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.Store.Extend(ctx, name, tok, ttl)
}

func (c *crashable) Unlock(ctx context.Context, name string, tok int64) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.Store.Unlock(ctx, name, tok)
}

// checkOnce compares what the endpoint accepted with the plan: every
// reminder exactly once, nothing else.
func checkOnce(t *testing.T, base *kb.Base, plan []Push, ep *endpoint) {
	t.Helper()
	bySource := map[kb.Source]kb.Record{}
	for _, r := range base.Records() {
		bySource[r.Source] = r
	}
	got := map[string]int{}
	for _, dl := range ep.deliveries() {
		for _, src := range dl.reply.Sources {
			r := bySource[src]
			got[fmt.Sprintf("%s|%s#%d", dl.chat, r.Table, r.No)]++
		}
	}
	want := 0
	for _, p := range plan {
		for _, task := range p.Tasks {
			want++
			k := fmt.Sprintf("%s|%s#%d", p.Chat, task.Table, task.No)
			if got[k] != 1 {
				t.Errorf("%s accepted %d times, want once", k, got[k])
			}
			delete(got, k)
		}
	}
	for k, n := range got {
		t.Errorf("%s accepted %d times, want none (not planned)", k, n)
	}
	if want == 0 {
		t.Fatal("empty plan: the seeds changed?")
	}
}

// stopKinds are the three ways a replica stops mid-tick.
var stopKinds = []string{"sigterm", "reload", "kill -9"}

// stopAndWait stops replica run (ctx cancel; for kill -9 its store dies
// first and the post in flight never reaches the platform), lets the post
// in flight finish, and waits for the run to return.
func stopAndWait(t *testing.T, kind string, g *gate, cancel context.CancelFunc, st *crashable, done <-chan struct{}) {
	t.Helper()
	if kind == "kill -9" {
		st.crashed.Store(true)
		cancel()
		g.outcome <- errors.New("connection reset: the process is gone")
	} else {
		cancel()
		g.outcome <- nil // the message in flight is accepted
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the stopped run did not return")
	}
}

// runTracked runs f in a goroutine and returns a channel closed when it
// returns.
func runTracked(wg *sync.WaitGroup, f func()) <-chan struct{} {
	done := make(chan struct{})
	wg.Go(func() { defer close(done); f() })
	return done
}
