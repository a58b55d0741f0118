package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"duban/bot"
	"duban/bot/emulator"
	"duban/bot/metrics"
	"duban/kb"
	"duban/scheduler"
	"duban/store"
)

// schedulerLoop runs the reminder scheduler of the current knowledge base.
// A document reload makes a new scheduler: the old one is stopped (its
// running tick finishes first; the ledger keeps what it sent) and the new
// one started, so reminders always follow the documents.
type schedulerLoop struct {
	cfg    scheduler.Config
	outbox *bot.Outbox
	st     store.Store
	log    *slog.Logger
	app    *config // the emulator's panel renders through its dry-run senders

	mu     sync.Mutex
	cur    *scheduler.Scheduler
	base   *kb.Base // cur's, for the per-unit preview without chats
	cancel context.CancelFunc
	done   chan struct{}
}

func newSchedulerLoop(cfg *config, outbox *bot.Outbox, st store.Store, m *metrics.Metrics, log *slog.Logger) *schedulerLoop {
	sc := cfg.schedulerConfig()
	sc.Logger = log
	sc.Files = fileSenders(cfg) // bulletins' xlsx (supervise.go)
	sc.Metrics = scheduler.MetricsFunc(func(e scheduler.Event) { observeReminder(m, e) })
	return &schedulerLoop{cfg: sc, outbox: outbox, st: st, log: log, app: cfg}
}

// reset builds a scheduler for b and restarts the cron loop on it.
func (l *schedulerLoop) reset(b *kb.Base) {
	s, err := scheduler.New(l.cfg, b, outboxPusher{l.outbox}, l.st)
	if err != nil {
		l.log.Error("scheduler not started", "err", err)
		return
	}
	// With no chats (the embedded defaults) there is nothing to warn about.
	if len(l.cfg.Chats) > 0 {
		l.validate(b)
	}
	l.stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cur, l.base = s, b
	if len(l.cfg.Reminders) == 0 && len(l.cfg.LeaderSummaries) == 0 && len(l.cfg.Bulletins) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	l.cancel, l.done = cancel, done
	go func() {
		defer close(done)
		if err := s.Start(ctx); err != nil && ctx.Err() == nil {
			l.log.Error("scheduler stopped", "err", err)
		}
	}()
}

// current is the running scheduler, nil before the first load.
func (l *schedulerLoop) current() *scheduler.Scheduler {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur
}

// stop ends the cron loop and waits for a running tick.
func (l *schedulerLoop) stop() {
	l.mu.Lock()
	cancel, done := l.cancel, l.done
	l.cancel, l.done = nil, nil
	l.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// digests is `remind --dry-run` for the emulator's reminders panel: the
// messages the next run would post, read from the live ledger, and the
// digests already sent said to be so. With no chats configured it shows
// what each unit would receive, as the dry run does.
func (l *schedulerLoop) digests(ctx context.Context, now time.Time) ([]emulator.Digest, error) {
	l.mu.Lock()
	s, b := l.cur, l.base
	l.mu.Unlock()
	if s == nil {
		return nil, nil
	}
	noChats := false
	switch {
	case b == nil:
	case len(l.cfg.Chats) == 0:
		var err error
		if s, noChats, err = previewScheduler(l.cfg, b, l.st, dryRun{}); err != nil {
			return nil, err
		}
	default:
		// The chats' dry-run senders, never the outbox's: those sign
		// one-tap links with the real key, and a link shown in the emulator
		// would record a real report when opened. The dry run's are signed
		// with a throwaway key, so the link page refuses them.
		var err error
		if s, err = scheduler.New(l.cfg, b, dryRunPusher(l.app, b), l.st); err != nil {
			return nil, err
		}
	}
	pushes, err := s.Preview(ctx, now)
	if err != nil {
		return nil, err
	}
	var out []emulator.Digest
	for _, p := range pushes {
		text := strings.Join(p.Messages, "\n\n---\n\n")
		if len(p.Messages) == 0 {
			text = fmt.Sprintf("（%d项提醒均已发送，下一次运行不再发送）", len(p.Tasks))
		}
		d := emulator.Digest{Chat: p.Chat, Units: p.Units, Text: text, Tasks: p.Reply.Tasks}
		if noChats {
			d.Chat = strings.Join(p.Units, "、")
			d.Note = "未配置工作群：这是该单位将收到的提醒（配置 chats 后发送）"
		}
		out = append(out, d)
	}
	return out, nil
}

// validate logs what the reminder configuration gets wrong for b.
func (l *schedulerLoop) validate(b *kb.Base) {
	warnings, err := scheduler.Validate(l.cfg, b)
	if err != nil {
		l.log.Warn("reminder configuration", "err", err)
		return
	}
	for _, w := range warnings {
		l.log.Warn("reminder configuration", "warning", w)
	}
}
