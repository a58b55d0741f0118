package scheduler

import (
	"slices"
	"strconv"
	"time"

	"duban/kb"
)

// A milestone is one reminder of a task under a rule: "due-30", "due-7",
// "due-1", then "overdue-1" the day after the due date and "overdue-2", …
// every OverdueEveryDays after that, or at the rule's OverdueIntervals. Its window runs from its start day to
// the next milestone's start; a tick inside the window sends it. Ticks on
// weekdays only still send a milestone whose day fell on a Sunday, on the
// Monday, unless a later milestone has started by then: the later one is
// the current news and supersedes it.
type milestone struct {
	start int // day number the milestone starts
	days  int // N of due-N (0 allowed); for overdue, the period index k
	over  bool
	esc   bool // an escalation stage (escalate.go); days is its day count
	ok    bool // false: no milestone (the zero value)
	// moved is the day number of the date an approved extension moved the
	// task to (0: not moved). It names the milestones counted from it apart
	// from those of the original date, which the ledger may hold already:
	// without it the "overdue-1" of the new date would count as sent.
	moved int
}

// key is the milestone's name in the ledger and in `remind --json`:
// due-7, overdue-1, escalate-3, or, counted from an approved extension's
// date, due-7@2020-07-31.
func (m milestone) key() string {
	k := m.baseKey()
	if m.moved != 0 {
		k += "@" + isoDay(m.moved)
	}
	return k
}

func (m milestone) baseKey() string {
	if m.esc {
		return escalateKey(m.days)
	}
	keys := dueKeys
	if m.over {
		keys = overdueKeys
	}
	if m.days >= 0 && m.days < len(keys) {
		return keys[m.days]
	}
	if m.over {
		return "overdue-" + strconv.Itoa(m.days)
	}
	return "due-" + strconv.Itoa(m.days)
}

// dueKeys and overdueKeys hold the common keys, so planning a tick does not
// build the same strings for every task.
var dueKeys, overdueKeys = keyTable("due-"), keyTable("overdue-")

func keyTable(prefix string) []string {
	out := make([]string, 400)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

// after reports whether m starts later than o (is more advanced).
func (m milestone) after(o milestone) bool { return m.ok && (!o.ok || m.start > o.start) }

// rule is a Rule prepared for planning: offsets sorted descending, unique;
// the overdue cadence as intervals (OverdueEveryDays N is [1, N]; 0 is [1]
// told once).
type rule struct {
	before    []int
	intervals []int // days: the first overdue reminder after the due date, then between reminders; the last repeats
	maxOver   int   // overdue reminders at most; 0: no cap
	co        bool
	coMembers bool
}

func prepare(r Rule) rule {
	b := slices.Clone(r.DaysBefore)
	b = slices.DeleteFunc(b, func(n int) bool { return n < 0 })
	slices.Sort(b)
	b = slices.Compact(b)
	slices.Reverse(b)
	out := rule{before: b, maxOver: max(r.OverdueMax, 0), co: r.CoUnits, coMembers: r.CoUnits && r.CollectiveCoUnits}
	switch {
	case len(r.OverdueIntervals) > 0:
		for _, n := range r.OverdueIntervals {
			out.intervals = append(out.intervals, max(n, 1))
		}
	case r.OverdueEveryDays > 0:
		out.intervals = []int{1, r.OverdueEveryDays}
	default:
		out.intervals, out.maxOver = []int{1}, 1
	}
	return out
}

// overdueStart is how many days after the due date the k-th overdue
// reminder (from 1) starts.
func (r rule) overdueStart(k int) int {
	n := len(r.intervals)
	if k <= n {
		sum := 0
		for _, d := range r.intervals[:k] {
			sum += d
		}
		return sum
	}
	return r.overdueStart(n) + (k-n)*r.intervals[n-1]
}

// overdueIndex is the latest overdue reminder started d days after the
// due date (0: none yet), within the cap.
func (r rule) overdueIndex(d int) int {
	k, off := 0, 0
	for _, step := range r.intervals {
		if off+step > d {
			return r.capped(k)
		}
		off += step
		k++
	}
	last := r.intervals[len(r.intervals)-1]
	return r.capped(k + (d-off)/last)
}

func (r rule) capped(k int) int {
	if r.maxOver > 0 {
		return min(k, r.maxOver)
	}
	return k
}

// current returns the latest milestone of a task due on day due that has
// started by day today; before the first one, its ok is false. Until the
// first overdue reminder starts, the last due milestone holds.
func (r rule) current(due, today int) milestone {
	if today > due {
		if k := r.overdueIndex(today - due); k > 0 {
			return milestone{start: due + r.overdueStart(k), days: k, over: true, ok: true}
		}
	}
	// before is descending: the last offset reached is the nearest one.
	var m milestone
	for _, n := range r.before {
		if today >= due-n {
			m = milestone{start: due - n, days: n, ok: true}
		}
	}
	return m
}

// OverdueDays lists the days after the due date on which the first n
// overdue reminders of r start (fewer under OverdueMax): the cadence the
// dashboard's ledger reader and the dry run share with planning.
func (r Rule) OverdueDays(n int) []int {
	p := prepare(r)
	if p.maxOver > 0 {
		n = min(n, p.maxOver)
	}
	out := make([]int, 0, n)
	for k := 1; k <= n; k++ {
		out = append(out, p.overdueStart(k))
	}
	return out
}

// dayNumber counts civil days since 1970-01-01 of t's date in Asia/Shanghai,
// so milestones compare as integers.
func dayNumber(t time.Time) int {
	y, m, d := t.In(kb.Location).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// isoDay is day number d as 2006-01-02.
func isoDay(d int) string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}
