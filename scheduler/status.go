package scheduler

import (
	"duban/handlers"
	"duban/kb"
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

// annotate adds each task's reported status to its digest line: an
// extension request as "｜申请延期至10月底（住建局 9月3日）", progress as
// "｜推进中（住建局 9月3日）". Digest numbers its lines one per item in
// order, so line i is items[i].
func (s *Scheduler) annotate(r *handlers.Reply, items []handlers.DigestItem) {
	if s.cfg.Status == nil || len(r.Lines) != len(items) {
		return
	}
	for i, it := range items {
		st, ok := s.status(it.Record)
		if !ok || st.Finished() {
			continue
		}
		note := "｜" + st.Label()
		if by := st.Byline(); by != "" {
			note += "（" + by + "）"
		}
		r.Lines[i] += note
	}
}
