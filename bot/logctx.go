package bot

import (
	"context"
	"log/slog"
)

type loggerKey struct{}

// withLogger returns ctx carrying l, so the handlers below Log (Answer,
// Dedup) log store problems with the message's platform, chat and msg_id
// already attached, without a logger parameter of their own.
func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// loggerFrom returns the logger Log put in ctx, or a discarding one.
func loggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return discard
}

var discard = slog.New(slog.DiscardHandler)

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return discard
	}
	return l
}

// LoggerFrom returns the logger Log put in ctx (with the message's
// platform, chat and msg_id), or a discarding one: for middleware that
// lives outside package bot, such as bot/report.
func LoggerFrom(ctx context.Context) *slog.Logger { return loggerFrom(ctx) }
