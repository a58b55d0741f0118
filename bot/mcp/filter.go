package mcp

import (
	"errors"
	"fmt"
	"time"

	"duban/kb"
)

// Status filters of the list tools.
const (
	StatusAny        = "any"
	StatusOpen       = "open" // not reported done
	StatusDone       = "done"
	StatusNotStarted = "not_started" // no report in force
	StatusInProgress = "in_progress"
	StatusExtension  = "extension"
)

var statusFilters = []any{StatusAny, StatusOpen, StatusDone, StatusNotStarted, StatusInProgress, StatusExtension}

// ErrNoStatuses is the error of a status filter on a server that cannot
// read the reports units made (`duban mcp` without --config): answering
// "open" with every task would be wrong, not merely incomplete.
var ErrNoStatuses = errors.New("statuses are not available on this server (start it with the config whose store holds the units' reports)")

// A filter narrows a task list.
type filter struct {
	status   string
	from, to time.Time // due in [from, to); zero: unbounded
	table    kb.Table  // "": every table
}

// newFilter reads the common arguments of the list tools. A scope that
// names no table is a Miss; a malformed date is an error.
func (s *Server) newFilter(b *kb.Base, status, dueFrom, dueTo, scope string) (filter, Miss, error) {
	f := filter{status: status}
	if f.status == "" {
		f.status = StatusAny
	}
	if f.status != StatusAny && s.cfg.Status == nil {
		return f, Miss{}, ErrNoStatuses
	}
	var err error
	if f.from, err = parseDate("due_from", dueFrom); err != nil {
		return f, Miss{}, err
	}
	if f.to, err = parseDate("due_to", dueTo); err != nil {
		return f, Miss{}, err
	}
	if !f.to.IsZero() {
		f.to = f.to.AddDate(0, 0, 1) // the last day is included
	}
	if scope != "" {
		t, m, ok := resolveTable(b, scope)
		if !ok {
			return f, m, nil
		}
		f.table = t.ID
	}
	return f, Miss{}, nil
}

// parseDate reads an ISO date in Asia/Shanghai; "" is the zero time.
func parseDate(arg, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, kb.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want an ISO date such as 2020-08-31", arg, s)
	}
	return t, nil
}

// keep reports whether r passes f.
func (s *Server) keep(f filter, r kb.Record) bool {
	if f.table != "" && r.Table != f.table {
		return false
	}
	if !f.from.IsZero() || !f.to.IsZero() {
		if r.Due == nil || (!f.from.IsZero() && r.Due.Before(f.from)) || (!f.to.IsZero() && !r.Due.Before(f.to)) {
			return false
		}
	}
	if f.status == StatusAny {
		return true
	}
	st, ok := s.cfg.Status(r.Table, r.No)
	switch f.status {
	case StatusOpen:
		return !ok || !st.Finished()
	case StatusDone:
		return ok && st.Finished()
	case StatusNotStarted:
		return !ok || st.State == kb.NotStarted
	case StatusInProgress:
		return ok && st.State == kb.InProgress
	case StatusExtension:
		return ok && st.State == kb.Extension
	}
	return false
}
