package handlers

import (
	"fmt"
	"math"
	"time"

	"duban/kb"
)

// An approved extension (同意延期) moves the date a task is due now;
// progress.EffectiveDue is the one definition and reaches answers through
// the Config hook EffectiveDue, so that handlers import nothing but kb.
// Answers that say a task is overdue, or count its days, read dueNow;
// answers about the document's deadline window keep the document's date
// and say the approved one beside it (extensionNote).

// dueNow is the date r is due now: the approved extension's date when the
// EffectiveDue hook moves it, else r's own (nil when undated).
func (h *Handler) dueNow(r *kb.Record) *kb.Date {
	if r.Due == nil || h.cfg.EffectiveDue == nil {
		return r.Due
	}
	s, ok := h.status(*r)
	if !ok {
		return r.Due
	}
	return movedDue(r.Due, s, h.cfg.EffectiveDue)
}

// movedDue is effective(due, s) or due when the hook is nil or returns
// nothing.
func movedDue(due *kb.Date, s kb.Status, effective func(*kb.Date, kb.Status) *kb.Date) *kb.Date {
	if due == nil || effective == nil {
		return due
	}
	if d := effective(due, s); d != nil {
		return d
	}
	return due
}

// extensionNote says both dates of a task whose due date an approved
// extension moved: 原定8月31日，同意延期至10月31日; "" when nothing moved it.
func extensionNote(due, now *kb.Date) string {
	if due == nil || now == nil || now.Equal(due.Time) {
		return ""
	}
	to := monthDay(now)
	if now.Year() != due.Year() {
		to = fmt.Sprintf("%d年", now.Year()) + to
	}
	return "原定" + monthDay(due) + "，同意延期至" + to
}

// monthDay is 8月31日.
func monthDay(d *kb.Date) string {
	return fmt.Sprintf("%d月%d日", int(d.Month()), d.Day())
}

// daysLeftTo counts whole days from today to due, negative once overdue.
func daysLeftTo(due *kb.Date, today time.Time) int {
	if due == nil {
		return math.MaxInt32
	}
	return daysLeft(&kb.Record{Due: due}, today)
}
