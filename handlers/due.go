package handlers

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"duban/kb"
)

// dueList answers "8月底前要完成哪些", "本月到期", "两周内到期", "已逾期",
// narrowed by every other filter the question names: a unit, a leader, a
// table, a section. A window with no task in it says so; it never widens
// to a whole table.
func (h *Handler) dueList(q *query) (Reply, bool) {
	w := q.f.Window
	if w == nil {
		return Reply{}, false
	}
	// 已逾期 counts from the date a task is due now (an approved
	// extension's); a window the question names ("8月底前") is the
	// document's, and its list shows the approved date beside.
	overdue := q.f.hasStatus("overdue")
	var recs []kb.Record
	for _, r := range h.b.Records() {
		due := r.Due
		if overdue {
			due = h.dueNow(&r)
		}
		if due == nil {
			continue
		}
		if (w.Open || !due.Before(w.From)) && due.Before(w.To) {
			recs = append(recs, r)
		}
	}
	recs = h.filterSection(q, filterScope(q, recs))
	title := w.Label
	if len(q.units) > 0 {
		co := q.f.hasRole("co", "assist")
		var keep []kb.Record
		for _, r := range recs {
			us := r.LeadUnits
			if co {
				us = r.CoUnits
			}
			if hasName(us, q.units[0]) {
				keep = append(keep, r)
			}
		}
		recs = keep
		role := "牵头"
		if co {
			role = "协同"
		}
		title = q.units[0] + role + "、" + title
	}
	if len(q.persons) > 0 {
		var keep []kb.Record
		for _, r := range recs {
			if hasName(r.LeadLeaders, q.persons[0]) {
				keep = append(keep, r)
			}
		}
		recs = keep
		title = q.persons[0] + "牵头、" + title
	}
	sortByDue(recs, h.order)
	recs, done, filtered := h.dropFinished(q, recs)
	if filtered {
		title = strings.Replace(title, "已逾期", "已逾期未完成", 1)
	}
	if len(recs) == 0 {
		return Reply{Intent: IntentDue, NotFound: true, Head: fmt.Sprintf("没有%s的%s。", title, h.scopeTitle(q))}, true
	}
	r := h.listReply(q, IntentDue, title+"的"+h.scopeTitle(q), recs, Turn{})
	if n := wholeYear(recs); n > 0 && w.Open && !q.f.hasStatus("overdue") {
		r.Lines = append(r.Lines, fmt.Sprintf("注：其中%d项的时限为“全年”或“年内”等，按年底计入。", n))
	}
	if done > 0 {
		r.Lines = append(r.Lines, fmt.Sprintf("另有%d项已逾期但已报告完成，未列出。", done))
	}
	return r, true
}

// wholeYear counts records whose deadline is the whole year rather than a
// date: a "12月底前" list includes them, and says so.
func wholeYear(recs []kb.Record) int {
	n := 0
	for _, r := range recs {
		if containsAny(r.DeadlineText, "全年", "年内", "年底") && !containsAny(r.DeadlineText, "月") {
			n++
		}
	}
	return n
}

func hasName(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func weekStart(t time.Time) time.Time {
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	return t.AddDate(0, 0, -wd)
}

func sortByDue(recs []kb.Record, order func(kb.Table) int) {
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].Due.Equal(recs[j].Due.Time) {
			return recs[i].Due.Before(recs[j].Due.Time)
		}
		if a, b := order(recs[i].Table), order(recs[j].Table); a != b {
			return a < b
		}
		return recs[i].No < recs[j].No
	})
}
