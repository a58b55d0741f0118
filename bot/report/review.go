package report

import (
	"context"
	"fmt"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

// review records a reviewer's decision typed in chat (办结76号, 退回76号
// 原因): only from a review chat or user, only on a task whose status
// waits for that decision, once per message.
func (rp *Reporter) review(ctx context.Context, m *bot.Message, rv progress.Review) (handlers.Reply, error) {
	if !rp.reviewer(m.ChatID, m.UserID, m.UserName) {
		return handlers.ReviewNotReviewer(), nil
	}
	b := rp.cfg.Base()
	if b == nil {
		return handlers.Reply{}, bot.ErrNoHandler
	}
	if r, ok := rp.unseen(ctx, m); !ok {
		return r, nil
	}
	var lines []string
	for _, no := range rv.Nos {
		rec, cur, ok, err := rp.pendingTask(ctx, b, rv, no)
		if err != nil {
			bot.LoggerFrom(ctx).Error("review not recorded", "err", err)
			return handlers.ReportStoreDown(), nil
		}
		if rec == nil {
			lines = append(lines, handlers.ReviewNotPendingLine(rv.Table, no, progress.Display(cur), ok))
			continue
		}
		s, added, err := rp.decide(ctx, reportID(m)+"|"+string(rec.Table), *rec, cur, rv.Decision, rv.Reason, m.ChatID, userOf(m.UserName, m.UserID))
		if err != nil {
			bot.LoggerFrom(ctx).Error("review not recorded", "err", err)
			return handlers.ReportStoreDown(), nil
		}
		if !added {
			lines = append(lines, handlers.ReportRepeatLine(rec.Table, rec.No, false))
			continue
		}
		lines = append(lines, handlers.ReviewDecidedLine(progress.Display(s)))
	}
	return handlers.ReviewDecided(lines), nil
}

// pendingTask finds the task numbered no that rv decides: in the table rv
// names, else the first table whose task waits for that decision. It
// returns nil (and the status in force of the named or first task) when
// none waits.
func (rp *Reporter) pendingTask(ctx context.Context, b *kb.Base, rv progress.Review, no int) (*kb.Record, kb.Status, bool, error) {
	tables := []kb.Table{kb.KeyTasks, kb.PeopleProjects, kb.Measures2019, kb.Nantong2019}
	if rv.Scoped {
		tables = []kb.Table{rv.Table}
	}
	var first kb.Status
	var firstOK, seen bool
	for _, t := range tables {
		rec, ok := b.Task(t, no)
		if !ok {
			continue
		}
		cur, in, err := rp.cfg.Tracker.Status(ctx, t, no)
		if err != nil {
			return nil, kb.Status{}, false, err
		}
		if in && rv.Decides(cur.State) {
			return &rec, cur, true, nil
		}
		if !seen {
			first, firstOK, seen = cur, in, true
		}
	}
	return nil, first, firstOK, nil
}

// decide records decision on rec, whose claim or request cur it decides,
// under id, and reports whether it was new. A new decision updates the
// card the unit tapped, where one is kept.
func (rp *Reporter) decide(ctx context.Context, id string, rec kb.Record, cur kb.Status, decision kb.State, reason, chat, user string) (kb.Status, bool, error) {
	s := kb.Status{Table: rec.Table, No: rec.No, State: decision, Note: reason, Unit: cur.Unit,
		Chat: chat, User: user, Reviewer: rp.cfg.Review.Name, At: rp.cfg.Tracker.Now()}
	if decision == kb.ExtensionApproved {
		s.Extension = cur.Extension
	}
	_, added, err := rp.cfg.Tracker.RecordOnce(ctx, id, s)
	if err != nil {
		return kb.Status{}, false, fmt.Errorf("report: review %s#%d: %w", rec.Table, rec.No, err)
	}
	if added {
		rp.updateCard(ctx, cur, s)
	}
	return s, added, nil
}

// requestReview pushes a review request for a new claim or extension
// request s on rec to every review chat. A failed push is logged: the
// claim is recorded, and 待审核的有哪些 lists it.
func (rp *Reporter) requestReview(ctx context.Context, rec kb.Record, s kb.Status) {
	rv := rp.cfg.Review
	if !rv.Enabled || rp.cfg.Notify == nil || !(kb.Status{State: s.State}).Pending() {
		return
	}
	r := handlers.ReviewRequest(rec, progress.Display(s))
	for _, chat := range rv.Notify {
		if err := rp.cfg.Notify(ctx, chat, r); err != nil {
			bot.LoggerFrom(ctx).Warn("review request not delivered", "chat", chat, "task", rec.No, "err", err)
		}
	}
}

func userOf(name, id string) string {
	if name != "" {
		return name
	}
	return id
}
