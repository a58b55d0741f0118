package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"duban/kb"
	"duban/store"
)

// Start runs the reminder rules on their cron specs (Asia/Shanghai) until
// ctx is done, then waits for a run in progress to finish and returns nil.
// Rules that share a spec run as one job; a panic in a job is logged and
// recovered, and a tick that finds the previous run of its spec still
// going is skipped (the next tick sends what it would have).
//
// Each job plans with its own rules only and takes the lock LockName; when
// several specs exist, each takes LockName+":"+spec, so that two schedules
// falling on the same minute do not shut each other out. The ledger keeps
// overlapping runs from sending anything twice.
func (s *Scheduler) Start(ctx context.Context) error {
	if s.pusher == nil || s.st == nil {
		return errors.New("scheduler: start: no pusher or store (a planning-only scheduler)")
	}
	l := cronLogger{s.log}
	c := cron.New(
		cron.WithLocation(kb.Location),
		cron.WithLogger(l),
		// Recover outermost, so a panic in the skip wrapper is caught too.
		cron.WithChain(cron.Recover(l), cron.SkipIfStillRunning(l)),
	)
	var catchUp []cron.EntryID
	for _, g := range s.groups {
		lock := LockName
		if len(s.groups) > 1 {
			lock += ":" + g.spec
		}
		id, err := c.AddFunc(g.spec, func() { s.tick(ctx, g.rules, lock) })
		if err != nil {
			return fmt.Errorf("scheduler: start: cron %q: %w", g.spec, err)
		}
		if !s.cfg.NoCatchUp && missedToday(g.spec, s.cfg.Now()) {
			catchUp = append(catchUp, id)
		}
	}
	if err := s.addSummaries(ctx, c); err != nil {
		return err
	}
	if err := s.addBulletins(ctx, c); err != nil {
		return err
	}
	c.Start()
	var wg sync.WaitGroup
	for _, id := range catchUp {
		// Through the job's wrappers: recovered, and skipped by a cron
		// tick that comes while it runs.
		job := c.Entry(id).WrappedJob
		wg.Go(job.Run)
	}
	<-ctx.Done()
	<-c.Stop().Done()
	wg.Wait()
	return nil
}

// tick is one cron job: a run at the clock's now, run again the same day
// while it leaves work behind (retryTick).
func (s *Scheduler) tick(ctx context.Context, rules []int, lock string) {
	for attempt := 1; ctx.Err() == nil; attempt++ {
		now := s.cfg.Now()
		rep, err := s.run(ctx, now, rules, lock)
		s.logTick(lock, rep, err)
		wait, why := s.retryTick(rep, err, attempt)
		if wait <= 0 {
			return
		}
		if !sameDay(now, now.Add(wait)) {
			s.log.Warn("reminders: tick left work for tomorrow", "lock", lock, "reason", why)
			return
		}
		s.cfg.Metrics.Observe(Event{Kind: EventRetryTick, Wait: wait, Err: err})
		s.log.Info("reminders: tick runs again", "lock", lock, "in", wait, "reason", why)
		if s.cfg.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// retryTick decides whether and when a tick runs again the same day: a
// tick that failed (a store outage, a platform failing) after a backoff;
// one that found another replica running it after that replica's lease, in
// case it died; one that found reminders claimed by another run after
// their lease; one deferred by a platform block after the block. The
// ledger makes a repeated run send only what is still unsent.
func (s *Scheduler) retryTick(rep Report, err error, attempt int) (time.Duration, string) {
	backoff := s.cfg.RetryBackoff
	for i := 1; i < attempt && backoff < s.cfg.MaxRetryBackoff; i++ {
		backoff *= 2
	}
	backoff = min(backoff, s.cfg.MaxRetryBackoff)
	switch {
	case errors.Is(err, store.ErrLocked):
		return s.cfg.LockTTL, "another replica holds the tick lock"
	case rep.Pending > 0:
		return s.cfg.ClaimTTL, "reminders claimed by another run"
	case rep.Deferred > 0:
		return max(rep.RetryAfter, backoff), "platform rate-limit block"
	case err != nil || rep.Failed > 0 || rep.Fenced > 0:
		return backoff, "failed"
	}
	return 0, ""
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.In(kb.Location).Date()
	by, bm, bd := b.In(kb.Location).Date()
	return ay == by && am == bm && ad == bd
}

func (s *Scheduler) logTick(lock string, rep Report, err error) {
	switch {
	case errors.Is(err, store.ErrLocked):
		s.log.Info("reminders: tick run by another replica", "lock", lock)
	case err != nil:
		s.log.Error("reminders: tick failed", "err", err, "sent", rep.Sent, "failed", rep.Failed,
			"skipped", rep.Skipped, "pending", rep.Pending, "released", rep.Released,
			"deferred", rep.Deferred, "retries", rep.Retries, "rate_limited", rep.RateLimited)
	default:
		s.log.Info("reminders: tick", "pushes", rep.Pushes, "sent", rep.Sent, "skipped", rep.Skipped,
			"pending", rep.Pending, "retries", rep.Retries, "rate_waits", rep.RateWaits, "waited", rep.Waited)
	}
}

// missedToday reports whether spec fired earlier today (Asia/Shanghai)
// before now: a process started after it (a restart after kill -9, a
// deploy, a reload) runs that tick at once instead of waiting for the
// next one, which may be tomorrow. The ledger keeps it from repeating
// anything the earlier run sent.
func missedToday(spec string, now time.Time) bool {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return false
	}
	local := now.In(kb.Location)
	y, m, d := local.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, kb.Location)
	next := sched.Next(midnight.Add(-time.Second))
	return !next.After(local) && sameDay(next, local)
}
