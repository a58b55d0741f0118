package outbound

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban/handlers"
	"duban/store"
)

// LimitConfig configures RateLimit. Store and Key are required; the zero
// value of every other field is usable.
type LimitConfig struct {
	// Store holds the buckets, so that replicas sharing it share each
	// chat's window.
	Store store.Limiter
	// Key names the bucket; chats that post through one robot share it.
	Key string
	// Burst messages in any window of Per is the chat's limit: the group
	// robots' documented 20 a minute, counted over a window a little
	// longer than the minute, since a post reaches the platform some time
	// after its slot. Defaults: 20, 62 seconds.
	Burst int
	Per   time.Duration
	// MinBlock is the shortest time a chat is left alone after the
	// platform refused for sending too fast: WeCom's 45009 counts the
	// rest of its minute. A refusal's RetryAfter() may ask for longer
	// (DingTalk blocks a robot for 10 minutes after 130101). Default and
	// floor: 1 minute.
	MinBlock time.Duration
	// PostTimeout bounds one post once its slot is taken. Default: 30 s.
	PostTimeout time.Duration
	// Sleep waits d or until ctx is done. Default: a timer honouring ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnWait, if set, is told of each wait for a slot (metrics, a run's
	// report).
	OnWait func(d time.Duration)
}

// ErrNotSent marks a Post of a Limited that ended before anything was
// posted: ctx ended while it waited for a slot, or the store failed.
var ErrNotSent = errors.New("not sent")

// A RefusedError is a Limited's error when the platform refused a post
// for sending too fast: the chat's bucket is blocked for Wait from then
// on, so the next Post waits the block out.
type RefusedError struct {
	Wait time.Duration // how long the chat is left alone
	Err  error         // the platform's refusal
	// Unrecorded is the store's error when the block could not be
	// recorded (the next Post may then be refused again); else nil.
	Unrecorded error
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("rate limited by the platform, blocked for %s: %v", e.Wait, e.Err)
}
func (e *RefusedError) Unwrap() error { return e.Err }

// A Limited is a Sender that keeps its chat within a sliding window of
// sends shared through the store: each Post takes one slot of the window
// first, waiting while the window is full, and a platform refusal for
// sending too fast blocks the window for the platform's penalty. It
// renders as the Sender it wraps.
type Limited struct {
	s   Sender
	cfg LimitConfig
}

var _ Sender = (*Limited)(nil)

// RateLimit wraps s in the rate limit cfg describes. It panics without a
// store or a key: that is a wiring bug.
func RateLimit(s Sender, cfg LimitConfig) *Limited {
	if s == nil || cfg.Store == nil || cfg.Key == "" {
		panic("outbound: RateLimit needs a sender, a store and a key")
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 20
	}
	if cfg.Per <= 0 {
		cfg.Per = 62 * time.Second
	}
	cfg.MinBlock = max(cfg.MinBlock, time.Minute)
	if cfg.PostTimeout <= 0 {
		cfg.PostTimeout = 30 * time.Second
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return &Limited{s: s, cfg: cfg}
}

// Render implements Renderer with the wrapped sender's rendering.
func (l *Limited) Render(r handlers.Reply) []Message { return l.s.Render(r) }

// Limit implements Renderer with the wrapped sender's limit.
func (l *Limited) Limit(r handlers.Reply) int { return l.s.Limit(r) }

// Post takes a slot of the chat's window, waiting while it is full, then
// posts m. The store logs the slot as it is taken, just before the post,
// so the window holds real send times. Once its slot is taken m is
// posted even if ctx ends meanwhile (bounded by PostTimeout): the slot is
// spent, and an aborted request may still have been accepted, so only
// its outcome can say whether m was sent. An error wrapping ErrNotSent
// means nothing was posted; a *RefusedError, that the platform refused
// for sending too fast.
func (l *Limited) Post(ctx context.Context, m Message) error {
	if err := l.Reserve(ctx); err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.cfg.PostTimeout)
	defer cancel()
	err := l.s.Post(pctx, m)
	if wait, ok := l.refusal(err); ok {
		rf := &RefusedError{Wait: wait, Err: err}
		rf.Unrecorded = l.cfg.Store.Block(context.WithoutCancel(ctx), l.cfg.Key, l.cfg.Burst, l.cfg.Per, wait)
		return rf
	}
	return err
}

// Reserve takes one slot of the chat's window, waiting while it is full,
// for a send that is no Message (a file upload). Its error wraps
// ErrNotSent.
func (l *Limited) Reserve(ctx context.Context) error {
	for {
		w, err := l.cfg.Store.Reserve(ctx, l.cfg.Key, l.cfg.Burst, l.cfg.Per)
		if err != nil {
			return fmt.Errorf("%w: rate limit: %w", ErrNotSent, err)
		}
		if w <= 0 {
			return nil
		}
		if l.cfg.OnWait != nil {
			l.cfg.OnWait(w)
		}
		if err := l.cfg.Sleep(ctx, w); err != nil {
			return fmt.Errorf("%w: waiting %s for a send slot: %w", ErrNotSent, w, err)
		}
	}
}

// refusal reports whether err is the platform refusing for sending too
// fast (RateLimited()), and how long to leave the chat alone.
func (l *Limited) refusal(err error) (time.Duration, bool) {
	var rl interface{ RateLimited() bool }
	if err == nil || !errors.As(err, &rl) || !rl.RateLimited() {
		return 0, false
	}
	wait := l.cfg.MinBlock
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		wait = max(wait, ra.RetryAfter())
	}
	return wait, true
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
