package main

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"duban/bot"
	"duban/bot/wecom"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/scheduler"
	"duban/store"
)

// supervisionConfig holds issue 17's keys, inlined into config: escalate,
// urge (who may 催办) and bulletins (通报).
type supervisionConfig struct {
	Escalate  scheduler.Escalation `yaml:"escalate"`
	Urge      scheduler.UrgeConfig `yaml:"urge"`
	Bulletins []scheduler.Bulletin `yaml:"bulletins"`
}

func (c supervisionConfig) apply(sc *scheduler.Config) {
	sc.Escalate, sc.Urge, sc.Bulletins = c.Escalate, c.Urge, c.Bulletins
}

// supervision is the serve side of 三色督办 and 催办: the colour and urge
// hooks answers read, and the middleware that takes "催办 76号" out of the
// question pipeline and hands it to the running scheduler.
type supervision struct {
	cfg   *config
	urges *progress.UrgeLog
	base  func() *kb.Base
	sched func() *scheduler.Scheduler // the running scheduler; set once it exists
	chats map[string]string           // inbound conversation ID (or chat name) → configured chat name
	now   func() time.Time
	log   *slog.Logger
}

// wireSupervision builds the urge log over st and gives answers the
// colours (from tr's statuses, the configured thresholds) and urge counts.
func wireSupervision(cfg *config, st store.Store, state *kbState, tr *progress.Tracker, log *slog.Logger) *supervision {
	s := &supervision{cfg: cfg, urges: progress.NewUrgeLog(st, nil), now: time.Now, log: log,
		chats: map[string]string{}}
	s.base = func() *kb.Base {
		if h := state.current(); h != nil {
			return h.Base()
		}
		return nil
	}
	for _, c := range cfg.Chats {
		s.chats[c.Name] = c.Name
		for _, id := range c.ConversationIDs {
			s.chats[id] = c.Name
		}
	}
	state.light = func(r *kb.Record, now time.Time) string {
		st, _ := tr.Lookup(r.Table, r.No)
		return string(progress.LightOf(r.Due, st, now, cfg.Lights))
	}
	state.urges = s.urges.Count
	return s
}

// middleware returns the urge middleware in front of next (the reports').
func (s *supervision) middleware(next bot.Middleware) bot.Middleware {
	return func(h bot.HandlerFunc) bot.HandlerFunc {
		inner := next(h)
		return func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
			req, ok := progress.ParseUrge(m.Text)
			if !ok {
				return inner(ctx, m)
			}
			return s.urge(ctx, m, req), nil
		}
	}
}

// urge handles one "催办 76号": only a configured 督查办 or leader chat may
// urge; the scheduler sends the urgent reminder to the lead unit's chats
// (ledger, limits), and the urge journal counts it.
// authorise is 催办's gate, shared by the real path and the emulator's:
// the chat must be a configured urging chat and the task must exist. It
// returns the reply to give instead when it is not.
func (s *supervision) authorise(m *bot.Message, req progress.Report) (sc *scheduler.Scheduler, from string, rec kb.Record, tables []kb.TableInfo, refusal handlers.Reply, ok bool) {
	if s.sched != nil {
		sc = s.sched()
	}
	b := s.base()
	from = s.chats[m.ChatID]
	if sc == nil || b == nil || from == "" || !sc.MayUrge(from) {
		return nil, "", rec, nil, handlers.UrgeRefused(req.Nos[0]), false
	}
	tables = b.Tables()
	rec, found := progress.ResolveUrge(b, req)
	if !found {
		return nil, "", rec, nil, handlers.UrgeUnknown(req.Table, req.Nos[0], req.Scoped, tables), false
	}
	return sc, from, rec, tables, handlers.Reply{}, true
}

func (s *supervision) urge(ctx context.Context, m *bot.Message, req progress.Report) handlers.Reply {
	sc, from, rec, tables, refusal, ok := s.authorise(m, req)
	if !ok {
		return refusal
	}
	id := m.Platform + "|" + m.ID
	if m.ID == "" {
		id = m.Platform + "|" + strconv.FormatInt(s.now().UnixNano(), 36)
	}
	h, err := s.urges.History(ctx, rec.Table, rec.No)
	if err != nil {
		s.log.Error("urge: history not read", "task", progress.Label(rec.Table, rec.No), "err", err)
	}
	by := m.UserName
	if by == "" {
		by = m.UserID
	}
	sent, rep, err := sc.Urge(ctx, scheduler.UrgeRequest{Record: rec, From: from, By: by, ID: id, N: len(h) + 1}, s.now())
	switch {
	case errors.Is(err, scheduler.ErrNoChat):
		return handlers.UrgeNoChat(&rec, tables)
	case len(sent) == 0:
		s.log.Error("urge not sent", "task", progress.Label(rec.Table, rec.No), "from", from, "err", err)
		return handlers.UrgeFailed(&rec, tables)
	case err != nil:
		s.log.Warn("urge sent to some chats only", "task", progress.Label(rec.Table, rec.No), "sent", sent, "err", err)
	}
	n, err := s.urges.Record(ctx, id, progress.Urge{Table: rec.Table, No: rec.No, From: from, By: by, To: sent})
	if err != nil {
		s.log.Error("urge sent but not counted", "task", progress.Label(rec.Table, rec.No), "err", err)
		n = len(h) + 1
	}
	s.log.Info("urge", "task", progress.Label(rec.Table, rec.No), "from", from, "to", sent, "n", n, "pushes", rep.Pushes, "skipped", rep.Skipped)
	return handlers.UrgeSent(&rec, sent, n, tables)
}

// fileSenders gives bulletins a file sender for each WeCom group-robot
// chat (upload_media, then a file message); other chats get a link.
func fileSenders(cfg *config) func(chat string) (scheduler.FileSender, bool) {
	m := map[string]scheduler.FileSender{}
	for _, ch := range cfg.Chats {
		if ch.Type != typeWeComWebhook || ch.WebhookKey == "" {
			continue
		}
		if w, err := wecom.NewWebhook(wecom.WebhookConfig{Key: wecom.Secret(ch.WebhookKey), BaseURL: cfg.WeCom.APIBaseURL}); err == nil {
			m[ch.Name] = w
		}
	}
	return func(chat string) (scheduler.FileSender, bool) {
		f, ok := m[chat]
		return f, ok
	}
}

// sandbox is the emulator's 催办: the same authorisation, and a preview of
// the urgent reminder instead of sending it (the emulator never reaches a
// real chat or the real journal).
func (s *supervision) sandbox(h bot.HandlerFunc) bot.HandlerFunc {
	return func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
		req, ok := progress.ParseUrge(m.Text)
		if !ok {
			return h(ctx, m)
		}
		sc, from, rec, tables, refusal, ok := s.authorise(m, req)
		if !ok {
			return refusal, nil
		}
		chats, notice, err := sc.UrgePreview(scheduler.UrgeRequest{Record: rec, From: from, By: m.UserName, N: s.urges.Count(rec.Table, rec.No) + 1}, s.now())
		if err != nil {
			return handlers.UrgeNoChat(&rec, tables), nil
		}
		return handlers.UrgeTried(chats, notice), nil
	}
}
