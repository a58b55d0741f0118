package handlers

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"duban/kb"
	"duban/kb/numerals"
)

var (
	reByMonth = regexp.MustCompile(`(\d{1,2}|[一二三四五六七八九十]{1,2})月(?:份)?(底|末|中旬|上旬|下旬)?(前|之前|以前|内|截止|到期|完成)?`)
	reDueWord = regexp.MustCompile(`到期|完成|截止|要办|办结|前|due|deadline`)
)

// dueList answers "8月底前要完成哪些", "本月到期", "下周到期", "已逾期".
func (h *Handler) dueList(q *query) (Reply, bool) {
	from, to, title, ok := h.dueWindow(q)
	if !ok {
		return Reply{}, false
	}
	var recs []kb.Record
	for _, r := range h.b.Records() {
		if r.Due == nil {
			continue
		}
		if !r.Due.Before(from) && r.Due.Before(to) {
			recs = append(recs, r)
		}
	}
	recs = filterScope(q, recs)
	if len(q.units) > 0 {
		var keep []kb.Record
		for _, r := range recs {
			for _, u := range r.LeadUnits {
				if u == q.units[0] {
					keep = append(keep, r)
					break
				}
			}
		}
		recs = keep
		title = q.units[0] + "牵头、" + title
	}
	sortByDue(recs)
	recs, done, filtered := h.dropFinished(q, recs)
	if filtered {
		title = strings.Replace(title, "已逾期", "已逾期未完成", 1)
	}
	if len(recs) == 0 {
		return Reply{Intent: IntentDue, NotFound: true, Head: fmt.Sprintf("没有%s的%s。", title, scopeTitle(q))}, true
	}
	r := h.listReply(q, IntentDue, title+"的"+scopeTitle(q), recs, Turn{})
	if done > 0 {
		r.Lines = append(r.Lines, fmt.Sprintf("另有%d项已逾期但已报告完成，未列出。", done))
	}
	return r, true
}

// dueWindow reads the date range a question asks about. A month without a
// year means that month of each table's own plan year, since officials ask
// "8月底前" about the current plan.
func (h *Handler) dueWindow(q *query) (from, to time.Time, title string, ok bool) {
	now := q.now
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, kb.Location)
	s := q.q
	switch {
	case containsAny(s, "已逾期", "逾期", "超期", "过期", "超时", "overdue"):
		return time.Time{}, today, "已逾期（截至" + today.Format("2006年1月2日") + "）", true
	case containsAny(s, "本月", "这个月", "当月", "this month"):
		f := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, kb.Location)
		return f, f.AddDate(0, 1, 0), fmt.Sprintf("本月（%d月）到期", now.Month()), true
	case containsAny(s, "下个月", "下月", "next month"):
		f := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, kb.Location)
		return f, f.AddDate(0, 1, 0), fmt.Sprintf("下月（%d月）到期", f.Month()), true
	case containsAny(s, "本周", "这周", "这个星期", "this week"):
		f := weekStart(today)
		return f, f.AddDate(0, 0, 7), "本周到期", true
	case containsAny(s, "下周", "下个星期", "下星期", "next week"):
		f := weekStart(today).AddDate(0, 0, 7)
		return f, f.AddDate(0, 0, 7), "下周到期", true
	case containsAny(s, "今天到期", "今日到期"):
		return today, today.AddDate(0, 0, 1), "今天到期", true
	}
	if !reDueWord.MatchString(s) || len(q.nos) > 0 {
		return
	}
	if m := reByMonth.FindStringSubmatch(s); m != nil && (m[3] != "" || m[2] != "" || reListWord.MatchString(s)) {
		mo, err := strconv.Atoi(m[1])
		if err != nil {
			mo, _ = numerals.Parse(m[1])
		}
		if mo < 1 || mo > 12 {
			return
		}
		year := h.planYear(q)
		end := time.Date(year, time.Month(mo)+1, 1, 0, 0, 0, 0, kb.Location)
		return time.Time{}, end, fmt.Sprintf("%d月底前到期", mo), true
	}
	switch {
	case containsAny(s, "上半年"):
		y := h.planYear(q)
		return time.Time{}, time.Date(y, 7, 1, 0, 0, 0, 0, kb.Location), "上半年到期", true
	case containsAny(s, "年底前", "年内", "年底"):
		y := h.planYear(q)
		return time.Time{}, time.Date(y+1, 1, 1, 0, 0, 0, 0, kb.Location), "年底前到期", true
	}
	return
}

// planYear is the year of the tables the question is about: the scoped
// table's, else the key tasks'.
func (h *Handler) planYear(q *query) int {
	for _, r := range h.b.Records() {
		if r.Due != nil && r.Table == q.table {
			return r.Due.Year()
		}
	}
	return q.now.Year()
}

func weekStart(t time.Time) time.Time {
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	return t.AddDate(0, 0, -wd)
}

func sortByDue(recs []kb.Record) {
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].Due.Equal(recs[j].Due.Time) {
			return recs[i].Due.Before(recs[j].Due.Time)
		}
		if a, b := tableOrder[recs[i].Table], tableOrder[recs[j].Table]; a != b {
			return a < b
		}
		return recs[i].No < recs[j].No
	})
}
