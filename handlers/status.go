package handlers

import (
	"fmt"
	"strings"
	"time"

	"duban/kb"
)

// Intents of the status questions.
const (
	IntentUnfinished = "unfinished" // 住建局还有哪些没完成
	IntentFinished   = "finished"   // 住建局完成了哪些
	IntentProgress   = "progress"   // 周国强牵头的任务进度
)

// status returns the reported status of r when the handler has a Status
// hook and the task has a report in force.
func (h *Handler) status(r kb.Record) (kb.Status, bool) {
	if h.cfg.Status == nil {
		return kb.Status{}, false
	}
	return h.cfg.Status(r.Table, r.No)
}

// finished reports whether r has been reported done.
func (h *Handler) finished(r kb.Record) bool {
	s, ok := h.status(r)
	return ok && s.Finished()
}

// supervised reports whether units report on r's table: the current plan's
// tables, whose lead units are named. Older documents (南通2019) record
// their own progress and are not reported on.
func (h *Handler) supervised(t kb.Table) bool {
	return h.kindOf(t) != kb.KindProgressList
}

// statusText is 已完成（住建局 9月3日报告）：note, or 未开始（尚无进展报告）.
func statusText(s kb.Status, ok bool) string {
	if !ok {
		return string(unreported) + "（尚无进展报告）"
	}
	out := s.Label()
	if by := s.Byline(); by != "" {
		out += "（" + by + byVerb(s) + "）"
	}
	if s.Note != "" {
		out += "：" + cut(s.Note, 120)
	}
	return out
}

// statusLine is the 状态 line of a task answer at now, "" when the handler
// has no Status hook or the table is not reported on. An unfinished task
// past the date it is due now says by how many days.
func (h *Handler) statusLine(r kb.Record, now time.Time) string {
	if h.cfg.Status == nil || !h.supervised(r.Table) {
		return ""
	}
	s, ok := h.status(r)
	line := "状态：" + statusText(s, ok)
	if note := extensionNote(r.Due, h.dueNow(&r)); note != "" {
		line += "；" + note
	}
	if !s.Finished() {
		if left := daysLeftTo(h.dueNow(&r), dayOf(now)); left < 0 {
			line += fmt.Sprintf("；逾期%d天", -left)
		}
	}
	return line + h.standing(&r)
}

// statusSuffix is appended to a list line of a reported task:
// "；已完成（住建局 9月3日报告）". Unreported tasks get nothing, so lists
// stay as they were until units report.
func (h *Handler) statusSuffix(r kb.Record) string {
	s, ok := h.status(r)
	if !ok {
		return ""
	}
	out := "；" + s.Label()
	if by := s.Byline(); by != "" {
		out += "（" + by + byVerb(s) + "）"
	}
	return out
}

// reported reports whether r has a report in force, so an answer about
// its progress need not say the document records none.
func (h *Handler) reported(r kb.Record) bool {
	_, ok := h.status(r)
	return ok
}

// statusAnswers answers the questions that only statuses can: a unit's
// unfinished or finished tasks, and a leader's or unit's tasks by status.
// Without a Status hook it answers nothing, and the question goes on to
// the other intents.
func (h *Handler) statusAnswers(q *query) (Reply, bool) {
	f := q.f
	if h.cfg.Status == nil || len(q.nos) > 0 {
		return Reply{}, false
	}
	switch {
	case f.hasStatus("unfinished") && (len(q.units) > 0 || len(q.persons) > 0):
		return h.byStatus(q, false), true
	case f.hasStatus("finished") && !f.hasStatus("unfinished") && f.List:
		return h.byStatus(q, true), true
	case q.fields&fProgress != 0 && (len(q.units) > 0 || len(q.persons) > 0):
		return h.progressReport(q), true
	}
	return Reply{}, false
}

// subject returns the tasks a status question is about: the named leader's,
// else the named unit's (as lead), else every supervised task; only the
// overdue ones when it says 逾期. who names the leader or unit ("" for
// all).
func (h *Handler) subject(q *query) (recs []kb.Record, who string, overdue bool, turn Turn) {
	switch {
	case len(q.persons) > 0:
		who = q.persons[0]
		recs = h.b.ByLeader(who)
		turn.Leader = who
	case len(q.units) > 0:
		who = q.units[0]
		recs = h.b.ByUnit(who, true)
		turn.Unit = who
	default:
		for _, r := range h.b.Records() {
			if h.supervised(r.Table) {
				recs = append(recs, r)
			}
		}
	}
	recs = filterScope(q, recs)
	if q.f.hasStatus("overdue") {
		overdue = true
		today := dayOf(q.now)
		var keep []kb.Record
		for _, r := range recs {
			if d := h.dueNow(&r); d != nil && d.Before(today) {
				keep = append(keep, r)
			}
		}
		recs = keep
	}
	return recs, who, overdue, turn
}

