package mcp

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"duban/handlers"
	"duban/kb"
)

// DueIn is the input of due_between.
type DueIn struct {
	From   string `json:"from" jsonschema:"first day, ISO date (2020-08-01)"`
	To     string `json:"to" jsonschema:"last day, included, ISO date (2020-08-31)"`
	Scope  string `json:"scope,omitempty" jsonschema:"only this table: id (key_tasks), title or a word that names it"`
	Unit   string `json:"unit,omitempty" jsonschema:"only tasks this unit leads or co-operates on"`
	Status string `json:"status,omitempty" jsonschema:"any, open (not reported done), done, not_started, in_progress or extension"`
}

// OverdueIn is the input of overdue.
type OverdueIn struct {
	AsOf  string `json:"as_of,omitempty" jsonschema:"the day to count from, ISO date; default: today in Asia/Shanghai"`
	Scope string `json:"scope,omitempty" jsonschema:"only this table: id (key_tasks), title or a word that names it"`
	Unit  string `json:"unit,omitempty" jsonschema:"only tasks this unit leads or co-operates on"`
}

func (s *Server) addDueTools() {
	addTool(s, "due_between", "Tasks due in a window",
		"Every task whose deadline falls between from and to (both included), earliest first; open-ended deadlines (长期, 持续) have no date and are never listed.",
		map[string]arg{"status": statusArg}, s.dueBetween)
	addTool(s, "overdue", "Overdue tasks",
		"Every task whose deadline is before as_of and that its lead unit has not reported done, with the days overdue, earliest deadline first.",
		map[string]arg{}, s.overdue)
}

func (s *Server) dueBetween(_ context.Context, h *handlers.Handler, in DueIn) (TaskList, error) {
	b := h.Base()
	if in.From == "" || in.To == "" {
		return TaskList{}, fmt.Errorf("from and to are both required ISO dates")
	}
	f, m, err := s.newFilter(b, in.Status, in.From, in.To, in.Scope)
	if err != nil || m.NotFound {
		return TaskList{Miss: m}, err
	}
	if f.to.Before(f.from) {
		return TaskList{}, fmt.Errorf("to %s is before from %s", in.To, in.From)
	}
	unit, m := unitArg(b, in.Unit)
	if m.NotFound {
		return TaskList{Miss: m}, nil
	}
	var recs []kb.Record
	for _, r := range b.Due(f.from, f.to) {
		if s.keep(f, r) && involves(r, unit) {
			recs = append(recs, r)
		}
	}
	out := s.dueList(b, recs)
	out.Unit, out.From, out.To = unit, in.From, in.To
	return out, nil
}

func (s *Server) overdue(_ context.Context, h *handlers.Handler, in OverdueIn) (TaskList, error) {
	b := h.Base()
	asOf, err := parseDate("as_of", in.AsOf)
	if err != nil {
		return TaskList{}, err
	}
	if asOf.IsZero() {
		n := s.cfg.Now().In(kb.Location)
		asOf = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, kb.Location)
	}
	f, m, err := s.newFilter(b, "", "", "", in.Scope)
	if err != nil || m.NotFound {
		return TaskList{Miss: m}, err
	}
	if s.cfg.Status != nil {
		f.status = StatusOpen
	}
	unit, m := unitArg(b, in.Unit)
	if m.NotFound {
		return TaskList{Miss: m}, nil
	}
	var recs []kb.Record
	for _, r := range b.Due(time.Time{}, asOf) {
		if s.keep(f, r) && involves(r, unit) {
			recs = append(recs, r)
		}
	}
	out := s.dueList(b, recs)
	for i, r := range recs {
		out.Tasks[i].DaysOverdue = int(asOf.Sub(r.Due.Time).Hours()+12) / 24 // +12: a DST-free zone, but round anyway
	}
	out.Unit, out.AsOf = unit, asOf.Format(time.DateOnly)
	if s.cfg.Status == nil {
		out.Note = "本服务读不到各单位报告的进展，已报完成的任务也列在内"
	}
	return out, nil
}

// dueList sorts recs in place, earliest deadline first, then as the bot
// lists tables, and converts them.
func (s *Server) dueList(b *kb.Base, recs []kb.Record) TaskList {
	rank := tableRanks(b)
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].Due.Equal(recs[j].Due.Time) {
			return recs[i].Due.Before(recs[j].Due.Time)
		}
		if ri, rj := rank[recs[i].Table], rank[recs[j].Table]; ri != rj {
			return ri < rj
		}
		return recs[i].No < recs[j].No
	})
	out := TaskList{Count: len(recs), Tasks: make([]Task, 0, len(recs))}
	for _, r := range recs {
		out.Tasks = append(out.Tasks, s.record(b, r))
	}
	return out
}

// unitArg resolves an optional unit argument.
func unitArg(b *kb.Base, unit string) (string, Miss) {
	if unit == "" {
		return "", Miss{}
	}
	u, ok := resolveUnit(b, unit)
	if !ok {
		return "", miss(fmt.Sprintf("文件中没有单位“%s”", unit), nearest(unit, b.Units(), maxCandidates))
	}
	return u, Miss{}
}

// involves reports whether unit leads or co-operates on r ("" is anyone).
func involves(r kb.Record, unit string) bool {
	return unit == "" || slices.Contains(r.LeadUnits, unit) || slices.Contains(r.CoUnits, unit)
}
