package scheduler

import (
	"slices"
	"strconv"
	"time"

	"duban/kb"
)

// A milestone is one reminder of a task under a rule: "due-30", "due-7",
// "due-1", then "overdue-1" the day after the due date and "overdue-2", …
// every OverdueEveryDays after that. Its window runs from its start day to
// the next milestone's start; a tick inside the window sends it. Ticks on
// weekdays only still send a milestone whose day fell on a Sunday, on the
// Monday, unless a later milestone has started by then: the later one is
// the current news and supersedes it.
type milestone struct {
	start int // day number the milestone starts
	days  int // N of due-N (0 allowed); for overdue, the period index k
	over  bool
	ok    bool // false: no milestone (the zero value)
}

// key is the milestone's name in the ledger and in `remind --json`.
func (m milestone) key() string {
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

// rule is a Rule prepared for planning: offsets sorted descending, unique.
type rule struct {
	before []int
	every  int
	co     bool
}

func prepare(r Rule) rule {
	b := slices.Clone(r.DaysBefore)
	b = slices.DeleteFunc(b, func(n int) bool { return n < 0 })
	slices.Sort(b)
	b = slices.Compact(b)
	slices.Reverse(b)
	return rule{before: b, every: max(r.OverdueEveryDays, 0), co: r.CoUnits}
}

// current returns the latest milestone of a task due on day due that has
// started by day today; before the first one, its ok is false.
func (r rule) current(due, today int) milestone {
	if today > due {
		k := 1
		if r.every > 0 {
			k = 1 + (today-due-1)/r.every
		}
		start := due + 1
		if r.every > 0 {
			start += (k - 1) * r.every
		}
		return milestone{start: start, days: k, over: true, ok: true}
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

// dayNumber counts civil days since 1970-01-01 of t's date in Asia/Shanghai,
// so milestones compare as integers.
func dayNumber(t time.Time) int {
	y, m, d := t.In(kb.Location).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
