package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"duban/store"
)

// rig is a scheduler on the fixture with fakes all round.
type rig struct {
	s     *Scheduler
	st    *fakeStore
	p     *fakePusher
	clock *clock
	sl    *sleeper
}

func newRig(t *testing.T, edit func(*Config)) *rig {
	t.Helper()
	c := &clock{t: at(2020, 6, 1)}
	r := &rig{clock: c, sl: &sleeper{c: c}, st: newFakeStore(c.Now), p: &fakePusher{now: c.Now}}
	cfg := fixtureConfig()
	cfg.Now, cfg.Sleep = c.Now, r.sl.Sleep
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg, fixtureBase(t), r.p, r.st)
	if err != nil {
		t.Fatal(err)
	}
	r.s = s
	return r
}

// perChat counts deliveries by chat.
func (r *rig) perChat() map[string]int {
	out := map[string]int{}
	for _, d := range r.p.deliveries() {
		out[d.chat]++
	}
	return out
}

// monday (2020-06-01) plans 7 reminders in 5 chats; see TestPlan.
var monday = at(2020, 6, 1)

func TestRunSendsOnce(t *testing.T) {
	r := newRig(t, nil)
	rep, err := r.s.Run(t.Context(), monday)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Report{Pushes: 5, Sent: 7}); rep != want {
		t.Errorf("first run %+v, want %+v", rep, want)
	}
	rep, err = r.s.Run(t.Context(), monday.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Report{Skipped: 7}); rep != want {
		t.Errorf("second run %+v, want %+v", rep, want)
	}
	if got := len(r.p.deliveries()); got != 5 {
		t.Errorf("%d deliveries, want 5", got)
	}
	if d := r.st.doubled(); len(d) > 0 {
		t.Errorf("confirmed twice: %v", d)
	}
	zj := r.p.deliveries()
	i := slices.IndexFunc(zj, func(d delivery) bool { return d.chat == "住建群" })
	if !slices.Equal(zj[i].reply.Mentions, []string{"13800000000", "zhang"}) {
		t.Errorf("住建群 mentions %v", zj[i].reply.Mentions)
	}
}

func TestRunFailures(t *testing.T) {
	busyTwice := func(chat string, n int) error {
		if chat == "住建群" && n <= 2 {
			return fmt.Errorf("wecom webhook: %w", errBusy)
		}
		return nil
	}
	tests := []struct {
		name     string
		fail     func(chat string, n int) error
		first    Report
		attempts int             // pushes to 住建群 in the first run
		slept    []time.Duration // backoff waits
		errText  string          // in the first run's error; "" for none
	}{
		{"retryable twice, then accepted", busyTwice,
			Report{Pushes: 5, Sent: 7, Retries: 2}, 3, []time.Duration{2 * time.Second, 4 * time.Second}, ""},
		{"timeout is retried", func(chat string, n int) error {
			if chat == "住建群" && n == 1 {
				return fmt.Errorf("post: %w", context.DeadlineExceeded)
			}
			return nil
		}, Report{Pushes: 5, Sent: 7, Retries: 1}, 2, []time.Duration{2 * time.Second}, ""},
		{"not retryable", func(chat string, n int) error {
			if chat == "住建群" && n == 1 {
				return errBadKey
			}
			return nil
		}, Report{Pushes: 4, Sent: 6, Failed: 1}, 1, nil, `chat "住建群": part 1 of 1: 1 reminders released for the next run: push (attempt 1 of at most 4): webhook key invalid`},
		{"unknown error is not retried", func(chat string, n int) error {
			if chat == "住建群" && n == 1 {
				return errPlain
			}
			return nil
		}, Report{Pushes: 4, Sent: 6, Failed: 1}, 1, nil, "connection reset"},
		{"every attempt fails", func(chat string, n int) error {
			if chat == "住建群" && n <= 4 {
				return errBusy
			}
			return nil
		}, Report{Pushes: 4, Sent: 6, Failed: 1, Retries: 3}, 4,
			[]time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}, "push (attempt 4 of at most 4): platform busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, nil)
			r.p.fail = tt.fail
			rep, err := r.s.Run(t.Context(), monday)
			if rep != tt.first {
				t.Errorf("first run %+v, want %+v", rep, tt.first)
			}
			if tt.errText == "" && err != nil || tt.errText != "" && (err == nil || !strings.Contains(err.Error(), tt.errText)) {
				t.Errorf("first run error %v, want one containing %q", err, tt.errText)
			}
			if n := r.p.attempts["住建群"]; n != tt.attempts {
				t.Errorf("%d attempts to 住建群, want %d", n, tt.attempts)
			}
			if got := r.sl.waits(); !slices.Equal(got, tt.slept) {
				t.Errorf("slept %v, want %v", got, tt.slept)
			}
			// The next tick (the platform is fine again) sends what was
			// released, and only that.
			r.p.fail = nil
			rep, err = r.s.Run(t.Context(), monday.AddDate(0, 0, 1))
			if err != nil {
				t.Fatal(err)
			}
			if want := (Report{Pushes: tt.first.Failed, Sent: tt.first.Failed, Skipped: 7 - tt.first.Failed}); rep != want {
				t.Errorf("next run %+v, want %+v", rep, want)
			}
			if got := r.perChat(); got["住建群"] != 1 || len(got) != 5 {
				t.Errorf("deliveries per chat %v, want one each", got)
			}
			if d := r.st.doubled(); len(d) > 0 {
				t.Errorf("confirmed twice: %v", d)
			}
		})
	}
}

