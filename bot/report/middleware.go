package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

var (
	reConfirm = regexp.MustCompile(`^(?:确认|确定|是|是的|对|对的|好|好的|yes|y|ok)[。.!！]?$`)
	reCancel  = regexp.MustCompile(`^(?:取消|不是|不对|否|算了|不用了?|no|n)[。.!！]?$`)
)

// Middleware takes progress reports and reviewers' decisions out of the
// question pipeline: it records them and confirms in one line, asks first
// when a report is ambiguous, refuses politely (recording nothing) when
// the chat does not speak for the task's lead unit or the sender does not
// review, and passes every other message to the next handler. A reply
// that quotes a reminder line (Message.Quote) reports on the quoted task
// without naming it ("已完成，附照片"). Put it innermost, just before
// Answer, so reports get Dedup (a retried callback is recorded once) and
// the timeout.
//
// After an 申请延期 tap on a card that cannot carry a date (Act asked
// for it), the tapper's next message in that chat is the date and an
// optional reason ("10月底，原因：…"); one that is not a date drops the
// request, saying so before its own answer.
//
// A report is recorded only when the Seen store confirms its message is
// new, and a message without an ID records nothing. When the store does
// not answer, the reply says the report was not recorded and to send it
// again.
func (rp *Reporter) Middleware() bot.Middleware {
	return func(next bot.HandlerFunc) bot.HandlerFunc {
		return func(ctx context.Context, m *bot.Message) (handlers.Reply, error) {
			if r, long := bot.TooLong(m); long {
				return r, nil
			}
			var dropped string // an extension's wait this message ended
			if rp.cfg.Pending != nil {
				r, ok, cancel := rp.answerExtension(ctx, m)
				if ok {
					return r, nil
				}
				dropped = cancel
			}
			r, err := rp.route(ctx, m, next)
			if dropped != "" && err == nil {
				r = handlers.WithNotice(dropped, r)
			}
			return r, err
		}
	}
}

// route sends m to the confirmation dialogue, a review, a report, or
// next.
func (rp *Reporter) route(ctx context.Context, m *bot.Message, next bot.HandlerFunc) (handlers.Reply, error) {
	text := strings.TrimSpace(m.Text)
	if rp.cfg.Pending != nil && (reConfirm.MatchString(text) || reCancel.MatchString(text)) {
		if r, ok, err := rp.answerPending(ctx, m, reConfirm.MatchString(text)); ok || err != nil {
			return r, err
		}
	}
	if rv, ok := progress.ParseReview(text); ok && rp.cfg.Review.Enabled {
		return rp.review(ctx, m, rv)
	}
	rep, ok := progress.ParseReport(text)
	if m.Quote != "" {
		if t, no, qok := progress.QuotedTask(m.Quote); qok {
			rep, ok = progress.ParseReportAbout(text, t, no)
		}
	}
	if !ok {
		return next(ctx, m)
	}
	return rp.handle(ctx, m, rep)
}

func pendingKey(m *bot.Message) string { return "report|" + m.ConversationKey() }

// handle resolves rep's tasks and records it, or asks about it.
func (rp *Reporter) handle(ctx context.Context, m *bot.Message, rep progress.Report) (handlers.Reply, error) {
	if rep.Ambiguous && len(rep.Nos) == 0 {
		return handlers.ReportAskNumber(), nil
	}
	b := rp.cfg.Base()
	if b == nil {
		return handlers.Reply{}, bot.ErrNoHandler
	}
	targets, err := progress.Resolve(b, rp.units(m.ChatID), rep)
	if err != nil {
		if r, ok := refusal(err); ok {
			return r, nil
		}
		return handlers.Reply{}, fmt.Errorf("report: %w", err)
	}
	if rep.Ambiguous {
		return rp.ask(ctx, m, rep, targets)
	}
	if r, ok := rp.unseen(ctx, m); !ok {
		return r, nil
	}
	stamp := kb.Status{Chat: m.ChatID, User: m.UserName}
	if stamp.User == "" {
		stamp.User = m.UserID
	}
	var lines []string
	for _, t := range targets {
		stamp.Unit = t.Unit
		line, err := rp.record(ctx, reportID(m), t.Record, rep, stamp)
		if err != nil {
			if len(lines) > 0 { // tell what was recorded before the failure
				return handlers.ReportPartial(lines), nil
			}
			// Say so rather than stay silent: during a store outage the
			// official must know the report is not in the ledger.
			bot.LoggerFrom(ctx).Error("report not recorded", "err", err)
			return handlers.ReportStoreDown(), nil
		}
		lines = append(lines, line)
	}
	return handlers.ReportRecorded(lines), nil
}

// refusal turns Resolve's refusals into the polite replies handlers
// composes.
func refusal(err error) (handlers.Reply, bool) {
	var ae *progress.AuthError
	var ue *progress.UnknownTaskError
	var amb *progress.AmbiguousError
	switch {
	case errors.As(err, &ae):
		return handlers.ReportNotAuthorized(ae.Table, ae.No, ae.LeadUnits, ae.ChatUnits), true
	case errors.As(err, &ue):
		return handlers.ReportUnknownTask(ue.Table, ue.No, ue.Scoped), true
	case errors.As(err, &amb):
		return handlers.ReportAmbiguous(amb.No, amb.Tables), true
	}
	return handlers.Reply{}, false
}

