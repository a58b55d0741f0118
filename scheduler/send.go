package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban/store"
)

// send delivers one chat's digest: claim each reminder, cut the claimed
// ones into parts of one message each (split), and deliver the parts in
// order; each accepted part's reminders are confirmed at once, and what is
// left when the chat fails or the run stops is released for the next run.
func (s *Scheduler) send(ctx context.Context, p Push, held *claimSet) (o Report, err error) {
	var claimed []int
	keys := make([]string, len(p.Tasks))
	for i, t := range p.Tasks {
		keys[i] = ledgerKey(p.Chat, t)
		ok, cerr := s.st.Claim(ctx, keys[i], held.owner, s.cfg.ClaimTTL)
		if cerr == nil && !ok {
			var sent bool
			if sent, cerr = s.st.Sent(ctx, keys[i]); cerr == nil {
				if sent {
					o.Skipped++
				} else {
					o.Pending++
				}
				continue
			}
		}
		if cerr != nil {
			var ck []string
			for _, j := range claimed {
				ck = append(ck, keys[j])
			}
			s.release(ctx, held, ck)
			o.Failed += len(p.Tasks) - o.Skipped - o.Pending
			err = fmt.Errorf("chat %q: ledger: %w", p.Chat, cerr)
			s.observe(EventFailed, p.Chat, o.Failed, err)
			return o, err
		}
		held.add(keys[i])
		claimed = append(claimed, i)
	}
	s.observe(EventSkipped, p.Chat, o.Skipped, nil)
	s.observe(EventPending, p.Chat, o.Pending, nil)
	if len(claimed) == 0 {
		return o, nil
	}
	q := s.pick(p, claimed)
	qkeys := make([]string, len(claimed))
	for i, j := range claimed {
		qkeys[i] = keys[j]
	}
	if err := s.deliverParts(ctx, q.chat, s.split(q, qkeys), held, &o); err != nil {
		return o, fmt.Errorf("chat %q: %w", p.Chat, err)
	}
	return o, nil
}

// pick returns p reduced to the tasks at idx, unrendered: split renders
// each part.
func (s *Scheduler) pick(p Push, idx []int) Push {
	q := Push{Chat: p.Chat, Units: p.Units, chat: p.chat, now: p.now}
	for _, i := range idx {
		q.Tasks = append(q.Tasks, p.Tasks[i])
		q.tasks = append(q.tasks, p.tasks[i])
	}
	return q
}

// release forgets the claims on keys so the next run retries them at once;
// it runs even when ctx is cancelled. A failed release only delays the
// retry until the claim expires, so its error is not returned.
func (s *Scheduler) release(ctx context.Context, held *claimSet, keys []string) {
	rctx := context.WithoutCancel(ctx)
	for _, k := range keys {
		held.drop(k)
		_ = s.st.Release(rctx, k, held.owner)
	}
}

// confirm marks key sent. The platform has the message, so a failing
// store is retried with backoff for as long as the claim is ours: until
// confirmMargin before its lease ends. The run keeps renewing the claim
// meanwhile (claimSet.keepAlive), and each renewal the store acknowledges
// moves that end on, so a store back within the lease is always in time;
// giving up earlier would let a posted reminder's claim lapse into a second
// send. A confirm that finds another holder's claim (store.ErrNotHeld) has
// recorded the send; it is reported, not retried. The key is never
// released, even when every attempt fails: its claim lapses instead, the
// one case left in which it may repeat (the store was down for longer than
// the lease).
func (s *Scheduler) confirm(ctx context.Context, held *claimSet, key string) error {
	began := s.cfg.Now()
	var err error
	for attempt := 1; ; attempt++ {
		if err = s.st.Confirm(ctx, key, held.owner, s.cfg.Retain); err == nil || errors.Is(err, store.ErrNotHeld) {
			held.drop(key)
			return err
		}
		end, ok := held.lease(key)
		left := end.Add(-s.confirmMargin()).Sub(s.cfg.Now())
		if !ok || left <= 0 {
			break
		}
		// The last attempt lands at the deadline, not a whole backoff
		// before it; and no wait is long next to the lease, so a store
		// back early is found early.
		if serr := s.cfg.Sleep(ctx, min(s.backoff(attempt), s.cfg.ClaimTTL/8, left)); serr != nil {
			break
		}
	}
	held.drop(key)
	return fmt.Errorf("confirm %s (retried for %s): %w", key, s.cfg.Now().Sub(began).Round(time.Second), err)
}

// confirmMargin is how long before a claim's lease ends the last confirm
// attempt starts: a tenth of the lease (12 s of the default 2 minutes),
// room for one store call to land while the claim is still ours.
func (s *Scheduler) confirmMargin() time.Duration { return s.cfg.ClaimTTL / 10 }

func (s *Scheduler) observe(kind EventKind, chat string, n int, err error) {
	if n > 0 {
		s.cfg.Metrics.Observe(Event{Kind: kind, Chat: chat, Tasks: n, Err: err})
	}
}
