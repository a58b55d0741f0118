package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"duban/bot"
	"duban/bot/emulator"
	"duban/bot/metrics"
	"duban/bot/report"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

// emulatorChain is the pipeline of the emulator's questions: the platforms'
// middleware (inboundChain) over an emulator.Sandbox instead of the real
// store. Reports typed in the emulator, under any name, go to the
// sandbox's journal, so they never feed reminders, answers in real chats
// or exports; the emulator's own answers show them over the real statuses,
// so an operator can try a report and then ask about it. The card actor
// returned decides the emulator's card buttons over the same sandbox, with
// the configured review, so the whole loop (tap, 待审核, 通过 or 退回) can be
// tried without touching the 台账.
func emulatorChain(cfg *config, state *kbState, real *progress.Tracker, m *metrics.Metrics, log *slog.Logger) (bot.HandlerFunc, bot.CardActor) {
	sb := emulator.NewSandbox(nil)
	tr := progress.New(sb, progress.Config{Logger: log})
	status := func(t kb.Table, no int) (kb.Status, bool) {
		if s, ok := tr.Lookup(t, no); ok {
			return s, true
		}
		return real.Lookup(t, no)
	}
	base := func() *kb.Base {
		if h := state.current(); h != nil {
			return h.Base()
		}
		return nil
	}
	var mu sync.Mutex
	var last *kb.Base
	var hd *handlers.Handler
	// The sandbox's handler is the current base's with the overlaid
	// statuses, built once per base: a reload swaps both.
	current := func() *handlers.Handler {
		b := base()
		if b == nil {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if b != last {
			last, hd = b, handlers.New(b, handlers.Config{Status: status, EffectiveDue: progress.EffectiveDue})
		}
		return hd
	}
	rp := report.New(report.Config{Tracker: tr, ChatUnits: chatUnits(cfg.Chats), NamedUnits: namedUnits(cfg.Chats), Base: base,
		Pending: sb, Seen: sb, Review: cfg.Review.reportReview(cfg.Chats)})
	return bot.Chain(bot.Answer(current, sb, 0, nil),
		bot.Recover(log), bot.Log(log), m.Middleware(), bot.Dedup(sb, 0), bot.MaxInFlight(16), bot.Timeout(30*time.Second), sandboxNote, rp.Middleware()), rp
}

// sandboxNote tells the operator where an emulator report went, so a
// report tried in the emulator is not mistaken for one in the 台账.
func sandboxNote(next bot.HandlerFunc) bot.HandlerFunc {
	return func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		r, err := next(ctx, m)
		if err == nil && (r.Intent == handlers.IntentReport || r.Intent == handlers.IntentReview) && strings.Contains(r.Text(), "已") && !strings.Contains(r.Text(), "未作记录") {
			r.Lines = append(r.Lines, handlers.SandboxLine)
		}
		return r, err
	}
}
