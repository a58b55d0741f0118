package handlers

import (
	"strconv"
	"strings"
)

// The scores: how well a frame fits each intent. They are small sums of
// frame features; a feature that names the intent outright (a task
// reference, a person) weighs most.

func scoreHelp(h *Handler, q *query) float64 {
	f := q.f
	if strings.Trim(f.Text, "?!.。 ") == "" || f.Help && f.bare() && len(f.Fields) == 0 {
		return 1
	}
	return 0
}

func scoreMore(h *Handler, q *query) float64 {
	if q.f.More && q.f.bare() && len(q.f.Fields) == 0 {
		return 1
	}
	return 0
}

func scoreFollowUp(h *Handler, q *query) float64 {
	f := q.f
	if q.prev == nil || len(q.prev.Nos) == 0 || len(f.Refs) > 0 || len(f.Units) > 0 || len(f.Persons) > 0 {
		return 0
	}
	if q.fields == 0 || len(f.Topic) > 0 || len(f.Tables) > 0 || f.Window != nil {
		return 0
	}
	return 0.95
}

func scoreUnknown(h *Handler, q *query) float64 {
	if len(q.f.Unknown) > 0 && len(q.f.Refs) == 0 {
		return 0.97
	}
	return 0
}

func scoreTask(h *Handler, q *query) float64 {
	if len(q.f.Refs) == 0 || q.f.Refs[0].Scope == "indicator" || q.f.Refs[0].Scope == "box" {
		return 0
	}
	return 0.9
}

func scoreIndicatorNo(h *Handler, q *query) float64 {
	if len(q.f.Refs) > 0 && (q.f.Refs[0].Scope == "indicator" || q.f.Refs[0].Scope == "box") {
		return 0.95
	}
	return 0
}

func scoreCount(h *Handler, q *query) float64 {
	f := q.f
	if !f.Count || len(f.Refs) > 0 || len(f.Units) > 0 || len(f.Persons) > 0 || f.Window != nil {
		return 0
	}
	if f.hasTable("indicator", "box") || f.Attr != "" {
		return 0.8 // counts of indicators and 专栏
	}
	if len(f.Sections) > 0 {
		return 0.8
	}
	if len(f.Topic) > 0 {
		return 0 // "新增上市企业几家" asks a figure, not a table's size
	}
	return 0.8
}

func scoreStatus(h *Handler, q *query) float64 {
	f := q.f
	if h.cfg.Status == nil || len(f.Refs) > 0 {
		return 0
	}
	if f.hasStatus("unfinished") && (len(f.Units) > 0 || len(f.Persons) > 0) {
		return 0.88
	}
	if f.hasStatus("finished") && !f.hasStatus("unfinished") && f.List {
		return 0.88
	}
	if q.fields&fProgress != 0 && (len(f.Units) > 0 || len(f.Persons) > 0) {
		return 0.86
	}
	return 0
}

func scorePeople(h *Handler, q *query) float64 {
	f := q.f
	switch {
	case len(f.Persons) > 0:
		return 0.8
	case len(f.Units) > 0 && f.hasRole("oversee"):
		return 0.82
	case len(f.Towns) > 0 && f.hasRole("liaise"):
		return 0.82
	case f.hasRole("convener", "member"):
		return 0.6
	case f.hasRole("oversee") && q.fields&fWho != 0:
		return 0.6
	}
	return 0
}

func scoreDue(h *Handler, q *query) float64 {
	if q.f.Window == nil {
		return 0
	}
	return 0.85 // a window narrows a person's or a unit's list, so it ranks above them
}

func scoreUnitTasks(h *Handler, q *query) float64 {
	f := q.f
	if len(f.Units) == 0 {
		return 0
	}
	switch {
	case f.List || f.has(tagRole):
		return 0.7
	case (f.Count || f.has(tagGeneric) || len(f.Tables) > 0 || q.fields&fCo != 0) && len(f.Topic) == 0:
		return 0.6 // 住建局作为协同单位的实事项目
	}
	return 0.3
}

func scorePlan(h *Handler, q *query) float64 {
	f := q.f
	s := 0.0
	if len(f.Topic) > 0 {
		s += 0.3
	}
	if q.fields&fTarget != 0 || f.Attr != "" || f.hasTable("indicator", "box", "plan") || f.Plan > 0 {
		s += 0.3
	}
	if f.hasTable("box") {
		s += 0.2 // a 专栏 named outright
	}
	if len(f.Towns) > 0 {
		s += 0.1
	}
	return s
}

func scoreGoal(h *Handler, q *query) float64 {
	if q.fields&(fTarget|fText) != 0 && len(q.f.Topic) > 0 {
		return 0.45
	}
	return 0
}

func scoreKeyword(h *Handler, q *query) float64 {
	for _, t := range q.f.Topic {
		if len([]rune(t)) >= 2 {
			return 0.4 // one character alone is no topic
		}
	}
	return 0
}

func itoa(i int) string { return strconv.Itoa(i) }

func scoreDuty(h *Handler, q *query) float64 {
	f := q.f
	if len(f.Units) == 0 || len(f.Refs) > 0 {
		return 0
	}
	if q.fields&(fDuty|fText) != 0 || f.hasRole("lead") && len(f.Topic) > 0 && !f.List {
		return 0.83
	}
	return 0
}

func scoreSectionList(h *Handler, q *query) float64 {
	f := q.f
	if len(f.Sections) == 0 || len(f.Refs) > 0 || len(f.Units) > 0 || len(f.Persons) > 0 || f.Count || f.hasRole("oversee", "liaise", "convener", "member") || f.hasTable("box", "indicator", "plan") {
		return 0
	}
	if f.List || q.fields&(fWho|fLeader|fUnit) != 0 {
		return 0.72
	}
	return 0
}

func scorePhases(h *Handler, q *query) float64 {
	if strings.Contains(q.f.Text, "阶段") && len(q.f.Topic) > 0 {
		return 0.78
	}
	return 0
}
