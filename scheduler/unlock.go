package scheduler

import (
	"context"
	"errors"
	"time"

	"duban/store"
)

// unlock releases the lock name held under token, even when ctx is done: a
// lock left behind would hold every other replica off for its whole lease.
// When the store fails (a run ending during an outage), the unlock is
// retried in the background with backoff until the lease would have lapsed
// anyway, so a store back within the lease frees the next tick at once.
// It is fenced by token: once the lease lapses and another replica locks,
// a late retry finds store.ErrNotHeld and stops; it never frees a newer
// holder's lock. Its outcome is logged, not returned: the run's sends are
// decided by then.
func (s *Scheduler) unlock(ctx context.Context, name string, token int64) {
	ctx = context.WithoutCancel(ctx)
	began := s.cfg.Now()
	err := s.st.Unlock(ctx, name, token)
	if err == nil || errors.Is(err, store.ErrNotHeld) {
		return
	}
	s.bg.Go(func() {
		for attempt := 1; ; attempt++ {
			// The lease ends by began + LockTTL at the latest; the last
			// attempt starts a tenth of it before, to land in time.
			left := began.Add(s.cfg.LockTTL - s.cfg.LockTTL/10).Sub(s.cfg.Now())
			if left <= 0 {
				s.log.Warn("tick lock not released: the store failed until its lease lapsed", "lock", name, "attempts", attempt, "err", err)
				return
			}
			if serr := s.cfg.Sleep(ctx, min(s.backoff(attempt), s.cfg.LockTTL/8, left)); serr != nil {
				return
			}
			err = s.st.Unlock(ctx, name, token)
			if err == nil || errors.Is(err, store.ErrNotHeld) {
				s.log.Info("tick lock released after the store came back", "lock", name, "attempts", attempt+1,
					"after", s.cfg.Now().Sub(began).Round(time.Millisecond))
				return
			}
		}
	})
}

// Wait waits for the background work of past runs (the unlocks retried
// after a store outage) or for ctx to end, whichever is first. A process
// that exits without waiting leaves such a lock to lapse at its lease's
// end, as a killed one does.
func (s *Scheduler) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.bg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
