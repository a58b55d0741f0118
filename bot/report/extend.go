package report

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"duban/bot"
	"duban/handlers"
	"duban/kb"
	"duban/kb/deadline"
	"duban/progress"
)

// ExtendTTL is how long an 申请延期 tap on a card that cannot carry a date
// waits for the tapper's next message to bring it: time to look up the
// date and write a reason, not so long that tomorrow's "10月底" in an
// unrelated question becomes a request.
const ExtendTTL = 30 * time.Minute

// pendingExtension is an 申请延期 tap waiting for its date: the tap was
// authorised when it came, so the date's message records for the unit and
// chat the card spoke for (a WeCom app's 1:1 message has no chat). The
// card's handle is not kept: the asking view spent a single-use one (a
// WeCom app's response_code), so the decision reaches the unit as the
// answer to its next question and the next reminder.
type pendingExtension struct {
	Table kb.Table `json:"table"`
	No    int      `json:"no"`
	Unit  string   `json:"unit"`
	Chat  string   `json:"chat"`
	User  string   `json:"user"`
}

func extendKey(conversation string) string { return "extend|" + conversation }

// askDate keeps an 申请延期 tap without a date for the tapper's next
// message and says so; where nothing can be kept (no conversation for the
// route, no store) the view asks for the whole request typed out.
func (rp *Reporter) askDate(ctx context.Context, a bot.CardAction, rec kb.Record, unit, user string) bot.CardView {
	if a.Conversation == "" || rp.cfg.Pending == nil {
		return view(handlers.ViewNeedDate(rec.Table, rec.No))
	}
	b, err := json.Marshal(pendingExtension{Table: rec.Table, No: rec.No, Unit: unit, Chat: a.ChatID, User: user})
	if err == nil {
		err = rp.cfg.Pending.Put(ctx, extendKey(a.Conversation), b, ExtendTTL)
	}
	if err != nil {
		bot.LoggerFrom(ctx).Warn("save pending extension failed", "err", err)
		return view(handlers.ViewNeedDate(rec.Table, rec.No))
	}
	return view(handlers.ViewAskDate(rec.Table, rec.No, int(ExtendTTL/time.Minute)))
}

// answerExtension takes m as the date of the extension its sender's tap
// asked for. It reports false when no tap waits, or when m is not a date:
// then the request is dropped and cancel is the sentence to put before
// m's own answer.
func (rp *Reporter) answerExtension(ctx context.Context, m *bot.Message) (r handlers.Reply, handled bool, cancel string) {
	key := extendKey(m.ConversationKey())
	b, ok, err := rp.cfg.Pending.Get(ctx, key)
	if err != nil {
		bot.LoggerFrom(ctx).Warn("load pending extension failed", "err", err)
		return handlers.Reply{}, false, ""
	}
	if !ok || len(b) == 0 {
		return handlers.Reply{}, false, ""
	}
	if err := rp.cfg.Pending.Delete(ctx, key); err != nil {
		bot.LoggerFrom(ctx).Warn("clear pending extension failed", "err", err)
	}
	var p pendingExtension
	if err := json.Unmarshal(b, &p); err != nil || p.No <= 0 {
		return handlers.Reply{}, false, ""
	}
	text := strings.TrimSpace(m.Text)
	if reCancel.MatchString(text) {
		return handlers.ExtendCancelled(p.Table, p.No), true, ""
	}
	date, reason, ok := parseDateReply(text, rp.cfg.Tracker.Now())
	if !ok {
		return handlers.Reply{}, false, handlers.ExtendDropped(p.Table, p.No)
	}
	if r, ok := rp.unseen(ctx, m); !ok {
		return r, true, ""
	}
	user := p.User
	if user == "" {
		user = userOf(m.UserName, m.UserID)
	}
	s := kb.Status{Table: p.Table, No: p.No, State: kb.Extension, Extension: date, Note: reason,
		Unit: p.Unit, Chat: p.Chat, User: user, At: rp.cfg.Tracker.Now()}
	_, added, err := rp.cfg.Tracker.RecordOnce(ctx, reportID(m), s)
	if err != nil {
		bot.LoggerFrom(ctx).Error("extension not recorded", "err", err)
		return handlers.ReportStoreDown(), true, ""
	}
	if !added {
		return handlers.ReportRecorded([]string{handlers.ReportRepeatLine(p.Table, p.No, false)}), true, ""
	}
	if base := rp.cfg.Base(); base != nil { // nil while a new base loads
		if rec, ok := base.Task(p.Table, p.No); ok {
			rp.requestReview(ctx, rec, s)
		}
	}
	return handlers.ReportRecorded([]string{handlers.ReportRecordedLine(progress.Display(s))}), true, ""
}

var (
	// reDateLead is what officials put before the date they were asked
	// for: "延期到10月底", "改到11月15日".
	reDateLead = regexp.MustCompile(`^(?:申请)?(?:延期|延长|推迟|顺延|改|延)?(?:完成)?(?:时间|时限)?(?:为|到|至|：|:)?\s*`)
	// reDateEnd ends the date: the reason, if any, follows.
	reDateEnd = regexp.MustCompile(`[,，。；;！!、\s]`)
)

// parseDateReply reads "10月底" or "10月底，原因：拆迁未完成" as a date and
// an optional reason. The date part must be a date and nothing else, so
// that a question ("10月底前要完成哪些") is not taken for one.
func parseDateReply(text string, now time.Time) (date, reason string, ok bool) {
	t := reDateLead.ReplaceAllString(text, "")
	date, reason = t, ""
	if loc := reDateEnd.FindStringIndex(t); loc != nil {
		date, reason = t[:loc[0]], strings.TrimSpace(t[loc[1]:])
	}
	if date == "" || strings.ContainsAny(date, "?？吗哪几多少") {
		return "", "", false
	}
	d, err := deadline.Parse(date, now.In(kb.Location).Year())
	if err != nil || d.Due.IsZero() || d.Qualifier != "" {
		return "", "", false
	}
	return date, reason, true
}
