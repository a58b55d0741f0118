package scheduler

import (
	"context"
	"log/slog"

	"github.com/robfig/cron/v3"
)

// cronLogger adapts *slog.Logger to cron.Logger. robfig logs every wake-up
// and job start at Info; those go to Debug so a server's log shows the
// ticks' reports rather than the timer. A skipped overlapping run ("skip",
// from SkipIfStillRunning) is worth a Warn.
type cronLogger struct{ l *slog.Logger }

var _ cron.Logger = cronLogger{}

// Info logs routine cron messages.
func (c cronLogger) Info(msg string, kv ...any) {
	level := slog.LevelDebug
	if msg == "skip" {
		level = slog.LevelWarn
		msg = "cron: tick skipped, the previous run is still going"
	} else {
		msg = "cron: " + msg
	}
	c.l.Log(context.Background(), level, msg, kv...)
}

// Error logs cron failures, among them the panics Recover catches.
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
