package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/progress"
	"duban/store"
)

// IntentReport is the Reply.Intent of an answer to a progress report.
const IntentReport = "report"

// ReportIDTTL is how long a message ID that recorded a report is
// remembered: far past any platform retry or signature window (DefaultDedupTTL),
// so no replay records a report twice even after Dedup forgot the ID.
const ReportIDTTL = 7 * 24 * time.Hour

// PendingTTL is how long a report waiting for "确认" is kept: long enough to
// read the question and answer, short enough that a stray "好的" tomorrow
// records nothing.
const PendingTTL = 10 * time.Minute

var (
	reConfirm = regexp.MustCompile(`^(?:确认|确定|是|是的|对|对的|好|好的|yes|y|ok)[。.!！]?$`)
	reCancel  = regexp.MustCompile(`^(?:取消|不是|不对|否|算了|不用了?|no|n)[。.!！]?$`)
)

// Reports returns the middleware that takes progress reports ("76号已完成",
// "76号进展：…", "撤销76号完成") out of the question pipeline: it records
// them through tr and confirms in one line, asks first when the message
// is ambiguous, refuses politely (recording nothing) when the chat does
// not speak for the task's lead unit, and passes every other message to
// the next handler. Put it innermost, just before Answer, so reports get
// Dedup (a retried callback is recorded once) and the timeout.
//
// chatUnits maps a message's ChatID to the units the chat speaks for
// (config chats[].units, looked up by conversation_ids). base returns the
// current knowledge base. pending keeps a report awaiting "确认" per chat
// and user; with nil, an ambiguous report is answered with a request to
// restate it instead.
//
// seen makes recording need a message ID never seen before (kept for
// ReportIDTTL), apart from Dedup, which answers questions even when the
// store fails and forgets sooner: a report is recorded only when the store
// confirms its message is new, and a message without an ID records
// nothing. When the store does not answer, the reply says the report was
// not recorded and to send it again. With seen nil (tests), only Dedup
// guards against repeats.
func Reports(tr *progress.Tracker, chatUnits func(chatID string) []string, base func() *kb.Base, pending store.Conversations, seen store.Deduper) Middleware {
	rp := &reporter{tr: tr, chatUnits: chatUnits, base: base, pending: pending, seen: seen}
	return func(next HandlerFunc) HandlerFunc {
		return func(ctx context.Context, m *Message) (handlers.Reply, error) {
			if r, long := TooLong(m); long {
				return r, nil
			}
			text := strings.TrimSpace(m.Text)
			if rp.pending != nil && (reConfirm.MatchString(text) || reCancel.MatchString(text)) {
				if r, ok, err := rp.answerPending(ctx, m, reConfirm.MatchString(text)); ok || err != nil {
					return r, err
				}
			}
			rep, ok := progress.ParseReport(text)
			if !ok {
				return next(ctx, m)
			}
			return rp.handle(ctx, m, rep)
		}
	}
}

type reporter struct {
	tr        *progress.Tracker
	chatUnits func(string) []string
	base      func() *kb.Base
	pending   store.Conversations
	seen      store.Deduper
}

func pendingKey(m *Message) string { return "report|" + m.ConversationKey() }

func reply(head string, lines ...string) handlers.Reply {
	return handlers.Reply{Intent: IntentReport, Head: head, Lines: lines}
}

// handle resolves rep's tasks and records it, or asks about it.
func (rp *reporter) handle(ctx context.Context, m *Message, rep progress.Report) (handlers.Reply, error) {
	if rep.Ambiguous && len(rep.Nos) == 0 {
		return reply("请注明任务编号，例如“76号已完成”“实事12号已完成”“76号进展：已完成招标”。未作记录。"), nil
	}
	b := rp.base()
	if b == nil {
		return handlers.Reply{}, ErrNoHandler
	}
	var units []string
	if rp.chatUnits != nil {
		units = rp.chatUnits(m.ChatID)
	}
	targets, err := progress.Resolve(b, units, rep)
	if err != nil {
		if errors.Is(err, progress.ErrNotAuthorized) || errors.Is(err, progress.ErrAmbiguousTask) || errors.Is(err, progress.ErrUnknownTask) {
			return reply(err.Error()), nil
		}
		return handlers.Reply{}, fmt.Errorf("bot: report: %w", err)
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
				return reply("部分已记录：", append(lines, "记录失败，请稍后重发其余各项。")...), nil
			}
			// Say so rather than stay silent: during a store outage the
			// official must know the report is not in the ledger.
			loggerFrom(ctx).Error("report not recorded", "err", err)
			return notRecorded(), nil
		}
		lines = append(lines, line)
	}
	if len(lines) == 1 {
		return reply(lines[0]), nil
	}
	return reply(fmt.Sprintf("已记录%d项：", len(lines)), lines...), nil
}

// unseen reports whether m may record: its ID was never seen before.
// Otherwise it returns the reply that says why nothing was recorded.
func (rp *reporter) unseen(ctx context.Context, m *Message) (handlers.Reply, bool) {
	if rp.seen == nil {
		return handlers.Reply{}, true
	}
	if m.ID == "" {
		return reply("这条消息没有编号，无法确认不是重复发送，未作记录。"), false
	}
	first, err := rp.seen.FirstSeen(ctx, reportID(m), ReportIDTTL)
	if err != nil {
		loggerFrom(ctx).Warn("report id check failed, nothing recorded", "err", err)
		return notRecorded(), false
	}
	if !first {
		loggerFrom(ctx).Warn("report message seen before, nothing recorded")
		return reply("这条报告已处理过，未重复记录。"), false
	}
	return handlers.Reply{}, true
}

