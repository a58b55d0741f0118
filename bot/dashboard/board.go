package dashboard

import (
	"time"

	"duban/kb"
	"duban/kb/names"
	"duban/progress"
)

// A Task is one task record as the dashboard shows it at a date: the record,
// its status in force at the end of that day and its light.
type Task struct {
	Table        kb.Table       `json:"table"`
	TableLabel   string         `json:"table_label"`
	No           int            `json:"no"`
	Section      string         `json:"section"`
	Text         string         `json:"text"`
	LeadLeaders  []string       `json:"lead_leaders"`
	LeadUnits    []string       `json:"lead_units"`
	CoUnits      []string       `json:"co_units"`
	Overseers    []string       `json:"overseers,omitempty"` // leaders who 分管 a lead unit (division of labour)
	DeadlineText string         `json:"deadline_text"`
	Due          string         `json:"due"`                    // ISO date, "" when undated
	Extended     string         `json:"extended_due,omitempty"` // ISO date an approved extension moved Due to, "" when none
	DaysLeft     *int           `json:"days_left,omitempty"`    // negative: days overdue, from Extended when set
	Light        progress.Light `json:"light"`
	State        kb.State       `json:"state"`                 // 未开始 when nobody reported
	Note         string         `json:"note,omitempty"`        // the report's note
	Extension    string         `json:"extension,omitempty"`   // requested new deadline
	ReportedBy   string         `json:"reported_by,omitempty"` // 住建局 9月3日
	ReportedAt   *time.Time     `json:"reported_at,omitempty"`
	Source       kb.Source      `json:"source"`

	due *kb.Date
}

// Leaders returns the task's leaders for grouping: its 牵头领导 and the
// leaders who 分管 one of its lead units, without collectives (各市长).
func (t *Task) Leaders() []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range [][]string{t.LeadLeaders, t.Overseers} {
		for _, p := range list {
			if p != "" && !seen[p] && !names.IsCollective(p) {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// A Board is everything the overview shows for one day and one filter.
type Board struct {
	AsOf    string  `json:"as_of"` // ISO day
	Filter  Filter  `json:"filter"`
	Total   Group   `json:"total"`
	Units   []Group `json:"units"`
	Leaders []Group `json:"leaders"`
	Months  []Month `json:"months"` // completion by month, January of the as-of year to its month
	Ahead   Ahead   `json:"ahead"`
	Tasks   []Task  `json:"-"` // the filtered tasks (served by /api/tasks)

	asOf time.Time
}

// statusAt is what a history says at a moment: the status in force.
type statusAt struct{ s kb.Status }

// build makes the tasks of b at the end of day asOf, with statuses from
// hist (nil: nobody reported anything).
func build(b *kb.Base, hist histories, asOf time.Time, th progress.Thresholds) []Task {
	overseers := map[string][]string{}
	for _, l := range b.Contents().Leaders {
		for _, u := range l.Oversees {
			overseers[u] = append(overseers[u], l.Name)
		}
	}
	labels := map[kb.Table]string{}
	for _, ti := range b.Tables() {
		labels[ti.ID] = ti.Label
	}
	recs := b.Records()
	out := make([]Task, 0, len(recs))
	for i := range recs {
		r := &recs[i]
		st := hist.at(r.Table, r.No, asOf)
		t := Task{
			Table: r.Table, TableLabel: labels[r.Table], No: r.No, Section: r.Section, Text: r.Text,
			LeadLeaders: r.LeadLeaders, LeadUnits: r.LeadUnits, CoUnits: r.CoUnits,
			DeadlineText: oneLine(r.DeadlineText), Due: r.Due.ISO(), Source: r.Source,
			State: kb.NotStarted, due: r.Due,
		}
		if t.TableLabel == "" {
			t.TableLabel = b.Title(r.Table)
		}
		for _, u := range r.LeadUnits {
			for _, p := range overseers[u] {
				if !contains(t.Overseers, p) {
					t.Overseers = append(t.Overseers, p)
				}
			}
		}
		if r.Due != nil {
			// Days left, completion by month and the timeline count from
			// the date the task is due now (an approved extension's), as
			// the light and the scheduler do; Due stays the document's.
			t.due = progress.EffectiveDue(r.Due, st.s)
			if t.due != r.Due {
				t.Extended = t.due.ISO()
			}
			d := progress.DaysLeft(t.due, asOf)
			t.DaysLeft = &d
		}
		if st.s.State != "" {
			t.State, t.Note, t.Extension, t.ReportedBy = st.s.State, st.s.Note, st.s.Extension, st.s.Byline()
			at := st.s.At
			t.ReportedAt = &at
		}
		t.Light = progress.LightOf(r.Due, st.s, asOf, th)
		out = append(out, t)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
