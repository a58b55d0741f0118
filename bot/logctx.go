package bot

import (
	"context"
	"log/slog"
)

type loggerKey struct{}

// A msgLogger is what Log puts in the context: the logger and the message,
// joined into a logger with the message's IDs only when something below
// logs (a store failure), not for every message.
type msgLogger struct {
	l *slog.Logger
	m *Message
}

// withLogger returns ctx carrying l and m, so the handlers below Log
// (Answer, Dedup) log store problems with the message's platform, chat and
// msg_id already attached, without a logger parameter of their own.
func withLogger(ctx context.Context, l *slog.Logger, m *Message) context.Context {
	return context.WithValue(ctx, loggerKey{}, msgLogger{l, m})
}

// loggerFrom returns the logger Log put in ctx, or a discarding one.
func loggerFrom(ctx context.Context) *slog.Logger {
	if ml, ok := ctx.Value(loggerKey{}).(msgLogger); ok && ml.l != nil {
		return ml.l.With(msgAttrs(ml.m)...)
	}
	return discard
}

// msgAttrs are the attributes that name a message in every log line.
func msgAttrs(m *Message) []any {
	return []any{slog.String("platform", m.Platform), slog.String("chat", m.ChatID), slog.String("msg_id", m.ID)}
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