// notRecorded is the reply when the store is unreachable.
func notRecorded() handlers.Reply {
	return reply("系统存储暂时不可用，这条报告未记录，请稍后重发。")
}

// reportID names a report message in the journal, so the same message
// delivered to several replicas, or retried while the dedup store was
// down, is one entry (the journal's own guarantee, not the dedup's).
func reportID(m *Message) string { return "report|" + m.Platform + "|" + m.ID }

// record appends one report (or undo) under the message's id and says what
// was recorded.
func (rp *reporter) record(ctx context.Context, id string, rec kb.Record, rep progress.Report, stamp kb.Status) (string, error) {
	label := progress.Label(rec.Table, rec.No)
	if rep.Undo {
		stamp.At = rp.tr.Now()
		_, undone, added, err := rp.tr.UndoOnce(ctx, id, rec.Table, rec.No, rep.State, stamp)
		if err == nil && !added {
			return label + "：这条撤销已处理过，未重复记录。", nil
		}
		if errors.Is(err, progress.ErrNothingToUndo) {
			what := "报告"
			if rep.State != "" {
				what = "“" + string(rep.State) + "”报告"
			}
			return fmt.Sprintf("%s没有可撤销的%s，未作记录。", label, what), nil
		}
		if err != nil {
			return "", fmt.Errorf("bot: report: %w", err)
		}
		now := "现状态：未报告（没有其他报告）"
		if cur, ok, err := rp.tr.Status(ctx, rec.Table, rec.No); err == nil && ok {
			cur = progress.Display(cur)
			now = "现状态：" + cur.Label() + "（" + cur.Byline() + "）"
		}
		return fmt.Sprintf("已撤销：%s %s报告的“%s”；%s", label, undone.Byline(), progress.Display(undone.Status).Label(), now), nil
	}
	s := stamp
	s.Table, s.No, s.State, s.Note, s.Extension = rec.Table, rec.No, rep.State, rep.Note, rep.Extension
	s.At = rp.tr.Now()
	_, added, err := rp.tr.RecordOnce(ctx, id, s)
	if err != nil {
		return "", fmt.Errorf("bot: report: %w", err)
	}
	if !added {
		return label + "：这条报告已处理过，未重复记录。", nil
	}
	shown := progress.Display(s) // the journal keeps the note as written
	line := fmt.Sprintf("已记录：%s 状态：%s（%s）", label, shown.Label(), shown.Byline())
	if shown.Note != "" {
		line += "；说明：" + shown.Note
	}
	return line, nil
}

// ask keeps an ambiguous report for "确认" and asks about it.
func (rp *reporter) ask(ctx context.Context, m *Message, rep progress.Report, targets []progress.Target) (handlers.Reply, error) {
	var labels []string
	for _, t := range targets {
		labels = append(labels, progress.Label(t.Record.Table, t.Record.No))
	}
	what := strings.Join(labels, "、") + string(rep.State)
	if rp.pending == nil {
		return reply(fmt.Sprintf("没有看懂这条报告：是要报告%s吗？请写明，例如“%d号已完成”。未作记录。", what, rep.Nos[0])), nil
	}
	// Scope the confirmed report to the tables just resolved, so "确认"
	// records exactly what was asked about.
	rep.Ambiguous, rep.Why = false, ""
	if len(targets) > 0 {
		rep.Table, rep.Scoped = targets[0].Record.Table, true
	}
	b, err := json.Marshal(rep)
	if err == nil {
		err = rp.pending.Put(ctx, pendingKey(m), b, PendingTTL)
	}
	if err != nil {
		loggerFrom(ctx).Warn("save pending report failed", "err", err)
		return reply(fmt.Sprintf("没有看懂这条报告：是要报告%s吗？请写明，例如“%d号已完成”。未作记录。", what, rep.Nos[0])), nil
	}
	return reply(fmt.Sprintf("请确认：是要报告%s吗？回复“确认”记录，回复“取消”不记录。", what)), nil
}

// answerPending handles "确认"/"取消" after a question from ask. It reports
// false when nothing is pending, so the message goes on as a question.
func (rp *reporter) answerPending(ctx context.Context, m *Message, confirm bool) (handlers.Reply, bool, error) {
	key := pendingKey(m)
	b, ok, err := rp.pending.Get(ctx, key)
	if err != nil {
		loggerFrom(ctx).Warn("load pending report failed", "err", err)
		return handlers.Reply{}, false, nil
	}
	if !ok || len(b) == 0 {
		return handlers.Reply{}, false, nil
	}
	// Conversations has no delete: an empty value that expires at once
	// stands for none.
	if err := rp.pending.Put(ctx, key, []byte{}, time.Second); err != nil {
		loggerFrom(ctx).Warn("clear pending report failed", "err", err)
	}
	if !confirm {
		return reply("已取消，未作记录。"), true, nil
	}
	var rep progress.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return reply("待确认的报告已失效，请重新发送，例如“76号已完成”。"), true, nil
	}
	r, err := rp.handle(ctx, m, rep)
	return r, true, err
}
