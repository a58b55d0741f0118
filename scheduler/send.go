package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban/handlers"
)

// send delivers one chat's digest: claim each reminder, push the claimed
// ones (paced by the chat's limiter, retried with backoff), then confirm
// them, or release them when the push failed for good.
func (s *Scheduler) send(ctx context.Context, p Push) (o Report, err error) {
	var claimed []int
	keys := make([]string, len(p.Tasks))
	for i, t := range p.Tasks {
		keys[i] = ledgerKey(p.Chat, t)
		ok, cerr := s.st.Claim(ctx, keys[i], s.cfg.ClaimTTL)
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
			s.release(ctx, keys, claimed)
			o.Failed += len(p.Tasks) - o.Skipped - o.Pending
			err = fmt.Errorf("chat %q: ledger: %w", p.Chat, cerr)
			s.observe(EventFailed, p.Chat, o.Failed, err)
			return o, err
		}
		claimed = append(claimed, i)
	}
	s.observe(EventSkipped, p.Chat, o.Skipped, nil)
	s.observe(EventPending, p.Chat, o.Pending, nil)
	if len(claimed) == 0 {
		return o, nil
	}

	q := s.subset(p, claimed)
	if err := s.deliver(ctx, q, &o); err != nil {
		s.release(ctx, keys, claimed)
		o.Failed += len(claimed)
		err = fmt.Errorf("chat %q: %d reminders released for the next run: %w", p.Chat, len(claimed), err)
		s.observe(EventFailed, p.Chat, len(claimed), err)
		return o, err
	}
	o.Pushes++
	o.Sent += len(claimed)
	s.observe(EventSent, p.Chat, len(claimed), nil)
	// The platform has the message: confirm even if the run is being
	// cancelled, or the claim would expire and the reminder repeat.
	cctx := context.WithoutCancel(ctx)
	var errs []error
	for _, i := range claimed {
		if cerr := s.confirm(cctx, keys[i]); cerr != nil {
			errs = append(errs, cerr)
		}
	}
	if len(errs) > 0 {
		return o, fmt.Errorf("chat %q: sent, but %d reminders not confirmed and may repeat after %s: %w",
			p.Chat, len(errs), s.cfg.ClaimTTL, errors.Join(errs...))
	}
	return o, nil
}

// deliver pushes q, waiting for the chat's rate limit before each attempt
// and retrying retryable errors with exponential backoff.
func (s *Scheduler) deliver(ctx context.Context, q Push, o *Report) error {
	ch := s.chats[q.chat]
	parts := len(handlers.Render(q.Reply, dialectFor(ch.Type, len(q.Reply.Mentions) > 0)))
	for attempt := 1; ; attempt++ {
		if err := s.pace(ctx, ch, parts, o); err != nil {
			return err
		}
		err := s.pushOnce(ctx, q)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("push: %w (%w)", err, context.Cause(ctx))
		}
		if attempt >= s.cfg.MaxAttempts || !retryable(err) {
			return fmt.Errorf("push (attempt %d of at most %d): %w", attempt, s.cfg.MaxAttempts, err)
		}
		o.Retries++
		s.observe(EventRetried, q.Chat, len(q.Tasks), err)
		if err := s.cfg.Sleep(ctx, s.backoff(attempt)); err != nil {
			return fmt.Errorf("push: backoff: %w", err)
		}
	}
}

// pushOnce makes one attempt within PushTimeout. A panicking Pusher fails
// the attempt (not retried) instead of the process: the run's goroutines
// are not the cron job's, so cron.Recover would not catch it.
func (s *Scheduler) pushOnce(ctx context.Context, q Push) (err error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.PushTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("pusher panicked: %v", v)
		}
	}()
	return s.pusher.Push(ctx, q.Chat, q.Reply)
}

// pace takes parts tokens from the chat's bucket (one per message the
// sender will post) and waits until the last may be sent.
func (s *Scheduler) pace(ctx context.Context, ch Chat, parts int, o *Report) error {
	key := ch.RateKey
	if key == "" {
		key = ch.Name
	}
	var wait time.Duration
	for range parts {
		w, err := s.st.Reserve(ctx, "rate|"+key, s.cfg.RateBurst, s.cfg.RatePer)
		if err != nil {
			return fmt.Errorf("rate limit: %w", err)
		}
		wait = max(wait, w)
	}
	if wait <= 0 {
		return nil
	}
	o.RateWaits++
	o.Waited += wait
	s.cfg.Metrics.Observe(Event{Kind: EventRateWait, Chat: ch.Name, Wait: wait})
	if err := s.cfg.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("rate limit wait %s: %w", wait, err)
	}
	return nil
}

// backoff is the wait after attempt: Backoff, doubled per attempt, capped.
func (s *Scheduler) backoff(attempt int) time.Duration {
	d := s.cfg.Backoff
	for i := 1; i < attempt && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.cfg.MaxBackoff)
}

// confirm marks key sent, retrying a failing store a few times: an
// unconfirmed reminder would be sent again once its claim expires.
func (s *Scheduler) confirm(ctx context.Context, key string) error {
	var err error
	for attempt := 1; attempt <= s.cfg.MaxAttempts; attempt++ {
		if err = s.st.Confirm(ctx, key, s.cfg.Retain); err == nil {
			return nil
		}
		if attempt < s.cfg.MaxAttempts {
			if serr := s.cfg.Sleep(ctx, s.backoff(attempt)); serr != nil {
				break
			}
		}
	}
	return fmt.Errorf("confirm %s: %w", key, err)
}

// release forgets the claims at idx so the next run retries them; it runs
// even when ctx is cancelled. A failed release only delays the retry until
// the claim expires, so its error is not returned.
func (s *Scheduler) release(ctx context.Context, keys []string, idx []int) {
	rctx := context.WithoutCancel(ctx)
	for _, i := range idx {
		_ = s.st.Release(rctx, keys[i])
	}
}

func (s *Scheduler) observe(kind EventKind, chat string, n int, err error) {
	if n > 0 {
		s.cfg.Metrics.Observe(Event{Kind: kind, Chat: chat, Tasks: n, Err: err})
	}
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
// the messages a digest becomes (bot/wecom and bot/dingtalk split there).
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
