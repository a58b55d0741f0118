package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"duban/kb"
)

// tasks answers questions that name task numbers.
func (h *Handler) tasks(q *query) Reply {
	t := q.table
	if !q.scoped && q.fields&fProgress != 0 {
		if p, ok := h.progressTable(); ok {
			t = p // only a progress list records progress
		}
	}
	f := q.fields
	// 南通第13项万人发明专利拥有量现在多少: a figure asked of a task whose
	// document records progress is answered from that progress
	if p, ok := h.progressTable(); ok && t == p && (q.f.Figure || len(q.f.Topic) > 0) {
		f |= fProgress
	}
	var found []kb.Record
	var missing []int
	for _, no := range q.nos {
		if r, ok := h.b.Task(t, no); ok {
			found = append(found, r)
		} else {
			missing = append(missing, no)
		}
	}
	if len(found) == 0 {
		return h.taskNotFound(q, t, missing)
	}
	var rep Reply
	if len(found) == 1 && f&fRole != 0 && len(q.units) > 0 {
		rep = h.roleReply(q, found[0])
	} else if len(found) == 1 {
		rep = h.recordReply(q, found[0], f)
	} else {
		rep = Reply{Intent: IntentTask}
		ff := f
		if ff == 0 {
			ff = fLeader | fUnit | fDeadline
		}
		sep := "；"
		if q.en {
			sep = "; "
		}
		for _, r := range found {
			line := h.lightMark(&r, q.now) + h.tableLabel(r.Table, r.No, q.en) + "：" + strings.Join(h.recordParts(r, ff, q.en), sep)
			if ff&fProgress != 0 && r.Progress != "" {
				line += "；进展：" + cut(r.Progress, 150)
			}
			line += h.statusSuffix(r)
			rep.Lines = append(rep.Lines, line)
			if note := inheritedNote(r, ff, q.en); note != "" {
				rep.Lines = append(rep.Lines, "  "+note)
			}
			rep.Sources = append(rep.Sources, r.Source)
		}
		rep.Head = fmt.Sprintf("共%d项：", len(found))
		if q.en {
			rep.Head = fmt.Sprintf("%d tasks:", len(found))
		}
		rep.Cite = h.cite(found, q.en)
		nos := make([]int, len(found))
		for i, r := range found {
			nos[i] = r.No
		}
		rep.Turn = &Turn{Table: t, Nos: nos, Intent: IntentTask}
	}
	for _, no := range missing {
		rep.Lines = append(rep.Lines, h.missingLine(t, no, q.en))
	}
	if !q.scoped && len(found) == 1 {
		if other := h.sameNumberElsewhere(t, found[0].No, q.en); other != "" {
			rep.Lines = append(rep.Lines, other)
		}
	}
	return rep
}

// sameNumberElsewhere notes that other tables have the same number, since
// "第12项" alone was read in the first table.
func (h *Handler) sameNumberElsewhere(t kb.Table, no int, en bool) string {
	var others []string
	for _, x := range h.tables {
		if x.ID == t || h.kindOf(x.ID) == kb.KindMeasures {
			continue
		}
		if _, ok := h.b.Task(x.ID, no); ok {
			if en {
				others = append(others, fmt.Sprintf("\"%s %d\"", strings.ToLower(h.labelEn(x.ID)), no))
			} else {
				others = append(others, fmt.Sprintf("%s（问“%s第%d项”）", h.label(x.ID), h.label(x.ID), no))
			}
		}
	}
	if len(others) == 0 {
		return ""
	}
	if en {
		return fmt.Sprintf("Answered from %s; other tables also have a No. %d (ask %s).", h.tableName(t), no, strings.Join(others, " or "))
	}
	return "按" + h.label(t) + "解答；" + strings.Join(others, "、") + "也有第" + strconv.Itoa(no) + "项。"
}

// progressTable is the first table that records progress, if any.
func (h *Handler) progressTable() (kb.Table, bool) {
	for _, x := range h.tables {
		if x.Kind == kb.KindProgressList && h.b.Count(x.ID) > 0 {
			return x.ID, true
		}
	}
	return "", false
}

func (h *Handler) missingLine(t kb.Table, no int, en bool) string {
	n := h.b.Count(t)
	if en {
		return fmt.Sprintf("Task %d not found: %s has only %d items.", no, h.tableName(t), n)
	}
	return fmt.Sprintf("未找到%s：%s共%d项。", h.tableLabel(t, no, false), h.tableName(t), n)
}

func (h *Handler) taskNotFound(q *query, t kb.Table, nos []int) Reply {
	rep := Reply{Intent: IntentNotFound, NotFound: true}
	for _, no := range nos {
		line := h.missingLine(t, no, q.en)
		if rep.Head == "" {
			rep.Head = line
		} else {
			rep.Lines = append(rep.Lines, line)
		}
	}
	var elsewhere []string
	for _, x := range h.tables {
		other := x.ID
		if other == t || h.kindOf(other) == kb.KindMeasures {
			continue
		}
		for _, no := range nos {
			if _, ok := h.b.Task(other, no); ok {
				elsewhere = append(elsewhere, h.tableLabel(other, no, false))
			}
		}
	}
	if len(elsewhere) > 0 {
		rep.Lines = append(rep.Lines, "文件中有"+join(elsewhere)+"，可指明表名再问。")
	}
	return rep
}

// roleReply answers "实事第12项中卫健委是什么角色": the named unit's part
// in the task, as the table assigns it.
func (h *Handler) roleReply(q *query, r kb.Record) Reply {
	var lines []string
	for _, u := range q.units {
		switch {
		case hasName(r.LeadUnits, u):
			lines = append(lines, u+"是牵头单位。")
		case hasName(r.CoUnits, u) && h.kindOf(r.Table) == kb.KindMeasures:
			lines = append(lines, u+"按职责分工负责。")
		case hasName(r.CoUnits, u):
			lines = append(lines, u+"是协同（配合）单位。")
		case hasName(r.Implementers, u):
			lines = append(lines, u+"是落实单位。")
		default:
			lines = append(lines, u+"未列为该项的牵头或协同单位。")
		}
	}
	rep := Reply{Intent: IntentTask, Head: h.tableLabel(r.Table, r.No, q.en) + "：" + strings.Join(lines, ""), Sources: []kb.Source{r.Source}}
	rep.Lines = append(rep.Lines, "牵头单位："+join(r.LeadUnits))
	if len(r.CoUnits) > 0 {
		rep.Lines = append(rep.Lines, "协同单位："+join(r.CoUnits))
	}
	rep.Lines = append(rep.Lines, "任务："+cut(r.Text, h.cfg.TextLen))
	rep.Cite = h.cite([]kb.Record{r}, q.en)
	rep.Turn = &Turn{Table: r.Table, Nos: []int{r.No}, Intent: IntentTask}
	return rep
}
