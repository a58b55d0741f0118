package kb

import (
	"strconv"
	"time"
)

// A State is where a task stands, as its lead unit reported it or a
// reviewer decided.
type State string

// The states a unit can report. A task nobody has reported on is
// NotStarted. Undone is not a state a task is in: it marks a journal entry
// that withdraws an earlier one (Status.Undoes), so the task returns to
// what it was before that entry.
const (
	NotStarted State = "未开始"
	InProgress State = "推进中"
	Done       State = "已完成"
	Extension  State = "申请延期"
	Undone     State = "撤销"
)

// The states of review (办结审核), when a supervision office reviews claims:
// a unit's 已完成 is recorded as Claimed until a reviewer closes it (Closed,
// 销号) or returns it (Returned, 退办); an extension request (Extension) is
// approved (ExtensionApproved) or rejected (ExtensionRejected). With review
// switched off a unit's 已完成 is recorded as Done, as before.
const (
	Claimed           State = "待审核"
	Closed            State = "已办结"
	Returned          State = "已退回"
	ExtensionApproved State = "同意延期"
	ExtensionRejected State = "延期未获同意"
)

// States lists every state a task can be in, in the order summaries count
// them: finished first, then what needs attention.
var States = []State{Closed, Done, Claimed, InProgress, ExtensionApproved, Extension, ExtensionRejected, Returned, NotStarted}

// A Status is one progress report on a task, or (State Undone) the
// withdrawal of one. Reports are kept append-only, so a task's history is
// a list of Status values, oldest first.
type Status struct {
	Table Table  `json:"table"`
	No    int    `json:"no"`
	State State  `json:"state"`
	Note  string `json:"note,omitempty"` // the progress note as reported ("已完成招标，9月开工"); a reviewer's reason
	// Unit is the canonical unit the report was made for (one of the
	// task's lead units that the reporting chat speaks for).
	Unit string    `json:"unit,omitempty"`
	Chat string    `json:"chat,omitempty"` // the chat (conversation ID) it came from
	User string    `json:"user,omitempty"` // who sent it (name, else user ID)
	At   time.Time `json:"at"`
	// Extension is the requested new deadline as written ("10月底") when
	// State is Extension, and the approved one for ExtensionApproved.
	Extension string `json:"extension,omitempty"`
	// Undoes is the 1-based sequence number of the entry an Undone entry
	// withdraws; 0 otherwise.
	Undoes int64 `json:"undoes,omitempty"`
	// Reviewer names who decided a review entry (督查办, or the reviewer's
	// name); "" for a unit's report.
	Reviewer string `json:"reviewer,omitempty"`
	// Ref is the id of the message, tap or link that recorded the entry
	// (progress.Tracker.RecordOnce's id), so a replay is recognised.
	Ref string `json:"ref,omitempty"`
}

// Finished reports whether the task no longer needs its unit: reported
// 已完成 (review off), closed by a reviewer (已办结), or claimed and
// awaiting review (待审核). A claim under review is the reviewer's move,
// so it stops the unit's reminders as a report of 已完成 always did; a
// reviewer's 退回 makes the task unfinished again and reminders resume.
// Confirmed tells a claim from a confirmed completion.
func (s Status) Finished() bool {
	return s.State == Done || s.State == Closed || s.State == Claimed
}

// Confirmed reports whether the completion stands with nothing left to
// decide: 已完成 without review, or 已办结 after it.
func (s Status) Confirmed() bool { return s.State == Done || s.State == Closed }

// Pending reports whether the status waits for a reviewer: a completion
// claim (待审核) or an extension request (申请延期).
func (s Status) Pending() bool { return s.State == Claimed || s.State == Extension }

// Label is the state as answers show it: 申请延期至10月底 for an extension
// with a date, else the state itself.
func (s Status) Label() string {
	switch {
	case s.State == Extension && s.Extension != "":
		return string(s.State) + "至" + s.Extension
	case s.State == ExtensionApproved && s.Extension != "":
		return "已同意延期至" + s.Extension
	case s.State == ExtensionApproved:
		return "已同意延期"
	}
	return string(s.State)
}

// Byline says who reported and when: 住建局 9月3日 (the year is left out:
// reports concern the current plan); for a reviewer's entry, the reviewer.
func (s Status) Byline() string {
	d := ""
	if !s.At.IsZero() {
		t := s.At.In(Location)
		d = strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
	}
	who := s.Unit
	if s.Reviewer != "" {
		who = s.Reviewer
	}
	switch {
	case who != "" && d != "":
		return who + " " + d
	case who != "":
		return who
	}
	return d
}
