package handlers

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"duban/kb"
)

// label is how officials name table t in an answer: the registry's
// label, else a name by the table's kind (重点工作, 为民办实事).
func (h *Handler) label(t kb.Table) string {
	info, _ := h.tableInfo(t)
	switch h.kindOf(t) {
	case kb.KindKeyTasks:
		return "重点工作"
	case kb.KindPeopleProjects:
		return "为民办实事"
	case kb.KindProgressList:
		p := info.Place
		if p == "" {
			p = placeOf(info.Title)
		}
		if info.Year > 0 {
			return fmt.Sprintf("%s%d年重点工作", p, info.Year)
		}
		return p + "重点工作"
	}
	if info.Label != "" {
		return info.Label
	}
	return "措施"
}

// labelEn is the English name of table t's kind.
func (h *Handler) labelEn(t kb.Table) string {
	switch h.kindOf(t) {
	case kb.KindKeyTasks:
		return "Key task"
	case kb.KindPeopleProjects:
		return "People's livelihood project"
	case kb.KindProgressList:
		return "Progress-list task"
	}
	return "Measure"
}

// tableLabel names a record the way officials say it: 重点工作第76项.
func (h *Handler) tableLabel(t kb.Table, no int, en bool) string {
	if en {
		return fmt.Sprintf("%s %d (%s第%d项)", h.labelEn(t), no, h.label(t), no)
	}
	return fmt.Sprintf("%s第%d项", h.label(t), no)
}

func (h *Handler) tableName(t kb.Table) string { return h.b.Title(t) }

// order is t's precedence among tables (the registry's order).
func (h *Handler) order(t kb.Table) int {
	for i, x := range h.tables {
		if x.ID == t {
			return i
		}
	}
	return len(h.tables)
}

