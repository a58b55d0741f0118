package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"duban/kb"
	"duban/store"
)

// A Report counts what one run did. Counts are reminders, one per (task,
// chat, milestone), except Pushes, Retries and RateWaits.
type Report struct {
	Pushes    int           `json:"pushes"`     // messages (digest parts) the platforms accepted
	Sent      int           `json:"sent"`       // reminders accepted, and confirmed in the ledger
	Skipped   int           `json:"skipped"`    // already sent by an earlier run
	Pending   int           `json:"pending"`    // claimed by a run in progress or dead; retried after the claim expires
	Failed    int           `json:"failed"`     // released after a failed push; the next run retries them
	Released  int           `json:"released"`   // released unsent because the run was stopped (SIGTERM, reload)
	Deferred  int           `json:"deferred"`   // released after a platform's rate-limit block; retried after RetryAfter
	Fenced    int           `json:"fenced"`     // found in another run's hands before sending (or when confirming)
	Retries   int           `json:"retries"`    // pushes tried again within the run
	RateWaits int           `json:"rate_waits"` // parts that waited for their chat's send window
	Waited    time.Duration `json:"waited"`     // total rate-limit wait
	// RateLimited counts the platforms' refusals for sending too fast
	// (errors whose RateLimited() is true).
	RateLimited int `json:"rate_limited"`
	// RetryAfter is the longest platform block behind Deferred.
	RetryAfter time.Duration `json:"retry_after,omitempty"`
}

func (r *Report) add(o Report) {
	r.Pushes += o.Pushes
	r.Sent += o.Sent
	r.Skipped += o.Skipped
	r.Pending += o.Pending
	r.Failed += o.Failed
	r.Released += o.Released
	r.Deferred += o.Deferred
	r.Fenced += o.Fenced
	r.RateLimited += o.RateLimited
	r.RetryAfter = max(r.RetryAfter, o.RetryAfter)
	r.Retries += o.Retries
	r.RateWaits += o.RateWaits
	r.Waited += o.Waited
}

// Run sends Plan(now): it takes the tick lock so one replica runs at a
// time, then pushes to the chats concurrently (Config.Concurrency at once).
// Each reminder is claimed in the ledger, under the lock's fencing token,
// before it is sent; a chat's digest goes out in parts of one message
// each, every part paced by the chat's send window and confirmed as soon
// as the platform accepts it, so a retry resumes at the first part not
// accepted. A part that fails for good, and everything after it, is
// released for the next run; so is everything not yet sent when ctx ends
// (the message in flight is finished and confirmed first). A run that dies
// blocks its reminders until its claims lapse (Config.ClaimTTL) or the
// next holder of the tick lock takes them over, whichever is first.
//
// The error joins one error per chat that failed; the Report counts every
// chat. Run returns an error wrapping store.ErrLocked when another run
// holds the lock.
func (s *Scheduler) Run(ctx context.Context, now time.Time) (Report, error) {
	return s.run(ctx, now, s.allRules(), LockName)
}

func (s *Scheduler) run(ctx context.Context, now time.Time, rules []int, lockName string) (rep Report, err error) {
	if s.pusher == nil || s.st == nil {
		return Report{}, errors.New("scheduler: run: no pusher or store (a planning-only scheduler)")
	}
	began := s.cfg.Now()
	defer func() {
		s.cfg.Metrics.Observe(Event{Kind: EventTick, Wait: s.cfg.Now().Sub(began), Err: err})
	}()
	token, err := s.st.Lock(ctx, lockName, s.cfg.LockTTL)
	if err != nil {
		return Report{}, fmt.Errorf("scheduler: run: lock %s: %w", lockName, err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := s.keepLock(ctx, cancel, lockName, token)
	held := newClaimSet(s.st, store.Owner{Lock: lockName, Token: token}, s.cfg.ClaimTTL, s.cfg.Now)
	stopClaims := held.keepAlive(ctx)
	defer func() {
		stopClaims()
		// Every path releases or confirms what it claimed; this is the
		// net under a bug, so the next run need not wait for a lease.
		s.release(ctx, held, held.snapshot())
		stop()
		s.unlock(ctx, lockName, token)
	}()

	pushes := s.plan(now, rules, false)
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, s.cfg.Concurrency)
	)
	for _, p := range pushes {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				// Nothing is claimed yet: the next run sends it.
				mu.Lock()
				errs = append(errs, fmt.Errorf("chat %q: not pushed: %w", p.Chat, context.Cause(ctx)))
				mu.Unlock()
				return
			}
			defer func() { <-sem }()
			o, perr := s.send(ctx, p, held)
			mu.Lock()
			rep.add(o)
			if perr != nil {
				errs = append(errs, perr)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return rep, fmt.Errorf("scheduler: run at %s: %w", now.In(kb.Location).Format(time.RFC3339), err)
	}
	return rep, nil
}

// keepLock extends the tick lock every third of its ttl while the run
// lasts, and cancels the run if another holder took it over. It uses a
// real timer, not Config.Sleep, since its period is the store's lease.
func (s *Scheduler) keepLock(ctx context.Context, cancel context.CancelCauseFunc, name string, token int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(s.cfg.LockTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				err := s.st.Extend(ctx, name, token, s.cfg.LockTTL)
				if errors.Is(err, store.ErrNotHeld) {
					cancel(fmt.Errorf("lock %s lost: %w", name, err))
					return
				}
				// Another error is the store's: the lease still runs, and
				// the ledger keeps a second runner from repeating anything.
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// Unsent returns pushes without the reminders the ledger has confirmed,
// dropping pushes left empty, so `remind --dry-run` against a live store
// shows what a run would really send. It reads only; it claims nothing.
func (s *Scheduler) Unsent(ctx context.Context, pushes []Push) ([]Push, error) {
	if s.st == nil {
		return pushes, nil
	}
	var out []Push
	for _, p := range pushes {
		var keep []int
		for i, t := range p.Tasks {
			sent, err := s.st.Sent(ctx, ledgerKey(p.Chat, t))
			if err != nil {
				return nil, fmt.Errorf("scheduler: unsent: %w", err)
			}
			if !sent {
				keep = append(keep, i)
			}
		}
		if len(keep) > 0 {
			out = append(out, s.subset(p, keep))
		}
	}
	return out, nil
}
