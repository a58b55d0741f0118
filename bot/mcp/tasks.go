package mcp

import (
	"context"
	"fmt"

	"duban/handlers"
	"duban/kb"
)

// TaskIn is the input of the task tool.
type TaskIn struct {
	Number int    `json:"number" jsonschema:"the task's number in its table (76)"`
	Table  string `json:"table,omitempty" jsonschema:"table id (key_tasks), title or a word that names it (实事); default: the table a bare number means to the bot, key tasks first"`
}

// TaskOut is the output of the task tool.
type TaskOut struct {
	Miss
	Task   *Task      `json:"task,omitempty" jsonschema:"the record with its status and source"`
	AlsoIn []TableRef `json:"also_in,omitempty" jsonschema:"other tables that have a task with the same number"`
}

// UnitTasksIn is the input of tasks_of_unit.
type UnitTasksIn struct {
	Unit string `json:"unit" jsonschema:"a unit (单位) by its short or full name or an alias: 交通局, 交通运输局, 市住建局"`
	Role string `json:"role,omitempty" jsonschema:"lead: tasks it leads (牵头); co: tasks it co-operates on (协同/配合); any: both, and tasks it carries out locally"`
	listArgs
}

// LeaderTasksIn is the input of tasks_of_leader.
type LeaderTasksIn struct {
	Leader string `json:"leader" jsonschema:"a leader's name (周国强)"`
	listArgs
}

// listArgs are the filters every list tool takes.
type listArgs struct {
	Status  string `json:"status,omitempty" jsonschema:"any, open (not reported done), done, not_started, in_progress or extension"`
	DueFrom string `json:"due_from,omitempty" jsonschema:"only tasks due on or after this ISO date (2020-08-01)"`
	DueTo   string `json:"due_to,omitempty" jsonschema:"only tasks due on or before this ISO date (2020-08-31)"`
	Scope   string `json:"scope,omitempty" jsonschema:"only this table: id (key_tasks), title or a word that names it"`
}

// TaskList is the output of every list tool: the complete list, never a
// top-k.
type TaskList struct {
	Miss
	Unit   string `json:"unit,omitempty" jsonschema:"the unit's canonical name"`
	Leader string `json:"leader,omitempty" jsonschema:"the leader's name"`
	From   string `json:"from,omitempty" jsonschema:"first day of the window (ISO)"`
	To     string `json:"to,omitempty" jsonschema:"last day of the window (ISO)"`
	AsOf   string `json:"as_of,omitempty" jsonschema:"the day overdue counts from (ISO)"`
	Note   string `json:"note,omitempty" jsonschema:"what the list leaves out or assumes"`
	Count  int    `json:"count" jsonschema:"number of tasks listed"`
	Tasks  []Task `json:"tasks" jsonschema:"every matching task, by table and number"`
}

var (
	statusArg = arg{enum: statusFilters, def: StatusAny}
	listSpec  = map[string]arg{"status": statusArg}
)

func (s *Server) addTaskTools() {
	addTool(s, "task", "Task by number",
		"One task by its number: text, 牵头领导, 牵头单位, 协同单位, 完成时限 and due date, which fields came from a merged cell, "+
			"its reported status, and its source. Without table, a bare number means what it means to the bot (key tasks first) and also_in lists the other tables with that number.",
		map[string]arg{}, s.task)
	addTool(s, "tasks_of_unit", "Tasks of a unit",
		"Every task a unit leads or co-operates on (complete, not top-k), optionally filtered by status, due window and table. "+
			"Names are resolved like the bot does (交通运输局 = 交通局); an unknown unit returns not_found with candidates.",
		map[string]arg{"role": {enum: []any{"lead", "co", "any"}, def: "any"}, "status": statusArg}, s.tasksOfUnit)
	addTool(s, "tasks_of_leader", "Tasks of a leader",
		"Every task a leader leads (牵头领导), complete, optionally filtered by status, due window and table. An unknown name returns not_found with candidates.",
		listSpec, s.tasksOfLeader)
}

