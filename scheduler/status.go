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
	return s.cfg.Status(rec.Table, rec.No)
}

// finished reports whether rec was reported done. Plan skips such tasks:
// their reminders stop at the next tick after the report, and resume at
// the next milestone if the report is withdrawn (the ledger still holds
// the milestones already sent, so none repeats).
func (s *Scheduler) finished(rec *kb.Record) bool {
	st, ok := s.status(rec)
	return ok && st.Finished()
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
	it.Note = st.Label()
	if by := st.Byline(); by != "" {
		it.Note += "（" + by + "）"
	}
}
