package connrun

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"duban/bot"
)

// fakeConn is a connection that serves until the test drops it or ctx
// ends; it records when it closed relative to the pool's jobs.
type fakeConn struct {
	drop   chan error // Serve returns what is sent here
	events *eventLog
	id     int
}

func (c *fakeConn) Serve(ctx context.Context) error {
	select {
	case err := <-c.drop:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *fakeConn) Close() { c.events.add(fmt.Sprintf("close %d", c.id)) }

type eventLog struct {
	mu sync.Mutex
	ev []string
}

func (l *eventLog) add(e string) { l.mu.Lock(); l.ev = append(l.ev, e); l.mu.Unlock() }
func (l *eventLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.ev...)
}

// rig runs a Loop whose dials follow a script: each dial takes the next
// error (nil: a connection that serves until dropped); past the script
// every dial fails. It records each dial's fake time.
type rig struct {
	loop   Loop
	events eventLog
	mu     sync.Mutex
	dials  []time.Duration // since the start, per dial
	conns  []*fakeConn
	states []string
	script []error
	start  time.Time
}

func newRig(b Backoff, script ...error) *rig {
	r := &rig{script: script, start: time.Now()}
	r.loop = Loop{
		Name:    "test conn",
		Backoff: b,
		Pool:    NewPool(2, 4),
		State: bot.NewConnState("test conn", func(s string) {
			r.mu.Lock()
			r.states = append(r.states, s)
			r.mu.Unlock()
		}),
		Dial: func(ctx context.Context) (Conn, error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			n := len(r.dials)
			r.dials = append(r.dials, time.Since(r.start))
			err := errors.New("refused")
			if n < len(r.script) {
				err = r.script[n]
			}
			if err != nil {
				return nil, fmt.Errorf("dial %d: %w", n, err)
			}
			c := &fakeConn{drop: make(chan error, 1), events: &r.events, id: n}
			r.conns = append(r.conns, c)
			return c, nil
		},
	}
	return r
}

// run starts Run and returns a stop that cancels it and returns its result.
func (r *rig) run() (stop func() error, done <-chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { ch <- Run(ctx, r.loop) }()
	return func() error { cancel(); return <-ch }, ch
}

func (r *rig) dialTimes() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.dials...)
}

func (r *rig) conn(i int) *fakeConn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conns[i]
}

func (r *rig) stateLog() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.states, ",")
}

// Failed dials are retried after Min, 2·Min, 4·Min … capped at Max, each
// less up to a quarter of jitter; the state says backoff with the cause.
func TestRunBacksOffBetweenFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := Backoff{Min: time.Second, Max: 10 * time.Second}
		r := newRig(b) // every dial fails
		stop, _ := r.run()
		time.Sleep(time.Minute)
		synctest.Wait()
		if err := r.loop.State.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), bot.ConnBackoff) {
			t.Errorf("Check during backoff = %v, want the backoff state and the dial's error", err)
		}
		if err := stop(); err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
		d := r.dialTimes()
		if len(d) < 6 {
			t.Fatalf("%d dials in a minute, want at least 6", len(d))
		}
		for i := 1; i < len(d); i++ {
			want := min(b.Min<<(i-1), b.Max)
			if gap := d[i] - d[i-1]; gap > want || gap < want*3/4 {
				t.Errorf("wait before dial %d = %v, want in [%v, %v]", i, gap, want*3/4, want)
			}
		}
		states := r.stateLog()
		if !strings.HasPrefix(states, "connecting,backoff,connecting,backoff") || !strings.HasSuffix(states, ",stopped") || strings.Contains(states, bot.ConnConnected) {
			t.Errorf("states = %s", states)
		}
	})
}

// A connection that stayed up for Max starts the waits again from Min;
// one that dropped sooner keeps them growing.
func TestRunResetsBackoffAfterStableConnection(t *testing.T) {
	for _, tt := range []struct {
		name     string
		up       time.Duration
		wantWait time.Duration // before jitter
	}{
		{"dropped at once", 0, 8 * time.Second},
		{"dropped before Max", 9 * time.Second, 8 * time.Second},
		{"up for Max", 10 * time.Second, time.Second},
		{"up for an hour", time.Hour, time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b := Backoff{Min: time.Second, Max: 10 * time.Second}
				refused := errors.New("refused")
				r := newRig(b, refused, refused, refused, nil) // waits 1, 2, 4 s, then up
				stop, _ := r.run()
				time.Sleep(7*time.Second + time.Millisecond)
				synctest.Wait()
				if len(r.dialTimes()) != 4 {
					t.Fatalf("%d dials, want 4", len(r.dialTimes()))
				}
				// The connection has been up since the fourth dial, whose
				// time the jitter moves: drop it tt.up after that dial.
				time.Sleep(time.Until(r.start.Add(r.dialTimes()[3] + tt.up)))
				up := time.Since(r.start)
				r.conn(0).drop <- errors.New("reset by peer")
				time.Sleep(time.Minute)
				synctest.Wait()
				stop()
				d := r.dialTimes()
				if len(d) < 5 {
					t.Fatalf("no dial after the drop")
				}
				if gap := d[4] - up; gap > tt.wantWait || gap < tt.wantWait*3/4 {
					t.Errorf("wait after the drop = %v, want in [%v, %v]", gap, tt.wantWait*3/4, tt.wantWait)
				}
			})
		})
	}
}

