package mcp

import (
	"duban/kb"
)

// A Source locates a result in its document.
type Source struct {
	File  string `json:"file" jsonschema:"document file name"`
	Line  int    `json:"line" jsonschema:"1-based line where the record starts"`
	Table string `json:"table,omitempty" jsonschema:"table id of a task record (see the duban://documents resource)"`
	Title string `json:"title,omitempty" jsonschema:"title of the table or document section as the document gives it"`
	Row   int    `json:"row,omitempty" jsonschema:"1-based data row of the table; absent outside tables"`
}

func source(s kb.Source, t kb.Table) Source {
	return Source{File: s.File, Line: s.Line, Table: string(t), Title: s.Title, Row: s.Row}
}

// A Status is what a task's lead unit reported in chat.
type Status struct {
	Reported   bool   `json:"reported" jsonschema:"whether a report is in force; false means 未开始 with no report"`
	State      string `json:"state" jsonschema:"未开始, 推进中, 已完成 or 申请延期"`
	Label      string `json:"label" jsonschema:"the state as the bot shows it (申请延期至10月底)"`
	Note       string `json:"note,omitempty" jsonschema:"the progress note as reported"`
	Unit       string `json:"unit,omitempty" jsonschema:"the unit that reported"`
	ReportedAt string `json:"reported_at,omitempty" jsonschema:"when it was reported (RFC 3339, Asia/Shanghai)"`
}

func status(s kb.Status, ok bool) *Status {
	if !ok {
		return &Status{State: string(kb.NotStarted), Label: string(kb.NotStarted)}
	}
	out := &Status{Reported: true, State: string(s.State), Label: s.Label(), Note: s.Note, Unit: s.Unit}
	if !s.At.IsZero() {
		out.ReportedAt = s.At.In(kb.Location).Format("2006-01-02T15:04:05Z07:00")
	}
	return out
}

// A Task is one task record: a table row, a numbered task or a measure.
type Task struct {
	Table        string   `json:"table" jsonschema:"table id"`
	TableTitle   string   `json:"table_title" jsonschema:"the table's title"`
	No           int      `json:"no" jsonschema:"task number within its table"`
	Section      string   `json:"section,omitempty" jsonschema:"section (类别) the task is under"`
	Text         string   `json:"text" jsonschema:"the task text, whole"`
	LeadLeaders  []string `json:"lead_leaders" jsonschema:"牵头领导"`
	LeadUnits    []string `json:"lead_units" jsonschema:"牵头单位, canonical short names"`
	CoUnits      []string `json:"co_units" jsonschema:"协同/配合单位, canonical short names"`
	Implementers []string `json:"implementers,omitempty" jsonschema:"units that carry it out locally (各区镇落实)"`
	DeadlineText string   `json:"deadline_text" jsonschema:"完成时限 as written"`
	Due          string   `json:"due,omitempty" jsonschema:"the deadline as an ISO date; absent when open-ended (长期) or none"`
	Qualifier    string   `json:"qualifier,omitempty" jsonschema:"what a qualified deadline applies to (河道疏浚 of 河道疏浚12月底前)"`
	Inherited    []string `json:"inherited,omitempty" jsonschema:"fields filled from a vertically merged cell above"`
	Progress     string   `json:"progress,omitempty" jsonschema:"进展情况 as the document records it"`
	Targets      []string `json:"targets,omitempty" jsonschema:"dated targets of an action plan"`
	Role         string   `json:"role,omitempty" jsonschema:"in a unit's list: lead, co or implementer"`
	DaysOverdue  int      `json:"days_overdue,omitempty" jsonschema:"in overdue: whole days past the deadline"`
	Status       *Status  `json:"status,omitempty" jsonschema:"the status units reported; absent when the server has no access to reports"`
	Source       Source   `json:"source"`
}

// A Miss is the not-found part of a result: what was looked for, and the
// nearest names the knowledge base does hold. It is an answer, not an
// error, so clients show it instead of guessing.
type Miss struct {
	NotFound   bool     `json:"not_found,omitempty" jsonschema:"true when nothing matched; message says what was looked for"`
	Message    string   `json:"message,omitempty" jsonschema:"what was not found, in Chinese"`
	Candidates []string `json:"candidates,omitempty" jsonschema:"up to 3 known names nearest to the one asked for"`
}

func miss(msg string, candidates []string) Miss {
	return Miss{NotFound: true, Message: msg, Candidates: candidates}
}
