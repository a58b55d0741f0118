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

// partRig is a scheduler over the seeds' stop-test chats at stopTick
// against a strict endpoint that cuts messages at stopLimit bytes, so
// 住建局工作群's digest has several parts.
type partRig struct {
	s     *Scheduler
	st    *fakeStore
	ep    *endpoint
	c     *clock
	plan  []Push
	mu    sync.Mutex
	kinds map[EventKind]int
}

const zjq = "住建局工作群"

func newPartRig(t *testing.T, st Store) *partRig {
	return newPartRigTypes(t, st, "")
}

// newPartRigTypes is newPartRig with chat dt a DingTalk robot.
func newPartRigTypes(t *testing.T, st Store, dt string) *partRig {
	t.Helper()
	chats := stopChats()
	for i := range chats {
		if chats[i].Name == dt {
			chats[i].Type = DingTalkWebhook
		} else if dt != "" {
			chats[i].Type = WeComWebhook
		}
	}
	c := &clock{t: stopTick}
	r := &partRig{c: c, kinds: map[EventKind]int{}}
	r.st, _ = st.(*fakeStore)
	if st == nil {
		r.st = newFakeStore(c.Now)
		st = r.st
	}
	r.ep = newEndpoint(c.Now, func(chat string) string { return chats[chatIndex(chats, chat)].Type })
	r.ep.dialect.Limit = stopLimit
	cfg := stopConfig(c.Now)
	cfg.Chats = chats
	cfg.Sleep = (&sleeper{c: c}).Sleep
	cfg.Concurrency = 1
	cfg.Metrics = MetricsFunc(func(e Event) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.kinds[e.Kind]++
	})
	s, err := New(cfg, seedsBase(t), r.ep, st)
	if err != nil {
		t.Fatal(err)
	}
	r.s = s
	r.plan = s.Plan(stopTick)
	return r
}

// posts returns the heads of the messages chat accepted, in order.
func (r *partRig) heads(chat string) []string {
	var out []string
	for _, d := range r.ep.deliveries() {
		if d.chat == chat {
			out = append(out, d.reply.Head)
		}
	}
	return out
}

// TestPartRetryResumes is the defect: a digest whose second part
// failed was retried from the first part, so the first part (with the @)
// reached the group again with every retry. Now a retry resumes at the
// part that failed, within the run and across runs.
func TestPartRetryResumes(t *testing.T) {
	t.Run("retried within the run", func(t *testing.T) {
		r := newPartRig(t, nil)
		r.ep.fail = func(chat string, n int) error {
			if chat == zjq && (n == 2 || n == 3) {
				return errBusy
			}
			return nil
		}
		rep, err := r.s.Run(t.Context(), stopTick)
		if err != nil {
			t.Fatal(err)
		}
		heads := r.heads(zjq)
		if len(heads) < 2 {
			t.Fatalf("住建局工作群 accepted %q; want a digest of several parts", heads)
		}
		for i, h := range heads {
			if !strings.Contains(h, fmt.Sprintf("（第%d/%d条）", i+1, len(heads))) {
				t.Errorf("住建局工作群 message %d: %q; want parts 1, 2, … in order, each once", i+1, h)
			}
		}
		if rep.Retries != 2 {
			t.Errorf("report %+v, want 2 retries", rep)
		}
		checkOnce(t, r.s.base, r.plan, r.ep)
	})
	t.Run("failed for good, resumed by the next run", func(t *testing.T) {
		r := newPartRig(t, nil)
		r.ep.fail = func(chat string, n int) error {
			if chat == zjq && n == 2 {
				return errBadKey
			}
			return nil
		}
		rep, err := r.s.Run(t.Context(), stopTick)
		if err == nil || !strings.Contains(err.Error(), "part 2 of") {
			t.Fatalf("run error %v, want part 2's failure", err)
		}
		first := r.heads(zjq)
		if len(first) != 1 || rep.Failed == 0 {
			t.Fatalf("first run: %q, %+v; want part 1 accepted and the rest released", first, rep)
		}
		r.c.Advance(time.Minute)
		rep2, err := r.s.Run(t.Context(), r.c.Now())
		if err != nil {
			t.Fatal(err)
		}
		if rep2.Sent != rep.Failed {
			t.Errorf("next run sent %d reminders, want the %d released", rep2.Sent, rep.Failed)
		}
		if heads := r.heads(zjq); len(heads) < 2 || heads[1] == first[0] {
			t.Errorf("next run's messages %q: want the rest, never part 1 again", heads)
		}
		checkOnce(t, r.s.base, r.plan, r.ep)
	})
}

