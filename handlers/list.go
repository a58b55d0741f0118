package handlers

import (
	"fmt"
	"sort"
	"strings"

	"duban/kb"
)

// listReply renders records as a counted, paged list. title says what the
// list is ("水利局牵头的重点工作"); the first line counts it.
func (h *Handler) listReply(q *query, intent, title string, recs []kb.Record, turn Turn) Reply {
	rep := Reply{Intent: intent}
	if intent != IntentDue {
		h.sortByTable(recs)
	}
	total := len(recs)
	if q.en {
		rep.Head = fmt.Sprintf("%s: %d", title, total)
	} else {
		rep.Head = fmt.Sprintf("%s共%d项：", title, total)
	}
	start := q.offset
	if start > total {
		start = total
	}
	end := min(start+h.cfg.PageSize, total)
	multi := false
	for _, r := range recs {
		if r.Table != recs[0].Table {
			multi = true
			break
		}
	}
	for _, r := range recs[start:end] {
		label := fmt.Sprintf("第%d项", r.No)
		if multi || h.kindOf(r.Table) != kb.KindKeyTasks {
			label = h.tableLabel(r.Table, r.No, false)
		}
		extra := []string{}
		if len(r.LeadLeaders) > 0 {
			extra = append(extra, join(r.LeadLeaders))
		}
		if len(r.LeadUnits) > 0 {
			extra = append(extra, join(r.LeadUnits))
		}
		if r.DeadlineText != "" {
			d := listDeadline(r)
			if note := extensionNote(r.Due, h.dueNow(&r)); note != "" {
				d += "，" + note
			}
			extra = append(extra, d)
		}
		rep.Lines = append(rep.Lines, h.lightMark(&r, q.now)+fmt.Sprintf("%s %s（%s）", label, cut(r.Text, 28), strings.Join(extra, "，"))+h.statusSuffix(r))
		rep.Sources = append(rep.Sources, r.Source)
	}
	if end < total {
		if q.en {
			rep.More = fmt.Sprintf("%d more; reply \"more\" to see them.", total-end)
		} else {
			rep.More = fmt.Sprintf("还有%d项未列出，回复“更多”查看。", total-end)
		}
	}
	rep.Cite = h.cite(recs, q.en)
	turn.Intent = intent
	turn.Offset = end
	turn.Query = q.raw
	rep.Turn = &turn
	return rep
}

// more shows the next page of the last list.
func (h *Handler) more(q *query) Reply {
	if q.prev == nil || q.prev.Query == "" {
		return Reply{Intent: IntentMore, Head: "没有可以继续的列表。请先问一个问题，例如“交通局牵头哪些任务”。"}
	}
	nq := h.parse(q.ctx, Question{Text: q.prev.Query, Now: q.now})
	nq.offset = q.prev.Offset
	r, _ := h.route(nq)
	if nq.offset >= 0 && len(r.Lines) == 0 {
		r.Head = "列表已全部列出。"
	}
	return r
}

// filterScope keeps the records of the question's table when it names one.
func filterScope(q *query, recs []kb.Record) []kb.Record {
	if !q.scoped && len(q.tables) == 0 {
		return recs
	}
	var out []kb.Record
	for _, r := range recs {
		if q.scoped && r.Table == q.table || !q.scoped && hasTable(q.tables, r.Table) {
			out = append(out, r)
		}
	}
	return out
}

func hasTable(ts []kb.Table, t kb.Table) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func (h *Handler) scopeTitle(q *query) string {
	if !q.scoped {
		return "任务"
	}
	return h.label(q.table)
}

