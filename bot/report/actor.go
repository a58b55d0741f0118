package report

import (
	"context"
	"errors"
	"fmt"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

var _ bot.CardActor = (*Reporter)(nil)

// PlatformLink is CardAction.Platform of a confirmed signed link, whose
// ChatID is the configured name of the chat the link was sent to.
const PlatformLink = "link"

// Act decides and records one card tap or confirmed link (bot.CardActor).
// A unit's verbs need a chat that speaks for one of the task's lead units;
// a reviewer's need a review chat or user; a tap that may not is refused,
// and the view says why. The tap's ID keys the journal entry, so a
// replayed click is recorded once and its view says so.
func (rp *Reporter) Act(ctx context.Context, a bot.CardAction) (bot.CardView, error) {
	b := rp.cfg.Base()
	if b == nil {
		return bot.CardView{}, bot.ErrNoHandler
	}
	t := kb.Table(a.Table)
	rec, ok := b.Task(t, a.No)
	if !ok {
		return view(handlers.ViewUnknownTask(t, a.No)), nil
	}
	cur, in, err := rp.cfg.Tracker.Status(ctx, t, a.No)
	if err != nil {
		bot.LoggerFrom(ctx).Error("card tap not recorded", "err", err)
		return view(handlers.ViewStoreDown()), nil
	}
	user := userOf(a.UserName, a.UserID)
	id := "card|" + a.Platform + "|" + a.ID
	if a.Verb == bot.VerbDetail {
		return view(handlers.ViewDetail(rec, progress.Display(cur), in)), nil
	}
	// A tap recorded before is a replay, whatever the task's state now; on
	// a journal with ids RecordOnce would also refuse it, but a sandbox's
	// journal has none.
	if v, ok := rp.repeat(ctx, rec, id); ok {
		return v, nil
	}
	switch a.Verb {
	case bot.VerbDone, bot.VerbExtend:
		return rp.actUnit(ctx, a, rec, id, user)
	case bot.VerbApprove, bot.VerbReturn, bot.VerbApproveExt, bot.VerbRejectExt:
		if !rp.reviewer(a.ChatID, a.UserID, a.UserName) {
			return view(handlers.ViewNotReviewer(t, a.No)), nil
		}
		decision := map[string]kb.State{bot.VerbApprove: kb.Closed, bot.VerbReturn: kb.Returned,
			bot.VerbApproveExt: kb.ExtensionApproved, bot.VerbRejectExt: kb.ExtensionRejected}[a.Verb]
		if !in || !(progress.Review{Decision: decision}).Decides(cur.State) {
			return view(handlers.ViewNotPending(t, a.No, progress.Display(cur), in)), nil
		}
		s, added, err := rp.decide(ctx, id, rec, cur, decision, a.Reason, a.ChatID, user)
		if err != nil {
			bot.LoggerFrom(ctx).Error("card tap not recorded", "err", err)
			return view(handlers.ViewStoreDown()), nil
		}
		if !added {
			return view(handlers.ViewRepeat(t, a.No, progress.Display(cur), in)), nil
		}
		return view(handlers.ViewDecided(progress.Display(s), user)), nil
	}
	return bot.CardView{}, fmt.Errorf("report: card verb %q: %w", a.Verb, bot.ErrCardKey)
}

// actUnit records a unit's 已完成 or 申请延期.
func (rp *Reporter) actUnit(ctx context.Context, a bot.CardAction, rec kb.Record, id, user string) (bot.CardView, error) {
	units := rp.units(a.ChatID)
	if a.Platform == PlatformLink && rp.cfg.NamedUnits != nil {
		units = rp.cfg.NamedUnits(a.ChatID)
	}
	target, err := progress.Resolve(rp.cfg.Base(), units, progress.Report{Nos: []int{rec.No}, Table: rec.Table, Scoped: true})
	var ae *progress.AuthError
	switch {
	case errors.As(err, &ae):
		return view(handlers.ViewNotAuthorized(rec.Table, rec.No, ae.LeadUnits, ae.ChatUnits)), nil
	case err != nil:
		return view(handlers.ViewUnknownTask(rec.Table, rec.No)), nil
	}
	s := kb.Status{Table: rec.Table, No: rec.No, Unit: target[0].Unit, Chat: a.ChatID, User: user, At: rp.cfg.Tracker.Now()}
	if a.Verb == bot.VerbDone {
		s.State = rp.claimState()
	} else {
		if a.Extension == "" { // nothing recorded until the date comes
			return rp.askDate(ctx, a, rec, s.Unit, user), nil
		}
		s.State, s.Extension, s.Note = kb.Extension, a.Extension, a.Reason
	}
	_, added, err := rp.cfg.Tracker.RecordOnce(ctx, id, s)
	if err != nil {
		bot.LoggerFrom(ctx).Error("card tap not recorded", "err", err)
		return view(handlers.ViewStoreDown()), nil
	}
	if !added {
		cur, in, _ := rp.cfg.Tracker.Status(ctx, rec.Table, rec.No)
		return view(handlers.ViewRepeat(rec.Table, rec.No, progress.Display(cur), in)), nil
	}
	rp.requestReview(ctx, rec, s)
	v := view(handlers.ViewRecorded(progress.Display(s), user))
	v.Later = rp.keepCard(ctx, a.Platform, a.Card, a.UserID, s)
	return v, nil
}

// repeat returns the repeat view when id recorded an entry before: a
// replayed reviewer's click, after which the task no longer waits for the
// decision.
func (rp *Reporter) repeat(ctx context.Context, rec kb.Record, id string) (bot.CardView, bool) {
	if _, ok, err := rp.cfg.Tracker.Recorded(ctx, rec.Table, rec.No, id); err != nil || !ok {
		return bot.CardView{}, false
	}
	cur, in, _ := rp.cfg.Tracker.Status(ctx, rec.Table, rec.No)
	return view(handlers.ViewRepeat(rec.Table, rec.No, progress.Display(cur), in)), true
}

func view(v handlers.ActionView) bot.CardView {
	return bot.CardView{Title: v.Title, Desc: v.Desc, Lines: v.Lines, Refused: v.Refused, Final: v.Final}
}
