package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban/outbound"
	"duban/store"
)

// errStopped marks a delivery cut short by the run's context (SIGTERM, a
// reload, a lost tick lock): what was not sent is released at once.
var errStopped = errors.New("run stopped")

// errFenced marks a delivery that found its claims or its tick lock in
// another holder's hands: it must not send them.
var errFenced = errors.New("claim or tick lock taken over by another run")

// A deferError is a platform refusal whose block outlasts MaxRateWait: the
// rest of the chat waits for a later run.
type deferError struct {
	wait time.Duration
	err  error
}

func (e *deferError) Error() string {
	return fmt.Sprintf("rate limited by the platform, deferred %s: %v", e.wait, e.err)
}
func (e *deferError) Unwrap() error { return e.err }

// deliverParts sends parts in order. When one fails for good, or the run
// stops, the claims of it and of every later part are released so the
// next run sends them; the parts already accepted stay confirmed and are
// never sent again.
func (s *Scheduler) deliverParts(ctx context.Context, chat int, parts []part, held *claimSet, o *Report) error {
	ch := s.chats[chat]
	for i, pt := range parts {
		err := s.deliverPart(ctx, chat, pt, held, o)
		if err == nil {
			continue
		}
		var rest []string
		for _, q := range parts[i:] {
			rest = append(rest, q.keys...)
		}
		s.release(ctx, held, rest)
		n := len(rest)
		var de *deferError
		switch {
		case errors.As(err, &de):
			o.Deferred += n
			o.RetryAfter = max(o.RetryAfter, de.wait)
			s.observe(EventDeferred, ch.Name, n, err)
		case errors.Is(err, errStopped):
			o.Released += n
			s.observe(EventReleased, ch.Name, n, err)
		case errors.Is(err, errFenced):
			o.Fenced += n
			s.observe(EventFenced, ch.Name, n, err)
		default:
			o.Failed += n
			s.observe(EventFailed, ch.Name, n, err)
		}
		return fmt.Errorf("part %d of %d: %d reminders released for the next run: %w", i+1, len(parts), n, err)
	}
	return nil
}

// deliverPart sends one part's messages through the chat's sender wrapped
// in its rate limit: for each message a slot of the chat's window, then
// the fence (the tick lock and the part's claims still ours), then the
// post. Once every message is accepted the part's reminders are
// confirmed. Retryable errors are retried with backoff from the first
// message not yet accepted; a platform refusal for sending too fast
// blocks the chat's window for the platform's penalty, which the next
// attempt waits out, or which defers the chat's rest when it outlasts
// MaxRateWait. A post in flight is not cut off by a stop, nor are the
// rest of a part whose first message is out: the outcome is what decides
// confirm or release.
func (s *Scheduler) deliverPart(ctx context.Context, chat int, pt part, held *claimSet, o *Report) error {
	ch := s.chats[chat]
	if len(pt.msgs) == 0 {
		// Confirming a part nobody received would lose its reminders.
		return fmt.Errorf("part renders to no message: %w", outbound.ErrEmpty)
	}
	f := &fenced{s: s, Sender: s.senders[chat], pt: pt, held: held}
	lim := s.limited(chat, f, o)
	next := 0 // the first message not yet accepted
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", errStopped, context.Cause(ctx))
		}
		var err error
		for next < len(pt.msgs) {
			f.err = nil
			pctx := ctx
			if next > 0 {
				// A stop does not split a part whose first message is out:
				// released, it would be sent again from its first message.
				pctx = context.WithoutCancel(ctx)
			}
			if err = s.postOnce(pctx, lim, pt.msgs[next]); err != nil {
				break
			}
			next++
		}
		if err == nil {
			o.Pushes++
			o.Sent += len(pt.keys)
			s.observe(EventSent, ch.Name, len(pt.keys), nil)
			return s.confirmPart(ctx, ch, pt, held, o)
		}
		if f.err != nil {
			return f.err // fenced, or the store failed the fence
		}
		if errors.Is(err, outbound.ErrNotSent) {
			if ctx.Err() != nil {
				return fmt.Errorf("%w: %w", errStopped, err)
			}
			return err
		}
		var rf *outbound.RefusedError
		if errors.As(err, &rf) {
			o.RateLimited++
			s.cfg.Metrics.Observe(Event{Kind: EventRateLimited, Chat: ch.Name, Tasks: len(pt.keys), Wait: rf.Wait, Err: rf.Err})
			if rf.Unrecorded != nil {
				s.log.Warn("reminders: rate-limit block not recorded", "chat", ch.Name, "err", rf.Unrecorded)
			}
			if rf.Wait > s.cfg.MaxRateWait || attempt >= s.cfg.MaxAttempts {
				return &deferError{wait: rf.Wait, err: rf.Err}
			}
			continue // the next attempt's slot waits out the block
		}
		if attempt >= s.cfg.MaxAttempts || !retryable(err) {
			return fmt.Errorf("push (attempt %d of at most %d): %w", attempt, s.cfg.MaxAttempts, err)
		}
		o.Retries++
		s.observe(EventRetried, ch.Name, len(pt.keys), err)
		if serr := s.cfg.Sleep(ctx, s.backoff(attempt)); serr != nil {
			return fmt.Errorf("%w: backoff after %w", errStopped, err)
		}
	}
}