func TestRunCrashBetweenClaimAndSend(t *testing.T) {
	r := newRig(t, nil)
	// A run under another lock (another cron spec) claimed 住建群's
	// reminder and died before sending it: its claim blocks until its
	// lease lapses. (A run under the same lock is taken over at once:
	// TestRestartWithMemstore.)
	key := ledgerKey("住建群", PushTask{Table: "key_tasks", No: 1, Milestone: "due-30"})
	if ok, _ := r.st.Claim(t.Context(), key, store.Owner{Lock: "other", Token: 1}, r.s.cfg.ClaimTTL); !ok {
		t.Fatal("claim failed")
	}
	steps := []struct {
		after time.Duration
		want  Report
	}{
		{0, Report{Pushes: 4, Sent: 6, Pending: 1}},
		{r.s.cfg.ClaimTTL - time.Second, Report{Skipped: 6, Pending: 1}},
		{2 * time.Second, Report{Pushes: 1, Sent: 1, Skipped: 6}}, // the claim expired
		{time.Hour, Report{Skipped: 7}},
	}
	for i, st := range steps {
		r.clock.Advance(st.after)
		rep, err := r.s.Run(t.Context(), r.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if rep != st.want {
			t.Errorf("run %d: %+v, want %+v", i, rep, st.want)
		}
	}
	if got := r.perChat()["住建群"]; got != 1 {
		t.Errorf("住建群 got %d digests, want 1", got)
	}
}

func TestRunCancelledMidPush(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Concurrency = 1 })
	ctx, cancel := context.WithCancel(t.Context())
	r.p.fail = func(chat string, n int) error {
		if chat == "正余群" && n == 1 {
			cancel() // shutdown while this push is in flight
			return context.Canceled
		}
		return nil
	}
	rep, err := r.s.Run(ctx, monday)
	if err == nil || rep.Failed == 0 {
		t.Fatalf("cancelled run: %+v, %v", rep, err)
	}
	r.p.fail = nil
	if _, err := r.s.Run(t.Context(), monday); err != nil {
		t.Fatal(err)
	}
	got := r.perChat()
	for _, c := range []string{"住建群", "交通群", "正余群", "开发区群", "区镇总群"} {
		if got[c] != 1 {
			t.Errorf("%s got %d digests, want 1 (all: %v)", c, got[c], got)
		}
	}
}

