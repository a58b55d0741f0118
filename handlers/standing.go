package handlers

import (
	"strconv"
	"time"

	"duban/kb"
)

// A task's standing in supervision — its colour (三色督办) and how often it
// was urged (催办) — is computed outside handlers (progress.LightOf over the
// reported statuses, the urge journal) and reaches answers through the
// Config hooks Light and Urges. Every list of tasks shows the colour at the
// start of its line, through lightMark, so a unit's list ("交通局的任务")
// reads as the reminders do.

// lightLabels are the colours' names in a single task's 状态 line.
var lightLabels = map[string]string{"red": "红灯", "yellow": "黄灯", "green": "绿灯"}

// lightMark is the colour a list line of r opens with ("🔴 "), or "" when
// the handler has no Light hook, r's table is not supervised, or r has no
// due date to be late against.
func (h *Handler) lightMark(r *kb.Record, now time.Time) string {
	if h.cfg.Light == nil || !h.supervised(r.Table) {
		return ""
	}
	if m := lightMarks[h.cfg.Light(r, now)]; m != "" {
		return m + " "
	}
	return ""
}

// standing is what a task answer's 状态 line adds after the status: the
// colour by name and the urgings, "；红灯；已催办2次".
func (h *Handler) standing(r *kb.Record) string {
	out := ""
	if h.cfg.Light != nil {
		l := h.cfg.Light(r, h.cfg.Now())
		if name := lightLabels[l]; name != "" {
			out += "；" + lightMarks[l] + name
		}
	}
	if h.cfg.Urges != nil {
		if n := h.cfg.Urges(r.Table, r.No); n > 0 {
			out += "；" + UrgeCount(n)
		}
	}
	return out
}

// UrgeCount says how often a task was urged: 已催办2次.
func UrgeCount(n int) string { return "已催办" + strconv.Itoa(n) + "次" }