// unseen reports whether m may record: its ID was never seen before.
// Otherwise it returns the reply that says why nothing was recorded.
func (rp *Reporter) unseen(ctx context.Context, m *bot.Message) (handlers.Reply, bool) {
	if rp.cfg.Seen == nil {
		return handlers.Reply{}, true
	}
	if m.ID == "" {
		return handlers.ReportNoID(), false
	}
	first, err := rp.cfg.Seen.FirstSeen(ctx, reportID(m), IDTTL)
	if err != nil {
		bot.LoggerFrom(ctx).Warn("report id check failed, nothing recorded", "err", err)
		return handlers.ReportStoreDown(), false
	}
	if !first {
		bot.LoggerFrom(ctx).Warn("report message seen before, nothing recorded")
		return handlers.ReportSeen(), false
	}
	return handlers.Reply{}, true
}

// reportID names a report message in the journal, so the same message
// delivered to several replicas, or retried while the dedup store was
// down, is one entry (the journal's own guarantee, not the dedup's).
func reportID(m *bot.Message) string { return "report|" + m.Platform + "|" + m.ID }

// record appends one report (or undo) under the message's id and says what
// was recorded.
func (rp *Reporter) record(ctx context.Context, id string, rec kb.Record, rep progress.Report, stamp kb.Status) (string, error) {
	tr := rp.cfg.Tracker
	if rep.Undo {
		stamp.At = tr.Now()
		_, undone, added, err := tr.UndoOnce(ctx, id, rec.Table, rec.No, rep.State, stamp)
		if err == nil && !added {
			return handlers.ReportRepeatLine(rec.Table, rec.No, true), nil
		}
		if errors.Is(err, progress.ErrNothingToUndo) {
			return handlers.ReportNothingToUndoLine(rec.Table, rec.No, rep.State), nil
		}
		if err != nil {
			return "", fmt.Errorf("report: %w", err)
		}
		cur, ok, err := tr.Status(ctx, rec.Table, rec.No)
		if err != nil {
			ok = false
		}
		return handlers.ReportUndoneLine(progress.Display(undone.Status), progress.Display(cur), ok), nil
	}
	s := stamp
	s.Table, s.No, s.State, s.Note, s.Extension = rec.Table, rec.No, rep.State, rep.Note, rep.Extension
	if s.State == kb.Done {
		s.State = rp.claimState()
	}
	s.At = tr.Now()
	_, added, err := tr.RecordOnce(ctx, id, s)
	if err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	if !added {
		return handlers.ReportRepeatLine(rec.Table, rec.No, false), nil
	}
	rp.requestReview(ctx, rec, s)
	return handlers.ReportRecordedLine(progress.Display(s)), nil // the journal keeps the note as written
}

// ask keeps an ambiguous report for "确认" and asks about it.
func (rp *Reporter) ask(ctx context.Context, m *bot.Message, rep progress.Report, targets []progress.Target) (handlers.Reply, error) {
	var labels []string
	for _, t := range targets {
		labels = append(labels, handlers.TaskLabel(t.Record.Table, t.Record.No))
	}
	if rp.cfg.Pending == nil {
		return handlers.ReportConfirmQuestion(labels, rep.State, false, rep.Nos[0]), nil
	}
	// Scope the confirmed report to the tables just resolved, so "确认"
	// records exactly what was asked about.
	ask := rep
	ask.Ambiguous, ask.Why = false, ""
	if len(targets) > 0 {
		ask.Table, ask.Scoped = targets[0].Record.Table, true
	}
	b, err := json.Marshal(ask)
	if err == nil {
		err = rp.cfg.Pending.Put(ctx, pendingKey(m), b, PendingTTL)
	}
	if err != nil {
		bot.LoggerFrom(ctx).Warn("save pending report failed", "err", err)
		return handlers.ReportConfirmQuestion(labels, rep.State, false, rep.Nos[0]), nil
	}
	return handlers.ReportConfirmQuestion(labels, rep.State, true, rep.Nos[0]), nil
}

// answerPending handles "确认"/"取消" after a question from ask. It reports
// false when nothing is pending, so the message goes on as a question.
func (rp *Reporter) answerPending(ctx context.Context, m *bot.Message, confirm bool) (handlers.Reply, bool, error) {
	key := pendingKey(m)
	b, ok, err := rp.cfg.Pending.Get(ctx, key)
	if err != nil {
		bot.LoggerFrom(ctx).Warn("load pending report failed", "err", err)
		return handlers.Reply{}, false, nil
	}
	if !ok || len(b) == 0 {
		return handlers.Reply{}, false, nil
	}
	if err := rp.cfg.Pending.Delete(ctx, key); err != nil {
		bot.LoggerFrom(ctx).Warn("clear pending report failed", "err", err)
	}
	if !confirm {
		return handlers.ReportCancelled(), true, nil
	}
	var rep progress.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return handlers.ReportConfirmLost(), true, nil
	}
	r, err := rp.handle(ctx, m, rep)
	return r, true, err
}