// byStatus lists the subject's tasks that are (done) or are not finished:
// 住建局牵头、尚未完成的任务.
func (h *Handler) byStatus(q *query, done bool) Reply {
	recs, who, overdue, turn := h.subject(q)
	var keep []kb.Record
	for _, r := range recs {
		if h.finished(r) == done {
			keep = append(keep, r)
		}
	}
	intent, what := IntentUnfinished, "尚未完成"
	if done {
		intent, what = IntentFinished, "已报告完成"
	}
	title := ""
	if who != "" {
		title = who + "牵头、"
	}
	if overdue {
		title += "已逾期、"
	}
	title += what + "的" + h.scopeTitle(q)
	if len(keep) == 0 {
		if len(recs) == 0 {
			return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("未找到%s牵头的%s。", who, h.scopeTitle(q))}
		}
		return Reply{Intent: intent, Head: fmt.Sprintf("没有%s。", title),
			Lines: []string{fmt.Sprintf("共%d项：%s。", len(recs), countStates(h, recs))}}
	}
	return h.listReply(q, intent, title, keep, turn)
}

// stateOrder is the order a progress report groups tasks in: what needs
// attention first.
var stateOrder = []kb.State{kb.Extension, kb.ExtensionRejected, kb.Returned, kb.NotStarted, unreported, kb.InProgress, kb.ExtensionApproved, kb.Claimed, kb.Done, kb.Closed}

// unreported is a task no unit has reported on: nobody said it has not
// started, so the answer does not say so either.
const unreported kb.State = "未报告"

// countStates is "已完成3项，推进中2项，未开始7项".
func countStates(h *Handler, recs []kb.Record) string {
	n := map[kb.State]int{}
	for _, r := range recs {
		s, ok := h.status(r)
		if !ok {
			s.State = unreported
		}
		n[s.State]++
	}
	var parts []string
	for _, st := range append(kb.States[:len(kb.States):len(kb.States)], unreported) {
		if n[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s%d项", st, n[st]))
		}
	}
	return strings.Join(parts, "，")
}

// progressReport answers "周国强牵头的任务进度": every task of the subject
// with its status, grouped by status, paged like other lists.
func (h *Handler) progressReport(q *query) Reply {
	recs, who, overdue, turn := h.subject(q)
	title := who + "牵头的"
	if overdue {
		title += "已逾期"
	}
	title += h.scopeTitle(q) + "进度"
	if len(recs) == 0 {
		return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("未找到%s牵头的%s。", who, h.scopeTitle(q))}
	}
	h.sortByTable(recs)
	var lines []string
	var srcs []kb.Source
	for _, st := range stateOrder {
		for _, r := range recs {
			s, ok := h.status(r)
			if !ok {
				s.State = unreported
			}
			if s.State != st {
				continue
			}
			lines = append(lines, h.progressLine(q.now, r, s, ok))
			srcs = append(srcs, r.Source)
		}
	}
	rep := Reply{Intent: IntentProgress, Head: fmt.Sprintf("%s：共%d项，%s。", title, len(recs), countStates(h, recs))}
	start := min(q.offset, len(lines))
	end := min(start+h.cfg.PageSize, len(lines))
	rep.Lines = lines[start:end]
	rep.Sources = srcs[start:end]
	if end < len(lines) {
		rep.More = fmt.Sprintf("还有%d项未列出，回复“更多”查看。", len(lines)-end)
	}
	rep.Cite = h.cite(recs, false)
	turn.Intent, turn.Offset, turn.Query = IntentProgress, end, q.raw
	rep.Turn = &turn
	return rep
}

// progressLine is "【已完成】重点工作第76项 text（住建局 9月3日报告：note）",
// with the days overdue for an unfinished task past its date.
func (h *Handler) progressLine(now time.Time, r kb.Record, s kb.Status, ok bool) string {
	tag := s.Label()
	if !s.Finished() {
		if left := daysLeftTo(h.dueNow(&r), dayOf(now)); left < 0 {
			tag += fmt.Sprintf("·逾期%d天", -left)
		}
	}
	note := extensionNote(r.Due, h.dueNow(&r))
	line := h.lightMark(&r, now) + fmt.Sprintf("【%s】%s %s", tag, h.tableLabel(r.Table, r.No, false), cut(r.Text, 28))
	if ok {
		detail := s.Byline() + byVerb(s)
		if s.Note != "" {
			detail += "：" + cut(s.Note, 60)
		}
		if note != "" {
			detail += "；" + note
		}
		line += "（" + detail + "）"
	} else if r.DeadlineText != "" {
		line += "（时限：" + noSpace(r.DeadlineText) + "）"
	}
	return line
}

// dropFinished removes tasks reported done from an overdue list and says
// how many it removed and whether it filtered at all; other lists, and
// every list without a Status hook, are returned as they are.
func (h *Handler) dropFinished(q *query, recs []kb.Record) ([]kb.Record, int, bool) {
	if h.cfg.Status == nil || !q.f.hasStatus("overdue") {
		return recs, 0, false
	}
	var keep []kb.Record
	for _, r := range recs {
		if !h.finished(r) {
			keep = append(keep, r)
		}
	}
	return keep, len(recs) - len(keep), true
}
