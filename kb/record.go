package kb

import "time"

// Table names the task table a Record comes from. The values are the
// `table` field of `duban kb dump` (DESIGN.md), so they never change.
type Table string

// The task tables of the seed documents.
const (
	KeyTasks       Table = "key_tasks"       // 004 附件1 2020年市政府重点工作任务分解表
	PeopleProjects Table = "people_projects" // 004 附件2 2020年为民办实事项目任务分解表
	Nantong2019    Table = "nantong_2019"    // 001 南通市 2019 100 key tasks with 进展情况
	Measures2019   Table = "measures_2019"   // 000 补短板强弱项若干措施 and its action plans
)

// TableTitle is the human name of each seed table. Prefer Base.Title and
// the registry (Base.Tables), which hold every loaded table's title as its
// document gives it; this map stays for callers citing the seed tables.
var TableTitle = map[Table]string{
	KeyTasks:       "2020年市政府重点工作任务分解表",
	PeopleProjects: "2020年为民办实事项目任务分解表",
	Nantong2019:    "南通市2019年100项重点工作任务",
	Measures2019:   "补短板强弱项若干措施",
}

// Field names used in Record.Inherited.
const (
	FieldLeadLeaders  = "lead_leaders"
	FieldLeadUnits    = "lead_units"
	FieldCoUnits      = "co_units"
	FieldDeadlineText = "deadline_text"
)

// A Source locates a record in its document.
type Source struct {
	File  string `json:"file"`            // base name of the document
	Line  int    `json:"line"`            // 1-based line where the record starts
	Title string `json:"title,omitempty"` // document or table title
	Row   int    `json:"row,omitempty"`   // table row (1-based, data rows only); 0 outside tables
}

// A Record is one task: a row of a task table, a numbered task of a list, or
// a measure with inline responsibility.
type Record struct {
	Doc          string   `json:"doc"`
	Table        Table    `json:"table"`
	Section      string   `json:"section"`
	No           int      `json:"no"`
	Text         string   `json:"text"`
	LeadLeaders  []string `json:"lead_leaders"`
	LeadUnits    []string `json:"lead_units"`
	CoUnits      []string `json:"co_units"`
	Implementers []string `json:"implementers,omitempty"` // 各区镇落实: units that carry it out locally
	DeadlineText string   `json:"deadline_text"`
	Due          *Date    `json:"due"`
	Qualifier    string   `json:"qualifier,omitempty"` // "河道疏浚" of "河道疏浚12月底前"
	Unparsed     bool     `json:"unparsed,omitempty"`  // DeadlineText matched no rule
	Inherited    []string `json:"inherited"`           // fields filled from a merged cell above
	Progress     string   `json:"progress,omitempty"`  // 进展情况 (001)
	Targets      []Target `json:"targets,omitempty"`   // dated targets of an action plan (000)
	Source       Source   `json:"source"`
}

// A Target is a dated goal inside a measure: "到2020年底，…达到…".
type Target struct {
	Year int    `json:"year"`
	Text string `json:"text"`
}

// IsInherited reports whether field was filled from a merged cell above.
func (r *Record) IsInherited(field string) bool {
	for _, f := range r.Inherited {
		if f == field {
			return true
		}
	}
	return false
}

// A Date is a calendar day in Asia/Shanghai. It marshals as "2020-08-31".
type Date struct{ time.Time }

// NewDate returns the day y-m-d in Location.
func NewDate(y int, m time.Month, d int) *Date {
	return &Date{time.Date(y, m, d, 0, 0, 0, 0, Location)}
}

// MarshalJSON writes the ISO date.
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

// UnmarshalJSON reads an ISO date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	t, err := time.ParseInLocation(`"`+time.DateOnly+`"`, string(b), Location)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

// ISO returns "2006-01-02", or "" for a nil date.
func (d *Date) ISO() string {
	if d == nil {
		return ""
	}
	return d.Format(time.DateOnly)
}
