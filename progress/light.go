package progress

import (
	"time"

	"duban/kb"
	"duban/kb/deadline"
)

// A Light is a task's colour in the 三色督办 practice (亮灯): where it stands
// against its due date and its reports. It is the one definition that the
// dashboard, reminders, answers and exports share; nothing else computes it.
type Light string

// The lights, in the order a supervision office reads them: the worst first.
// LightDone is its own light (a finished task is on track, and callers that show
// three colours show it green); LightUndated marks a task without a due date
// (长期, 持续, or no 完成时限), which no date can make late.
const (
	LightRed     Light = "red"
	LightYellow  Light = "yellow"
	LightGreen   Light = "green"
	LightDone    Light = "done"
	LightUndated Light = "undated"
)

// Lights lists every light, worst first.
var Lights = []Light{LightRed, LightYellow, LightGreen, LightDone, LightUndated}

// Label is the light's Chinese name as reports print it.
func (l Light) Label() string {
	switch l {
	case LightRed:
		return "红灯"
	case LightYellow:
		return "黄灯"
	case LightGreen:
		return "绿灯"
	case LightDone:
		return "已完成"
	case LightUndated:
		return "无时限"
	}
	return string(l)
}

// Thresholds tune LightOf. The zero value is usable.
type Thresholds struct {
	// YellowDays: a task due within this many days (the due day counts as
	// 0 days left) that has no progress report in force is yellow. Default:
	// 14 days, two weekly meetings of notice.
	YellowDays int `yaml:"yellow_days"`
}

// DefaultYellowDays is Thresholds.YellowDays when it is zero.
const DefaultYellowDays = 14

func (th Thresholds) yellowDays() int {
	if th.YellowDays <= 0 {
		return DefaultYellowDays
	}
	return th.YellowDays
}

// LightOf returns the colour at now of a task due on due (nil: no due date)
// whose status in force is s (the zero Status: nobody has reported):
//
//   - done when s is 已完成, whatever the date;
//   - undated when there is no due date;
//   - red when the due day has passed (an extension that is only requested
//     or was refused does not move the date; an approved one does);
//   - yellow when an extension is requested, or when the task is due within
//     th.YellowDays days and no progress has been reported (未开始);
//   - green otherwise: on track.
//
// Days are civil days in Asia/Shanghai, as deadlines are.
func LightOf(due *kb.Date, s kb.Status, now time.Time, th Thresholds) Light {
	if s.Finished() {
		return LightDone
	}
	if due == nil {
		return LightUndated
	}
	due = EffectiveDue(due, s)
	left := DaysLeft(due, now)
	switch {
	case left < 0:
		return LightRed
	case s.State == kb.Extension:
		return LightYellow
	case left <= th.yellowDays() && (s.State == "" || s.State == kb.NotStarted):
		return LightYellow
	}
	return LightGreen
}

// EffectiveDue is the date a task is due now, given its status: its due
// date, or the later date an approved extension (同意延期) moved it to; a
// request pending or refused moves nothing. It is the one definition: the
// light, escalation, the scheduler's milestones and overdue cadence, and
// the digest's days left all read it. It returns due itself (the same
// pointer) when nothing moved it, and is not idempotent: apply it to the
// record's own date only. The approved
// date is written as units write deadlines ("10月底"), in the due date's
// year, or the next year when that would fall before the due date.
func EffectiveDue(due *kb.Date, s kb.Status) *kb.Date {
	if s.State != kb.ExtensionApproved || s.Extension == "" {
		return due
	}
	d, err := deadline.Parse(s.Extension, due.Time.Year())
	if err != nil || d.Due.IsZero() {
		return due
	}
	t := d.Due
	if !t.After(due.Time) {
		t = t.AddDate(1, 0, 0)
	}
	return kb.NewDate(t.Year(), t.Month(), t.Day())
}

// DaysLeft returns how many civil days lie between now's day and the due
// day in Asia/Shanghai: 0 on the due day, negative once it has passed.
func DaysLeft(due *kb.Date, now time.Time) int {
	return dayNumber(due.Time) - dayNumber(now)
}

func dayNumber(t time.Time) int {
	y, m, d := t.In(kb.Location).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Completion is a unit's (or any group's) standing for a 通报: how many of
// its tasks are done, how many were due by the day and how many are late.
type Completion struct {
	Total   int `json:"total"`   // tasks counted
	Done    int `json:"done"`    // finished
	Due     int `json:"due"`     // due on or before the day, or finished: the rate's denominator
	Overdue int `json:"overdue"` // due before the day and not finished (red)
}

// Add counts one task of light l due on due at now.
func (c *Completion) Add(due *kb.Date, l Light, now time.Time) {
	c.Total++
	switch {
	case l == LightDone:
		c.Done++
		c.Due++ // finished early counts: the rate rewards it, never above 100%
	case due != nil && DaysLeft(due, now) <= 0:
		c.Due++
	}
	if l == LightRed {
		c.Overdue++
	}
}

// Rate is the completion rate of the 通报: finished tasks over the tasks
// that were due by the day or are finished, in [0, 1]. It reports false
// when nothing was due yet, so no rate is shown instead of a made-up one.
func (c Completion) Rate() (float64, bool) {
	if c.Due == 0 {
		return 0, false
	}
	return float64(c.Done) / float64(c.Due), true
}
