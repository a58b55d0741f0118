package scheduler

import (
	"context"
	"errors"
	"fmt"

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
	for _, g := range s.groups {
		lock := LockName
		if len(s.groups) > 1 {
			lock += ":" + g.spec
		}
		if _, err := c.AddFunc(g.spec, func() { s.tick(ctx, g.rules, lock) }); err != nil {
			return fmt.Errorf("scheduler: start: cron %q: %w", g.spec, err)
		}
	}
	if err := s.addSummaries(ctx, c); err != nil {
		return err
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// tick is one cron job: a run at the clock's now, logged.
func (s *Scheduler) tick(ctx context.Context, rules []int, lock string) {
	if ctx.Err() != nil {
		return
	}
	now := s.cfg.Now()
	rep, err := s.run(ctx, now, rules, lock)
	switch {
	case errors.Is(err, store.ErrLocked):
		s.log.Info("reminders: tick run by another replica", "lock", lock)
	case err != nil:
		s.log.Error("reminders: tick failed", "err", err, "sent", rep.Sent, "failed", rep.Failed,
			"skipped", rep.Skipped, "pending", rep.Pending, "retries", rep.Retries)
	default:
		s.log.Info("reminders: tick", "pushes", rep.Pushes, "sent", rep.Sent, "skipped", rep.Skipped,
			"pending", rep.Pending, "retries", rep.Retries, "rate_waits", rep.RateWaits, "waited", rep.Waited)
	}
}
