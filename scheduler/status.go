package scheduler

import (
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/progress"
)

// status returns the reported status of rec, when Config.Status is set and
// the task has a report in force.
func (s *Scheduler) status(rec *kb.Record) (kb.Status, bool) {
	if s.cfg.Status == nil {
		return kb.Status{}, false
	}
	st, ok := s.cfg.Status(rec.Table, rec.No)
	if !ok {
		return kb.Status{}, false // whatever a lookup returns beside false is no report
	}
	return st, true
}

// Plan skips a task reported done: its reminders stop at the next tick
// after the report, and resume at the next milestone if the report is
// withdrawn (the ledger still holds the milestones already sent, so none
// repeats).

// dueNow returns the day task ti is due on now that its status is st
// (progress.EffectiveDue: the approved extension's date, if any; a request
// pending or refused moves nothing), and that day again when it is not the
// task's own due day (0 otherwise), for milestone.moved.
func (s *Scheduler) dueNow(ti int, st kb.Status) (day, moved int) {
	t := &s.tasks[ti]
	d := progress.EffectiveDue(t.rec.Due, st)
	if d == t.rec.Due {
		return t.due, 0
	}
	if n := dayNumber(d.Time); n != t.due {
		return n, n
	}
	return t.due, 0
}

// annotate sets a digest item's colour (progress.LightOf, the one
// definition of 三色督办) and its reported status: an extension request as
// "申请延期至10月底（住建局 9月3日）", progress as "推进中（住建局 9月3日）".
func (s *Scheduler) annotate(it *handlers.DigestItem, now time.Time) {
	st, ok := s.status(it.Record)
	it.Light = string(progress.LightOf(it.Record.Due, st, now, s.cfg.Lights))
	if !ok || st.Finished() {
		return
	}
	// The line's date and days left count from the date the task is due
	// now; the colour above was read from the record's own date, which
	// LightOf moves itself.
	if d := progress.EffectiveDue(it.Record.Due, st); d != it.Record.Due {
		r := *it.Record
		r.Due = d
		it.Record = &r
	}
	it.Note = st.Label()
	if by := st.Byline(); by != "" {
		it.Note += "（" + by + "）"
	}
}
