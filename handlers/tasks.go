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
	if !q.scoped && q.fields&fProgress != 0 && h.b.Count(kb.Nantong2019) > 0 {
		t = kb.Nantong2019 // only the 2019 list records progress
	}
	f := q.fields
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
	if len(found) == 1 {
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
			line := tableLabel(r.Table, r.No, q.en) + "：" + strings.Join(h.recordParts(r, ff, q.en), sep)
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
		rep.Cite = cite(found, q.en)
		nos := make([]int, len(found))
		for i, r := range found {
			nos[i] = r.No
		}
		rep.Turn = &Turn{Table: t, Nos: nos, Intent: IntentTask}
	}
	for _, no := range missing {
		rep.Lines = append(rep.Lines, h.missingLine(t, no, q.en))
	}
	if !q.scoped && t == kb.KeyTasks && len(found) == 1 {
		if other := h.sameNumberElsewhere(found[0].No, q.en); other != "" {
			rep.Lines = append(rep.Lines, other)
		}
	}
	return rep
}

// sameNumberElsewhere notes that another table has the same number, since
// "第12项" alone was read as a key task.
func (h *Handler) sameNumberElsewhere(no int, en bool) string {
	if en {
		var asks []string
		if _, ok := h.b.Task(kb.PeopleProjects, no); ok {
			asks = append(asks, fmt.Sprintf("\"people's livelihood project %d\"", no))
		}
		if _, ok := h.b.Task(kb.Nantong2019, no); ok {
			asks = append(asks, fmt.Sprintf("\"Nantong task %d\"", no))
		}
		if len(asks) == 0 {
			return ""
		}
		return fmt.Sprintf("Answered from the key tasks; other tables also have a No. %d (ask %s).", no, strings.Join(asks, " or "))
	}
	var others []string
	if _, ok := h.b.Task(kb.PeopleProjects, no); ok {
		others = append(others, "为民办实事（问“实事第"+strconv.Itoa(no)+"项”）")
	}
	if _, ok := h.b.Task(kb.Nantong2019, no); ok {
		others = append(others, "南通2019年任务（问“南通第"+strconv.Itoa(no)+"项”）")
	}
	if len(others) == 0 {
		return ""
	}
	return "按重点工作任务解答；" + strings.Join(others, "、") + "也有第" + strconv.Itoa(no) + "项。"
}

func (h *Handler) missingLine(t kb.Table, no int, en bool) string {
	n := h.b.Count(t)
	if en {
		return fmt.Sprintf("Task %d not found: %s has only %d items.", no, tableName(t), n)
	}
	return fmt.Sprintf("未找到%s：%s共%d项。", tableLabel(t, no, false), tableName(t), n)
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
	for _, other := range []kb.Table{kb.KeyTasks, kb.PeopleProjects, kb.Nantong2019} {
		if other == t {
			continue
		}
		for _, no := range nos {
			if _, ok := h.b.Task(other, no); ok {
				elsewhere = append(elsewhere, tableLabel(other, no, false))
			}
		}
	}
	if len(elsewhere) > 0 {
		rep.Lines = append(rep.Lines, "文件中有"+join(elsewhere)+"，可指明表名再问。")
	}
	return rep
}
