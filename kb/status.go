package kb

import (
	"strconv"
	"time"
)

// A State is where a task stands, as its lead unit reported it.
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

// A Status is one progress report on a task, or (State Undone) the
// withdrawal of one. Reports are kept append-only, so a task's history is
// a list of Status values, oldest first.
type Status struct {
	Table Table  `json:"table"`
	No    int    `json:"no"`
	State State  `json:"state"`
	Note  string `json:"note,omitempty"` // the progress note as reported ("已完成招标，9月开工")
	// Unit is the canonical unit the report was made for (one of the
	// task's lead units that the reporting chat speaks for).
	Unit string    `json:"unit,omitempty"`
	Chat string    `json:"chat,omitempty"` // the chat (conversation ID) it came from
	User string    `json:"user,omitempty"` // who sent it (name, else user ID)
	At   time.Time `json:"at"`
	// Extension is the requested new deadline as written ("10月底") when
	// State is Extension.
	Extension string `json:"extension,omitempty"`
	// Undoes is the 1-based sequence number of the entry an Undone entry
	// withdraws; 0 otherwise.
	Undoes int64 `json:"undoes,omitempty"`
}

// Finished reports whether the task counts as done.
func (s Status) Finished() bool { return s.State == Done }

// Label is the state as answers show it: 申请延期至10月底 for an extension
// with a date, else the state itself.
func (s Status) Label() string {
	if s.State == Extension && s.Extension != "" {
		return string(s.State) + "至" + s.Extension
	}
	return string(s.State)
}

// Byline says who reported and when: 住建局 9月3日 (the year is left out:
// reports concern the current plan).
func (s Status) Byline() string {
	d := ""
	if !s.At.IsZero() {
		t := s.At.In(Location)
		d = strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
	}
	switch {
	case s.Unit != "" && d != "":
		return s.Unit + " " + d
	case s.Unit != "":
		return s.Unit
	}
	return d
}
