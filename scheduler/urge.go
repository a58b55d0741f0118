package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

// UrgeConfig says who may 催办 (config `urge: {chats: [督查办群]}`): the
// chats named here and every chat of a leader (`leader:` set).
type UrgeConfig struct {
	Chats []string `yaml:"chats"`
}

// ErrNoChat is returned by Urge when no configured chat speaks for a lead
// unit of the task.
var ErrNoChat = errors.New("scheduler: no chat for the task's lead units")

// checkUrge finds urge.chats that are not configured.
func checkUrge(cfg Config) []error {
	var errs []error
	for i, c := range cfg.Urge.Chats {
		if chatIndex(cfg.Chats, c) < 0 {
			errs = append(errs, fmt.Errorf("urge.chats[%d]: %q is not a configured chat name", i, c))
		}
	}
	return errs
}

// MayUrge reports whether the configured chat named chat may 催办.
func (s *Scheduler) MayUrge(chat string) bool {
	c := chatIndex(s.chats, chat)
	return c >= 0 && (s.chats[c].Leader != "" || slices.Contains(s.cfg.Urge.Chats, chat))
}

// An UrgeRequest is one 催办: the task, who urged, and the id of the
// urging message, which makes it exactly once: the same message delivered
// twice (a platform retry, two replicas) reaches each chat once.
type UrgeRequest struct {
	Record kb.Record
	From   string // the urging chat's configured name
	By     string // who sent it
	ID     string // the urging message's platform-qualified id
	N      int    // the urging's number for this task (1 for the first)
}

// Urge sends an urgent reminder of the task to the chat of each of its lead
// units at once (handlers.UrgeNotice), each through the ledger (one key per
// chat and message id), the chat's send window and retries, as a run sends
// digests. It returns the chats that have the reminder, including those a
// previous delivery of the same message reached; ErrNoChat when no chat
// speaks for a lead unit.
func (s *Scheduler) Urge(ctx context.Context, req UrgeRequest, now time.Time) ([]string, Report, error) {
	var o Report
	if s.pusher == nil || s.st == nil {
		return nil, o, errors.New("scheduler: urge: no pusher or store (a planning-only scheduler)")
	}
	rec := req.Record
	to := newRouter(s.chats).task(&rec).lead
	if len(to) == 0 {
		return nil, o, ErrNoChat
	}
	var done []string
	var errs []error
	for _, c := range to {
		oc, err := s.urgeOne(ctx, c, req, now)
		o.add(oc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		done = append(done, s.chats[c].Name)
	}
	return done, o, errors.Join(errs...)
}

// urgeKey names one urging's delivery to one chat in the ledger.
func urgeKey(rec *kb.Record, chat, id string) string {
	return "urge|" + string(rec.Table) + "#" + strconv.Itoa(rec.No) + "|" + chat + "|" + id
}

// urgeOne delivers the urging to chat c unless the ledger holds it (this
// message's urging reached the chat already); a failure releases it so the
// urging chat can send 催办 again.
func (s *Scheduler) urgeOne(ctx context.Context, c int, req UrgeRequest, now time.Time) (Report, error) {
	ch := s.chats[c]
	return s.sendOnce(ctx, c, urgeKey(&req.Record, ch.Name, req.ID), fmt.Sprintf("urge to %q", ch.Name),
		func() handlers.Reply { return s.urgeNotice(c, req, now) })
}

// urgeNotice renders the urging for chat c, with its mentions: urgent.
func (s *Scheduler) urgeNotice(c int, req UrgeRequest, now time.Time) handlers.Reply {
	rec := req.Record
	st, ok := s.status(&rec)
	light := progress.LightOf(rec.Due, st, now, s.cfg.Lights)
	// The notice's date and days overdue count from the date the task is
	// due now (an approved extension's); the light has read its own.
	rec.Due = progress.EffectiveDue(rec.Due, st)
	u := handlers.Urging{Record: &rec, From: req.From, By: req.By, N: max(req.N, 1), Light: string(light)}
	if len(s.units[c]) > 0 {
		u.Unit = s.units[c][0]
	}
	if ok && !st.Finished() {
		u.Status = st.Label()
		if by := st.Byline(); by != "" {
			u.Status += "（" + by + "）"
		}
	}
	r := handlers.UrgeNotice(u, now, s.base.Tables())
	ch := s.chats[c]
	r.Mentions = append(append([]string{}, ch.MentionMobiles...), ch.MentionUserIDs...)
	if len(r.Mentions) == 0 {
		r.Mentions = nil
	}
	return r
}

// UrgePreview returns the chats an urging would reach and the message the
// first of them would get, sending and recording nothing: the emulator's
// 催办, tried before any chat is wired. ErrNoChat as Urge.
func (s *Scheduler) UrgePreview(req UrgeRequest, now time.Time) ([]string, handlers.Reply, error) {
	rec := req.Record
	to := newRouter(s.chats).task(&rec).lead
	if len(to) == 0 {
		return nil, handlers.Reply{}, ErrNoChat
	}
	var names []string
	for _, c := range to {
		names = append(names, s.chats[c].Name)
	}
	return names, s.urgeNotice(to[0], req, now), nil
}