// A fenced is a chat's sender that checks the fence just before each
// post, after the rate limit granted its slot: a wait for the slot may be
// long, and the claims must still be this run's when the message leaves.
type fenced struct {
	outbound.Sender
	s    *Scheduler
	pt   part
	held *claimSet
	err  error // the fence's refusal, if the last Post stopped there
}

func (f *fenced) Post(ctx context.Context, m outbound.Message) error {
	if err := f.s.fence(ctx, f.pt, f.held); err != nil {
		f.err = err
		return err
	}
	return f.Sender.Post(ctx, m)
}

// confirmPart confirms an accepted part's reminders, even if the run is
// being stopped: the platform has the message.
func (s *Scheduler) confirmPart(ctx context.Context, ch Chat, pt part, held *claimSet, o *Report) error {
	cctx := context.WithoutCancel(ctx)
	var errs []error
	for _, k := range pt.keys {
		if err := s.confirm(cctx, held, k); errors.Is(err, store.ErrNotHeld) {
			o.Fenced++
			s.observe(EventFenced, ch.Name, 1, err)
		} else if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		// Not a part failure: nothing is released, the message is out.
		s.log.Error("reminders: sent, but not confirmed; may repeat once the claims expire",
			"chat", ch.Name, "reminders", len(errs), "err", errors.Join(errs...))
	}
	return nil
}

// fence checks, just before a part is posted, that this run still holds
// the tick lock and every claim of the part, and extends both. The lock's
// lease then outlasts the post (PushTimeout < LockTTL), so no newer holder
// can take these claims over while the message is in flight.
func (s *Scheduler) fence(ctx context.Context, pt part, held *claimSet) error {
	if held.owner.Token != 0 {
		if err := s.st.Extend(ctx, held.owner.Lock, held.owner.Token, s.cfg.LockTTL); err != nil {
			if errors.Is(err, store.ErrNotHeld) {
				return fmt.Errorf("%w: %w", errFenced, err)
			}
			return fmt.Errorf("fence: %w", err)
		}
	}
	for _, k := range pt.keys {
		begun := s.cfg.Now()
		if err := s.st.Renew(ctx, k, held.owner, s.cfg.ClaimTTL); err != nil {
			if errors.Is(err, store.ErrNotHeld) {
				held.drop(k)
				return fmt.Errorf("%w: %w", errFenced, err)
			}
			return fmt.Errorf("fence: %w", err)
		}
		held.renewed(k, begun)
	}
	return nil
}

// postOnce posts one message through the rate-limited sender, which
// detaches the post from the run's cancellation once its slot is taken:
// a stop lets the message in flight finish, so that its outcome is known
// (an aborted request may still have been accepted, and releasing it
// would send it twice). A panicking sender fails the attempt (not
// retried) instead of the process: the run's goroutines are not the cron
// job's, so cron.Recover would not catch it.
func (s *Scheduler) postOnce(ctx context.Context, lim *outbound.Limited, m outbound.Message) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("pusher panicked: %v", v)
		}
	}()
	return lim.Post(ctx, m)
}

// limited wraps snd, chat's sender, in the chat's rate limit: its window
// in the store, the run's clock, and its waits counted in o.
func (s *Scheduler) limited(chat int, snd outbound.Sender, o *Report) *outbound.Limited {
	ch := s.chats[chat]
	return outbound.RateLimit(snd, outbound.LimitConfig{
		Store: s.st, Key: s.rateKey(ch), Burst: s.cfg.RateBurst, Per: s.cfg.RatePer,
		MinBlock: s.cfg.RateLimitWait, PostTimeout: s.cfg.PushTimeout, Sleep: s.cfg.Sleep,
		OnWait: func(w time.Duration) {
			o.RateWaits++
			o.Waited += w
			s.cfg.Metrics.Observe(Event{Kind: EventRateWait, Chat: ch.Name, Wait: w})
		},
	})
}

func (s *Scheduler) rateKey(ch Chat) string {
	if ch.RateKey != "" {
		return "rate|" + ch.RateKey
	}
	return "rate|" + ch.Name
}

// backoff is the wait after attempt: Backoff, doubled per attempt, capped.
func (s *Scheduler) backoff(attempt int) time.Duration {
	d := s.cfg.Backoff
	for i := 1; i < attempt && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.cfg.MaxBackoff)
}

// retryable reports whether sending err's push again may succeed: the
// sender says so (bot.RetryableError), or the attempt timed out.
func retryable(err error) bool {
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	return errors.Is(err, context.DeadlineExceeded)
}