func TestRunLedgerDown(t *testing.T) {
	r := newRig(t, nil)
	r.st.claimErr = errors.New("connection refused")
	rep, err := r.s.Run(t.Context(), monday)
	if err == nil || !strings.Contains(err.Error(), "ledger: connection refused") {
		t.Errorf("error %v", err)
	}
	if rep.Failed != 7 || rep.Sent != 0 || len(r.p.deliveries()) != 0 {
		t.Errorf("report %+v, %d deliveries; want nothing sent without a ledger", rep, len(r.p.deliveries()))
	}
}

func TestRunLocked(t *testing.T) {
	r := newRig(t, nil)
	tok, err := r.st.Lock(t.Context(), LockName, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.s.Run(t.Context(), monday); !errors.Is(err, store.ErrLocked) {
		t.Errorf("Run while locked: %v, want ErrLocked", err)
	}
	if len(r.p.deliveries()) != 0 {
		t.Error("sent without the lock")
	}
	if err := r.st.Unlock(t.Context(), LockName, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := r.s.Run(t.Context(), monday); err != nil {
		t.Errorf("Run after unlock: %v", err)
	}
	if _, err := r.st.Lock(t.Context(), LockName, time.Minute); err != nil {
		t.Errorf("Run left the lock held: %v", err)
	}
}

func TestRunRateLimit(t *testing.T) {
	r := newRig(t, func(c *Config) { c.RateBurst, c.RatePer = 1, time.Minute })
	if _, err := r.s.Run(t.Context(), monday); err != nil {
		t.Fatal(err)
	}
	// A week later by the calendar but not by the limiter's clock: 正余群's
	// overdue-2 must wait for its one-a-minute robot.
	rep, err := r.s.Run(t.Context(), at(2020, 6, 8))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 1 || rep.RateWaits != 1 || rep.Waited != time.Minute {
		t.Errorf("report %+v, want one reminder after a one-minute wait", rep)
	}
	if got := r.sl.waits(); !slices.Equal(got, []time.Duration{time.Minute}) {
		t.Errorf("slept %v", got)
	}
	// A part the sender splits into three messages takes three slots: at
	// 2 a minute, the third waits for the minute.
	r2 := newRig(t, func(c *Config) { c.RateBurst, c.RatePer = 2, time.Minute })
	var o Report
	lim := r2.s.limited(0, r2.s.senders[0], &o)
	for range 3 {
		if err := lim.Reserve(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if o.RateWaits != 1 || o.Waited != time.Minute {
		t.Errorf("three messages at 2/min: %+v, want one 1m wait", o)
	}
}

func TestRunMetrics(t *testing.T) {
	var mu sync.Mutex
	count := map[EventKind]int{}
	r := newRig(t, func(c *Config) {
		c.Metrics = MetricsFunc(func(e Event) {
			mu.Lock()
			defer mu.Unlock()
			count[e.Kind] += max(e.Tasks, 1)
		})
	})
	r.p.fail = func(chat string, n int) error {
		switch {
		case chat == "住建群" && n == 1:
			return errBusy
		case chat == "交通群":
			return errBadKey
		}
		return nil
	}
	_, _ = r.s.Run(t.Context(), monday)
	_, _ = r.s.Run(t.Context(), monday)
	want := map[EventKind]int{EventSent: 6, EventRetried: 1, EventFailed: 2, EventSkipped: 6, EventTick: 2}
	mu.Lock()
	defer mu.Unlock()
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d, want %d (all %v)", k, count[k], n, count)
		}
	}
}

func TestPlanningOnly(t *testing.T) {
	s, err := New(fixtureConfig(), fixtureBase(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(t.Context(), monday); err == nil {
		t.Error("Run without pusher and store: no error")
	}
	if err := s.Start(t.Context()); err == nil {
		t.Error("Start without pusher and store: no error")
	}
}

func TestUnsent(t *testing.T) {
	r := newRig(t, nil)
	r.p.fail = func(chat string, n int) error {
		if chat == "正余群" {
			return errBadKey
		}
		return nil
	}
	_, _ = r.s.Run(t.Context(), monday)
	left, err := r.s.Unsent(t.Context(), r.s.Plan(monday))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].Chat != "正余群" || len(left[0].Tasks) != 2 {
		t.Errorf("Unsent = %v", summary(left))
	}
}