// TestRefusalRules: WeCom's 45009 is waited out for at least a minute,
// DingTalk's 130101 defers the chat past its 10-minute block, and the tick
// runs again after it; both are counted.
func TestRefusalRules(t *testing.T) {
	for _, tt := range []struct {
		name     string
		dingtalk bool
		minGap   time.Duration
	}{
		{"wecom 45009", false, time.Minute},
		{"dingtalk 130101", true, 10 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dt := ""
			if tt.dingtalk {
				dt = zjq
			}
			r := newPartRigTypes(t, nil, dt)
			tt := struct {
				chat   string
				minGap time.Duration
			}{zjq, tt.minGap}
			var refusedAt time.Time
			r.ep.fail = func(chat string, n int) error {
				if chat == tt.chat && n == 1 {
					refusedAt = r.c.Now()
					return r.ep.refusal(chat)
				}
				return nil
			}
			r.s.tick(t.Context(), r.s.allRules(), LockName)
			var next time.Time
			for _, d := range r.ep.deliveries() {
				if d.chat == tt.chat {
					next = d.at
					break
				}
			}
			if gap := next.Sub(refusedAt); gap < tt.minGap {
				t.Errorf("next post %v after the refusal, want at least %v", gap, tt.minGap)
			}
			if r.ep.inBlock > 0 || r.ep.tooFast > 0 {
				t.Errorf("%d posts during the block, %d too fast; want none", r.ep.inBlock, r.ep.tooFast)
			}
			if r.kinds[EventRateLimited] != 1 {
				t.Errorf("rate-limited events %d, want 1", r.kinds[EventRateLimited])
			}
			if dt != "" && (r.kinds[EventDeferred] != 1 || r.kinds[EventRetryTick] != 1) {
				t.Errorf("events %v: want the chat deferred and the tick run again", r.kinds)
			}
			checkOnce(t, r.s.base, r.plan, r.ep)
		})
	}
}

// flakyConfirms fails the first n confirms, as a store in a failover does.
type flakyConfirms struct {
	*fakeStore
	mu sync.Mutex
	n  int
}

func (f *flakyConfirms) Confirm(ctx context.Context, key string, o store.Owner, retain time.Duration) error {
	f.mu.Lock()
	fail := f.n > 0
	f.n--
	f.mu.Unlock()
	if fail {
		return errors.New("READONLY You can't write against a read only replica")
	}
	return f.fakeStore.Confirm(ctx, key, o, retain)
}

// TestConfirmRetried: a confirm that fails is retried while the claim is
// still held, and an accepted part is never released, so the reminder is
// not sent again (issue 22: 18 of 330 were, after a failover).
func TestConfirmRetried(t *testing.T) {
	c := &clock{t: stopTick}
	st := &flakyConfirms{fakeStore: newFakeStore(c.Now), n: 3}
	r := newPartRig(t, st)
	r.st = st.fakeStore
	if _, err := r.s.Run(t.Context(), stopTick); err != nil {
		t.Fatal(err)
	}
	r.c.Advance(time.Hour)
	rep, err := r.s.Run(t.Context(), r.c.Now())
	if err != nil || rep.Sent != 0 || rep.Pending != 0 {
		t.Errorf("the tick again: %+v, %v; want everything skipped", rep, err)
	}
	checkOnce(t, r.s.base, r.plan, r.ep)
}

func TestMissedToday(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2020, 8, d, h, m, 0, 0, time.UTC).Add(-8 * time.Hour) }
	tests := []struct {
		name string
		spec string
		now  time.Time // UTC from Shanghai wall time
		want bool
	}{
		{"before today's tick", "0 9 * * 1-5", at(25, 8, 59), false},
		{"at the tick", "0 9 * * 1-5", at(25, 9, 0), true},
		{"after it", "0 9 * * 1-5", at(25, 17, 30), true},
		{"a weekend after Friday's", "0 9 * * 1-5", at(29, 10, 0), false},
		{"two ticks a day", "0 9,14 * * *", at(25, 15, 0), true},
		{"bad spec", "nonsense", at(25, 15, 0), false},
	}
	for _, tt := range tests {
		if got := missedToday(tt.spec, tt.now); got != tt.want {
			t.Errorf("%s: missedToday(%q, %s) = %v, want %v", tt.name, tt.spec, tt.now, got, tt.want)
		}
	}
}

// TestTickRetriedSameDay (issue 22): a tick that fails on a store error
// (a failover just before 09:00) runs again with backoff the same day,
// instead of moving the day's reminders to tomorrow.
func TestTickRetriedSameDay(t *testing.T) {
	r := newRig(t, nil)
	r.st.claimErr = errors.New("CLUSTERDOWN The cluster is down")
	var mu sync.Mutex
	var retries []time.Duration
	r.s.cfg.Metrics = MetricsFunc(func(e Event) {
		if e.Kind == EventRetryTick {
			mu.Lock()
			defer mu.Unlock()
			retries = append(retries, e.Wait)
			if len(retries) == 2 {
				r.st.mu.Lock()
				r.st.claimErr = nil // the store is back
				r.st.mu.Unlock()
			}
		}
	})
	r.clock.Set(monday)
	r.s.tick(t.Context(), r.s.allRules(), LockName)
	if want := []time.Duration{time.Minute, 2 * time.Minute}; !slices.Equal(retries, want) {
		t.Errorf("tick retried after %v, want %v", retries, want)
	}
	if got := len(r.p.deliveries()); got != 5 {
		t.Errorf("%d digests delivered, want all 5 the same day", got)
	}
	for _, d := range r.p.deliveries() {
		if !sameDay(d.at, monday) {
			t.Errorf("%s delivered at %s, want on %s", d.chat, d.at, monday)
		}
	}
}