// unitTasks answers "交通局牵头哪些任务", "住建局配合哪些".
func (h *Handler) unitTasks(q *query) (Reply, bool) {
	units := q.units
	if len(units) == 0 {
		return Reply{}, false
	}
	co := q.f.hasRole("co", "assist") || q.fields&fCo != 0
	var recs []kb.Record
	if q.f.Joint && len(units) > 1 {
		recs = h.jointly(units, !co)
	} else {
		for _, u := range units {
			recs = append(recs, h.b.ByUnit(u, !co)...)
		}
	}
	recs = h.filterSection(q, filterScope(q, recs))
	role := "牵头"
	if co {
		role = "协同"
	}
	title := fmt.Sprintf("%s%s的%s", join(units), role, h.scopeTitle(q))
	if q.f.Joint && len(units) > 1 {
		title = fmt.Sprintf("%s共同%s的%s", join(units), role, h.scopeTitle(q))
	}
	if len(recs) == 0 {
		rep := Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("未找到%s。", title)}
		if other := h.b.ByUnit(units[0], co); len(other) > 0 {
			alt := "协同"
			if co {
				alt = "牵头"
			}
			rep.Lines = append(rep.Lines, fmt.Sprintf("%s作为%s单位的任务有%d项，可问“%s%s哪些任务”。", units[0], alt, len(other), units[0], alt))
		}
		return rep, true
	}
	return h.listReply(q, IntentUnitTasks, title, recs, Turn{Unit: units[0]}), true
}

// leaderTasks answers "胡文瑞牵头哪些重点任务".
func (h *Handler) leaderTasks(q *query, person string) Reply {
	recs := h.filterSection(q, filterScope(q, h.b.ByLeader(person)))
	title := fmt.Sprintf("%s牵头的%s", person, h.scopeTitle(q))
	// A和B共同牵头: the tasks every named leader leads
	if len(q.persons) > 1 && (q.f.Joint || strings.Contains(q.f.Text, "和") || strings.Contains(q.f.Text, "与")) {
		var keep []kb.Record
		for _, r := range recs {
			all := true
			for _, p := range q.persons[1:] {
				all = all && hasName(r.LeadLeaders, p)
			}
			if all {
				keep = append(keep, r)
			}
		}
		recs = keep
		title = fmt.Sprintf("%s共同牵头的%s", join(q.persons), h.scopeTitle(q))
	}
	if len(recs) == 0 {
		return Reply{Intent: IntentNotFound, NotFound: true, Head: fmt.Sprintf("未找到%s。", title)}
	}
	return h.listReply(q, IntentLeaderTask, title, recs, Turn{Leader: person})
}

// count answers "重点工作一共多少项".
func (h *Handler) count(q *query) Reply {
	if q.f.hasTable("indicator", "box") || q.f.Attr != "" {
		if r, ok := h.countPlan(q); ok {
			return r
		}
	}
	rep := Reply{Intent: IntentCount}
	var tables []kb.Table
	for _, t := range h.tables {
		tables = append(tables, t.ID)
	}
	if q.scoped {
		tables = []kb.Table{q.table}
	}
	if len(q.f.Sections) > 0 {
		return h.countSection(q, tables)
	}
	for _, t := range tables {
		n := h.b.Count(t)
		if n == 0 {
			continue
		}
		sections := map[string]bool{}
		var recs []kb.Record
		for _, r := range h.b.Records() {
			if r.Table == t {
				sections[r.Section] = true
				recs = append(recs, r)
			}
		}
		line := fmt.Sprintf("%s共%d项", h.tableName(t), n)
		if len(sections) > 1 {
			line += fmt.Sprintf("，分%d个方面", len(sections))
		}
		rep.Lines = append(rep.Lines, line+"。")
		if len(recs) > 0 {
			rep.Sources = append(rep.Sources, recs[0].Source)
		}
	}
	if len(rep.Lines) == 1 {
		rep.Head, rep.Lines = rep.Lines[0], nil
	} else {
		rep.Head = "已载入的任务表："
	}
	return rep
}

func (h *Handler) sortByTable(recs []kb.Record) {
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := h.order(recs[i].Table), h.order(recs[j].Table)
		if a != b {
			return a < b
		}
		return recs[i].No < recs[j].No
	})
}

// listDeadline is a list item's deadline; a relative one (今年底 in a 2019
// document) carries its resolved date, as reminders do.
func listDeadline(r kb.Record) string {
	if r.Due != nil && containsAny(r.DeadlineText, "今年", "明年", "本年", "年底", "年内", "年末") {
		return fmt.Sprintf("%s（%d年%d月%d日）", r.DeadlineText, r.Due.Year(), int(r.Due.Month()), r.Due.Day())
	}
	return r.DeadlineText
}
