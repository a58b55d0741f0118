package dashboard

import (
	"strconv"
	"time"

	"duban/kb"
	"duban/progress"
)

// A Month is one point of the completion chart: at the end of the month
// (or of the as-of day, for its own month), how many tasks had fallen due
// and how many were finished.
type Month struct {
	Month string `json:"month"` // "2020-08"
	Due   int    `json:"due"`   // tasks due by the month's end, or finished by then
	Done  int    `json:"done"`  // tasks finished by then (as reported)
}

// months returns the completion chart from January of asOf's year to
// asOf's month. A task counts as done at a month's end when the status in
// force then was 已完成, so a withdrawn completion drops out again.
func months(ts []Task, hist histories, asOf time.Time) []Month {
	y, m, _ := asOf.In(kb.Location).Date()
	var out []Month
	for mm := time.January; mm <= m; mm++ {
		end := time.Date(y, mm+1, 1, 0, 0, 0, 0, kb.Location).Add(-time.Nanosecond)
		if end.After(asOf) {
			end = asOf
		}
		p := Month{Month: strconv.Itoa(y) + "-" + pad2(int(mm))}
		for i := range ts {
			t := &ts[i]
			// As progress.Completion counts: due by then, or finished
			// early, so Done never exceeds Due.
			done := hist.at(t.Table, t.No, end).s.Finished()
			if done {
				p.Done++
			}
			if done || t.due != nil && !t.due.After(end) {
				p.Due++
			}
		}
		out = append(out, p)
	}
	return out
}

// Ahead counts the unfinished tasks falling due after the as-of day: in
// the rest of its month, in the next month and in the rest of its quarter,
// plus the next six months one by one for the chart.
type Ahead struct {
	ThisMonth   int     `json:"this_month"`
	NextMonth   int     `json:"next_month"`
	ThisQuarter int     `json:"this_quarter"`
	ByMonth     []Month `json:"by_month"` // Due only: unfinished tasks due in that month
}

func ahead(ts []Task, asOf time.Time) Ahead {
	y, m, _ := asOf.In(kb.Location).Date()
	monthEnd := func(k int) time.Time { // end of the k-th month after asOf's
		return time.Date(y, m+time.Month(k)+1, 1, 0, 0, 0, 0, kb.Location).Add(-time.Nanosecond)
	}
	qEnd := time.Date(y, time.Month((int(m)-1)/3*3+4), 1, 0, 0, 0, 0, kb.Location).Add(-time.Nanosecond)
	var a Ahead
	for k := 0; k < 6; k++ {
		mt := monthEnd(k)
		a.ByMonth = append(a.ByMonth, Month{Month: strconv.Itoa(mt.Year()) + "-" + pad2(int(mt.Month()))})
	}
	for i := range ts {
		t := &ts[i]
		if t.due == nil || t.Light == progress.LightDone || !t.due.After(asOf) {
			continue
		}
		d := t.due.Time
		if !d.After(monthEnd(0)) {
			a.ThisMonth++
		} else if !d.After(monthEnd(1)) {
			a.NextMonth++
		}
		if !d.After(qEnd) {
			a.ThisQuarter++
		}
		for k := range a.ByMonth {
			if !d.After(monthEnd(k)) {
				a.ByMonth[k].Due++
				break
			}
		}
	}
	return a
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