// ErrRedial (the peer asked for a new connection) dials again at once and
// starts the failure count over.
func TestRunRedialsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		refused := errors.New("refused")
		r := newRig(Backoff{Min: time.Hour, Max: 4 * time.Hour}, nil, nil, refused)
		stop, _ := r.run()
		synctest.Wait()
		r.conn(0).drop <- fmt.Errorf("disconnect frame: %w", ErrRedial)
		synctest.Wait()
		d := r.dialTimes()
		if len(d) != 2 || d[1] != d[0] {
			t.Fatalf("dials at %v, want a second dial at once", d)
		}
		r.conn(1).drop <- fmt.Errorf("disconnect frame: %w", ErrRedial)
		synctest.Wait()
		time.Sleep(time.Hour + time.Millisecond) // the third dial failed: the first wait, at most Min
		synctest.Wait()
		stop()
		if d = r.dialTimes(); len(d) != 4 {
			t.Errorf("dials at %v, want 4 (the failure count started over)", d)
		}
		if states := r.stateLog(); !strings.HasPrefix(states, "connecting,connected,connecting,connected,connecting,backoff,connecting") {
			t.Errorf("states = %s", states)
		}
	})
}

// A *StopError ends Run with that error and the state it names; nothing
// is dialed again.
func TestRunStopsForGood(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errTaken := errors.New("another connection took the bot")
		r := newRig(Backoff{Min: time.Millisecond, Max: time.Second}, nil)
		_, done := r.run()
		synctest.Wait()
		r.conn(0).drop <- &StopError{State: "replaced", Err: errTaken}
		err := <-done
		if !errors.Is(err, errTaken) {
			t.Errorf("Run = %v, want the StopError's cause", err)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		if n := len(r.dialTimes()); n != 1 {
			t.Errorf("%d dials, want 1", n)
		}
		if s := r.loop.State.State(); s != "replaced" {
			t.Errorf("State = %s, want replaced", s)
		}
		if got := r.events.all(); len(got) != 1 || got[0] != "close 0" {
			t.Errorf("events = %v, want the connection closed", got)
		}
	})
}

// Stopping while connected: the connection stops reading, the pool
// finishes every accepted job, then the connection closes; jobs offered
// after that are refused.
func TestRunStopDrainsPoolBeforeClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(Backoff{Min: time.Second, Max: time.Minute}, nil)
		stop, _ := r.run()
		synctest.Wait()
		for i := range 5 { // two running, three queued
			if !r.loop.Pool.TrySubmit(func() {
				time.Sleep(time.Duration(i+1) * time.Second) // a slow answer
				r.events.add(fmt.Sprintf("job %d", i))
			}) {
				t.Fatalf("job %d refused", i)
			}
		}
		if err := stop(); err != nil {
			t.Errorf("Run = %v", err)
		}
		ev := r.events.all()
		if len(ev) != 6 || ev[5] != "close 0" {
			t.Errorf("events = %v, want five jobs, then the close", ev)
		}
		if r.loop.Pool.TrySubmit(func() {}) {
			t.Error("a job accepted after Run returned")
		}
		if s := r.stateLog(); s != "connecting,connected,stopped" {
			t.Errorf("states = %s", s)
		}
	})
}

// Stopping during a backoff returns at once, without waiting it out; a
// job waiting for a connection is woken by Stopping before the last drain.
func TestRunStopDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(Backoff{Min: time.Hour, Max: time.Hour})
		noConn := make(chan struct{})
		calls := 0
		r.loop.Stopping = func() { calls++; close(noConn) }
		stop, _ := r.run()
		synctest.Wait()
		woken := false
		r.loop.Pool.TrySubmit(func() {
			select {
			case <-noConn:
				woken = true
			case <-time.After(time.Minute):
			}
		})
		start := time.Now()
		if err := stop(); err != nil {
			t.Errorf("Run = %v", err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("Run returned after %v of the backoff, want at once", waited)
		}
		if s := r.loop.State.State(); s != bot.ConnStopped {
			t.Errorf("State = %s", s)
		}
		if calls != 1 || !woken {
			t.Errorf("Stopping called %d times, job woken %v; want once, before the drain", calls, woken)
		}
	})
}
