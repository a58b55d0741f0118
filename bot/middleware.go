package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"duban/handlers"
	"duban/store"
)

// The middleware below is meant to be chained in this order, outermost
// first, as cmd/duban's inboundChain does: a panic anywhere is logged with
// the message's IDs, metrics count every message but duplicates, a
// duplicate never takes a concurrency slot, and progress reports (package
// bot/report) run within the timeout, next to the answer:
//
//	h = bot.Chain(answer, bot.Recover(l), bot.Log(l), m.Middleware(), bot.Dedup(st, 0),
//		bot.MaxInFlight(64), bot.Timeout(30*time.Second), reports)
//
// which is Recover(Log(metrics(Dedup(MaxInFlight(Timeout(reports(answer))))))).

// Recover turns a panic in the handlers below into an error and logs it
// with its stack at Error level, so one bad message cannot take the server
// down (robfig/cron#380: recovery is never implied).
func Recover(l *slog.Logger) Middleware {
	l = orDiscard(l)
	return func(next HandlerFunc) HandlerFunc {
		return func(ctx context.Context, m *Message) (r handlers.Reply, err error) {
			defer func() {
				if p := recover(); p != nil {
					l.Error("handler panic", "platform", m.Platform, "chat", m.ChatID, "msg_id", m.ID,
						"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					r, err = handlers.Reply{}, fmt.Errorf("bot: handler panic: %v", p)
				}
			}()
			return next(ctx, m)
		}
	}
}

// Log logs one line per message: platform, chat, msg_id, intent and
// latency at Info, failures at Warn (busy) or Error, duplicates at Debug.
// It never logs the question or the answer: both are government content.
// It also hands the handlers below a logger carrying those IDs, which
// Dedup and Answer use for store problems they survive.
func Log(l *slog.Logger) Middleware {
	l = orDiscard(l)
	return func(next HandlerFunc) HandlerFunc {
		return func(ctx context.Context, m *Message) (handlers.Reply, error) {
			start := time.Now()
			r, err := next(withLogger(ctx, l, m), m)
			latency := time.Since(start)
			// LogAttrs with the IDs in line: a logger.With per message
			// formatted them on every message, a share of the callback
			// path that a bare server does not pay.
			id := [...]slog.Attr{slog.String("platform", m.Platform), slog.String("chat", m.ChatID), slog.String("msg_id", m.ID)}
			switch {
			case err == nil:
				l.LogAttrs(ctx, slog.LevelInfo, "message answered", id[0], id[1], id[2],
					slog.String("intent", r.Intent), slog.Bool("not_found", r.NotFound), slog.Duration("latency", latency))
			case errors.Is(err, ErrDuplicate):
				l.LogAttrs(ctx, slog.LevelDebug, "duplicate message dropped", id[:]...)
			case errors.Is(err, ErrBusy):
				l.LogAttrs(ctx, slog.LevelWarn, "message refused", id[0], id[1], id[2], slog.Duration("latency", latency), slog.Any("err", err))
			default:
				l.LogAttrs(ctx, slog.LevelError, "message failed", id[0], id[1], id[2], slog.Duration("latency", latency), slog.Any("err", err))
			}
			return r, err
		}
	}
}

// DefaultDedupTTL is how long Dedup remembers a message ID when given no
// ttl. Platform retries come within a minute (WeCom three times within
// about 15 s, DingTalk within a minute: ../shared/PROTOCOLS.md), but a
// captured request stays replayable while its signature is valid, and a
// DingTalk robot signature is valid for an hour either side of its
// timestamp: two hours, plus ten minutes for clock steps. Ten minutes, the
// old value, let a callback replayed at eleven minutes be answered again.
const DefaultDedupTTL = 2*time.Hour + 10*time.Minute

// Dedup drops a message whose Platform and ID were seen within ttl
// (default DefaultDedupTTL), returning ErrDuplicate: platforms resend
// callbacks that are slow to answer, and replicas share d. A message with
// no ID passes through. If d fails, the message is answered anyway (two
// answers beat none) and the failure is logged through Log's logger.
//
// A message whose handling fails after it was recorded is not retried on
// the platform's resend; the adapter answers such failures itself.
func Dedup(d store.Deduper, ttl time.Duration) Middleware {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	return func(next HandlerFunc) HandlerFunc {
		return func(ctx context.Context, m *Message) (handlers.Reply, error) {
			if m.ID == "" {
				return next(ctx, m)
			}
			first, err := d.FirstSeen(ctx, m.Platform+"|"+m.ID, ttl)
			if err != nil {
				loggerFrom(ctx).Warn("dedup store failed, answering anyway", "err", err)
				return next(ctx, m)
			}
			if !first {
				return handlers.Reply{}, ErrDuplicate
			}
			return next(ctx, m)
		}
	}
}

// MaxInFlight lets at most n messages run the handlers below at once. A
// message that finds every slot taken waits for one until its context is
// done, then fails with an error matching both ErrBusy and the context's
// error. It panics if n < 1, a configuration mistake like a nil handler.
func MaxInFlight(n int) Middleware {
	if n < 1 {
		panic(fmt.Sprintf("bot: MaxInFlight(%d): need at least 1", n))
	}
	sem := make(chan struct{}, n)
	return func(next HandlerFunc) HandlerFunc {
		return func(ctx context.Context, m *Message) (handlers.Reply, error) {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return handlers.Reply{}, fmt.Errorf("%w: %w", ErrBusy, context.Cause(ctx))
			}
			defer func() { <-sem }()
			return next(ctx, m)
		}
	}
}

// Timeout gives the handlers below a context that ends after d (no limit
// if d <= 0). It does not abandon a handler that ignores its context: the
// handler is called on the caller's goroutine, so a panic still reaches
// Recover and MaxInFlight still counts the message until it returns.
// Every blocking call below (store, network) takes the context.
func Timeout(d time.Duration) Middleware {
	return func(next HandlerFunc) HandlerFunc {
		if d <= 0 {
			return next
		}
		return func(ctx context.Context, m *Message) (handlers.Reply, error) {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return next(ctx, m)
		}
	}
}
