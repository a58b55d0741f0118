package handlers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"duban/kb"
)

// IntentDigest is the Reply.Intent of a scheduled reminder digest.
const IntentDigest = "digest"

// digestTextRunes bounds the task text in a digest line: a reminder names
// the task, the full text is one question away ("76号任务").
const digestTextRunes = 36

// A DigestItem is one task of a reminder digest.
type DigestItem struct {
	Record *kb.Record // not copied: a digest can list hundreds
	// Co marks a copy sent to a co-unit's chat (协同) rather than to the
	// lead unit's chat.
	Co bool
}

// Digest renders the reminder a chat receives at now: a head line with the
// counts, then one line per task in the order given (the scheduler sorts by
// urgency), then the documents cited. Each line carries the task number,
// a short text, lead leader, lead unit, co-units, the deadline and the days
// left or overdue. Mentions are left to the caller.
func Digest(chat string, items []DigestItem, now time.Time) Reply {
	today := dayOf(now)
	overdue := 0
	lines := make([]string, 0, len(items))
	srcs := make([]kb.Source, 0, len(items))
	var recs []*kb.Record
	for i, it := range items {
		r := it.Record
		left := daysLeft(r, today)
		if left < 0 {
			overdue++
		}
		lines = append(lines, strconv.Itoa(i+1)+". "+digestLine(it, left))
		srcs = append(srcs, r.Source)
		recs = append(recs, r)
	}
	head := fmt.Sprintf("督办提醒（%s，%d年%d月%d日）：%d项任务", chat,
		today.Year(), int(today.Month()), today.Day(), len(items))
	if overdue > 0 {
		head += fmt.Sprintf("，其中%d项已逾期", overdue)
	}
	return Reply{
		Intent:  IntentDigest,
		Head:    head,
		Lines:   lines,
		Cite:    digestCite(recs),
		Sources: srcs,
	}
}

// digestLine is one task:
// 【逾期3天】重点工作第76项 text｜牵头领导：…｜牵头单位：…｜协同：…｜时限：….
func digestLine(it DigestItem, left int) string {
	r := it.Record
	status := dueStatus(left)
	if it.Co {
		status = "协同·" + status
	}
	// A digest can hold hundreds of lines: build each in one buffer.
	var b strings.Builder
	b.Grow(256)
	b.WriteString("【")
	b.WriteString(status)
	b.WriteString("】")
	b.WriteString(tableLabel(r.Table, r.No, false))
	b.WriteByte(' ')
	b.WriteString(cutRunes(firstClause(r.Text), digestTextRunes))
	for _, f := range []struct {
		label string
		xs    []string
	}{{"｜牵头领导：", r.LeadLeaders}, {"｜牵头单位：", r.LeadUnits}, {"｜协同：", r.CoUnits}} {
		for i, x := range f.xs {
			if i == 0 {
				b.WriteString(f.label)
			} else {
				b.WriteString("、")
			}
			b.WriteString(x)
		}
	}
	b.WriteString("｜时限：")
	b.WriteString(digestDeadline(r))
	return b.String()
}

// dueStatus says how far the deadline is: 还剩7天, 今天到期, 逾期3天.
func dueStatus(left int) string {
	switch {
	case left > 0:
		return fmt.Sprintf("还剩%d天", left)
	case left == 0:
		return "今天到期"
	}
	return fmt.Sprintf("逾期%d天", -left)
}

// digestDeadline is the deadline as written with its date when the text
// does not already say it: 12月底前（2020-12-31）.
func digestDeadline(r *kb.Record) string {
	iso := r.Due.ISO()
	t := noSpace(r.DeadlineText)
	if t == "" || t == iso {
		return iso
	}
	return t + "（" + iso + "）"
}

// firstClause keeps a task text up to its first full stop or semicolon, so
// a long paragraph becomes its opening statement.
func firstClause(s string) string {
	s = noSpace(s)
	if i := strings.IndexAny(s, "。；;"); i > 0 {
		return s[:i]
	}
	return s
}

// noSpace removes white space, which documents leave inside cells
// ("8月\n底前"); most texts have none, and are returned as they are.
func noSpace(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

// cutRunes is cut without converting s to runes.
func cutRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

// digestCite names the tables the tasks come from, once each.
func digestCite(recs []*kb.Record) string {
	var titles []string
	seen := map[string]bool{}
	for _, r := range recs {
		t := tableName(r.Table)
		if r.Source.Title != "" && kindOfID(r.Table) != kb.KindMeasures {
			t = r.Source.Title
		}
		if r.Source.File != "" {
			t += "（" + r.Source.File + "）"
		}
		if !seen[t] {
			seen[t] = true
			titles = append(titles, t)
		}
	}
	if len(titles) == 0 {
		return ""
	}
	return "来源：" + strings.Join(titles, "；")
}

// dayOf is the calendar day of t in Asia/Shanghai, at midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.In(kb.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, kb.Location)
}

// daysLeft counts whole days from today to r's due date, negative once
// overdue. Shanghai has no daylight saving, so days are 24 hours; rounding
// keeps the count exact regardless.
func daysLeft(r *kb.Record, today time.Time) int {
	if r.Due == nil {
		return math.MaxInt32
	}
	return int(math.Round(dayOf(r.Due.Time).Sub(today).Hours() / 24))
}