// cite is the source line of an answer about records.
func (h *Handler) cite(recs []kb.Record, en bool) string {
	if len(recs) == 0 {
		return ""
	}
	var parts []string
	seen := map[string]bool{}
	for _, r := range recs {
		title := h.tableName(r.Table)
		if r.Source.Title != "" && h.kindOf(r.Table) != kb.KindMeasures {
			title = r.Source.Title
		}
		s := fmt.Sprintf("%s 第%d项（%s:%d）", title, r.No, r.Source.File, r.Source.Line)
		if len(recs) > 3 {
			s = fmt.Sprintf("%s（%s）", title, r.Source.File)
		}
		if !seen[s] {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	if en {
		return "Source: " + strings.Join(parts, "; ")
	}
	return "来源：" + strings.Join(parts, "；")
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

func join(xs []string) string { return strings.Join(xs, "、") }

// deadlineText says a deadline with its date: 8月底前（2020年8月31日）.
func deadlineText(r kb.Record, en bool) string {
	if r.DeadlineText == "" {
		if en {
			return "no deadline given"
		}
		return "未写明"
	}
	if r.Due == nil {
		if r.Unparsed {
			return r.DeadlineText + "（日期未能解析）"
		}
		return r.DeadlineText
	}
	if en {
		return fmt.Sprintf("%s (%s)", r.DeadlineText, r.Due.ISO())
	}
	return fmt.Sprintf("%s（%d年%d月%d日）", r.DeadlineText, r.Due.Year(), int(r.Due.Month()), r.Due.Day())
}

// recordParts renders the asked fields of r as "label value" parts.
func (h *Handler) recordParts(r kb.Record, f field, en bool) []string {
	var parts []string
	add := func(zh, enl, v string) {
		if en {
			parts = append(parts, enl+": "+v)
		} else {
			parts = append(parts, zh+"："+v)
		}
	}
	none := "无"
	if en {
		none = "none"
	}
	orNone := func(xs []string) string {
		if len(xs) == 0 {
			return none
		}
		return join(xs)
	}
	kind := h.kindOf(r.Table)
	if f&fLeader != 0 && (len(r.LeadLeaders) > 0 || kind == kb.KindKeyTasks || kind == kb.KindPeopleProjects) {
		add("牵头领导", "lead leader", orNone(r.LeadLeaders))
	}
	if f&(fUnit|fLeader) != 0 && (f&fUnit != 0 || len(r.LeadLeaders) == 0) {
		if len(r.LeadUnits) == 0 && kind == kb.KindProgressList {
			// The 2019 list names no units: 市政府分管领导牵头负责 overall.
			add("牵头单位", "lead unit", map[bool]string{true: "not named in this document", false: "文件未列明（总体由市政府分管领导牵头负责）"}[en])
		} else {
			add("牵头单位", "lead unit", orNone(r.LeadUnits))
		}
	}
	if kind == kb.KindMeasures && f&(fUnit|fCo) != 0 && len(r.CoUnits) > 0 {
		// a measure's other units are 按职责分工负责, not co-units of a lead
		add("按职责分工负责", "responsible within their duties", join(r.CoUnits))
	} else if f&fCo != 0 {
		if len(r.CoUnits) == 0 && kind == kb.KindProgressList {
			// the list has no co-unit column: not "none", just not said
			add("协同单位", "co-units", lbl(en, "文件未列明", "not named in this document"))
		} else {
			add("协同单位", "co-units", orNone(r.CoUnits))
		}
		if len(r.Implementers) > 0 {
			add("落实单位", "implemented by", join(r.Implementers))
		}
	}
	if f&fDeadline != 0 {
		add("完成时限", "due", deadlineText(r, en))
	}
	return parts
}

// recordReply answers fields f of one record.
func (h *Handler) recordReply(q *query, r kb.Record, f field) Reply {
	en := q.en
	whole := f == 0
	if whole {
		f = fLeader | fUnit | fCo | fDeadline
	}
	parts := h.recordParts(r, f, en)
	sep := "；"
	if en {
		sep = "; "
	}
	rep := Reply{Intent: IntentTask, Sources: []kb.Source{r.Source}}
	label := h.tableLabel(r.Table, r.No, en)
	if len(parts) > 0 {
		rep.Head = label + map[bool]string{true: ": ", false: "："}[en] + strings.Join(parts, sep)
	} else {
		rep.Head = label
	}
	if f&fProgress != 0 {
		if r.Progress != "" {
			rep.Lines = append(rep.Lines, lbl(en, "进展情况：", "Progress: ")+cut(r.Progress, 400))
		} else if h.reported(r) {
			// the 状态 line below carries the reported progress
		} else if en {
			rep.Lines = append(rep.Lines, "The document records no progress for this task.")
		} else {
			rep.Lines = append(rep.Lines, "该表没有记录进展情况。")
		}
	}
	if f&fText != 0 || whole {
		rep.Lines = append(rep.Lines, lbl(en, "任务内容：", "Task: ")+cut(r.Text, 300))
	} else {
		rep.Lines = append(rep.Lines, lbl(en, "任务：", "Task: ")+cut(r.Text, h.cfg.TextLen))
	}
	if len(r.Targets) > 0 && (whole || f&fText != 0) {
		for _, t := range r.Targets {
			rep.Lines = append(rep.Lines, fmt.Sprintf("目标（%d年）：%s", t.Year, cut(t.Text, 120)))
		}
	}
	if note := inheritedNote(r, f, en); note != "" {
		rep.Lines = append(rep.Lines, note)
	}
	if line := h.statusLine(r, q.now); line != "" {
		rep.Lines = append(rep.Lines, line)
	}
	rep.Cite = h.cite([]kb.Record{r}, en)
	rep.Turn = &Turn{Table: r.Table, Nos: []int{r.No}, Intent: IntentTask}
	return rep
}

// inheritedNote says plainly when an answered value comes from a merged
// cell above: the text export shows it empty, so an official checking the
// table by eye would otherwise think the answer invented.
func inheritedNote(r kb.Record, f field, en bool) string {
	var which []string
	if f&fLeader != 0 && r.IsInherited(kb.FieldLeadLeaders) {
		which = append(which, "牵头领导")
	}
	if f&(fUnit|fLeader) != 0 && r.IsInherited(kb.FieldLeadUnits) {
		which = append(which, "牵头单位")
	}
	if f&fDeadline != 0 && r.IsInherited(kb.FieldDeadlineText) {
		which = append(which, "完成时限")
	}
	if len(which) == 0 {
		return ""
	}
	if en {
		return "Note: " + join(which) + " comes from a merged cell shared with the row above."
	}
	return "注：" + join(which) + "在原表中与上一项合并单元格，沿用上一项的值。"
}

// lbl picks the Chinese or English form of a line's label.
func lbl(en bool, zh, eng string) string {
	if en {
		return eng
	}
	return zh
}

// tableLabel and tableName serve Digest, which has no Handler: labels by
// the table's kind, titles from kb's names of the tables.
func tableLabel(t kb.Table, no int, en bool) string { return (&Handler{}).tableLabel(t, no, en) }

func tableName(t kb.Table) string {
	if s, ok := kb.TableTitle[t]; ok {
		return s
	}
	return string(t)
}
