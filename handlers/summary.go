package handlers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"duban/kb"
)

// IntentLeaderSummary is the Reply.Intent of a weekly leader summary.
const IntentLeaderSummary = "leader_summary"

// A SummaryItem is one task of a leader summary with its status in force;
// Reported is false when nobody has reported (the task counts as 未开始).
type SummaryItem struct {
	Record   *kb.Record
	Status   kb.Status
	Reported bool
	// Due is the date the task is due now (progress.EffectiveDue: an
	// approved extension's); nil: Record.Due. Days overdue count from it
	// and the line shows both dates when they differ.
	Due *kb.Date
}

// due is the date it is due now.
func (it SummaryItem) due() *kb.Date {
	if it.Due != nil {
		return it.Due
	}
	return it.Record.Due
}

// summaryOrder groups a summary: what needs the leader's attention first.
var summaryOrder = []kb.State{kb.Extension, kb.NotStarted, kb.InProgress, kb.Done}

// LeaderSummary renders a leader's weekly summary at now (督办周报): a head
// line with the counts by status and how many are overdue, then one line
// per task, grouped by status, each with its days overdue when unfinished
// past its date and its latest report. A status outside the four groups
// (a review state) is shown with the group it reads as, in its own order
// after them.
func LeaderSummary(leader string, items []SummaryItem, now time.Time, tables []kb.TableInfo) Reply {
	today := dayOf(now)
	head := fmt.Sprintf("督办周报（%s牵头任务，%d年%d月%d日）：", leader, today.Year(), int(today.Month()), today.Day())
	if len(items) == 0 {
		return Reply{Intent: IntentLeaderSummary, Head: head + "没有找到牵头任务。"}
	}
	lh := &Handler{tables: tables}
	order := append([]kb.State(nil), summaryOrder...)
	for _, it := range items {
		if st := summaryState(it); !containsState(order, st) {
			order = append(order, st)
		}
	}
	count := map[kb.State]int{}
	overdue := 0
	var lines []string
	var srcs []kb.Source
	var recs []*kb.Record
	for _, st := range order {
		for _, it := range items {
			if summaryState(it) != st {
				continue
			}
			r := it.Record
			count[st]++
			left := daysLeftTo(it.due(), today)
			late := it.due() != nil && !it.Status.Finished() && left < 0
			if late {
				overdue++
			}
			lines = append(lines, strconv.Itoa(len(lines)+1)+". "+lh.summaryLine(it, late, -left))
			srcs = append(srcs, r.Source)
			recs = append(recs, r)
		}
	}
	var parts []string
	for _, st := range append([]kb.State{kb.Done, kb.InProgress, kb.Extension, kb.NotStarted}, order[len(summaryOrder):]...) {
		if count[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s%d项", st, count[st]))
		}
	}
	head += fmt.Sprintf("共%d项，%s", len(items), strings.Join(parts, "，"))
	if overdue > 0 {
		head += fmt.Sprintf("；其中逾期未完成%d项", overdue)
	}
	return Reply{Intent: IntentLeaderSummary, Head: head + "。", Lines: lines, Sources: srcs, Cite: summaryCite(recs)}
}

func summaryState(it SummaryItem) kb.State {
	if !it.Reported || it.Status.State == "" {
		return kb.NotStarted
	}
	return it.Status.State
}

func containsState(xs []kb.State, x kb.State) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// summaryLine is "【推进中·逾期3天】重点工作第76项 text｜住建局｜时限：8月底前｜住建局 9月3日：note",
// with 时限：8月底前（原定8月31日，同意延期至10月31日） for an approved extension.
func (h *Handler) summaryLine(it SummaryItem, late bool, daysLate int) string {
	r := it.Record
	cur := it.Status
	tag := string(summaryState(it))
	if it.Reported {
		tag = cur.Label()
	}
	if late {
		tag += "·逾期" + strconv.Itoa(daysLate) + "天"
	}
	var b strings.Builder
	b.WriteString("【" + tag + "】")
	b.WriteString(h.tableLabel(r.Table, r.No, false))
	b.WriteString(" " + cutRunes(firstClause(r.Text), 30))
	if len(r.LeadUnits) > 0 {
		b.WriteString("｜" + join(r.LeadUnits))
	}
	if t := noSpace(r.DeadlineText); t != "" {
		b.WriteString("｜时限：" + t)
	}
	if note := extensionNote(r.Due, it.due()); note != "" {
		b.WriteString("（" + note + "）")
	}
	if it.Reported {
		b.WriteString("｜" + cur.Byline())
		if cur.Note != "" {
			b.WriteString("：" + cutRunes(noSpace(cur.Note), 60))
		}
	}
	return b.String()
}

// summaryCite names the documents the tasks come from, once each.
func summaryCite(recs []*kb.Record) string {
	var docs []string
	seen := map[string]bool{}
	for _, r := range recs {
		if f := r.Source.File; f != "" && !seen[f] {
			seen[f] = true
			docs = append(docs, f)
		}
	}
	if len(docs) == 0 {
		return ""
	}
	return "来源：" + strings.Join(docs, "；")
}