func (s *Server) task(_ context.Context, h *handlers.Handler, in TaskIn) (TaskOut, error) {
	b := h.Base()
	if in.Number <= 0 {
		return TaskOut{}, fmt.Errorf("number %d: want a task number from 1", in.Number)
	}
	if in.Table != "" {
		t, m, ok := resolveTable(b, in.Table)
		if !ok {
			return TaskOut{Miss: m}, nil
		}
		r, ok := b.Task(t.ID, in.Number)
		if !ok {
			return TaskOut{Miss: miss(fmt.Sprintf("%s（%s）没有第%d项，共%d项", t.Title, t.ID, in.Number, b.Count(t.ID)), nil)}, nil
		}
		rec := s.record(b, r)
		return TaskOut{Task: &rec}, nil
	}
	var out TaskOut
	for _, t := range b.Tables() {
		r, ok := b.Task(t.ID, in.Number)
		if !ok {
			continue
		}
		if out.Task == nil {
			rec := s.record(b, r)
			out.Task = &rec
			continue
		}
		out.AlsoIn = append(out.AlsoIn, tableRef(t))
	}
	if out.Task == nil {
		out.Miss = miss(fmt.Sprintf("没有任何任务表有第%d项", in.Number), nil)
	}
	return out, nil
}

func (s *Server) tasksOfUnit(_ context.Context, h *handlers.Handler, in UnitTasksIn) (TaskList, error) {
	b := h.Base()
	f, m, err := s.newFilter(b, in.Status, in.DueFrom, in.DueTo, in.Scope)
	if err != nil || m.NotFound {
		return TaskList{Miss: m}, err
	}
	u, ok := resolveUnit(b, in.Unit)
	if !ok {
		return TaskList{Miss: miss(fmt.Sprintf("文件中没有单位“%s”", in.Unit), nearest(in.Unit, b.Units(), maxCandidates))}, nil
	}
	type roled struct {
		r    kb.Record
		role string
	}
	var all []roled
	if in.Role != "co" {
		for _, r := range b.ByUnit(u, true) {
			all = append(all, roled{r, "lead"})
		}
	}
	if in.Role != "lead" {
		for _, r := range b.ByUnit(u, false) {
			all = append(all, roled{r, "co"})
		}
	}
	if in.Role == "any" || in.Role == "" {
		for _, r := range b.Records() {
			for _, x := range r.Implementers {
				if x == u {
					all = append(all, roled{r, "implementer"})
					break
				}
			}
		}
	}
	recs := make([]kb.Record, 0, len(all))
	role := map[recKey]string{}
	for _, x := range all {
		k := keyOf(x.r)
		if _, dup := role[k]; dup || !s.keep(f, x.r) {
			continue
		}
		role[k] = x.role
		recs = append(recs, x.r)
	}
	out := s.list(b, recs)
	for i := range out.Tasks {
		out.Tasks[i].Role = role[recKey{kb.Table(out.Tasks[i].Table), out.Tasks[i].No, out.Tasks[i].Source.File, out.Tasks[i].Source.Line}]
	}
	out.Unit = u
	if len(all) == 0 {
		out.Note = u + "不是任何任务的牵头或协同单位；分管、联系和职责见 division_of_labour"
	}
	return out, nil
}

func (s *Server) tasksOfLeader(_ context.Context, h *handlers.Handler, in LeaderTasksIn) (TaskList, error) {
	b := h.Base()
	f, m, err := s.newFilter(b, in.Status, in.DueFrom, in.DueTo, in.Scope)
	if err != nil || m.NotFound {
		return TaskList{Miss: m}, err
	}
	p, ok := resolvePerson(b, in.Leader)
	if !ok {
		return TaskList{Miss: miss(fmt.Sprintf("文件中没有领导“%s”", in.Leader), nearest(in.Leader, b.Persons(), maxCandidates))}, nil
	}
	var recs []kb.Record
	for _, r := range b.ByLeader(p) {
		if s.keep(f, r) {
			recs = append(recs, r)
		}
	}
	out := s.list(b, recs)
	out.Leader = p
	if len(recs) == 0 && f == (filter{status: StatusAny}) {
		out.Note = p + "不是任何任务的牵头领导；分工见 division_of_labour"
	}
	return out, nil
}

// recKey identifies a record across tables (a number repeats in each).
type recKey struct {
	table kb.Table
	no    int
	file  string
	line  int
}

func keyOf(r kb.Record) recKey { return recKey{r.Table, r.No, r.Source.File, r.Source.Line} }

// list sorts recs and converts them.
func (s *Server) list(b *kb.Base, recs []kb.Record) TaskList {
	sortRecords(b, recs)
	out := TaskList{Count: len(recs), Tasks: make([]Task, 0, len(recs))}
	for _, r := range recs {
		out.Tasks = append(out.Tasks, s.record(b, r))
	}
	return out
}
