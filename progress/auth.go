package progress

import (
	"errors"
	"fmt"
	"slices"

	"duban/kb"
	"duban/kb/names"
)

// ErrNotAuthorized is matched (errors.Is) by every *AuthError.
var ErrNotAuthorized = errors.New("progress: chat may not report for this task")

// An AuthError says politely why a chat may not report for a task and who
// can: the task's lead units.
type AuthError struct {
	Table     kb.Table
	No        int
	LeadUnits []string // canonical; empty when the document names none
	ChatUnits []string // canonical; empty when the chat is not configured
}

// Error says what was refused; handlers.ReportNotAuthorized composes
// what the chat reads.
func (e *AuthError) Error() string {
	return fmt.Sprintf("progress: chat of %v may not report for %s#%d (lead units %v)", e.ChatUnits, e.Table, e.No, e.LeadUnits)
}

// Is makes errors.Is(err, ErrNotAuthorized) hold.
func (e *AuthError) Is(target error) bool { return target == ErrNotAuthorized }

// Authorize reports whether a chat speaking for chatUnits may report on
// rec: only when one of rec's lead units (canonical) is one of the chat's.
// A chat configured for a collective (各区镇) speaks for tasks led by that
// collective. Co-units do not report: the lead unit answers for the task.
func Authorize(chatUnits []string, rec kb.Record) error {
	_, err := reportingUnit(chatUnits, rec)
	return err
}

// reportingUnit returns the lead unit of rec the chat speaks for.
func reportingUnit(chatUnits []string, rec kb.Record) (string, error) {
	cu := canonical(chatUnits)
	lead := canonical(rec.LeadUnits)
	for _, u := range lead {
		if slices.Contains(cu, u) {
			return u, nil
		}
	}
	return "", &AuthError{Table: rec.Table, No: rec.No, LeadUnits: lead, ChatUnits: cu}
}

func canonical(us []string) []string {
	var out []string
	for _, u := range us {
		if c := names.Unit(u); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Label names a task the way officials say it: 重点工作第76项. It matches
// the labels of handlers' answers.
func Label(t kb.Table, no int) string {
	switch t {
	case kb.PeopleProjects:
		return fmt.Sprintf("为民办实事第%d项", no)
	case kb.Nantong2019:
		return fmt.Sprintf("南通2019年重点工作第%d项", no)
	case kb.Measures2019:
		return fmt.Sprintf("补短板措施第%d项", no)
	}
	return fmt.Sprintf("重点工作第%d项", no)
}

// reportTables is the order Resolve looks in when a report names no table.
var reportTables = []kb.Table{kb.KeyTasks, kb.PeopleProjects, kb.Measures2019, kb.Nantong2019}

// A Target is one task a report resolves to, with the lead unit the chat
// reports for.
type Target struct {
	Record kb.Record
	Unit   string
}

// ErrUnknownTask is matched by the *UnknownTaskError Resolve returns for a
// number no table holds.
var ErrUnknownTask = errors.New("progress: no such task")

// ErrAmbiguousTask is matched by every *AmbiguousError.
var ErrAmbiguousTask = errors.New("progress: task number in several tables")

// An UnknownTaskError is a reported number that no table holds.
type UnknownTaskError struct {
	Table  kb.Table // the table the report named, when Scoped
	No     int
	Scoped bool
	// Label is the task as a chat reply names it (重点工作第300项), set only
	// by callers that still show Error to the chat (ResolveUrge).
	Label string
}

// Error says what was not found; handlers.ReportUnknownTask composes what
// the chat reads from Table, No and Scoped.
func (e *UnknownTaskError) Error() string {
	if e.Label != "" {
		return "未找到" + e.Label + "，请核对任务编号。未作记录。"
	}
	if e.Scoped {
		return fmt.Sprintf("progress: no task %s#%d", e.Table, e.No)
	}
	return fmt.Sprintf("progress: no task numbered %d in any table", e.No)
}

// Is makes errors.Is(err, ErrUnknownTask) hold.
func (e *UnknownTaskError) Is(target error) bool { return target == ErrUnknownTask }

// An AmbiguousError is a number that several tables hold and the chat may
// report for in more than one of them.
type AmbiguousError struct {
	No     int
	Tables []kb.Table
}

// Is makes errors.Is(err, ErrAmbiguousTask) hold.
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguousTask }

// Error names the tables; handlers.ReportAmbiguous composes what the chat
// reads.
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("progress: task %d is in tables %v, each led by the chat's units", e.No, e.Tables)
}

// Resolve finds the task each number of r names and checks that a chat
// speaking for chatUnits may report on it. A number without a table is
// looked up in every table; when several hold it, the one the chat may
// report for is taken, and two or more such are an *AmbiguousError. The
// error for a task the chat may not report on is an *AuthError; for a
// number no table holds, an *UnknownTaskError. Each error's text is a
// polite message for the chat. Nothing is recorded
// unless every number resolves.
func Resolve(b *kb.Base, chatUnits []string, r Report) ([]Target, error) {
	var out []Target
	for _, no := range r.Nos {
		t, err := resolveOne(b, chatUnits, r, no)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func resolveOne(b *kb.Base, chatUnits []string, r Report, no int) (Target, error) {
	tables := reportTables
	if r.Scoped {
		tables = []kb.Table{r.Table}
	}
	var found []kb.Record
	for _, t := range tables {
		if rec, ok := b.Task(t, no); ok {
			found = append(found, rec)
		}
	}
	if len(found) == 0 {
		return Target{}, &UnknownTaskError{Table: r.Table, No: no, Scoped: r.Scoped}
	}
	var ok []Target
	var firstErr error
	for _, rec := range found {
		u, err := reportingUnit(chatUnits, rec)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		ok = append(ok, Target{Record: rec, Unit: u})
	}
	switch len(ok) {
	case 0:
		return Target{}, firstErr
	case 1:
		return ok[0], nil
	}
	amb := &AmbiguousError{No: no}
	for _, t := range ok {
		amb.Tables = append(amb.Tables, t.Record.Table)
	}
	return Target{}, amb
}
