package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban/handlers"
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
		err := s.deliverPart(ctx, ch, pt, held, o)
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

// deliverPart sends one part: a rate-limit slot per message, then the
// fence (the tick lock and the part's claims still ours), then the post,
// then the confirm. Retryable errors are retried with backoff; a platform
// refusal for sending too fast blocks the chat's bucket for the platform's
// penalty and is waited out or deferred (refusal). A post in flight is not
// cut off by a stop: its outcome is what decides confirm or release.
func (s *Scheduler) deliverPart(ctx context.Context, ch Chat, pt part, held *claimSet, o *Report) error {
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", errStopped, context.Cause(ctx))
		}
		if err := s.pace(ctx, ch, pt.pieces, o); err != nil {
			return err
		}
		if err := s.fence(ctx, pt, held); err != nil {
			return err
		}
		err := s.pushOnce(ctx, ch.Name, pt.reply)
		if err == nil {
			o.Pushes++
			o.Sent += len(pt.keys)
			s.observe(EventSent, ch.Name, len(pt.keys), nil)
			return s.confirmPart(ctx, ch, pt, held, o)
		}
		if wait, ok := s.refusal(ch, err); ok {
			o.RateLimited++
			s.cfg.Metrics.Observe(Event{Kind: EventRateLimited, Chat: ch.Name, Tasks: len(pt.keys), Wait: wait, Err: err})
			if berr := s.st.Block(ctx, s.rateKey(ch), s.cfg.RateBurst, s.cfg.RatePer, wait); berr != nil {
				s.log.Warn("reminders: rate-limit block not recorded", "chat", ch.Name, "err", berr)
			}
			if wait > s.cfg.MaxRateWait || attempt >= s.cfg.MaxAttempts {
				return &deferError{wait: wait, err: err}
			}
			// The next attempt's pace waits out the block.
			continue
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
		if err := s.st.Renew(ctx, k, held.owner, s.cfg.ClaimTTL); err != nil {
			if errors.Is(err, store.ErrNotHeld) {
				held.drop(k)
				return fmt.Errorf("%w: %w", errFenced, err)
			}
			return fmt.Errorf("fence: %w", err)
		}
	}
	return nil
}

// pushOnce makes one attempt within PushTimeout. It is detached from the
// run's cancellation: a stop lets the message in flight finish, so that
// its outcome is known (an aborted request may still have been accepted,
// and releasing it would send it twice). A panicking Pusher fails the
// attempt (not retried) instead of the process: the run's goroutines are
// not the cron job's, so cron.Recover would not catch it.
func (s *Scheduler) pushOnce(ctx context.Context, chat string, r handlers.Reply) (err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.PushTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("pusher panicked: %v", v)
		}
	}()
	return s.pusher.Push(ctx, chat, r)
}

// pace takes one send slot per message from the chat's window (shared
// across replicas through the store), waiting whenever the window is full.
// The store logs each slot when it is taken, just before the post, so the
// log holds real send times. A stop during a wait releases the part.
func (s *Scheduler) pace(ctx context.Context, ch Chat, pieces int, o *Report) error {
	key := s.rateKey(ch)
	for range pieces {
		for {
			w, err := s.st.Reserve(ctx, key, s.cfg.RateBurst, s.cfg.RatePer)
			if err != nil {
				return fmt.Errorf("rate limit: %w", err)
			}
			if w <= 0 {
				break
			}
			o.RateWaits++
			o.Waited += w
			s.cfg.Metrics.Observe(Event{Kind: EventRateWait, Chat: ch.Name, Wait: w})
			if err := s.cfg.Sleep(ctx, w); err != nil {
				return fmt.Errorf("%w: rate limit wait %s: %w", errStopped, w, err)
			}
		}
	}
	return nil
}

func (s *Scheduler) rateKey(ch Chat) string {
	if ch.RateKey != "" {
		return "rate|" + ch.RateKey
	}
	return "rate|" + ch.Name
}

// refusal reports whether err is the platform refusing for sending too
// fast (the sender's RateLimited()), and how long to leave the robot
// alone: WeCom's 45009 lasts the rest of its minute (RateLimitWait, at
// least 60 s); DingTalk blocks a robot for 10 minutes after 130101
// (DingTalkBlock). A sender's RetryAfter() may ask for longer.
func (s *Scheduler) refusal(ch Chat, err error) (time.Duration, bool) {
	var rl interface{ RateLimited() bool }
	if !errors.As(err, &rl) || !rl.RateLimited() {
		return 0, false
	}
	wait := s.cfg.RateLimitWait
	if ch.Type == DingTalkWebhook {
		wait = s.cfg.DingTalkBlock
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		wait = max(wait, ra.RetryAfter())
	}
	return wait, true
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

// dialectFor is the format the sender of a chat type posts in, to count
// the messages a digest becomes when the Pusher is no PartPusher.
func dialectFor(typ string, mentions bool) handlers.Dialect {
	switch typ {
	case DingTalkWebhook:
		return handlers.DingTalkMarkdown
	case WeComAIBot:
		return handlers.WeComAIBot
	case WeComAppChat:
		return handlers.WeComText
	}
	if mentions {
		return handlers.WeComText // WeCom webhooks @ by mobile only in text
	}
	return handlers.WeComMarkdown
}
